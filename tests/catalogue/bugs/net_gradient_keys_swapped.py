"""gradient returns Affine2's dW under 'W1' and Affine1's under 'W2' (the layers' names mixed up)."""
LAYER = "TwoLayerNet"
HINTS = ["hint_net_gradient"]
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: gradient_matches_reference", "TwoLayerNet: gradient_matches_numerical"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        grads["W1"], grads["W2"] = grads["W2"], grads["W1"]
        return grads
