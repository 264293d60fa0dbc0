"""Relu.backward returns dout unchanged everywhere: it forgets to block the gradient where x <= 0."""
LAYER = "Relu"
HINTS = ["hint_relu_no_mask"]
MUST_FAIL = ["Relu: backward_values", "Relu: zero_is_blocked", "Relu: numerical_gradient"]


class Relu(Relu):  # noqa: F821
    def backward(self, dout):
        return dout.copy()
