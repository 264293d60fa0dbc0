"""Affine.backward sums db and dW over the first 10 samples of the batch only (a slice left in from trying it
on a small batch): right on every batch of up to 10 samples, wrong on the 100 of an MNIST batch."""
LAYER = "Affine"
MUST_FAIL = ["Affine: mnist_batch"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = np.dot(self.x[:10].T, dout[:10])  # noqa: F821 (np is imported by the reference's layers.py)
        self.db = np.sum(dout[:10], axis=0)  # noqa: F821
        return dx
