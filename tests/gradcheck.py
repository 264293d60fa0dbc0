"""Central-difference gradients of a scalar function, and the comparison of an analytic gradient with them.

float64 central differences with h = 1e-6 have truncation error ~h^2 and rounding error ~1e-16/h, so a correct
gradient matches to ~1e-9 relative; the tolerance in diagnose (1e-6 with a floor) leaves room for that and
still catches every gradient bug in the catalogue, which are off by O(1).
"""
import numpy as np

H = 1e-6


def numeric_grad(f, x, h=H):
    """d f / d x for scalar f, perturbing a float64 copy of x one element at a time (x itself is not touched)."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        f_plus = f(x.copy())
        x[idx] = saved - h
        f_minus = f(x.copy())
        x[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def weighted(forward, dout):
    """The scalar sum(forward(x) * dout): its gradient is exactly what backward(dout) must return."""
    return lambda x: float(np.sum(np.asarray(forward(x), dtype=np.float64) * dout))


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
