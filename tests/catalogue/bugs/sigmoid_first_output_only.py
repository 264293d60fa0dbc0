"""Sigmoid.forward keeps its output only on the first call (if self.out is None), so backward after a second
forward uses the first call's output."""
LAYER = "Sigmoid"
HINTS = ["hint_latest_forward"]
MUST_FAIL = ["Sigmoid: state_latest_forward"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        out = 1 / (1 + np.exp(-x))  # noqa: F821
        if self.out is None:
            self.out = out
        return out
