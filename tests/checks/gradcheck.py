"""Central-difference gradients of a scalar function, and the comparison of an analytic gradient with them.

float64 central differences with h = 1e-6 have truncation error ~h^2 and rounding error ~1e-16/h, so a correct
gradient matches to ~1e-9 relative; the tolerance in diagnose (1e-6 with a floor) leaves room for that and
still catches every gradient bug in the catalogue, which are off by O(1).
"""
from dataclasses import dataclass
from functools import partial

import numpy as np

from backprop_grader.diagnose import FLOOR, RTOL, check_type, expect_close
from backprop_grader.feedback import CheckFailure
from backprop_grader.isolation.proxies import all_at_once
from backprop_grader.messages import msg

H = 1e-6
# A central difference of a sum of terms of order 1 is accurate to about 1e-16 |f| / h, some 1e-9 absolute, and
# more where a correct forward rounds differently from the reference (sigmoid by logaddexp is off by an ulp of 7
# near x = 8). Compared with it, a gradient entry counts relative to at least ELEMENTWISE_FLOOR (1e-8 absolute
# at RTOL), so that an exact entry of 1e-4 (a saturated sigmoid, a small dout) is not failed on that rounding.
ELEMENTWISE_FLOOR = 1e-2


def numeric_grad(f, x, h=H):
    """d f / d x for scalar f, perturbing a float64 copy of x one element at a time (x itself is not touched).

    For a Weighted f, the forward passes of every step go to the learner's worker together (all_at_once): one
    round trip in all, where each pass would have waited for its own."""
    x = np.array(x, dtype=np.float64)
    steps = []
    for idx in np.ndindex(x.shape):
        for step in (h, -h):
            moved = x.copy()
            moved[idx] = x[idx] + step
            steps.append(moved)
    if isinstance(f, Weighted):
        values = [f.of(out) for out in all_at_once([partial(f.forward, moved) for moved in steps])]
    else:
        values = [f(moved) for moved in steps]
    values = np.array(values, dtype=np.float64)
    return ((values[0::2] - values[1::2]) / (2 * h)).reshape(x.shape)


class Weighted:
    """The scalar sum(forward(x) * dout): its gradient is exactly what backward(dout) must return. Without dout,
    forward's own scalar (a loss), as float() takes it."""

    def __init__(self, forward, dout=None):
        self.forward = forward
        self.dout = dout

    def of(self, out):
        if self.dout is None:
            return float(out)
        return float(np.sum(np.asarray(out, dtype=np.float64) * self.dout))

    def __call__(self, x):
        return self.of(self.forward(x))



def numeric_grad_by_steps(f, step, shape, h=H):
    """d f / d p for a parameter p that can only be moved, p -= delta being step(delta), and that f() reads
    by itself: a network's params[key]. p ends where it started, up to rounding."""
    grad = np.zeros(shape)
    for idx in np.ndindex(shape):
        delta = np.zeros(shape)
        delta[idx] = h
        step(-delta)
        f_plus = f()
        step(2 * delta)
        f_minus = f()
        step(-delta)
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


# For comparing with numeric_grad where the function is a sum over many terms or a loss: the rounding error of
# a central difference grows with |f| (~1e-16 |f| / h, up to ~1e-8 here), and the book's loss, with 1e-7 inside
# the log, has a slope that differs from the exact (y - t) / N by up to ~1e-7 / y (~2e-4 for logits in
# [-3, 3]). Every gradient bug in the catalogue is off by a factor or a sign, far beyond these.
NUMERIC_RTOL = 1e-3
NUMERIC_FLOOR = 1e-3


def elementwise_check(forward, backward, inputs, dout, what, rtol=RTOL, floor=FLOOR):
    """The element-wise check of every input: backward(inputs, dout)[name] against numeric_grad, entry by entry.

    forward(inputs) -> output and backward(inputs, dout) -> {name: gradient} each run a fresh forward pass, so the
    check sees only what the implementation computes from the inputs. Raises a CheckFailure naming the entry.
    rtol and floor are expect_close's; a loss needs NUMERIC_RTOL and NUMERIC_FLOOR.
    """
    grads = backward(inputs, dout)
    for name, x in inputs.items():
        numeric = numeric_grad(Weighted(lambda xi, name=name: forward({**inputs, name: xi}), dout), x)
        expect_close(grads.get(name), numeric, f"{what}: d{name}", rtol=rtol, floor=floor)


