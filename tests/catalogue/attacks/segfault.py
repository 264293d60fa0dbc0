"""Relu.forward reads memory at address 8 through ctypes: the process dies of SIGSEGV."""
LAYER = "Relu"
FEEDBACK = "crashed_with_output"

import ctypes  # noqa: E402


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        return ctypes.string_at(8, 8)
