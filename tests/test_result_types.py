"""Results are real float64 arrays: float32 and float16 in either byte order, complex of any width and long double
are refused with a message naming what came; float64 in either byte order holds the same values and passes."""
import numpy as np
import pytest

from backprop_grader.diagnose import check_type, expect_close
from backprop_grader.feedback import CheckFailure

EXPECTED = np.array([0.5, -1.25, 3.0])


@pytest.mark.parametrize(
    "dtype, key",
    [("<f4", "float32"), (">f4", "float32"), ("<f2", "not_float64"), (">f2", "not_float64"), ("<c16", "complex_result"),
     (">c8", "complex_result"), (np.longdouble, "not_float64"), ("<i8", "not_float"), ("?", "not_float")],
)
def test_refused(dtype, key):
    if np.dtype(dtype).itemsize == 8 and np.dtype(dtype).kind == "f":
        pytest.skip("long double is float64 on this machine")
    with pytest.raises(CheckFailure) as caught:
        expect_close(EXPECTED.astype(dtype), EXPECTED, "Relu.forward(x)")
    assert caught.value.key == key


def test_float16_is_not_taken_for_float64():
    with pytest.raises(CheckFailure) as caught:
        check_type(EXPECTED.astype(">f2"), EXPECTED, "Relu.forward(x)")
    assert caught.value.key == "not_float64" and ">f2" in caught.value.params["dtype"]


def test_complex_with_right_real_part_fails():
    garbage = EXPECTED + 1j * np.array([1e9, -3.0, 0.5])
    with pytest.raises(CheckFailure) as caught:
        expect_close(garbage, EXPECTED, "Sigmoid.forward(x)")
    assert caught.value.key == "complex_result"


def test_complex_one_number_fails():
    with pytest.raises(CheckFailure) as caught:
        check_type(np.array([2.0 + 1j]), np.float64(2.0), "SoftmaxWithLoss.forward(x, t)")
    assert caught.value.key == "complex_result"


@pytest.mark.parametrize("dtype", ["<f8", ">f8"])
def test_float64_in_either_byte_order_passes(dtype):
    expect_close(EXPECTED.astype(dtype), EXPECTED, "Relu.forward(x)")
