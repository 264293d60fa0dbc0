"""TwoLayerNet as the book writes it (ch05/two_layer_net.py), rewritten here: params filled key by key, layers
reversed through a list, accuracy returning a NumPy float. It is right and must get full marks."""
FILE = "two_layer_net.py"
EXPECTED_FAILURES = []


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {}
        self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)  # noqa: F821
        self.params["b1"] = np.zeros(hidden_size)  # noqa: F821
        self.params["W2"] = weight_init_std * np.random.randn(hidden_size, output_size)  # noqa: F821
        self.params["b2"] = np.zeros(output_size)  # noqa: F821

        self.layers = OrderedDict()  # noqa: F821
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])  # noqa: F821
        self.layers["Relu1"] = Relu()  # noqa: F821
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])  # noqa: F821
        self.lastLayer = SoftmaxWithLoss()  # noqa: F821

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.lastLayer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        guesses = np.argmax(self.predict(x), axis=1)  # noqa: F821
        if t.ndim != 1:
            t = np.argmax(t, axis=1)  # noqa: F821
        return np.sum(guesses == t) / float(x.shape[0])  # noqa: F821

    def numerical_gradient(self, x, t):
        def loss_of_params(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_of_params, self.params[key]) for key in ("W1", "b1", "W2", "b2")}  # noqa: F821

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        backwards = list(self.layers.values())
        backwards.reverse()
        for layer in backwards:
            dout = layer.backward(dout)
        first, second = self.layers["Affine1"], self.layers["Affine2"]
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}
