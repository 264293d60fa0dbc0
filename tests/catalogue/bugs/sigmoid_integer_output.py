"""Sigmoid.forward writes the sigmoid into a copy of x (out = x.copy(); out[...] = 1 / (1 + np.exp(-x))), so an
integer x gives an integer array, every value cut to 0 or 1."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_integer_input"]
MUST_FAIL = ["Sigmoid: integer_input"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        out = x.copy()
        out[...] = 1 / (1 + np.exp(-x))  # noqa: F821
        self.out = out
        return out
