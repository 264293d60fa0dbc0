"""Sigmoid.backward returns the local derivative out * (1 - out) and forgets to multiply it by dout."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_forgot_dout"]
MUST_FAIL = ["Sigmoid: backward_values"]


class Sigmoid(Sigmoid):  # noqa: F821
    def backward(self, dout):
        return self.out * (1.0 - self.out)
