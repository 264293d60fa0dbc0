"""MulLayer.backward multiplies dout by the same input instead of the other one: dx = dout * x, dy = dout * y."""
LAYER = "MulLayer"
MISTAKE = "hint_mul_not_swapped"
MUST_FAIL = ["MulLayer: backward_values", "MulLayer: numerical_gradient", "MulLayer: book_two_apples_with_tax"]


class MulLayer(MulLayer):  # noqa: F821 (appended to the reference's layers.py, where MulLayer is defined)
    def backward(self, dout):
        return dout * self.x, dout * self.y
