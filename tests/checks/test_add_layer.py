"""AddLayer: out = x + y on Python floats and arrays alike; backward(dout) = (dout, dout)."""
from hypothesis import given, settings

from backprop_grader.diagnose import FLOOR, expect_close, expect_like, expect_pair, likely_mistake
from backprop_grader.feedback import part_of, passed_to

from .at_scale import expect_two_inputs_at_scale
from .book_graphs import apples_and_oranges
from .gradcheck import ELEMENTWISE_FLOOR, Weighted, numeric_grad
from .marks import check
from .strategies import copy_of, operand, operand_shapes, seeds, shapes, uniform


def backward_mistakes(dout):
    """What AddLayer.backward's known mistakes return for each input: the literal 1 or 0 a student wrote, or
    dout scaled (book_graphs.py names them in the book's graph too)."""
    return [("hint_add_forgot_dout", 1.0), ("hint_add_zero", 0.0), ("hint_add_zero", 0 * dout), ("hint_add_doubled", 2 * dout)]


def _expect_backward(dx, dy, expected, dout, inputs, floor=FLOOR):
    """dx and dy against expected, with the likely mistake named if a known one was made (in either of them:
    one gradient of 0 is the mistake whichever gradient is compared)."""
    mistakes = backward_mistakes(dout)
    hint = likely_mistake(dx, mistakes) or likely_mistake(dy, mistakes)
    expect_close(dx, expected[0], part_of("dx", "AddLayer.backward(dout)"), inputs=inputs, hint=hint, floor=floor)
    expect_close(dy, expected[1], part_of("dy", "AddLayer.backward(dout)"), inputs=inputs, hint=hint, floor=floor)


@check("AddLayer", points=1)
@given(shape=operand_shapes(), seed=seeds)
@settings(max_examples=10)
def test_forward_values(impl, ref, shape, seed):
    """forward(x, y) returns x + y, element by element, for Python floats and arrays."""
    x, y = operand(seed, shape), operand(seed + 1, shape)
    out = impl.AddLayer().forward(copy_of(x), copy_of(y))
    expect_close(out, ref.AddLayer().forward(x, y), "AddLayer.forward(x, y)", inputs={"x": x, "y": y})


@check("AddLayer", points=1)
@given(shape=operand_shapes(), seed=seeds)
@settings(max_examples=10)
def test_backward_values(impl, ref, shape, seed):
    """backward(dout) returns (dout, dout): an addition passes the gradient on unchanged to both inputs."""
    x, y, dout = operand(seed, shape), operand(seed + 1, shape), operand(seed + 2, shape)
    inputs = {"x": x, "y": y, "dout": dout}
    layer = impl.AddLayer()
    layer.forward(copy_of(x), copy_of(y))
    dx, dy = expect_pair(layer.backward(copy_of(dout)), "AddLayer.backward(dout)", inputs)
    _expect_backward(dx, dy, ref.AddLayer().backward(dout), dout, inputs)


@check("AddLayer", points=1)
def test_mnist_batch(impl, ref):
    """the hidden layer of a batch as chapter 5 trains on MNIST, x, y and dout (100, 50): out, dx and dy are right at that size too."""
    expect_two_inputs_at_scale(
        impl.AddLayer(), ref.AddLayer(), "AddLayer",
        lambda dx, dy, expected, x, y, dout: _expect_backward(dx, dy, expected, dout, {"x": x, "y": y, "dout": dout}),
    )


@check("AddLayer", points=1)
def test_book_apples_and_oranges(impl, ref):
    """The book's buy_apple_orange.py (with a correct MulLayer) gives price 715, dapple_num 110, dapple 2.2,
    dorange 3.3, dorange_num 165, dtax 650."""
    apples_and_oranges(ref.MulLayer, impl.AddLayer, add_mistakes=backward_mistakes)


@check("AddLayer", points=1)
@given(shape=shapes(), seed=seeds)
@settings(max_examples=5)
def test_leaves_inputs_unchanged(impl, shape, seed):
    """forward does not write into x or y: out = x + y is a new array."""
    x, y = uniform(seed, shape), uniform(seed + 1, shape)
    given_x, given_y = x.copy(), y.copy()
    impl.AddLayer().forward(given_x, given_y)
    inputs = {"x": x, "y": y}
    in_place = [("hint_add_forward_in_place", x + y)]  # x += y (or y += x) leaves the sum in it
    expect_close(given_x, x, passed_to("x", "forward"), inputs=inputs, mistakes=in_place)
    expect_close(given_y, y, passed_to("y", "forward"), inputs=inputs, mistakes=in_place)


@check("AddLayer", points=1)
@given(shape=operand_shapes(max_dims=2, max_side=4), seed=seeds)
@settings(max_examples=8)
def test_numerical_gradient(impl, ref, shape, seed):
    """backward agrees with central differences of your own forward, for x and for y."""
    x, y, dout = operand(seed, shape), operand(seed + 1, shape), operand(seed + 2, shape)
    inputs = {"x": x, "y": y, "dout": dout}
    layer = impl.AddLayer()
    expect_like(layer.forward(copy_of(x), copy_of(y)), ref.AddLayer().forward(x, y), "AddLayer.forward(x, y)", inputs)
    dx, dy = expect_pair(layer.backward(copy_of(dout)), "AddLayer.backward(dout)", inputs)
    numeric_dx = numeric_grad(Weighted(lambda v: impl.AddLayer().forward(v, copy_of(y)), dout), x)
    numeric_dy = numeric_grad(Weighted(lambda v: impl.AddLayer().forward(copy_of(x), v), dout), y)
    _expect_backward(dx, dy, (numeric_dx, numeric_dy), dout, inputs, floor=ELEMENTWISE_FLOOR)
