"""Relu.forward uses np.max(x, 0), the maximum along axis 0, where it means np.maximum(x, 0)."""
LAYER = "Relu"
HINTS = ["hint_relu_np_max"]
MUST_FAIL = ["Relu: forward_values"]


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        self.mask = x <= 0
        return np.max(x, 0)  # noqa: F821
