"""Affine.backward sets db = dout, forgetting that b was added to every row so its gradient sums over the batch."""
LAYER = "Affine"
MISTAKE = "hint_affine_db"
MUST_FAIL = ["Affine: backward_db", "Affine: numerical_gradient_db"]


class Affine(Affine):  # noqa: F821 (appended to the reference's layers.py, where Affine is defined)
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout
        return dx
