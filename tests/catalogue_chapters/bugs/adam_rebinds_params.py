"""My Adam takes the right steps but writes params[key] = params[key] - step, a new array the layers never see."""
LAYER = "Adam"
HINTS = ["hint_optimizer_not_in_place"]
FILE = "chapter6/optimizer.py"


class Adam(Adam):  # noqa: F821
    def update(self, params, grads):
        moved = {k: v.copy() for k, v in params.items()}
        super().update(moved, grads)
        for k in params:
            params[k] = moved[k]
