"""Sigmoid.forward computes 1 / (1 + np.log(-x)), np.log where the formula has np.exp (the seed article's bug):
nan for every x > 0."""
LAYER = "Sigmoid"
HINTS = ["hint_sigmoid_log"]
MUST_FAIL = ["Sigmoid: forward_values", "Sigmoid: large_inputs"]


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        self.out = 1 / (1 + np.log(-x))  # noqa: F821
        return self.out
