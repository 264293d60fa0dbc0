"""Sigmoid.backward multiplies dout in place (dout *= out * (1 - out)) and returns it: right values, but the
caller's dout is changed."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_backward_in_place"]
MUST_FAIL = ["Sigmoid: leaves_inputs_unchanged"]


class Sigmoid(Sigmoid):  # noqa: F821
    def backward(self, dout):
        dout *= self.out * (1.0 - self.out)
        return dout
