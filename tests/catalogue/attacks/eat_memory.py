"""Relu.forward raises its own memory limit if it can, then allocates memory until none is left."""
LAYER = "Relu"
FEEDBACK = "out_of_memory"

import resource  # noqa: E402


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        try:
            resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        except (ValueError, OSError):
            pass
        hoard = []
        while True:
            hoard.append(bytearray(2**26))
