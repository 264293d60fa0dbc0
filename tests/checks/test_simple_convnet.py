"""SimpleConvNet as the book writes it (ch07/simple_convnet.py): Conv1 -> Relu1 -> Pool1 -> Affine1 -> Relu2 ->
Affine2, then a SoftmaxWithLoss, with params W1..W3 and b1..b3 shared by the layers.

Graded on the reference's layers (the `on_ref` fixture: the submission's simple_convnet.py run on the reference's
Convolution, Pooling, Relu, Affine, SoftmaxWithLoss and numerical_gradient), so only the network's own code is
graded here. A net under test is compared with a reference net holding exactly the same params, copied out of it.
"""
import numpy as np

from backprop_grader.diagnose import expect_close
from backprop_grader.feedback import CheckFailure, after_statement, show

from .marks import check

KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
LAYER_NAMES = ["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]
# A small net: 2 filters of 3x3 on a 1x6x6 image give 2x4x4, pooled to 2x2x2 = 8 inputs of Affine1.
INPUT_DIM, CONV_PARAM, HIDDEN, CLASSES = (1, 6, 6), {"filter_num": 2, "filter_size": 3, "pad": 0, "stride": 1}, 5, 3
SHAPES = {"W1": (2, 1, 3, 3), "b1": (2,), "W2": (8, 5), "b2": (5,), "W3": (5, 3), "b3": (3,)}
NAME = "SimpleConvNet(input_dim=(1, 6, 6), conv_param={'filter_num': 2, 'filter_size': 3, 'pad': 0, 'stride': 1}, hidden_size=5, output_size=3)"


# The scale is measured on a wider net, of some 600 weights: their mean is then within 0.2 of the scale of 0.
WIDE = 50


def _net(net_class, weight_init_std=0.01, hidden=HIDDEN):
    return net_class(INPUT_DIM, dict(CONV_PARAM), hidden, CLASSES, weight_init_std)


def _shapes(hidden):
    return {**SHAPES, "W2": (8, hidden), "b2": (hidden,), "W3": (hidden, CLASSES)}


def _params_of(net, hidden=HIDDEN):
    """Copies of the net's params, after checking that each key is there with the book's shape."""
    found = {}
    for key, shape in _shapes(hidden).items():
        try:
            value = np.array(net.params[key], dtype=np.float64)
        except KeyError:
            raise CheckFailure("convnet_param_missing", param=key, net=NAME) from None
        if value.shape != shape:
            raise CheckFailure("net_param_shape", param=key, net=NAME, got_shape=str(value.shape),
                               expected_shape=str(shape))
        found[key] = value
    return found


def _net_and_twin(on_ref, ref):
    """A submission net with weights of O(1) and a reference net holding exactly its params."""
    net = _net(on_ref.SimpleConvNet, weight_init_std=1.0)
    twin = _net(ref.SimpleConvNet)
    for key, value in _params_of(net).items():
        twin.params[key][...] = value
    return net, twin


def _batch(seed, n=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, *INPUT_DIM)), rng.integers(0, CLASSES, size=n)


@check("SimpleConvNet", points=3)
def test_params_have_book_shapes_and_scale(on_ref):
    """params holds W1..W3 and b1..b3 with the book's shapes; weights are weight_init_std * randn, biases zeros."""
    for scale in (0.01, 2.0):
        params = _params_of(_net(on_ref.SimpleConvNet, scale, WIDE), WIDE)
        weights = np.concatenate([params[key].ravel() for key in ("W1", "W2", "W3")])
        if abs(weights.mean()) > 0.2 * scale or not 0.8 * scale <= weights.std() <= 1.2 * scale:
            raise CheckFailure("convnet_weight_scale", net=NAME, mean=f"{weights.mean():.3g}",
                               std=f"{weights.std():.3g}", scale=scale)
        for key in ("b1", "b2", "b3"):
            if np.any(params[key] != 0):
                raise CheckFailure("net_bias_not_zero", param=key, net=NAME, got=show(params[key]))


