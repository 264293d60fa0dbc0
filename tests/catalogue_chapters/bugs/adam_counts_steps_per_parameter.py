"""My Adam increments self.iter inside the loop over the parameters, so with W and b it counts two steps per
update, and the bias correction is that of the wrong step."""
LAYER = "Adam"
HINTS = ["hint_adam_bias_correction"]
FILE = "chapter6/optimizer.py"


class Adam(Adam):  # noqa: F821
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
            self.v = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        for k in params:
            self.iter += 1
            lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)  # noqa: F821
            self.m[k] += (1 - self.beta1) * (grads[k] - self.m[k])
            self.v[k] += (1 - self.beta2) * (grads[k] ** 2 - self.v[k])
            params[k] -= lr_t * self.m[k] / (np.sqrt(self.v[k]) + 1e-7)  # noqa: F821
