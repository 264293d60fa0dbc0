"""My Nesterov keeps the old velocity, makes the new one, and steps by -momentum * v_old + (1 + momentum) * v_new:
the same update as the book's expanded formula, written as the paper does."""
LAYER = "Nesterov"
FILE = "chapter6/optimizer.py"


class Nesterov(Nesterov):  # noqa: F821
    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        for k in params:
            v_old = self.v[k]
            self.v[k] = self.momentum * v_old - self.lr * grads[k]
            params[k] += -self.momentum * v_old + (1 + self.momentum) * self.v[k]
