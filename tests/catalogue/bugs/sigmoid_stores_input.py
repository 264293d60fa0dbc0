"""Sigmoid.forward stores its input as self.out (self.out = x) and returns the sigmoid computed aside, so
backward's dout * out * (1 - out) works on x."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_from_x"]
MUST_FAIL = ["Sigmoid: backward_uses_stored_output"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        self.out = x
        return 1 / (1 + np.exp(-x))  # noqa: F821
