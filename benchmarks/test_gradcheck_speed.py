"""The directional gradient check at full size on the reference: Affine on a (64, 3, 28, 28) batch and
TwoLayerNet(784, 50, 10) on 100 inputs, in milliseconds (benchmarks/gradcheck_timing.py also times the
element-wise check there, in seconds to minutes)."""
import pytest
from backprop_grader.checks.gradcheck import directional_check
from backprop_grader.checks.gradient_cases import full_case


@pytest.mark.parametrize("layer", ["Affine", "TwoLayerNet"])
def test_directional_check_at_full_size(benchmark, ref, layer):
    case = full_case(layer, ref, ref.two_layer_net_on(ref))
    benchmark.group = "directional check, full size"
    benchmark.extra_info.update(case=case.label)
    benchmark(directional_check, case.forward, case.backward, case.inputs, what=case.label)
