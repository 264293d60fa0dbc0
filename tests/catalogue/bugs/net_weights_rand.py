"""The weights use np.random.rand (uniform on [0, 1)) instead of np.random.randn, so they are all positive."""
LAYER = "TwoLayerNet"
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: params_have_book_shapes_and_scale"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        super().__init__(input_size, hidden_size, output_size, weight_init_std)
        self.params["W1"][...] = weight_init_std * np.random.rand(input_size, hidden_size)  # noqa: F821
        self.params["W2"][...] = weight_init_std * np.random.rand(hidden_size, output_size)  # noqa: F821
