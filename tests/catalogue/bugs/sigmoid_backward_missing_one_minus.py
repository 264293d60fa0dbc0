"""Sigmoid.backward returns dout * out, leaving out the (1 - out) factor of the derivative."""
LAYER = "Sigmoid"
MISTAKE = "hint_sigmoid_missing_one_minus"
MUST_FAIL = ["Sigmoid: backward_values", "Sigmoid: backward_uses_stored_output", "Sigmoid: numerical_gradient"]


class Sigmoid(Sigmoid):  # noqa: F821
    def backward(self, dout):
        return dout * self.out
