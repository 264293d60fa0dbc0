"""AddLayer.forward does x += y and returns x, adding into the caller's array."""
LAYER = "AddLayer"
HINTS = ["hint_add_forward_in_place"]
MUST_FAIL = ["AddLayer: leaves_inputs_unchanged"]


class AddLayer(AddLayer):  # noqa: F821
    def forward(self, x, y):
        x += y
        return x
