"""My Momentum keeps its velocity but writes params[key] = params[key] + v, a new array the layers never see."""
LAYER = "Momentum"
HINTS = ["hint_optimizer_not_in_place"]
FILE = "chapter6/optimizer.py"


class Momentum(Momentum):  # noqa: F821
    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        for k in params:
            self.v[k] = self.momentum * self.v[k] - self.lr * grads[k]
            params[k] = params[k] + self.v[k]
