"""AddLayer.backward returns the local derivative 1 for both inputs and forgets dout."""
LAYER = "AddLayer"
HINTS = ["hint_add_forgot_dout"]
MUST_FAIL = ["AddLayer: backward_values"]


class AddLayer(AddLayer):  # noqa: F821
    def backward(self, dout):
        return 1, 1
