"""loss hands x straight to lastLayer, forgetting to run it through predict first."""
LAYER = "TwoLayerNet"
HINTS = ["hint_net_loss"]
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: loss_matches_reference"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def loss(self, x, t):
        return self.lastLayer.forward(x, t)
