"""Relu.forward calls sys.exit(0), as if grading were over."""
LAYER = "Relu"
FEEDBACK = "exited"

import sys  # noqa: E402


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        sys.exit(0)
