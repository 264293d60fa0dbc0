"""Every layer and function behaving as the book's code does (common/layers.py, common/functions.py,
ch05/layer_naive.py), rewritten here: Relu.backward writes into dout, SoftmaxWithLoss.backward ignores dout and
divides by t.shape[0], cross_entropy_error adds 1e-7 inside the log, Sigmoid overflows with a warning at -1000.
It must lose the two strict checks that say the book does it too, and nothing else."""
EXPECTED_FAILURES = ["Relu: backward_leaves_dout_unchanged", "SoftmaxWithLoss: backward_scales_by_dout"]


def softmax(x):
    shifted = x - np.max(x, axis=-1, keepdims=True)  # noqa: F821 (np is imported by the reference's layers.py)
    return np.exp(shifted) / np.sum(np.exp(shifted), axis=-1, keepdims=True)  # noqa: F821


def cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:  # one-hot: keep the index of each row's 1
        t = t.argmax(axis=1)
    rows = y.shape[0]
    return -np.sum(np.log(y[np.arange(rows), t] + 1e-7)) / rows  # noqa: F821


class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    def __init__(self):
        pass

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))  # noqa: F821
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.W) + self.b  # noqa: F821

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)  # noqa: F821
        self.dW = np.dot(self.x.T, dout)  # noqa: F821
        self.db = np.sum(dout, axis=0)  # noqa: F821
        return dx.reshape(*self.original_x_shape)


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1  # noqa: F821
        return dx / batch_size
