"""Relu.forward zeroes the negative entries of x itself (x[self.mask] = 0; return x) instead of a copy."""
LAYER = "Relu"
HINTS = ["hint_relu_forward_in_place"]
MUST_FAIL = ["Relu: forward_leaves_x_unchanged"]


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x
