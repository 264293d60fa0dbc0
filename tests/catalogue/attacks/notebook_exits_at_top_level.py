"""A notebook whose cells, run top to bottom, would end the grader (os._exit, sys.exit, an endless loop, rm -rf
in a shell cell), and whose MulLayer exits when it is called. Loaded for its definitions only, none of the
top-level cells runs: the MulLayer that exits loses MulLayer's checks, and every other layer is graded in full.
"""
SHAPE = "notebook"
LAYER = "MulLayer"

# %%
#!ipython %%bash
#!ipython rm -rf ~
# %%
#!ipython !rm -rf ~
import os
import sys

os._exit(0)
# %%
sys.exit("graded enough")
# %%
raise SystemExit(1)
# %%
while True:
    pass
# %%
class MulLayer(MulLayer):  # noqa: F821 (the reference's, in an earlier cell)
    def forward(self, x, y):
        sys.exit("no grading today")

    def backward(self, dout):
        sys.exit("no grading today")
