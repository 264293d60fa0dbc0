"""Affine written with np.einsum, keeping its input under other names (self.inputs, self.input_shape): full marks."""
EXPECTED_FAILURES = []


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.inputs = self.input_shape = None
        self.dW = self.db = None

    def forward(self, x):
        self.input_shape = x.shape
        self.inputs = x.reshape(len(x), -1)
        return np.einsum("nd,dm->nm", self.inputs, self.W) + self.b  # noqa: F821

    def backward(self, dout):
        self.dW = np.einsum("nd,nm->dm", self.inputs, dout)  # noqa: F821
        self.db = np.einsum("nm->m", dout)  # noqa: F821
        return np.einsum("nm,dm->nd", dout, self.W).reshape(self.input_shape)  # noqa: F821
