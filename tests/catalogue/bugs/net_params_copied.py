"""The Affine layers are built on copies of the params (Affine(self.params['W1'].copy(), ...)), so updating
net.params no longer changes what the network computes."""
LAYER = "TwoLayerNet"
HINTS = ["hint_net_numeric", "hint_net_shared"]
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: params_shared_with_layers", "TwoLayerNet: sgd_step_lowers_loss"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        super().__init__(input_size, hidden_size, output_size, weight_init_std)
        p = self.params
        self.layers["Affine1"] = Affine(p["W1"].copy(), p["b1"].copy())  # noqa: F821
        self.layers["Affine2"] = Affine(p["W2"].copy(), p["b2"].copy())  # noqa: F821
