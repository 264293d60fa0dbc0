"""My Nesterov steps by the new velocity, p += v with v = momentum * v - lr * grad: that is plain Momentum, with
no look-ahead."""
LAYER = "Nesterov"
HINTS = ["hint_nesterov_is_momentum"]
FILE = "chapter6/optimizer.py"


class Nesterov(Nesterov):  # noqa: F821
    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        for k in params:
            self.v[k] *= self.momentum
            self.v[k] -= self.lr * grads[k]
            params[k] += self.v[k]
