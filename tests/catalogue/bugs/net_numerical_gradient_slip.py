"""numerical_gradient was edited and a copy-paste slip takes W2's slope from params['W1']."""
LAYER = "TwoLayerNet"
HINTS = ["hint_net_numerical_gradient"]
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: numerical_gradient_matches_reference"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def numerical_gradient(self, x, t):
        grads = super().numerical_gradient(x, t)
        grads["W2"] = numerical_gradient(lambda _: self.loss(x, t), self.params["W1"])  # noqa: F821
        return grads
