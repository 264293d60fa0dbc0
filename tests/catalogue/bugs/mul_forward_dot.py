"""MulLayer.forward uses np.dot(x, y) for the product: right for numbers, wrong (or an error) for arrays."""
LAYER = "MulLayer"
HINTS = ["hint_mul_dot"]
MUST_FAIL = ["MulLayer: forward_values"]


class MulLayer(MulLayer):  # noqa: F821
    def forward(self, x, y):
        self.x = x
        self.y = y
        return np.dot(x, y)  # noqa: F821 (np is imported by the reference's layers.py)
