"""Affine.forward returns x @ W and forgets to add the bias b."""
LAYER = "Affine"
HINTS = ["hint_affine_no_bias"]
MUST_FAIL = ["Affine: forward_values", "Affine: numerical_gradient_db"]


class Affine(Affine):  # noqa: F821
    def forward(self, x):
        super().forward(x)
        return np.dot(self.x, self.W)  # noqa: F821
