"""My AdaGrad writes params[key] = params[key] - lr * grads[key] / (np.sqrt(h) + 1e-7): the right values in a
new array the layers never see."""
LAYER = "AdaGrad"
HINTS = ["hint_optimizer_not_in_place"]
FILE = "chapter6/optimizer.py"


class AdaGrad(AdaGrad):  # noqa: F821
    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        for k in params:
            self.h[k] += grads[k] * grads[k]
            params[k] = params[k] - self.lr * grads[k] / (np.sqrt(self.h[k]) + 1e-7)  # noqa: F821
