"""Relu is not written, but layers.py rewrites itself at import (and its folder gets a new file), so that the
next grade of the same folder would find a Relu that works: a grade must not depend on an earlier one."""
LAYER = "Relu"

from pathlib import Path  # noqa: E402

_HERE = Path(__file__)


def _rewrite():
    try:
        text = _HERE.read_text()
        _HERE.write_text(text.replace("raise NotImplementedError(\"Relu.forward is not implemented yet\")", "return x"))
    except OSError:
        pass
    try:
        (_HERE.parent / "relu_fixed.py").write_text("FIXED = True\n")
    except OSError:
        pass


_rewrite()


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        raise NotImplementedError("Relu.forward is not implemented yet")
