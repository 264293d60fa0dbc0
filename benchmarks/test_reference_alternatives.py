"""The reference against other NumPy formulations of each layer (benchmarks/alternatives.py), forward + backward.

As a plain test (benchmarking disabled) it checks what the timings rely on: each formulation the table calls
exact is exact (same values to rounding on realistic and edge inputs, inputs untouched, no more stored than the
reference) and each inexact one EXCLUDED lists really fails. `python benchmarks/alternatives_table.py` times them.
"""
from decimal import Decimal, localcontext
from functools import lru_cache

import layer_inputs as li
import numpy as np
import pytest
from alternatives import EXCLUDED, FORMULATIONS

REFERENCE = "reference"


def _edge_inputs(layer):
    """Inputs where formulations part ways: infinities, signed zeros, overflow, subnormal results, cancellation."""
    if layer in ("MulLayer", "AddLayer"):
        return (np.array([[-2.0, 0.5]]), np.array([[3.0, -0.0]])), 1.5
    if layer == "Relu":
        return (np.array([-np.inf, -1.0, -0.0, 0.0, 2.0, np.inf]),), np.array([np.inf, 1.0, 2.0, 3.0, 4.0, 5.0])
    if layer == "Sigmoid":
        x = np.array([-1000.0, -740.0, -720.0, -30.0, -1.0, -0.0, 0.0, 1.0, 30.0, 1000.0])
        return [((x,), np.ones(10)), ((np.array(-720.0),), 0.5)]
    if layer == "Affine":
        (x,), dout, params = li.affine((li.BATCH,) + li.IMAGE)
        return (x,), dout, params
    if layer == "SoftmaxWithLoss":
        x = np.zeros((4, 10))
        x[0, 0], x[1, 3], x[2] = 25.0, -1000.0, np.linspace(-1000, 1000, 10)
        one_hot = np.eye(10)[[0, 3, 9, 5]]
        return [((x, np.array([0, 3, 9, 5])), 0.7), ((x, one_hot), 0.7)]
    return None


def _realistic_inputs(layer):
    if layer in ("MulLayer", "AddLayer"):
        return li.two_arrays()
    if layer in ("Relu", "Sigmoid"):
        return li.hidden()
    if layer == "Affine":
        return li.affine()
    if layer == "SoftmaxWithLoss":
        return li.logits()
    raise ValueError(layer)


def _layer_class(ref, layer, name):
    return getattr(ref, layer) if name == REFERENCE else FORMULATIONS[layer][name]


def _forward_backward(cls, layer, case):
    """One forward and one backward pass on copies; (returned arrays, the layer object, the copies given)."""
    args, dout = case[0], case[1]
    given = [np.copy(a) for a in args] + [np.copy(dout)]
    obj = cls(*case[2]) if layer == "Affine" else cls()
    out = obj.forward(*given[:-1])
    grads = obj.backward(given[-1])
    grads = list(grads) if isinstance(grads, tuple) else [grads]
    if layer == "Affine":
        grads += [obj.dW, obj.db]
    return [out] + grads, obj, given


def _stored_bytes(obj, given):
    """Bytes the layer keeps alive that are not the arrays it was given."""
    arrays = [v for v in vars(obj).values() if isinstance(v, np.ndarray)]
    return sum(a.nbytes for a in arrays if not any(np.shares_memory(a, g) for g in given))


@lru_cache(maxsize=None)
def _sigmoid_exact(which):
    """sigmoid of the realistic input or of edge input number which, to 60 digits, rounded once: an exact forward
    is within a few ulp of it."""
    x = _realistic_inputs("Sigmoid")[0][0] if which == "realistic" else _edge_inputs("Sigmoid")[int(which)][0][0]
    with localcontext() as ctx:
        ctx.prec = 60
        return np.array([float(1 / (1 + (-Decimal(float(v))).exp())) for v in np.ravel(x)]).reshape(np.shape(x))


def _within_ulp(got, expected, ulp=4, absolute=0.0):
    """Equal, or within ulp units in the last place of expected (plus an absolute allowance); nan only where nan."""
    if np.any(np.isnan(got) != np.isnan(expected)):
        return False
    with np.errstate(invalid="ignore"):
        ok = (got == expected) | (np.abs(got - expected) <= ulp * np.spacing(np.abs(expected)) + absolute)
    return bool(np.all(ok | np.isnan(expected)))


