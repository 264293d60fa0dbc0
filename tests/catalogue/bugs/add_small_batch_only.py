"""AddLayer.forward adds y to the first 5 rows of x only (a slice sized to the example it was tried on): right on
every array of up to 5 rows, wrong on a hidden layer of 100 samples."""
LAYER = "AddLayer"
MUST_FAIL = ["AddLayer: mnist_batch"]


class AddLayer(AddLayer):  # noqa: F821
    def forward(self, x, y):
        if np.ndim(x) == 0:  # noqa: F821 (np is imported by the reference's layers.py)
            return super().forward(x, y)
        out = np.array(x, dtype=float)  # noqa: F821
        out[:5] += y[:5]
        return out
