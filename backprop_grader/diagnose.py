"""Compare what a submission returned with what was expected, and say what is wrong in a way a student can act on.

Each check calls expect_close; on a mismatch it raises a CheckFailure whose key names the kind of mistake
(a transposed array, a missing sum over the batch, a result off by the batch size, ...). A hint, naming the
likely mistake, is appended only when it is true of the code at hand: a check passes mistakes=, the mistakes it
knows as (hint key, what that mistake returns on this very input) pairs, and the hint is the one mistake whose
answer the submission's equals (likely_mistake). A result that is None, or no number at all, matches none.
"""
import numbers

import numpy as np

from .compared import record
from .feedback import CheckFailure, brief, show

# float64 results computed two correct ways (tanh vs exp sigmoid, @ vs np.dot) agree to ~1e-13 relative;
# every realistic bug is off by far more. The floor keeps values near zero from demanding relative precision.
RTOL = 1e-6
FLOOR = 1e-6


def rel_error(actual, expected, floor=FLOOR):
    """|actual - expected| / max(|expected|, floor), element-wise."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs(actual - expected) / np.maximum(np.abs(expected), floor)


def is_close(actual, expected, rtol=RTOL, floor=FLOOR):
    err = rel_error(actual, expected, floor)
    return bool(np.all(err <= rtol))


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _context(what, inputs, hint_params=None, at=None):
    """The params every diagnosis has: what was compared, and its inputs twice: cut to what shows the mistake
    (at: the index and shape of the result's first wrong entry), and whole (inputs_whole, for --verbose and the
    instructors' formats) when that differs."""
    # Formatting the inputs costs about half a millisecond an array: build it only for a failure, never for a passing comparison.
    inputs = inputs or {}
    ctx = {"what": what, "inputs": "; ".join(brief(k, v, at) for k, v in inputs.items())}
    whole = "; ".join(f"{k} = {show(v)}" for k, v in inputs.items())
    if whole != ctx["inputs"]:
        ctx["inputs_whole"] = whole
    return {**(hint_params or {}), **ctx}


def check_type(actual, expected, what, inputs=None):
    """Fail unless actual is the same kind of thing as expected: an ndarray for an array, a number for a scalar.
    None or a wrong type is a diagnosis in itself: no hint is added to it (but a known mistake that returns
    just that may be, by expect_close's mistakes)."""

    def failure(key, **params):
        return CheckFailure(key, **params, **_context(what, inputs))

    record(actual)
    if actual is None:
        raise failure("returned_none")
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        if not isinstance(actual, np.ndarray):
            raise failure("not_an_array", got=type(actual).__name__)
        if expected.dtype.kind == "f":
            _check_float64(actual, failure)
    elif not (_is_number(actual) or (isinstance(actual, np.ndarray) and actual.size == 1)):
        raise failure("not_a_number", got=type(actual).__name__)
    elif isinstance(actual, (np.ndarray, np.generic)) and actual.dtype.kind == "c":
        raise failure("complex_result", dtype=_dtype_name(actual.dtype))


def _dtype_name(dtype):
    """A dtype as a learner reads it: float32, and >f4 for a big-endian one (whose name is float32 too)."""
    return dtype.name if dtype.isnative else f"{dtype.name} ({dtype.str})"


def _check_float64(actual, failure):
    """Results are float64 real arrays. Refused: complex of any width (comparing its real part alone would pass
    a garbage imaginary part), float32 and float16 in either byte order (comparing by `dtype == np.float32`
    missed '>f4'), and long double. Accepted: float64 in either byte order, which holds the very same values
    (a byte order is how they are stored, not what they are: converting is exact)."""
    dtype = actual.dtype
    if dtype.kind == "c":
        raise failure("complex_result", dtype=_dtype_name(dtype))
    if dtype.kind != "f":
        raise failure("not_float", dtype=_dtype_name(dtype))
    if dtype.itemsize == 4:
        raise failure("float32")
    if dtype.itemsize != 8:
        raise failure("not_float64", dtype=_dtype_name(dtype))


def _shape_failure(actual, expected, ctx, batch_size, hint):
    a, e = actual.shape, expected.shape
    params = dict(ctx, got_shape=str(a), expected_shape=str(e))
    if a == e[::-1] and len(e) > 1:
        return CheckFailure("shape_transposed", hint=hint, **params)
    if batch_size is not None and a == (batch_size,) + e:
        return CheckFailure("shape_not_summed", hint=hint, batch_size=batch_size, **params)
    return CheckFailure("wrong_shape", hint=hint, **params)


def expect_close(
    actual, expected, what, inputs=None, batch_size=None, hint=None, rtol=RTOL, floor=FLOOR, hint_params=None,
    mistakes=None,
):
    """Fail with a diagnosis unless actual has expected's type, shape and values (within rtol, floor).

    mistakes: (hint key, wrong answer) pairs, or a function returning them, evaluated only on a failure: its
    hint is the mistake actual equals (see likely_mistake). hint: a hint the check has established true itself.
    hint_params fill placeholders of the hint beyond the diagnosis's own (e.g. the x at which a value is nan).
    """
    try:
        _expect_close(actual, expected, what, inputs, batch_size, hint, rtol, floor, hint_params)
    except CheckFailure as failure:
        raise _with_mistake(failure, actual, mistakes, rtol, floor) from None


def _with_mistake(failure, actual, mistakes, rtol=RTOL, floor=FLOOR):
    """failure with the hint of the one known mistake that actual equals, if there is one: it names the very
    formula used, so it goes before a hint the check established (an inf where np.exp overflows, say)."""
    if mistakes is None:
        return failure
    key = likely_mistake(actual, mistakes() if callable(mistakes) else mistakes, rtol=rtol, floor=floor)
    return CheckFailure(failure.key, hint=key, **failure.params) if key else failure


def _expect_close(actual, expected, what, inputs, batch_size, hint, rtol, floor, hint_params):
    check_type(actual, expected, what, inputs)
    actual_arr = np.asarray(actual, dtype=np.float64)
    expected_arr = np.asarray(expected, dtype=np.float64)
    if isinstance(expected, np.ndarray) and actual_arr.shape != expected_arr.shape and expected_arr.ndim > 0:
        raise _shape_failure(actual_arr, expected_arr, _context(what, inputs, hint_params), batch_size, hint)
    actual_arr = actual_arr.reshape(expected_arr.shape)
    bad = ~np.isfinite(actual_arr) & np.isfinite(expected_arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        ctx = _context(what, inputs, hint_params, (index, expected_arr.shape))
        if not index:  # one number: no index to point at
            raise CheckFailure("number_not_finite", hint=hint, got=show(actual_arr[index]), **ctx)
        raise CheckFailure("not_finite", hint=hint, got=show(actual_arr[index]), index=str(index), **ctx)
    if is_close(actual_arr, expected_arr, rtol, floor):
        return
    # The first wrong entry (in reading order): the one a report names, and the inputs' rows it shows.
    first = tuple(int(i) for i in np.argwhere(~(rel_error(actual_arr, expected_arr, floor) <= rtol))[0])
    ctx = _context(what, inputs, hint_params, (first, expected_arr.shape))
    raise _value_failure(actual_arr, expected_arr, ctx, batch_size, hint, rtol, floor, first)


def _value_failure(actual, expected, ctx, batch_size, hint, rtol, floor, index):
    def scaled(factor):
        return is_close(actual, expected * factor, rtol, floor)

    if batch_size and batch_size > 1:
        if scaled(batch_size):
            return CheckFailure("too_large_by_batch", hint=hint, batch_size=batch_size, **ctx)
        if scaled(1.0 / batch_size):
            return CheckFailure("too_small_by_batch", hint=hint, batch_size=batch_size, **ctx)
    if np.any(expected != 0) and scaled(-1.0):
        return CheckFailure("sign_flipped", hint=hint, **ctx)
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] and is_close(actual, expected.T, rtol, floor):
        return CheckFailure("values_transposed", hint=hint, **ctx)
    if expected.ndim == 0:
        return CheckFailure("wrong_number", hint=hint, got=show(actual), expected=show(expected), **ctx)
    err = rel_error(actual, expected, floor)
    return CheckFailure(
        "wrong_values",
        hint=hint,
        index=str(index),
        got=show(actual[index]),
        expected=show(expected[index]),
        count=int(np.sum(~(err <= rtol))),
        size=int(expected.size),
        **ctx,
    )


def expect_like(actual, expected, what, inputs=None, batch_size=None):
    """Fail unless actual has expected's type and shape, leaving its values to other checks (a numerical
    gradient check needs forward's output to be usable, not right)."""
    check_type(actual, expected, what, inputs)
    actual_arr = np.asarray(actual, dtype=np.float64)
    if isinstance(expected, np.ndarray) and expected.ndim > 0 and actual_arr.shape != expected.shape:
        raise _shape_failure(actual_arr, expected, _context(what, inputs), batch_size, None)


def expect_pair(result, what, inputs=None):
    """The two gradients a backward like MulLayer's returns as (dx, dy); a failure says what came instead."""
    record(result)
    if isinstance(result, np.ndarray):  # an array unpacks along its first axis, which is no pair of gradients
        raise CheckFailure("not_a_pair", got=show(result), **_context(what, inputs))
    try:
        first, second = result
    except (TypeError, ValueError):
        raise CheckFailure("not_a_pair", got=show(result), **_context(what, inputs)) from None
    return first, second


def likely_mistake(actual, candidates, default=None, rtol=RTOL, floor=FLOOR):
    """The hint key of the known mistake whose wrong answer actual equals, else default.

    candidates: (hint_key, wrong_value) pairs. A check lists what the mistakes it knows would return on the
    failing input (dout * out for a Sigmoid.backward without (1 - out), ...) so that the report names the one
    made. A wrong_value of None is a mistake that cannot be made on this input (its formula raises here). Equal
    means the same shape, the same nan and inf entries and the other entries close: a formula that gives nan
    where the submission's does is the one it used. Where the answers of two different mistakes coincide on this
    input (dout * out and dout * (1 - out) at out = 0.5), the input cannot tell them apart: default.
    """
    found = {key for key, wrong in candidates if matches(actual, wrong, rtol, floor)}
    return found.pop() if len(found) == 1 else default


def answer_of(function, *args):
    """What function(*args) returns, or None where it raises: a mistake predicted by running the submission's own
    code (its layer after a stale forward, say) predicts nothing when that code fails."""
    try:
        return function(*args)
    except Exception:  # the submission's code may raise anything; a process failure is a BaseException and passes
        return None


def matches(actual, wrong, rtol=RTOL, floor=FLOOR):
    """Whether actual is wrong's answer, as likely_mistake compares them (None is no answer)."""
    if actual is None or wrong is None:
        return False
    try:
        actual, wrong = np.asarray(actual, dtype=np.float64), np.asarray(wrong, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if actual.shape != wrong.shape or np.all(np.isnan(wrong)):  # nan everywhere tells no formula from another
        return False
    finite = np.isfinite(wrong)
    with np.errstate(invalid="ignore"):
        same_odd = (np.isnan(actual) & np.isnan(wrong)) | (actual == wrong)
    return bool(np.all(same_odd[~finite])) and is_close(actual[finite], wrong[finite], rtol, floor)


def expect_close_to_any(
    actual, accepted, what, inputs=None, batch_size=None, rtol=RTOL, floor=FLOOR, mistakes=None
):
    """Pass if actual matches any of the accepted answers (where two formulas are both right, such as a loss with
    and without the book's 1e-7 inside the log); otherwise fail with the most specific diagnosis against any.
    mistakes as for expect_close (list the wrong answers of every accepted formula)."""
    for expected in accepted:
        try:
            expect_close(actual, expected, what, rtol=rtol, floor=floor)  # no inputs: nothing to format yet
            return
        except CheckFailure:
            pass
    failures = []
    for expected in accepted:
        try:
            expect_close(actual, expected, what, inputs, batch_size, rtol=rtol, floor=floor)
        except CheckFailure as failure:
            failures.append(failure)
    found = next((f for f in failures if f.key not in ("wrong_values", "wrong_number")), failures[0])
    raise _with_mistake(found, actual, mistakes, rtol, floor)


def expect_number(actual, what, inputs=None, mistakes=None):
    """Fail unless actual is one finite real number: a Python or NumPy scalar, or a 0-d array (a loss, say).
    mistakes as for expect_close: a loss that is inf or nan where a known formula gives it names that formula."""

    def failure(key, **params):
        return _with_mistake(CheckFailure(key, **params, **_context(what, inputs)), actual, mistakes)

    record(actual)
    if actual is None:
        raise failure("returned_none")
    if isinstance(actual, np.ndarray) and actual.ndim > 0:
        raise failure("not_one_number", got_shape=str(actual.shape))
    if not (_is_number(actual) or (isinstance(actual, np.ndarray) and actual.dtype.kind in "iuf")):
        raise failure("not_a_number", got=type(actual).__name__)
    if not np.isfinite(actual):
        raise failure("number_not_finite", got=show(actual))
