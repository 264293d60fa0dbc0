"""Affine.backward divides dW by the batch size, as if the loss's mean had to be taken again here."""
LAYER = "Affine"
MUST_FAIL = ["Affine: backward_dW", "Affine: numerical_gradient_dW"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = self.dW / dout.shape[0]
        return dx
