"""Sigmoid.backward returns dout * (1 - out), leaving out the out factor of the derivative."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_missing_out"]
MUST_FAIL = ["Sigmoid: backward_values", "Sigmoid: numerical_gradient"]


class Sigmoid(Sigmoid):  # noqa: F821
    def backward(self, dout):
        return dout * (1.0 - self.out)
