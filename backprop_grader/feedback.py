"""Failures that carry a message key and its params, so reports can render them in any language."""
import re

import numpy as np

from .messages import language_from_environment, msg, render


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
    return show_text(text, max_chars)


SMALL = 6  # an array of this many entries or fewer is shown whole
NEAR = 1  # rows (and, in a long row, columns) either side of the one that differs
WIDE = 8  # a row of more entries than this is cut to the columns near the one that differs


def _near(index, length, either_side):
    """The slice of positions either_side of index, within length."""
    return slice(max(0, index - either_side), min(length, index + either_side + 1))


def _slice_text(part):
    return f"{part.start}:{part.stop}"


def brief(name, value, at=None):
    """An input as a report shows it to a learner: its shape, and only the rows around the entry where the
    result first differs (the first rows when none is known); whole when it is small. at: (index, shape) of that
    entry in the result, whose rows are the input's when the two share their first axis (the batch's).

    "x.shape = (3, 4), x[0:2] = [[0.8218, -1.3813, -2.7542, -2.9008], [1.8796, 2.4765, 0.6398, 1.377]]"
    """
    if not isinstance(value, np.ndarray) or value.ndim == 0 or value.size <= SMALL:
        text = show(value)
        if isinstance(value, np.ndarray) and value.ndim:  # whole, on one line, without the shape it shows
            text = _one_line(value)
        return f"{name} = {text}"
    index, shape = at if at is not None else ((), ())
    shared = len(index) > 0 and len(shape) > 0 and value.shape[0] == shape[0]
    row = index[0] if shared else 0
    if value.ndim > 2:  # an image batch: the one sample, itself cut to its corners
        parts = [row]
    else:
        parts = [_near(row, value.shape[0], NEAR if value.ndim > 1 else 2 * NEAR)]
    if value.ndim == 2 and value.shape[1] > WIDE:
        same = shared and len(index) > 1 and value.shape == tuple(shape)
        parts.append(_near(index[1] if same else 0, value.shape[1], 2 * NEAR))
    piece = value[tuple(parts)]
    text = _one_line(piece, threshold=4 * SMALL, edgeitems=1 if piece.ndim > 2 else 2)
    where = ", ".join(_slice_text(p) if isinstance(p, slice) else str(p) for p in parts)
    return show_text(f"{name}.shape = {value.shape}, {name}[{where}] = {text}")


def _number(value):
    return repr(float(f"{value:.4g}"))


def _one_line(value, **options):
    """An array's entries as nested lists on one line, four significant digits each, none padded: a row per
    line, or columns lined up, read badly inside a sentence."""
    text = np.array2string(value, separator=", ", formatter={"float_kind": _number}, max_line_width=10**6, **options)
    return re.sub(r"\n\s*", " ", text)


def show_text(text, max_chars=300):
    return text if len(text) <= max_chars else text[: max_chars - 3] + "..."


class CheckFailure(AssertionError):
    """A check found a wrong result. key is the diagnosis; hint, if any, names the likely mistake."""

    def __init__(self, key, hint=None, **params):
        self.key = key
        self.hint = hint
        self.params = params
        # What pytest prints when the suite is run directly; the grader's reports render the key themselves.
        super().__init__(self.render(language_from_environment()))

    def render(self, lang="en"):
        text = render(self.key, lang, **self.params)
        if self.hint:
            text += "\n" + render("hint_prefix", lang) + render(self.hint, lang, **self.params)
        return text


def passed_to(name, method):
    """What a check compares when it looks at an argument after the call: "the x you passed to forward"."""
    return msg("what_passed_to", name=name, method=method)


def part_of(name, call):
    """One of the values a call returned: "dx from MulLayer.backward(dout)"."""
    return msg("what_part_of", name=name, call=call)


def where_true(call, condition):
    """A call's result restricted to where condition holds: "Relu.backward(dout) where x > 0"."""
    return msg("what_where", call=call, condition=condition)


def after_calls(call, first, second, layer, other):
    """A call made after two forwards of its own layer and one of another instance of the same class."""
    return msg("what_after_calls", call=call, first=first, second=second, layer=layer, other=other)


def after_statement(call, statement):
    """A call's result after a statement changed its object: "predict(x) after net.params['W1'] -= step"."""
    return msg("what_after_statement", call=call, statement=statement)


def on_own_layers(call):
    """A call of the submission's TwoLayerNet built on the submission's own layers rather than the reference's."""
    return msg("what_on_own_layers", call=call)
