"""My SimpleConvNet builds its layers on copies of the params (Affine(self.params['W2'].copy(), ...)), so an
optimizer updating self.params never reaches the layers."""
LAYER = "SimpleConvNet"
FILE = "chapter7/simple_convnet.py"


class SimpleConvNet(SimpleConvNet):  # noqa: F821
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("Conv1", "Affine1", "Affine2"):
            layer = self.layers[name]
            layer.W, layer.b = layer.W.copy(), layer.b.copy()
