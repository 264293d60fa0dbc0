"""My AdaGrad keeps its history h in the class (h = {} written under class AdaGrad), so every AdaGrad I make
carries on the squared-gradient sums of the ones before it, and a fresh optimizer starts with a rate already shrunk."""
LAYER = "AdaGrad"
HINTS = ["hint_optimizer_shared_state"]
FILE = "chapter6/optimizer.py"


class AdaGrad(AdaGrad):  # noqa: F821
    history = {}

    def update(self, params, grads):
        for key, value in params.items():
            AdaGrad.history.setdefault(key, np.zeros_like(value))  # noqa: F821
        self.h = AdaGrad.history
        super().update(params, grads)
