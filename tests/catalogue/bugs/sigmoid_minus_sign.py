"""Sigmoid.forward drops the minus sign of the exponent: 1 / (1 + np.exp(x)), the sigmoid of -x."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_minus_x"]
MUST_FAIL = ["Sigmoid: forward_values"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        self.out = 1 / (1 + np.exp(x))  # noqa: F821
        return self.out
