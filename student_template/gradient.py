"""Numerical gradient by central differences (section 4.4). Given, not graded: use it to check your backward."""
import numpy as np


def numerical_gradient(f, x, h=1e-4):
    """d f(x) / dx, one element at a time: (f(x + h e_i) - f(x - h e_i)) / 2h. x must be a float array."""
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
