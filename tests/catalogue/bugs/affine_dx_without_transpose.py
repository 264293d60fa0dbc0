"""Affine.backward computes dx = dout @ W, forgetting to transpose W (it only runs at all when D == M)."""
LAYER = "Affine"
HINTS = ["hint_affine_dx"]
MUST_FAIL = ["Affine: backward_dx", "Affine: numerical_gradient_dx"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        super().backward(dout)
        return np.dot(dout, self.W).reshape(self.original_x_shape)  # noqa: F821
