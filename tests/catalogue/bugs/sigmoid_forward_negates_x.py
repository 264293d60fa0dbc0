"""Sigmoid.forward negates x in place (x *= -1) to save a copy before np.exp, changing the caller's array."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_forward_in_place"]
MUST_FAIL = ["Sigmoid: leaves_inputs_unchanged"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        x *= -1
        self.out = 1 / (1 + np.exp(x))  # noqa: F821
        return self.out
