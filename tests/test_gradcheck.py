"""The directional gradient check (tests/gradcheck.py): exact enough to pass the reference at full size, sharp
enough to catch every gradient bug the element-wise check catches. Its speed is measured in benchmarks/."""
import numpy as np
import pytest
from backprop_grader.checks.gradcheck import directional_check, directional_derivatives
from backprop_grader.checks.gradient_cases import GradientCase, first_failure, full_case, small_cases
from mutants import entries, materialise

from backprop_grader.book import LAYERS
from backprop_grader.loader import load
from backprop_grader.shipped import REFERENCE_DIR

BUGS = entries("bugs")


@pytest.fixture(scope="module")
def reference():
    ref = load(REFERENCE_DIR)
    return ref, ref.two_layer_net_on(ref)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("layer", LAYERS)
def test_reference_passes_at_full_size(reference, layer, seed):
    case = full_case(layer, *reference, seed=seed)
    directional_check(case.forward, case.backward, case.inputs, seed=seed, what=case.label)


def test_full_size_is_the_issue_size(reference):
    """The sizes the issue asks for: TwoLayerNet(784, 50, 10) on a batch of 100, Affine on (64, 3, 28, 28)."""
    net = full_case("TwoLayerNet", *reference).inputs
    assert {k: v.shape for k, v in net.items()} == {"W1": (784, 50), "b1": (50,), "W2": (50, 10), "b2": (10,)}
    assert full_case("Affine", *reference).inputs["x"].shape == (64, 3, 28, 28)


@pytest.mark.parametrize("layer", LAYERS)
def test_reference_passes_both_checks_on_small_shapes(reference, layer):
    """Both checks on the reference over 10 seeds: a comparison of what they catch means nothing otherwise."""
    for seed in range(10):
        for case in small_cases(layer, *reference, seed=seed):
            assert first_failure("elementwise", [case], seed) is None
            assert first_failure("directional", [case], seed) is None


def _with_wrong_gradients(case, mistake):
    def backward(inputs, dout):
        return {name: mistake(np.array(g, dtype=np.float64)) for name, g in case.backward(inputs, dout).items()}

    return GradientCase(case.label, case.inputs, case.forward, backward)


def _first_slice_zeroed(g):
    g[0] = 0.0
    return g


MISTAKES = {"off by 1%": lambda g: g * 1.01, "sign flipped": np.negative, "first slice zeroed": _first_slice_zeroed}


@pytest.mark.parametrize("mistake", MISTAKES)
@pytest.mark.parametrize("layer", LAYERS)
def test_catches_a_wrong_gradient_of_every_input_at_full_size(reference, layer, mistake):
    """Each input has its own direction, so each input's comparison sees only its own gradient's mistake."""
    wrong = _with_wrong_gradients(full_case(layer, *reference), MISTAKES[mistake])
    results = directional_derivatives(wrong.forward, wrong.backward, wrong.inputs)
    assert [r.name for r in results if r.ok] == [], results


@pytest.fixture(scope="module")
def bug_implementations(tmp_path_factory, reference):
    """Every catalogued bug loaded as (impl, net_class), net_class being the bug's network on reference layers."""
    ref, _ = reference
    root = tmp_path_factory.mktemp("bugs")
    loaded = {}
    for entry in BUGS:
        impl = load(materialise(entry, root), label=entry.name)
        loaded[entry.id] = (impl, impl.two_layer_net_on(ref) if entry.layer == "TwoLayerNet" else None)
    return loaded


@pytest.mark.parametrize("entry", BUGS, ids=[e.name for e in BUGS])
def test_directional_and_elementwise_catch_the_same_bugs(entry, bug_implementations):
    """On the same small inputs, both checks fail or both pass; a bug the element-wise check catches is also
    caught by the directional check at full size."""
    impl, net_class = bug_implementations[entry.id]
    small = small_cases(entry.layer, impl, net_class)
    elementwise = first_failure("elementwise", small)
    directional = first_failure("directional", small)
    assert bool(elementwise) == bool(directional), (elementwise, directional)
    if elementwise:
        assert first_failure("directional", [full_case(entry.layer, impl, net_class)])
