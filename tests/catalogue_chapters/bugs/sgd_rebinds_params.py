"""My SGD writes params[key] = params[key] - lr * grads[key]: the dict gets a new array, and the network's layers,
which hold the old one, never learn."""
LAYER = "SGD"
HINTS = ["hint_optimizer_not_in_place"]
FILE = "chapter6/optimizer.py"


class SGD(SGD):  # noqa: F821
    def update(self, params, grads):
        for key in params:
            params[key] = params[key] - self.lr * grads[key]
