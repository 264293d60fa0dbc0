"""MulLayer.backward fills dx and dy for the first 5 rows only, leaving the rest 0 (a slice sized to the example it
was tried on): right on every array of up to 5 rows, wrong on a hidden layer of 100 samples."""
LAYER = "MulLayer"
MUST_FAIL = ["MulLayer: mnist_batch"]


class MulLayer(MulLayer):  # noqa: F821
    def backward(self, dout):
        if np.ndim(dout) == 0:  # noqa: F821 (np is imported by the reference's layers.py)
            return super().backward(dout)
        dx, dy = np.zeros_like(dout), np.zeros_like(dout)  # noqa: F821
        dx[:5] = dout[:5] * self.y[:5]
        dy[:5] = dout[:5] * self.x[:5]
        return dx, dy
