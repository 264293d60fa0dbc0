"""Affine.backward averages dout over the batch for db (np.mean) instead of summing it."""
LAYER = "Affine"
HINTS = ["hint_affine_db"]
MUST_FAIL = ["Affine: backward_db", "Affine: numerical_gradient_db"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.mean(dout, axis=0)  # noqa: F821 (np is imported by the reference's layers.py)
        return dx
