"""Affine.__init__ copies W and b "to be safe", so TwoLayerNet's in-place updates of its params never reach the layer."""
LAYER = "Affine"
HINTS = ["hint_affine_by_reference"]
MUST_FAIL = ["Affine: uses_W_and_b_by_reference"]


class Affine(Affine):  # noqa: F821
    def __init__(self, W, b):
        super().__init__(W.copy(), b.copy())
