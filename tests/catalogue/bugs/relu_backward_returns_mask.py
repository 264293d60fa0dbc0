"""Relu.backward returns where x > 0 (ones and zeros, the local derivative) instead of dout there."""
LAYER = "Relu"
HINTS = ["hint_relu_forgot_dout"]
MUST_FAIL = ["Relu: backward_values", "Relu: gradient_passes_unchanged", "Relu: numerical_gradient"]


class Relu(Relu):  # noqa: F821
    def backward(self, dout):
        return np.where(self.mask, 0.0, 1.0)  # noqa: F821
