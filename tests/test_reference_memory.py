"""The reference stores only what its backward needs: Relu a boolean mask, Sigmoid its own output, Affine and
MulLayer nothing but the arrays they were given, SoftmaxWithLoss its probabilities; backward stores nothing new
except Affine's dW and db, which are its results."""
import numpy as np
import pytest
from backprop_grader.checks.strategies import uniform

N, D, M = 100, 50, 10


def _kept(layer, given):
    """{attribute: (dtype, bytes kept alive)} for the arrays layer holds that share no memory with those given.

    A view keeps its whole base alive, so it is counted at its base's size.
    """
    kept = {}
    for name, value in vars(layer).items():
        if isinstance(value, np.ndarray) and not any(np.shares_memory(value, g) for g in given):
            owner = value.base if value.base is not None else value
            kept[name] = (value.dtype, owner.nbytes)
    return kept


def test_relu_keeps_a_boolean_mask_only(ref):
    x, dout = uniform(0, (N, D)), uniform(1, (N, D))
    layer = ref.Relu()
    layer.forward(x)
    assert _kept(layer, [x]) == {"mask": (np.dtype(bool), x.size)}
    layer.backward(dout)
    assert _kept(layer, [x, dout]) == {"mask": (np.dtype(bool), x.size)}


def test_sigmoid_keeps_its_output_only(ref):
    x, dout = uniform(0, (N, D)), uniform(1, (N, D))
    layer = ref.Sigmoid()
    out = layer.forward(x)
    assert _kept(layer, [x]) == {"out": (np.dtype(np.float64), x.nbytes)}
    assert np.shares_memory(layer.out, out), "the output it returned, not a copy"
    layer.backward(dout)
    assert _kept(layer, [x, dout]) == {"out": (np.dtype(np.float64), x.nbytes)}


@pytest.mark.parametrize("x_shape", [(N, D), (N, 2, 5, 5)])
def test_affine_keeps_nothing_it_was_not_given(ref, x_shape):
    x, W, b, dout = uniform(0, x_shape), uniform(1, (D, M)), uniform(2, (M,)), uniform(3, (N, M))
    layer = ref.Affine(W, b)
    layer.forward(x)
    assert _kept(layer, [x, W, b]) == {}
    layer.backward(dout)
    assert _kept(layer, [x, W, b, dout]) == {"dW": (np.dtype(np.float64), W.nbytes), "db": (np.dtype(np.float64), b.nbytes)}


def test_mul_and_add_keep_nothing_they_were_not_given(ref):
    x, y, dout = uniform(0, (N, D)), uniform(1, (N, D)), uniform(2, (N, D))
    for layer in (ref.MulLayer(), ref.AddLayer()):
        layer.forward(x, y)
        layer.backward(dout)
        assert _kept(layer, [x, y, dout]) == {}


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_keeps_its_probabilities_only(ref, one_hot):
    x = uniform(0, (N, M))
    labels = np.arange(N) % M
    t = np.eye(M)[labels] if one_hot else labels
    layer = ref.SoftmaxWithLoss()
    layer.forward(x, t)
    assert _kept(layer, [x, t]) == {"y": (np.dtype(np.float64), x.nbytes)}
    layer.backward(1.0)
    assert _kept(layer, [x, t]) == {"y": (np.dtype(np.float64), x.nbytes)}
