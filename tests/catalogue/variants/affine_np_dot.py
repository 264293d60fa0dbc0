"""Affine written with np.dot and the book's attribute names: correct, full marks."""
EXPECTED_FAILURES = []


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
        return np.dot(self.x, self.W) + self.b  # noqa: F821 (np is imported by the reference's layers.py)

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)  # noqa: F821
        self.db = dout.sum(axis=0)
        return np.dot(dout, self.W.T).reshape(self.original_x_shape)  # noqa: F821
