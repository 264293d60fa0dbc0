"""Affine.backward adds into dW and db (self.dW += ...) as if accumulating, so a second backward adds to the first."""
LAYER = "Affine"
HINTS = ["hint_affine_state"]
MUST_FAIL = ["Affine: latest_forward_wins"]


class Affine(Affine):  # noqa: F821
    def __init__(self, W, b):
        super().__init__(W, b)
        self.dW = np.zeros_like(W)  # noqa: F821
        self.db = np.zeros_like(b)  # noqa: F821

    def backward(self, dout):
        self.dW += np.dot(self.x.T, dout)  # noqa: F821
        self.db += np.sum(dout, axis=0)  # noqa: F821
        return np.dot(dout, self.W.T).reshape(self.original_x_shape)  # noqa: F821
