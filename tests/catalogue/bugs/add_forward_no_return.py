"""AddLayer.forward computes out = x + y but forgets to return it."""
LAYER = "AddLayer"
MUST_FAIL = ["AddLayer: forward_values", "AddLayer: book_apples_and_oranges", "AddLayer: numerical_gradient"]


class AddLayer(AddLayer):  # noqa: F821
    def forward(self, x, y):
        out = x + y  # noqa: F841
