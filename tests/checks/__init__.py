"""The graded checks: one module per layer (test_relu.py, ...), each test a check declared with `check`.

An instructor's own checks (--extra-tests) are written the same way: `from backprop_grader.checks import check`,
and the `impl`, `ref` and `net_class` fixtures of conftest.py.
"""
from .marks import check

__all__ = ["check"]
