"""Relu keeps its mask on the class (Relu.mask = ...), so all Relu layers of a network share one mask and
backward uses whichever layer ran forward last."""
LAYER = "Relu"
HINTS = ["hint_latest_forward"]
MUST_FAIL = ["Relu: state_latest_forward"]


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        Relu.mask = x <= 0
        return np.where(Relu.mask, 0.0, x)  # noqa: F821

    def backward(self, dout):
        return np.where(Relu.mask, 0.0, dout)  # noqa: F821
