"""My RMSprop writes params[key] = params[key] - ..., a new array the layers never see."""
LAYER = "RMSprop"
HINTS = ["hint_optimizer_not_in_place"]
FILE = "chapter6/optimizer.py"


class RMSprop(RMSprop):  # noqa: F821
    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        for k in params:
            self.h[k] = self.decay_rate * self.h[k] + (1 - self.decay_rate) * grads[k] * grads[k]
            params[k] = params[k] - self.lr * grads[k] / (np.sqrt(self.h[k]) + 1e-7)  # noqa: F821
