"""Relu.forward raises KeyboardInterrupt, which in the grader's own process would stop the whole run."""
LAYER = "Relu"


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        raise KeyboardInterrupt
