"""My Momentum starts its velocity from zero at every call (I made self.v inside update without checking), so it
is plain SGD: nothing carries over from one step to the next."""
LAYER = "Momentum"
HINTS = ["hint_optimizer_forgets_state"]
FILE = "chapter6/optimizer.py"


class Momentum(Momentum):  # noqa: F821
    def update(self, params, grads):
        self.v = None
        super().update(params, grads)
