"""Sigmoid keeps x as well and backward applies the derivative formula to it: dout * x * (1 - x)."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_from_x"]
MUST_FAIL = ["Sigmoid: backward_values", "Sigmoid: backward_uses_stored_output"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * self.x * (1.0 - self.x)
