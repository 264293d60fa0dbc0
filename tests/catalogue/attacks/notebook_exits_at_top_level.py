"""A notebook whose cells, run top to bottom, would end the grader: os._exit, sys.exit, an endless loop, rm -rf.

Loaded for its definitions only, none of them runs: the layers are graded, and get full marks.
"""
SHAPE = "notebook"
EXPECTED_FAILURES = []

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
