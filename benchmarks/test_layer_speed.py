"""A submission's forward and backward of each layer, timed beside the reference's at realistic sizes.

`python -m backprop_grader.benchmark SUBMISSION` runs this file with --backprop-impl=SUBMISSION in its own process and
prints the ratios; `pytest benchmarks/test_layer_speed.py --benchmark-only --backprop-impl DIR` shows pytest-benchmark's
own table. Each pair (reference, submission) is timed back to back, so both see the same machine.
"""
import layer_inputs as li
import numpy as np
import pytest

from backprop_grader.benchmark import PHASES

WHO = ("reference", "submission")


def _layer_case(layer, x_shape=None):
    """(constructor args, forward args, dout) for a layer at its realistic size."""
    if layer in ("MulLayer", "AddLayer"):
        args, dout = li.two_arrays()
        return (), args, dout
    if layer in ("Relu", "Sigmoid"):
        args, dout = li.hidden()
        return (), args, dout
    if layer == "Affine":
        args, dout, params = li.affine(x_shape or (li.BATCH, li.INPUT))
        return params, args, dout
    args, dout = li.logits()
    return (), args, dout


# (layer, label, x_shape): Affine is timed on the flat batch and on the same batch as (N, C, H, W) images.
LAYER_CASES = [
    ("MulLayer", "MulLayer", None),
    ("AddLayer", "AddLayer", None),
    ("Relu", "Relu", None),
    ("Sigmoid", "Sigmoid", None),
    ("Affine", "Affine", None),
    ("Affine", "Affine (N, C, H, W)", (li.BATCH,) + li.IMAGE),
    ("SoftmaxWithLoss", "SoftmaxWithLoss", None),
]


def _describe(benchmark, layer, label, phase, who):
    benchmark.group = f"{label}.{phase}"
    benchmark.extra_info.update(layer=layer, label=label, phase=phase, who=who)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("phase", PHASES["Affine"])
@pytest.mark.parametrize("layer, label, x_shape", LAYER_CASES, ids=[c[1] for c in LAYER_CASES])
def test_layer_speed(benchmark, impl, ref, layer, label, x_shape, phase, who):
    cls = getattr(ref if who == "reference" else impl, layer)
    params, args, dout = _layer_case(layer, x_shape)
    obj = cls(*params)
    _describe(benchmark, layer, label, phase, who)
    if phase == "forward":
        benchmark(obj.forward, *args)
    else:
        obj.forward(*args)
        benchmark(obj.backward, dout)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("phase", PHASES["TwoLayerNet"])
@pytest.mark.parametrize("layer, label", [("TwoLayerNet", "TwoLayerNet")], ids=["TwoLayerNet"])
def test_network_speed(benchmark, impl, ref, layer, label, phase, who):
    """The network's own code: the submission's TwoLayerNet runs on the reference's layers. (layer and label are
    parameters, as test_layer_speed's are, so that a benchmark says what it times before it runs:
    backprop_grader/benchmark_stream.py.)"""
    net_class = ref.TwoLayerNet if who == "reference" else impl.two_layer_net_on(ref)
    np.random.seed(0)
    net = net_class(li.INPUT, li.HIDDEN, li.CLASSES)
    x, t = li.mnist_batch()
    _describe(benchmark, layer, label, phase, who)
    benchmark(getattr(net, phase), x, t)
