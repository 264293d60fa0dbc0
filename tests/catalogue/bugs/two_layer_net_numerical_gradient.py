"""gradient just returns the numerical gradient: the values are right, but chapter 5's backpropagation is skipped."""
LAYER = "TwoLayerNet"
HINTS = ["hint_net_backprop"]
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: gradient_backpropagates"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def gradient(self, x, t):
        return self.numerical_gradient(x, t)
