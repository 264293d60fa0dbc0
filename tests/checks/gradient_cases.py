"""Each layer as a differentiable function of named float64 inputs and the backward pass that claims its gradient.

A GradientCase is what tests/gradcheck.py's element-wise and directional checks take: forward(inputs) runs a
fresh forward pass and returns the output; backward(inputs, dout) runs a fresh forward pass then backward(dout)
and returns {input name: gradient}. Every call gets copies, so an implementation that writes into its arrays
cannot change the inputs of the next call. Sizes: SMALL (a few shapes where the element-wise check is cheap and
points at an entry) and FULL (the realistic sizes of the issue: a batch of 100 MNIST-sized inputs through
784-50-10, and Affine on a (64, 3, 28, 28) input).
"""
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .gradcheck import NUMERIC_FLOOR, NUMERIC_RTOL, directional_check, elementwise_check
from .strategies import away_from_zero, rng, uniform


@dataclass(frozen=True)
class GradientCase:
    label: str
    inputs: dict
    forward: Callable
    backward: Callable
    # The element-wise check's tolerance: expect_close's, except for a loss whose slopes are far smaller than
    # its value, where the rounding of each central difference needs NUMERIC_RTOL (tests/gradcheck.py).
    elementwise_tolerance: dict = field(default_factory=dict)


def _two_input(layer_class, label, shape, seed):
    inputs = {"x": uniform(seed, shape), "y": uniform(seed + 1, shape)}

    def forward(a):
        return layer_class().forward(a["x"].copy(), a["y"].copy())

    def backward(a, dout):
        layer = layer_class()
        layer.forward(a["x"].copy(), a["y"].copy())
        dx, dy = layer.backward(np.copy(dout))
        return {"x": dx, "y": dy}

    return GradientCase(label, inputs, forward, backward)


def _one_input(layer_class, label, x):
    def forward(a):
        return layer_class().forward(a["x"].copy())

    def backward(a, dout):
        layer = layer_class()
        layer.forward(a["x"].copy())
        return {"x": layer.backward(np.copy(dout))}

    return GradientCase(label, {"x": x}, forward, backward)


def _affine(layer_class, x_shape, m, seed):
    d = int(np.prod(x_shape[1:]))
    inputs = {"x": uniform(seed, x_shape), "W": uniform(seed + 1, (d, m)), "b": uniform(seed + 2, (m,))}

    def forward(a):
        return layer_class(a["W"].copy(), a["b"].copy()).forward(a["x"].copy())

    def backward(a, dout):
        layer = layer_class(a["W"].copy(), a["b"].copy())
        layer.forward(a["x"].copy())
        dx = layer.backward(np.copy(dout))
        return {"x": dx, "W": layer.dW, "b": layer.db}

    return GradientCase(f"Affine {x_shape} -> {m}", inputs, forward, backward)


def _softmax_with_loss(layer_class, n, c, seed):
    labels = rng(seed + 1).integers(0, c, size=n)

    def forward(a):
        return layer_class().forward(a["x"].copy(), labels.copy())

    def backward(a, dout):
        layer = layer_class()
        layer.forward(a["x"].copy(), labels.copy())
        return {"x": layer.backward(dout)}

    return GradientCase(f"SoftmaxWithLoss ({n}, {c})", {"x": uniform(seed, (n, c))}, forward, backward)


def _two_layer_net(net_class, d, hidden, c, n, seed):
    """The network's loss as a function of its four parameters, set through net.params[key] -= step.

    Half the hidden biases are +1 and half -1, so that every hidden pre-activation stays far from Relu's kink
    (the x @ W1 term is ~0.16 at most sizes here) and no finite-difference step crosses it.
    """
    np.random.seed(seed)
    net = net_class(d, hidden, c)
    x = rng(seed).uniform(0.0, 1.0, size=(n, d))
    labels = rng(seed + 1).integers(0, c, size=n)
    inputs = {key: np.array(net.params[key], dtype=np.float64) for key in ("W1", "b1", "W2", "b2")}
    inputs["b1"] = np.where(np.arange(hidden) % 2 == 0, 1.0, -1.0)
    inputs["b2"] = uniform(seed + 2, (c,), -0.5, 0.5)

    def set_params(a):
        for key, value in a.items():
            net.params[key] -= np.asarray(net.params[key], dtype=np.float64) - value

    def forward(a):
        set_params(a)
        return net.loss(x.copy(), labels.copy())

    def backward(a, dout):
        set_params(a)
        grads = net.gradient(x.copy(), labels.copy())
        return {key: dout * np.asarray(grads[key], dtype=np.float64) for key in a}

    label = f"TwoLayerNet({d}, {hidden}, {c}) on {n} inputs"
    return GradientCase(label, inputs, forward, backward, dict(rtol=NUMERIC_RTOL, floor=NUMERIC_FLOOR))


