"""SoftmaxWithLoss.backward computes (y - t) / N for the first 5 samples only, leaving the rest 0 (a slice sized
to the example it was tried on): right on every batch of up to 5 samples, wrong on an MNIST batch of 100."""
LAYER = "SoftmaxWithLoss"
MUST_FAIL = ["SoftmaxWithLoss: mnist_batch"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def backward(self, dout=1):
        dx = np.zeros_like(self.y)  # noqa: F821 (np is imported by the reference's layers.py)
        dx[:5] = super().backward(dout)[:5]
        return dx
