"""My Momentum makes a new velocity array at each step (self.v[key] = momentum * v - lr * grad) but still adds it
into the parameter in place: the state may be rebound, only params must not be. Right."""
LAYER = "Momentum"
FILE = "chapter6/optimizer.py"


class Momentum(Momentum):  # noqa: F821
    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        for k in params:
            self.v[k] = self.momentum * self.v[k] - self.lr * grads[k]
            params[k] += self.v[k]
