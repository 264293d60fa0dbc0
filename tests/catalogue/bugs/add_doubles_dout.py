"""AddLayer.backward returns dx = dout * 2, as if the two inputs' gradients were added together."""
LAYER = "AddLayer"
HINTS = ["hint_add_doubled"]
MUST_FAIL = ["AddLayer: backward_values"]


class AddLayer(AddLayer):  # noqa: F821
    def backward(self, dout):
        return dout * 2, dout
