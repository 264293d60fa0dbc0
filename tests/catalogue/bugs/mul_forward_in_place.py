"""MulLayer.forward writes out = x; out *= y, believing out = x makes a copy: it multiplies the caller's x in place
(and the x it kept for backward with it)."""
LAYER = "MulLayer"
HINTS = ["hint_mul_forward_in_place"]
MUST_FAIL = ["MulLayer: leaves_inputs_unchanged"]


class MulLayer(MulLayer):  # noqa: F821
    def forward(self, x, y):
        self.x = x
        self.y = y
        out = x
        out *= y
        return out
