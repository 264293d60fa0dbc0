"""Relu's mask is x < 0 instead of x <= 0, so an input of exactly 0 lets its gradient through."""
LAYER = "Relu"
MISTAKE = "hint_relu_zero"
MUST_FAIL = ["Relu: zero_is_blocked"]


class Relu(Relu):  # noqa: F821 (appended to the reference's layers.py, where Relu is defined)
    def forward(self, x):
        self.mask = x < 0
        out = x.copy()
        out[self.mask] = 0
        return out
