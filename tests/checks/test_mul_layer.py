"""MulLayer: out = x * y on Python floats and arrays alike; backward(dout) = (dout * y, dout * x)."""
from functools import partial

import numpy as np
from hypothesis import given, settings

from backprop_grader.diagnose import FLOOR, answer_of, expect_close, expect_like, expect_pair, likely_mistake
from backprop_grader.feedback import after_calls, part_of, passed_to

from .at_scale import expect_two_inputs_at_scale
from .book_graphs import apples_and_oranges, two_apples
from .gradcheck import ELEMENTWISE_FLOOR, Weighted, numeric_grad
from .marks import check
from .strategies import copy_of, operand, operand_shapes, seeds, shapes, uniform


def _forward_mistakes(x, y):
    """np.dot for * (on 1-d arrays it sums the products, on square ones it multiplies matrices), or + for *."""
    try:
        dot = np.dot(x, y)
    except ValueError:  # np.dot of these shapes raises: a mistake that cannot give a result here
        dot = None
    return [("hint_mul_dot", dot), ("hint_mul_adds", x + y)]


def backward_mistakes(x, y, dout):
    """What MulLayer.backward's known mistakes return, as (hint key, (dx, dy)) pairs (book_graphs.py names them
    in the book's graph too)."""
    return [("hint_mul_not_swapped", (dout * x, dout * y)), ("hint_mul_forgot_dout", (y, x))]


def _backward_hint(dx, dy, x, y, dout):
    mistakes = backward_mistakes(x, y, dout)
    return likely_mistake(dx, [(k, wrong[0]) for k, wrong in mistakes]) or likely_mistake(
        dy, [(k, wrong[1]) for k, wrong in mistakes]
    )


def _expect_backward(dx, dy, expected, x, y, dout, floor=FLOOR):
    """dx and dy against expected, with the likely mistake named if a known one was made."""
    inputs = {"x": x, "y": y, "dout": dout}
    hint = _backward_hint(dx, dy, x, y, dout)
    expect_close(dx, expected[0], part_of("dx", "MulLayer.backward(dout)"), inputs=inputs, hint=hint, floor=floor)
    expect_close(dy, expected[1], part_of("dy", "MulLayer.backward(dout)"), inputs=inputs, hint=hint, floor=floor)


@check("MulLayer", points=1)
@given(shape=operand_shapes(), seed=seeds)
@settings(max_examples=10)
def test_forward_values(impl, ref, shape, seed):
    """forward(x, y) returns x * y, element by element, for Python floats and arrays."""
    x, y = operand(seed, shape), operand(seed + 1, shape)
    out = impl.MulLayer().forward(copy_of(x), copy_of(y))
    expected = ref.MulLayer().forward(x, y)
    expect_close(out, expected, "MulLayer.forward(x, y)", inputs={"x": x, "y": y}, mistakes=lambda: _forward_mistakes(x, y))


@check("MulLayer", points=1)
@given(shape=operand_shapes(), seed=seeds)
@settings(max_examples=15)
def test_backward_values(impl, ref, shape, seed):
    """backward(dout) returns (dout * y, dout * x): each input's gradient is dout times the other input."""
    x, y, dout = operand(seed, shape), operand(seed + 1, shape), operand(seed + 2, shape)
    layer, expected = impl.MulLayer(), ref.MulLayer()
    layer.forward(copy_of(x), copy_of(y))
    expected.forward(x, y)
    dx, dy = expect_pair(layer.backward(copy_of(dout)), "MulLayer.backward(dout)", {"x": x, "y": y, "dout": dout})
    _expect_backward(dx, dy, expected.backward(dout), x, y, dout)


@check("MulLayer", points=1)
def test_mnist_batch(impl, ref):
    """the hidden layer of a batch as chapter 5 trains on MNIST, x, y and dout (100, 50): out, dx and dy are right at that size too."""
    expect_two_inputs_at_scale(impl.MulLayer(), ref.MulLayer(), "MulLayer", _expect_backward, _forward_mistakes)


@check("MulLayer", points=1)
def test_book_two_apples_with_tax(impl):
    """The book's buy_apple.py gives price 220, dapple 2.2, dapple_num 110, dtax 200."""
    two_apples(impl.MulLayer, backward_mistakes)


