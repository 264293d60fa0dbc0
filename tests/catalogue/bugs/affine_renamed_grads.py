"""Affine.backward returns the right dx but keeps its gradients under names of its own (self.dw, and db in a list
self.grads), not the book's self.dW and self.db: only the checks that read dW or db may fail."""
LAYER = "Affine"
EXPECTED_FAILURES = [
    "Affine: mnist_batch",
    "Affine: backward_dW",
    "Affine: backward_db",
    "Affine: four_d_input",
    "Affine: numerical_gradient_dW",
    "Affine: numerical_gradient_db",
    "Affine: latest_forward_wins",
    "TwoLayerNet: own_layers_train",
]


class Affine(Affine):  # noqa: F821
    def backward(self, dout):
        dx = super().backward(dout)
        self.dw = self.__dict__.pop("dW")
        self.grads = [self.dw, self.__dict__.pop("db")]
        return dx