def small_cases(layer, impl, net_class=None, seed=0):
    """Shapes where the element-wise check costs milliseconds; one of them flattens an (N, C, H, W) input."""
    if layer in ("MulLayer", "AddLayer"):
        cls = getattr(impl, layer)
        return [_two_input(cls, f"{layer} (3, 4)", (3, 4), seed), _two_input(cls, f"{layer} (2, 3, 2)", (2, 3, 2), seed + 7)]
    if layer == "Relu":
        return [_one_input(impl.Relu, f"Relu {s}", away_from_zero(seed + i, s)) for i, s in enumerate([(3, 4), (2, 3, 2)])]
    if layer == "Sigmoid":
        return [_one_input(impl.Sigmoid, f"Sigmoid {s}", uniform(seed + i, s)) for i, s in enumerate([(3, 4), (2, 3, 2)])]
    if layer == "Affine":
        return [_affine(impl.Affine, (4, 3), 5, seed), _affine(impl.Affine, (3, 2, 2, 2), 4, seed + 7)]
    if layer == "SoftmaxWithLoss":
        return [_softmax_with_loss(impl.SoftmaxWithLoss, 4, 3, seed), _softmax_with_loss(impl.SoftmaxWithLoss, 3, 5, seed + 7)]
    if layer == "TwoLayerNet":
        return [_two_layer_net(net_class, 5, 4, 3, 4, seed)]
    raise ValueError(layer)


def full_case(layer, impl, net_class=None, seed=0):
    """The realistic size of each layer, where only the directional check is affordable."""
    if layer in ("MulLayer", "AddLayer"):
        return _two_input(getattr(impl, layer), f"{layer} (100, 784)", (100, 784), seed)
    if layer == "Relu":
        return _one_input(impl.Relu, "Relu (100, 50)", away_from_zero(seed, (100, 50)))
    if layer == "Sigmoid":
        return _one_input(impl.Sigmoid, "Sigmoid (100, 50)", uniform(seed, (100, 50)))
    if layer == "Affine":
        return _affine(impl.Affine, (64, 3, 28, 28), 10, seed)
    if layer == "SoftmaxWithLoss":
        return _softmax_with_loss(impl.SoftmaxWithLoss, 100, 10, seed)
    if layer == "TwoLayerNet":
        return _two_layer_net(net_class, 784, 50, 10, 100, seed)
    raise ValueError(layer)


def failure(check, case, dout, seed=0):
    """None if check(case) passes, else what it raised: a CheckFailure's key, or the exception's type."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a buggy layer may overflow or take a log of negatives: not a failure
            if check == "elementwise":
                elementwise_check(case.forward, case.backward, case.inputs, dout, case.label, **case.elementwise_tolerance)
            else:
                directional_check(case.forward, case.backward, case.inputs, dout, seed=seed, what=case.label)
    except Exception as exc:  # a buggy layer may raise anything; the check has then caught it
        return getattr(exc, "key", type(exc).__name__)
    return None


def dout_for(case, seed=0):
    """A standard normal dout shaped like the case's output (a float for a scalar loss); None if forward raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = np.asarray(case.forward(case.inputs))
    except Exception:  # the checks will raise it again and count it as caught
        return None
    r = rng(seed + 12345)
    return float(r.standard_normal()) if out.ndim == 0 else r.standard_normal(out.shape)


def first_failure(check, cases, seed=0):
    """The first failure of check over cases (each with its own dout), or None if it passes on all of them."""
    for case in cases:
        found = failure(check, case, dout_for(case, seed), seed)
        if found:
            return found
    return None
