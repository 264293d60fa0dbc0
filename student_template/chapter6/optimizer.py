"""Chapter 6.1: the optimizers, each with update(params, grads) (the book's common/optimizer.py).

params and grads are dicts of arrays with the same keys ('W1', 'b1', ...). update must change the arrays in
params in place (params[key] -= ..., not params[key] = params[key] - ...): the network's layers hold those very
arrays, and a new array in the dict would never reach them. An optimizer that keeps state (a velocity, a sum of
squared gradients, moments) creates it on the first call, shaped like each parameter, and keeps it between calls.
"""
import numpy as np


def _todo(what):
    return NotImplementedError(f"{what} is not implemented yet: fill it in in chapter6/optimizer.py (see its docstring).")


class SGD:
    """Stochastic gradient descent (section 6.1.2)."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """For each key: params[key] -= lr * grads[key]."""
        raise _todo("SGD.update")


class Momentum:
    """SGD with momentum (section 6.1.4)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        """On the first call make self.v, a dict of zeros shaped like params. Then for each key:
        v = momentum * v - lr * grad, and params[key] += v."""
        raise _todo("Momentum.update")


class Nesterov:
    """Nesterov's accelerated gradient, in the book's form (common/optimizer.py)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        """On the first call make self.v (zeros). Then for each key, with the old v:
        params[key] += momentum**2 * v - (1 + momentum) * lr * grad, and v = momentum * v - lr * grad."""
        raise _todo("Nesterov.update")


class AdaGrad:
    """AdaGrad (section 6.1.5): each parameter's learning rate shrinks with the squares of its past gradients."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        """On the first call make self.h (zeros). Then for each key:
        h += grad * grad, and params[key] -= lr * grad / (sqrt(h) + 1e-7)."""
        raise _todo("AdaGrad.update")


class RMSprop:
    """RMSprop: AdaGrad that forgets old gradients at the rate decay_rate."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        """On the first call make self.h (zeros). Then for each key:
        h = decay_rate * h + (1 - decay_rate) * grad * grad, and params[key] -= lr * grad / (sqrt(h) + 1e-7)."""
        raise _todo("RMSprop.update")


class Adam:
    """Adam (section 6.1.6)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        """On the first call make self.m and self.v (zeros). Each call is one step: self.iter += 1, then
        lr_t = lr * sqrt(1 - beta2**iter) / (1 - beta1**iter), and for each key:
        m += (1 - beta1) * (grad - m), v += (1 - beta2) * (grad**2 - v), params[key] -= lr_t * m / (sqrt(v) + 1e-7).
        """
        raise _todo("Adam.update")
