"""MulLayer.backward returns the local derivatives (y, x) and forgets to multiply them by dout."""
LAYER = "MulLayer"
HINTS = ["hint_mul_forgot_dout"]
MUST_FAIL = ["MulLayer: backward_values", "MulLayer: book_apples_and_oranges"]


class MulLayer(MulLayer):  # noqa: F821
    def backward(self, dout):
        return self.y, self.x
