"""Failures that carry a message key and its params, so reports can render them in any language."""
import numpy as np

from .messages import render


def show(value, max_chars=300):
    """A short, readable form of an input or output for a message."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=4, threshold=20, edgeitems=3, separator=", ")
        if value.ndim:
            text = f"array({text}, shape={value.shape})"
        elif text.endswith("."):
            text += "0"  # NumPy writes a whole float as "201.": in a sentence, "201.." reads as a typo
    else:
        text = repr(value)
    return text if len(text) <= max_chars else text[: max_chars - 3] + "..."


class CheckFailure(AssertionError):
    """A check found a wrong result. key is the diagnosis; hint, if any, names the likely mistake."""

    def __init__(self, key, hint=None, **params):
        self.key = key
        self.hint = hint
        self.params = params
        super().__init__(self.render())

    def render(self, lang="en"):
        text = render(self.key, lang, **self.params)
        if self.hint:
            text += "\n" + render("hint_prefix", lang) + render(self.hint, lang, **self.params)
        return text
