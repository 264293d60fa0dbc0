"""Relu.backward blocks the gradient where x <= 0 in the first 10 rows only (a slice left in from trying it on a
small batch): right on every array of up to 10 rows, wrong on a hidden layer of 100 samples."""
LAYER = "Relu"
MUST_FAIL = ["Relu: mnist_batch"]


class Relu(Relu):  # noqa: F821
    def backward(self, dout):
        if np.ndim(dout) == 0:  # noqa: F821 (np is imported by the reference's layers.py)
            return super().backward(dout)
        dx = dout.copy()
        dx[:10][self.mask[:10]] = 0
        return dx
