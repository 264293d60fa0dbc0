"""MulLayer.forward adds where it should multiply (x + y, AddLayer's forward copied over)."""
LAYER = "MulLayer"
HINTS = ["hint_mul_adds"]
MUST_FAIL = ["MulLayer: forward_values"]


class MulLayer(MulLayer):  # noqa: F821
    def forward(self, x, y):
        self.x = x
        self.y = y
        return x + y