@check("MulLayer", points=1)
def test_book_apples_and_oranges(impl, ref):
    """The book's buy_apple_orange.py (with a correct AddLayer) gives price 715, dapple_num 110, dapple 2.2,
    dorange 3.3, dorange_num 165, dtax 650."""
    apples_and_oranges(impl.MulLayer, ref.AddLayer, mul_mistakes=backward_mistakes)


def _stale_mistakes(after_one, i, earlier_operands):
    return [("hint_latest_forward", answer_of(after_one, i, *operands)) for operands in earlier_operands]


@check("MulLayer", points=1)
@given(shape=operand_shapes(), seed=seeds)
@settings(max_examples=5)
def test_state_latest_forward(impl, shape, seed):
    """backward uses the x and y of the latest forward of its own layer, not an earlier one or another layer's."""
    x0, y0, x, y, dout = (operand(seed + i, shape) for i in range(5))
    inputs = {"x0": x0, "y0": y0, "x": x, "y": y, "dout": dout}
    layer, other, fresh = impl.MulLayer(), impl.MulLayer(), impl.MulLayer()
    layer.forward(copy_of(x0), copy_of(y0))
    layer.forward(copy_of(x), copy_of(y))
    other.forward(copy_of(y0), copy_of(x0))
    what = after_calls("MulLayer.backward(dout)", "forward(x0, y0)", "forward(x, y)", "MulLayer", "forward(y0, x0)")
    got = expect_pair(layer.backward(copy_of(dout)), what, inputs)
    # Compared with your own layer used once, so that only state is judged here: values are other checks' job.
    fresh.forward(copy_of(x), copy_of(y))
    expected = expect_pair(fresh.backward(copy_of(dout)), "MulLayer.backward(dout)", inputs)

    def after_one(i, *operands):
        """Gradient i (dx or dy) of your own layer after the one forward(*operands): what a stale state gives."""
        layer = impl.MulLayer()
        layer.forward(*(copy_of(v) for v in operands))
        return layer.backward(copy_of(dout))[i]

    for i, (name, actual, right) in enumerate(zip(("dx", "dy"), got, expected)):
        stale = partial(_stale_mistakes, after_one, i, ((x0, y0), (y0, x0)))
        expect_close(actual, right, part_of(name, what), inputs=inputs, mistakes=stale)


@check("MulLayer", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_leaves_inputs_unchanged(impl, shape, seed):
    """forward does not write into x or y, and backward does not write into dout."""
    x, y, dout = uniform(seed, shape), uniform(seed + 1, shape), uniform(seed + 2, shape)
    given_x, given_y, given_dout = x.copy(), y.copy(), dout.copy()
    layer = impl.MulLayer()
    layer.forward(given_x, given_y)
    inputs = {"x": x, "y": y}
    in_place = [("hint_mul_forward_in_place", x * y)]  # out = x; out *= y leaves the product in x
    expect_close(given_x, x, passed_to("x", "forward"), inputs=inputs, mistakes=in_place)
    expect_close(given_y, y, passed_to("y", "forward"), inputs=inputs, mistakes=in_place)
    layer.backward(given_dout)
    in_place = [("hint_mul_backward_in_place", dout * y), ("hint_mul_backward_in_place", dout * x)]
    expect_close(given_dout, dout, passed_to("dout", "backward"), inputs=inputs, mistakes=in_place)


@check("MulLayer", points=1)
@given(shape=operand_shapes(max_dims=2, max_side=4), seed=seeds)
@settings(max_examples=8)
def test_numerical_gradient(impl, ref, shape, seed):
    """backward agrees with central differences of your own forward, for x and for y."""
    x, y, dout = operand(seed, shape), operand(seed + 1, shape), operand(seed + 2, shape)
    inputs = {"x": x, "y": y, "dout": dout}
    layer = impl.MulLayer()
    expect_like(layer.forward(copy_of(x), copy_of(y)), ref.MulLayer().forward(x, y), "MulLayer.forward(x, y)", inputs)
    dx, dy = expect_pair(layer.backward(copy_of(dout)), "MulLayer.backward(dout)", inputs)
    numeric_dx = numeric_grad(Weighted(lambda v: impl.MulLayer().forward(v, copy_of(y)), dout), x)
    numeric_dy = numeric_grad(Weighted(lambda v: impl.MulLayer().forward(copy_of(x), v), dout), y)
    _expect_backward(dx, dy, (numeric_dx, numeric_dy), x, y, dout, floor=ELEMENTWISE_FLOOR)
