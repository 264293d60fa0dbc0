"""AddLayer.backward returns (dout, 0): only the first input receives the gradient."""
LAYER = "AddLayer"
MISTAKE = "hint_add_zero"
MUST_FAIL = ["AddLayer: backward_values", "AddLayer: book_apples_and_oranges", "AddLayer: numerical_gradient"]


class AddLayer(AddLayer):  # noqa: F821
    def backward(self, dout):
        return dout, 0
