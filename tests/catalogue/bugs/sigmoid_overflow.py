"""Sigmoid.forward computes np.exp(x) / (1 + np.exp(x)): the same function on paper, but inf / inf = nan once
np.exp(x) overflows (x > 709)."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_overflow"]
MUST_FAIL = ["Sigmoid: large_inputs"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        e = np.exp(x)  # noqa: F821
        self.out = e / (1 + e)
        return self.out
