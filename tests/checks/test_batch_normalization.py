"""BatchNormalization as the book writes it: in training, each feature of a batch (N, D) is normalised by the
batch's mean and (biased) variance, then scaled by gamma and shifted by beta; a 4-D batch (N, C, H, W) is
flattened to (N, C*H*W) first. backward gives dx through xn, the mean and the variance, and keeps dgamma and
dbeta. Each training forward moves running_mean and running_var by momentum; testing normalises by them and
leaves them as they are."""
import numpy as np

from backprop_grader.diagnose import expect_close, likely_mistake

from .gradcheck import NUMERIC_FLOOR, NUMERIC_RTOL, Weighted, numeric_grad
from .marks import check

# The book's eps is 1e-6 (10e-7); 1e-5 (PyTorch's) is as right, and moves a value by up to ~2e-4 of it where a
# feature's batch variance is small. The unbiased variance, the slowest mistake here, is off by 9% (N = 6).
RTOL = 1e-3
FLOOR = 1e-3
MOMENTUM = 0.9
FORWARD, BACKWARD = "BatchNormalization.forward(x, train_flg=True)", "BatchNormalization.backward(dout)"


def _batch(seed, shape=(6, 4)):
    """x (a batch with means away from 0 and variances near 4), dout, and gamma and beta of one entry per feature."""
    rng = np.random.default_rng(seed)
    features = int(np.prod(shape[1:]))
    x = rng.standard_normal(shape) * 2.0 + 1.0
    return x, rng.standard_normal(shape), rng.random(features) + 0.5, rng.standard_normal(features)


def _pair(impl, ref, gamma, beta):
    return impl.BatchNormalization(gamma.copy(), beta.copy()), ref.BatchNormalization(gamma.copy(), beta.copy())


def _statistics(x):
    flat = x.reshape(x.shape[0], -1)
    return flat.mean(axis=0), flat.var(axis=0)


@check("BatchNormalization", points=4)
def test_forward_values(impl, ref):
    """in training, out = gamma * (x - mean) / sqrt(var + eps) + beta, with the batch's mean and variance of each feature."""
    x, _, gamma, beta = _batch(0)
    layer, expected = _pair(impl, ref, gamma, beta)
    out = layer.forward(x.copy(), train_flg=True)
    mean, var = _statistics(x)
    n = x.shape[0]
    unbiased = gamma * (x - mean) / np.sqrt(var * n / (n - 1) + 1e-6) + beta
    expect_close(out, expected.forward(x, train_flg=True), FORWARD, inputs={"x": x, "gamma": gamma, "beta": beta},
                 hint=likely_mistake(out, [("hint_bn_unbiased_variance", unbiased)]), rtol=RTOL, floor=FLOOR)


@check("BatchNormalization", points=3)
def test_forward_4d(impl, ref):
    """a 4-D batch (N, C, H, W) is normalised as (N, C*H*W), gamma and beta of C*H*W entries, and out has x's shape."""
    x, _, gamma, beta = _batch(1, (4, 2, 3, 3))
    layer, expected = _pair(impl, ref, gamma, beta)
    # Not flattened, gamma of C*H*W entries does not broadcast against (N, C, H, W): forward raises, and the
    # report shows where.
    out = layer.forward(x.copy(), train_flg=True)
    expect_close(out, expected.forward(x, train_flg=True), FORWARD, inputs={"x": x}, rtol=RTOL, floor=FLOOR)


def _backward(impl, ref, seed):
    x, dout, gamma, beta = _batch(seed)
    layer, expected = _pair(impl, ref, gamma, beta)
    layer.forward(x.copy(), train_flg=True)
    expected.forward(x, train_flg=True)
    dx = layer.backward(dout.copy())
    return layer, expected, dx, expected.backward(dout), {"x": x, "dout": dout, "gamma": gamma}


