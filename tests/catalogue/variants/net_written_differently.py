"""TwoLayerNet written unlike the book but right: weights from np.random.normal, params and layers built in
loops, predict by functools.reduce, accuracy as a mean. It must get full marks."""
FILE = "two_layer_net.py"
EXPECTED_FAILURES = []

from functools import reduce  # noqa: E402


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        sizes = [(input_size, hidden_size), (hidden_size, output_size)]
        self.params = {}
        for i, (fan_in, fan_out) in enumerate(sizes, start=1):
            self.params[f"W{i}"] = np.random.normal(0.0, weight_init_std, size=(fan_in, fan_out))  # noqa: F821
            self.params[f"b{i}"] = np.zeros(fan_out)  # noqa: F821
        p = self.params
        self.layers = OrderedDict(  # noqa: F821
            [("Affine1", Affine(p["W1"], p["b1"])), ("Relu1", Relu()), ("Affine2", Affine(p["W2"], p["b2"]))]  # noqa: F821
        )
        self.lastLayer = SoftmaxWithLoss()  # noqa: F821

    def predict(self, x):
        return reduce(lambda h, layer: layer.forward(h), self.layers.values(), x)

    def loss(self, x, t):
        return self.lastLayer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        labels = t if np.ndim(t) == 1 else np.argmax(t, axis=-1)  # noqa: F821
        return np.mean(np.argmax(self.predict(x), axis=-1) == labels)  # noqa: F821

    def numerical_gradient(self, x, t):
        return {key: numerical_gradient(lambda _: self.loss(x, t), self.params[key]) for key in self.params}  # noqa: F821

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(dout=1.0)
        for name in reversed(self.layers):
            dout = self.layers[name].backward(dout)
        return {f"{kind}{i}": getattr(self.layers[f"Affine{i}"], f"d{kind}") for i in (1, 2) for kind in ("W", "b")}
