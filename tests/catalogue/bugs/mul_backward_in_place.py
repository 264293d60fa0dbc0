"""MulLayer.backward computes dy first, then dx in place in dout (dout *= self.y) and returns it: right values,
but the caller's dout is changed."""
LAYER = "MulLayer"
HINTS = ["hint_mul_backward_in_place"]
MUST_FAIL = ["MulLayer: leaves_inputs_unchanged"]


class MulLayer(MulLayer):  # noqa: F821
    def backward(self, dout):
        dy = dout * self.x
        dout *= self.y
        return dout, dy
