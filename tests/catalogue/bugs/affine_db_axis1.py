"""Affine.backward sums dout over the wrong axis for db (axis=1, one value per sample instead of per output)."""
LAYER = "Affine"
HINTS = ["hint_affine_db"]
MUST_FAIL = ["Affine: backward_db"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.sum(dout, axis=1)  # noqa: F821
        return dx
