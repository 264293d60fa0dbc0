"""My SimpleConvNet.predict ends with a softmax, as chapter 3's networks did: the scores are probabilities, and
the loss applies a second softmax on top."""
LAYER = "SimpleConvNet"
FILE = "chapter7/simple_convnet.py"
HINTS = ["hint_convnet_predict"]


class SimpleConvNet(SimpleConvNet):  # noqa: F821
    def predict(self, x):
        scores = super().predict(x)
        e = np.exp(scores - scores.max(axis=1, keepdims=True))  # noqa: F821
        return e / e.sum(axis=1, keepdims=True)
