"""My AdaGrad sets h = grad * grad at each step instead of adding to it, so the rate never shrinks."""
LAYER = "AdaGrad"
HINTS = ["hint_optimizer_forgets_state"]
FILE = "chapter6/optimizer.py"


class AdaGrad(AdaGrad):  # noqa: F821
    def update(self, params, grads):
        for k in params:
            h = grads[k] * grads[k]
            params[k] -= self.lr * grads[k] / (np.sqrt(h) + 1e-7)  # noqa: F821
