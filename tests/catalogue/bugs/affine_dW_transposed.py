"""Affine.backward computes dW = dout.T @ x, the transpose of x.T @ dout."""
LAYER = "Affine"
HINTS = ["hint_affine_dW"]
MUST_FAIL = ["Affine: backward_dW", "Affine: numerical_gradient_dW"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = np.dot(dout.T, self.x)  # noqa: F821
        return dx