@check("SimpleConvNet", points=3)
def test_layers_in_book_order(on_ref):
    """self.layers holds Conv1, Relu1, Pool1, Affine1, Relu2, Affine2 in this order, and self.last_layer is a SoftmaxWithLoss."""
    net = _net(on_ref.SimpleConvNet)
    names = [str(name) for name in net.layers]
    if names != LAYER_NAMES:
        raise CheckFailure("convnet_layer_names", got=show(names))
    if getattr(net, "last_layer", None) is None:
        raise CheckFailure("convnet_no_last_layer")


@check("SimpleConvNet", points=4)
def test_predict_and_loss(on_ref, ref):
    """predict(x) gives the scores of the six layers in order, and loss(x, t) their softmax cross-entropy."""
    net, twin = _net_and_twin(on_ref, ref)
    x, t = _batch(0)
    expect_close(net.predict(x.copy()), twin.predict(x), "predict(x)", inputs={"x": x},
                 mistakes=[("hint_convnet_predict", ref.softmax(twin.predict(x)))])
    expect_close(net.loss(x.copy(), t.copy()), twin.loss(x, t), "loss(x, t)", inputs={"x": x, "t": t})


def _gradient(net, x, t):
    grads = net.gradient(x.copy(), t.copy())
    if grads is None:
        raise CheckFailure("returned_none", what="gradient(x, t)", inputs=f"x = {show(x)}; t = {show(t)}")
    for key in KEYS:
        if key not in grads:
            raise CheckFailure("convnet_gradient_missing_key", got=show(grads, 120), param=key,
                               inputs=f"x = {show(x)}; t = {show(t)}")
    return grads


@check("SimpleConvNet", points=6)
def test_gradient_matches_reference(on_ref, ref):
    """gradient(x, t) backpropagates through every layer and returns Conv1's dW and db under W1 and b1, Affine1's under W2 and b2, Affine2's under W3 and b3."""
    net, twin = _net_and_twin(on_ref, ref)
    x, t = _batch(1)
    grads, expected = _gradient(net, x, t), twin.gradient(x, t)
    for key in KEYS:
        others = [("hint_convnet_gradient_keys", expected[other]) for other in KEYS if other != key]
        expect_close(grads[key], expected[key], f"gradient(x, t)['{key}']", inputs={"x": x, "t": t},
                     mistakes=others)


@check("SimpleConvNet", points=2)
def test_accuracy(on_ref, ref):
    """accuracy(x, t, batch_size) is the fraction of samples whose highest score is the label, for labels and one-hot t."""
    net, twin = _net_and_twin(on_ref, ref)
    x, t = _batch(2, n=6)
    t[::2] = np.argmax(twin.predict(x), axis=1)[::2]
    # Two whole batches: the book's accuracy, which leaves out a last partial batch, counts every sample too.
    for labels in (t, np.eye(CLASSES)[t]):
        expect_close(net.accuracy(x.copy(), labels.copy(), batch_size=3), twin.accuracy(x, labels, batch_size=3),
                     "accuracy(x, t, batch_size=3)", inputs={"x": x, "t": labels})


@check("SimpleConvNet", points=2)
def test_params_shared_with_layers(on_ref, ref):
    """after net.params[key] -= step, predict uses the new values: the layers hold the very arrays in params."""
    net, twin = _net_and_twin(on_ref, ref)
    x, _ = _batch(3)
    rng = np.random.default_rng(4)
    for key, shape in SHAPES.items():
        step = rng.uniform(-0.5, 0.5, size=shape)
        net.params[key] -= step
        twin.params[key] -= step
        expect_close(net.predict(x.copy()), twin.predict(x), after_statement("predict(x)", f"net.params['{key}'] -= step"),
                     inputs={"x": x, "step": step})
