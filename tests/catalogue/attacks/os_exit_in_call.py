"""Relu.forward calls os._exit(0): the process ends at once, with no exception to catch."""
LAYER = "Relu"
FEEDBACK = "exited"

import os  # noqa: E402


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        os._exit(0)
