"""A loose script that, when loaded, forks, sleeps and trains for ever, exits from its main guard, and whose
AddLayer exits when it is called. Top-level work is skipped when a script is loaded for its definitions, so it
is graded at once: AddLayer loses its checks, every other layer is graded in full."""
SHAPE = "script"
LAYER = "AddLayer"

import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

pid = os.fork()
time.sleep(10**6)
epoch = 0
while True:
    epoch += 1

if __name__ == "__main__":
    os._exit(1)


class AddLayer(AddLayer):  # noqa: F821 (the reference's, earlier in the file)
    def forward(self, x, y):
        sys.exit("no grading today")

    def backward(self, dout):
        sys.exit("no grading today")
