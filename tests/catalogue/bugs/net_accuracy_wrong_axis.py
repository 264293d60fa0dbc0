"""accuracy takes np.argmax(y, axis=0), the best row of each class, instead of the best class of each row."""
LAYER = "TwoLayerNet"
MISTAKE = "hint_net_accuracy"
FILE = "two_layer_net.py"
MUST_FAIL = ["TwoLayerNet: accuracy_matches_reference"]


class TwoLayerNet(TwoLayerNet):  # noqa: F821
    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=0)  # noqa: F821
        if t.ndim != 1:
            t = np.argmax(t, axis=1)  # noqa: F821
        return float(np.sum(y == t) / x.shape[0])  # noqa: F821
