"""Failures that carry a message key and its params, so reports can render them in any language."""
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
