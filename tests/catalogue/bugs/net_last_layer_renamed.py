"""The loss layer is kept as self.last_layer (PEP 8 spelling) instead of the book's self.lastLayer."""
LAYER = "TwoLayerNet"
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: layers_in_book_order"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        super().__init__(input_size, hidden_size, output_size, weight_init_std)
        self.last_layer = self.lastLayer
        del self.lastLayer

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        return {
            "W1": self.layers["Affine1"].dW,
            "b1": self.layers["Affine1"].db,
            "W2": self.layers["Affine2"].dW,
            "b2": self.layers["Affine2"].db,
        }
