"""Affine.backward also takes a gradient step (self.W -= lr * self.dW), changing the weights it was given."""
LAYER = "Affine"
HINTS = ["hint_affine_updates_params"]
MUST_FAIL = ["Affine: inputs_unchanged"]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.W -= 0.01 * self.dW
        self.b -= 0.01 * self.db
        return dx
