"""My Adam steps by lr * m / (sqrt(v) + eps), without the bias correction, so its first steps are far too small."""
LAYER = "Adam"
HINTS = ["hint_adam_no_bias_correction"]
FILE = "chapter6/optimizer.py"


class Adam(Adam):  # noqa: F821
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
            self.v = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        self.iter += 1
        for k in params:
            self.m[k] += (1 - self.beta1) * (grads[k] - self.m[k])
            self.v[k] += (1 - self.beta2) * (grads[k] ** 2 - self.v[k])
            params[k] -= self.lr * self.m[k] / (np.sqrt(self.v[k]) + 1e-7)  # noqa: F821
