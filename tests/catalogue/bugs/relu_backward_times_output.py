"""Relu.backward multiplies dout by forward's output (as Sigmoid's backward uses its output), instead of
passing dout through unchanged where x > 0."""
LAYER = "Relu"
HINTS = ["hint_relu_times_output"]
MUST_FAIL = ["Relu: gradient_passes_unchanged", "Relu: backward_values"]


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        self.out = super().forward(x)
        return self.out

    def backward(self, dout):
        return dout * self.out
