"""Relu.forward returns 100 MB of zeros, more than the grader will ever take from a submission."""
LAYER = "Relu"
FEEDBACK = "unsendable"


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        return np.zeros(100 * 2**20 // 8)  # noqa: F821