@check("BatchNormalization", points=5)
def test_backward_dx(impl, ref):
    """backward's dx runs through xn and through the batch's mean and variance, which depend on x too."""
    layer, expected, dx, right, inputs = _backward(impl, ref, 2)
    dxn = inputs["gamma"] * inputs["dout"]
    mistakes = [("hint_bn_dx_only_through_xn", dxn / expected.std),
                ("hint_bn_dx_without_variance_term", (dxn - dxn.mean(axis=0)) / expected.std)]
    expect_close(dx, right, BACKWARD, inputs=inputs, hint=likely_mistake(dx, mistakes), rtol=RTOL, floor=FLOOR)


@check("BatchNormalization", points=3)
def test_dgamma_dbeta(impl, ref):
    """after backward, dgamma = sum of xn * dout and dbeta = sum of dout over the batch, one entry per feature."""
    layer, expected, _, _, inputs = _backward(impl, ref, 3)
    n = inputs["x"].shape[0]
    for name in ("dgamma", "dbeta"):
        got = getattr(layer, name)
        right = getattr(expected, name)
        expect_close(got, right, f"BatchNormalization.{name}", inputs=inputs, rtol=RTOL, floor=FLOOR,
                     hint=likely_mistake(got, [("hint_bn_mean_not_sum", right / n)]))


@check("BatchNormalization", points=3)
def test_numerical_gradient(impl):
    """backward's dx agrees with central differences of your own forward in training."""
    x, dout, gamma, beta = _batch(4)
    layer = impl.BatchNormalization(gamma.copy(), beta.copy())
    layer.forward(x.copy(), train_flg=True)
    dx = layer.backward(dout.copy())
    probe = impl.BatchNormalization(gamma.copy(), beta.copy())
    numeric = numeric_grad(Weighted(lambda v: probe.forward(v, train_flg=True), dout), x)
    expect_close(dx, numeric, BACKWARD, inputs={"x": x, "dout": dout}, rtol=NUMERIC_RTOL, floor=NUMERIC_FLOOR)


def _trained_twice(impl, ref):
    """A layer of each after two training forwards, and a third batch."""
    x1, _, gamma, beta = _batch(5)
    x2, x3 = _batch(6)[0], _batch(7)[0]
    layer, expected = _pair(impl, ref, gamma, beta)
    for x in (x1, x2):
        layer.forward(x.copy(), train_flg=True)
        expected.forward(x, train_flg=True)
    return layer, expected, x3


@check("BatchNormalization", points=3)
def test_running_statistics(impl, ref):
    """each training forward moves running_mean and running_var by momentum * running + (1 - momentum) * the batch's; testing leaves them."""
    layer, expected, x3 = _trained_twice(impl, ref)
    for name in ("running_mean", "running_var"):
        got = getattr(layer, name)
        expect_close(got, getattr(expected, name), f"BatchNormalization.{name}", rtol=RTOL, floor=FLOOR,
                     hint=likely_mistake(got, [("hint_bn_running_never_updated", np.zeros_like(x3[0]))]))
    kept = {name: np.array(getattr(expected, name)) for name in ("running_mean", "running_var")}
    layer.forward(x3.copy(), train_flg=False)
    expected.forward(x3.copy(), train_flg=True)  # where the statistics end if testing moves them as training does
    for name, right in kept.items():
        moved = [("hint_bn_running_moved_in_testing", np.array(getattr(expected, name)))]
        expect_close(getattr(layer, name), right, f"BatchNormalization.{name}", rtol=RTOL, floor=FLOOR,
                     mistakes=moved)


@check("BatchNormalization", points=3)
def test_testing_uses_running_statistics(impl, ref):
    """in testing, out = gamma * (x - running_mean) / sqrt(running_var + eps) + beta, whatever the batch's own statistics."""
    layer, expected, x3 = _trained_twice(impl, ref)
    out = layer.forward(x3.copy(), train_flg=False)
    batch = ref.BatchNormalization(expected.gamma, expected.beta).forward(x3, train_flg=True)
    expect_close(out, expected.forward(x3, train_flg=False), "BatchNormalization.forward(x, train_flg=False)",
                 inputs={"x": x3}, rtol=RTOL, floor=FLOOR,
                 hint=likely_mistake(out, [("hint_bn_testing_uses_batch", batch)]))
