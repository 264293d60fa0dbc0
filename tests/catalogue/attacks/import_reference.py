"""Relu imports the grader's reference (and the grader) and hands the work to the reference's Relu."""
LAYER = "Relu"
FEEDBACK = "call_import_forbidden"


class Relu(Relu):  # noqa: F821
    def __init__(self):
        from reference.layers import Relu as Theirs

        import backprop_grader  # noqa: F401

        self.inner = Theirs()

    def forward(self, x):
        return self.inner.forward(x)

    def backward(self, dout):
        return self.inner.backward(dout)