def _same_values(layer, got, expected, dout=None):
    """got matches expected to rounding, in the sense that suits the layer."""
    for index, (g, e) in enumerate(zip(got, expected)):
        g, e = np.asarray(g, dtype=np.float64), np.asarray(e, dtype=np.float64)
        if g.shape != e.shape:
            return False
        if layer == "Sigmoid" and index == 1:
            # dx = dout * out * (1 - out) from the stored out alone: 1 - out loses out's last bits when out ~ 1
            if not _within_ulp(g, e, absolute=4 * np.finfo(float).eps * np.abs(dout)):
                return False
        elif layer in ("MulLayer", "AddLayer", "Relu", "Sigmoid"):
            if not _within_ulp(g, e):
                return False
        elif not np.all(np.abs(g - e) <= 1e-12 * (np.abs(e) + np.max(np.abs(e)))):
            # products and sums: rounding depends on the order of summation, so relative to the largest entry
            return False
    return True


def _why_not_exact(ref, layer, name):
    """None if the formulation is exact against the reference, else what is wrong."""
    cls, ref_cls = _layer_class(ref, layer, name), getattr(ref, layer)
    edges = _edge_inputs(layer)
    edges = edges if isinstance(edges, list) else [edges] if edges else []
    for which, case in [("realistic", _realistic_inputs(layer))] + [(str(i), e) for i, e in enumerate(edges)]:
        originals = [np.copy(a) for a in case[0]] + [np.copy(case[1])]
        expected, ref_obj, ref_given = _forward_backward(ref_cls, layer, case)
        if layer == "Sigmoid":
            expected[0] = _sigmoid_exact(which)
        try:
            with np.errstate(all="ignore"):
                got, obj, given = _forward_backward(cls, layer, case)
        except Exception as exc:  # a formulation that cannot handle an edge input is not exact
            return f"raises {type(exc).__name__}"
        if not _same_values(layer, got, expected, case[1]):
            return "values differ"
        if not all(np.array_equal(g, o, equal_nan=True) for g, o in zip(given, originals)):
            return "writes into its inputs"
        if _stored_bytes(obj, given) > _stored_bytes(ref_obj, ref_given):
            return "stores more than the reference"
    return None


def _cases():
    for layer, names in FORMULATIONS.items():
        if layer != "TwoLayerNet":
            for name in (REFERENCE, *names):
                yield pytest.param(layer, name, id=f"{layer}-{name}")


@pytest.mark.parametrize("layer, name", list(_cases()))
def test_layer_formulation(benchmark, ref, layer, name):
    why = _why_not_exact(ref, layer, name)
    assert (why is None) == (name not in EXCLUDED), why or EXCLUDED[name]
    case = _realistic_inputs(layer)
    cls, (args, dout) = _layer_class(ref, layer, name), case[:2]
    params = case[2] if layer == "Affine" else ()

    def forward_backward():
        obj = cls(*params)
        obj.forward(*args)
        obj.backward(dout)

    benchmark.group = layer
    benchmark.extra_info.update(layer=layer, formulation=name, counts=why is None)
    benchmark(forward_backward)


@pytest.mark.parametrize("name", [REFERENCE, *FORMULATIONS["TwoLayerNet"]])
def test_network_formulation(benchmark, ref, name):
    np.random.seed(0)
    net = ref.TwoLayerNet(li.INPUT, li.HIDDEN, li.CLASSES)
    x, t = li.mnist_batch()
    target = net if name == REFERENCE else FORMULATIONS["TwoLayerNet"][name](net.params)
    expected, got = net.gradient(x, t), target.gradient(x, t)
    for key in expected:
        assert _same_values("TwoLayerNet", [got[key]], [expected[key]]), key
    benchmark.group = "TwoLayerNet"
    benchmark.extra_info.update(layer="TwoLayerNet", formulation=name, counts=name not in EXCLUDED)
    benchmark(target.gradient, x, t)
