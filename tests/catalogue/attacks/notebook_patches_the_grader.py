"""A notebook whose Relu is not written, with top-level cells that patch numpy, the builtins and the grader so
that its checks would pass anyway. The patches are not definitions: they do not run, and Relu loses its checks
while every other layer is graded in full."""
SHAPE = "notebook"
LAYER = "Relu"

# %%
import builtins
import sys

import numpy

numpy.allclose = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
builtins.abs = lambda value: 0
sys.modules["backprop_grader.diagnose"] = None
# %%
class Relu:
    def forward(self, x):
        raise NotImplementedError("Relu.forward")

    def backward(self, dout):
        raise NotImplementedError("Relu.backward")
