"""Numerical gradients by central differences, as in the book's common/gradient.py."""
import numpy as np


def numerical_gradient(f, x, h=1e-4):
    """d f(x) / dx, one element at a time: (f(x + h e_i) - f(x - h e_i)) / 2h.

    x is perturbed in place and restored, as the book does, because TwoLayerNet's f reads the parameters
    through the network rather than through its argument. x must be a float array.
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + h
        f_plus = f(x)
        x[idx] = saved - h
        f_minus = f(x)
        x[idx] = saved
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
