"""Affine.backward returns dx flattened (N, D) instead of reshaping it back to the input's shape (N, C, H, W)."""
LAYER = "Affine"
HINTS = ["hint_affine_4d"]
MUST_FAIL = ["Affine: four_d_input"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        super().backward(dout)
        return np.dot(dout, self.W.T)  # noqa: F821
