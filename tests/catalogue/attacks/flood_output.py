"""layers.py prints megabytes as it is imported, and Relu.forward writes to stdout and stderr without end."""
LAYER = "Relu"
FEEDBACK = "timeout"
BUDGET = 90

import os  # noqa: E402
import sys  # noqa: E402

print("x" * 2**22)
sys.stderr.write("y" * 2**22)


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        block = b"z" * 2**16
        while True:
            os.write(1, block)
            os.write(2, block)
