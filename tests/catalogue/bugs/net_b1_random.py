"""b1 is drawn at random like the weights (weight_init_std * np.random.randn(hidden_size)) instead of zeros."""
LAYER = "TwoLayerNet"
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: params_have_book_shapes_and_scale"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821 (appended to the reference's two_layer_net.py)
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        super().__init__(input_size, hidden_size, output_size, weight_init_std)
        self.params["b1"] += weight_init_std * np.random.randn(hidden_size)  # noqa: F821