# The directional check (torch.autograd.gradcheck's fast mode, jax's check_grads): for a random direction u in
# one input and a random output weight v, the slope of v.f(x + t u) at t = 0 is v.(J u), measured by one pair
# of forward passes, and it must equal (v^T J).u, where v^T J is what one backward pass of dout = v returns.
# Cost: two forward passes per input and one backward pass, whatever the size.
#
# Step and tolerance, in float64, with u and v standard normal:
# - The dot product uses u' = ((x + h u) - (x - h u)) / 2h, the step actually taken after rounding, so that
#   representing x + h u costs nothing.
# - The error of the central difference is truncation, ~h^2 |f'''| / 6 (zero for MulLayer, AddLayer and
#   Affine, which are bilinear, and for Relu away from its kink), plus rounding, ~eps |f| / h, which dominates
#   for TwoLayerNet: its loss is ~1 while its slope along u is ~1e-3 at the book's weight scale of 0.01.
#   h = 1e-5 balances the two: benchmarks/directional_vs_elementwise.py measures the largest error on the
#   reference over every layer, size and 20 seeds (table in the README) at 1.8e-8 (TwoLayerNet(5, 4, 3),
#   rounding), against 3.4e-7 for h = 1e-6 (rounding) and 2.0e-7 for h = 1e-4 (truncation in softmax, for
#   TwoLayerNet(784, 50, 10)). Inputs are drawn away from Relu's kink so that no step crosses it.
# - Both sides are compared relative to the sum of the absolute terms of the two dot products
#   (sum|v_i (Ju)_i| + sum|g_k u'_k|), the size of the rounding in those sums, so the comparison stays fair when
#   the terms cancel. RTOL = 1e-6, as in diagnose: 55x the worst error on the reference, and below what a
#   gradient off by just 1% overall gives at full size (>= ~4e-6; a sign flip or one sample of the batch
#   dropped gives >= ~1e-5), which tests/test_gradcheck.py checks for every input of every layer. The
#   element-wise check remains the one that points at the wrong entry.
DIRECTIONAL_H = 1e-5
DIRECTIONAL_RTOL = 1e-6


@dataclass(frozen=True)
class Directional:
    """One input's directional comparison: v.(J u) by central differences against (v^T J).u from backward."""

    name: str
    numeric: float
    analytic: float
    scale: float

    @property
    def error(self):
        difference = abs(self.numeric - self.analytic)
        return difference / self.scale if self.scale > 0 else difference

    @property
    def ok(self):
        return bool(np.isfinite(self.numeric) and np.isfinite(self.analytic) and self.error <= DIRECTIONAL_RTOL)


def directional_derivatives(forward, backward, inputs, dout=None, seed=0, h=DIRECTIONAL_H, what="backward"):
    """One Directional per input, from one backward pass and two forward passes per input.

    forward(inputs) -> output and backward(inputs, dout) -> {name: gradient} as for elementwise_check. dout is
    v, drawn at random (standard normal, a float for a scalar output) unless given. A gradient that is missing,
    not an array, or not shaped like its input raises a CheckFailure naming it.
    """
    rng = np.random.default_rng(seed)
    inputs = {name: np.array(x, dtype=np.float64) for name, x in inputs.items()}
    out = np.asarray(forward(inputs), dtype=np.float64)
    if dout is None:
        dout = float(rng.standard_normal()) if out.ndim == 0 else rng.standard_normal(out.shape)
    v = np.asarray(dout, dtype=np.float64)
    grads = backward(inputs, dout)
    found = []
    for name, x in inputs.items():
        grad = grads.get(name)
        label = f"{what}: d{name}"
        check_type(grad, x, label)
        grad = np.asarray(grad, dtype=np.float64)
        if grad.shape != x.shape:
            shapes = dict(got_shape=str(grad.shape), expected_shape=str(x.shape))
            raise CheckFailure("wrong_shape", what=label, inputs=msg("input_of_shape", name=name, shape=str(x.shape)), **shapes)
        u = rng.standard_normal(x.shape)
        plus, minus = x + h * u, x - h * u
        u_taken = (plus - minus) / (2 * h)
        f_plus = np.asarray(forward({**inputs, name: plus}), dtype=np.float64)
        f_minus = np.asarray(forward({**inputs, name: minus}), dtype=np.float64)
        with np.errstate(invalid="ignore", over="ignore"):
            jvp = (f_plus - f_minus) / (2 * h)
            scale = float(np.sum(np.abs(v * jvp)) + np.sum(np.abs(grad * u_taken)))
            found.append(Directional(name, float(np.sum(v * jvp)), float(np.sum(grad * u_taken)), scale))
    return found


def directional_check(forward, backward, inputs, dout=None, seed=0, h=DIRECTIONAL_H, what="backward"):
    """Raise a CheckFailure for the first input whose gradient disagrees with forward along a random direction."""
    for result in directional_derivatives(forward, backward, inputs, dout, seed, h, what):
        if not result.ok:
            raise CheckFailure(
                "directional_mismatch",
                what=f"{what}: d{result.name}",
                name=result.name,
                numeric=f"{result.numeric:.6g}",
                analytic=f"{result.analytic:.6g}",
                error=f"{result.error:.1e}",
            )
