"""My SimpleConvNet draws W2 and W3 with np.random.randn alone, forgetting weight_init_std: they start a hundred
times too large for the book's 0.01."""
LAYER = "SimpleConvNet"
FILE = "chapter7/simple_convnet.py"


class SimpleConvNet(SimpleConvNet):  # noqa: F821
    def __init__(self, input_dim=(1, 28, 28), conv_param=None, hidden_size=100, output_size=10,
                 weight_init_std=0.01):
        super().__init__(input_dim, conv_param, hidden_size, output_size, weight_init_std)
        for key in ("W2", "W3"):
            self.params[key] /= weight_init_std
