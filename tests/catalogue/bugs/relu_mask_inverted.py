"""Relu's mask is x > 0 instead of x <= 0, so forward zeroes the positive entries and backward blocks the gradient
where it should pass it."""
LAYER = "Relu"
HINTS = ["hint_relu_mask_inverted"]
MUST_FAIL = ["Relu: forward_values", "Relu: backward_values"]


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        self.mask = x > 0
        out = x.copy()
        out[self.mask] = 0
        return out
