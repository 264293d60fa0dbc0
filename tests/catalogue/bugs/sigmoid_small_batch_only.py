"""Sigmoid.backward uses dout * out * (1 - out) for the first 10 rows and sigmoid's slope at 0, dout * 0.25, for
the rest (left in from trying it on a small batch): right on every array of up to 10 rows, wrong on a hidden
layer of 100 samples."""
LAYER = "Sigmoid"
MUST_FAIL = ["Sigmoid: mnist_batch"]


class Sigmoid(Sigmoid):  # noqa: F821
    def backward(self, dout):
        if np.ndim(dout) == 0:  # noqa: F821 (np is imported by the reference's layers.py)
            return super().backward(dout)
        dx = dout * 0.25
        dx[:10] = dout[:10] * (1.0 - self.out[:10]) * self.out[:10]
        return dx
