"""A notebook that patches numpy, the builtins and the grader from its top-level cells, to make a buggy Relu
(mask x < 0, so an input of exactly 0 leaks its gradient) look right. The patches are not definitions: they
do not run, and the bug is caught on Relu alone."""
SHAPE = "notebook"
LAYER = "Relu"
MUST_FAIL = ["Relu: zero_is_blocked"]

# %%
import builtins
import sys

import numpy

numpy.allclose = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
builtins.abs = lambda value: 0
sys.modules["backprop_grader.diagnose"] = None
# %%
class Relu(Relu):  # noqa: F821 (the reference's Relu, in an earlier cell)
    def forward(self, x):
        self.mask = x < 0
        out = x.copy()
        out[self.mask] = 0
        return out
