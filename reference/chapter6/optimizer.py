"""Chapter 6's optimizers with the book's API (common/optimizer.py): update(params, grads) for dicts of arrays.

Every update changes the arrays of params in place (`p -= ...`), never rebinding params[key]: the network's
layers hold those very arrays, so a rebound entry would train a copy the layers never see. The state an
optimizer keeps (velocities, squared-gradient sums, moments) is made on the first call, shaped like each
parameter, and carried from call to call. The formulas, and their 1e-7 guards against dividing by zero, are the
book's, so that a reader's optimizer copied from the book takes exactly the reference's steps.
"""
import numpy as np

_EPS = 1e-7


def _zeros_like_each(params):
    return {key: np.zeros_like(value, dtype=np.float64) for key, value in params.items()}


class SGD:
    """p <- p - lr * g."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class Momentum:
    """v <- momentum * v - lr * g; p <- p + v. v starts at zero."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = _zeros_like_each(params)
        for key in params:
            v = self.v[key]
            v *= self.momentum
            v -= self.lr * grads[key]
            params[key] += v


class Nesterov:
    """Nesterov's accelerated gradient in the form that needs only the gradient at p (Bengio et al., 2012).

    With v' = momentum * v - lr * g, the step is p <- p - momentum * v + (1 + momentum) * v', which expands to the
    book's p += momentum**2 * v - (1 + momentum) * lr * g.
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = _zeros_like_each(params)
        mu = self.momentum
        for key in params:
            v, step = self.v[key], self.lr * grads[key]
            params[key] += mu * mu * v - (1 + mu) * step
            v *= mu
            v -= step


class AdaGrad:
    """h <- h + g * g; p <- p - lr * g / (sqrt(h) + 1e-7): each parameter's rate shrinks with its history."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = _zeros_like_each(params)
        for key in params:
            g = grads[key]
            self.h[key] += g * g
            params[key] -= self.lr * g / (np.sqrt(self.h[key]) + _EPS)


class RMSprop:
    """AdaGrad with a decaying history: h <- decay_rate * h + (1 - decay_rate) * g * g."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = _zeros_like_each(params)
        for key in params:
            g, h = grads[key], self.h[key]
            h *= self.decay_rate
            h += (1 - self.decay_rate) * g * g
            params[key] -= self.lr * g / (np.sqrt(h) + _EPS)


class Adam:
    """Adam (Kingma and Ba, 2015) as the book writes it, with the bias corrections folded into the rate.

    At step t (counted from 1 in self.iter): m <- m + (1 - beta1)(g - m), v <- v + (1 - beta2)(g * g - v), and
    p <- p - lr_t * m / (sqrt(v) + 1e-7) with lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t). This is the
    paper's m_hat / (sqrt(v_hat) + eps) but for where eps sits, a difference far below any step's size.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = _zeros_like_each(params), _zeros_like_each(params)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params:
            g, m, v = grads[key], self.m[key], self.v[key]
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g * g - v)
            params[key] -= lr_t * m / (np.sqrt(v) + _EPS)
