"""My SimpleConvNet has no Relu2 between Affine1 and Affine2: conv - relu - pool - affine - affine."""
LAYER = "SimpleConvNet"
FILE = "chapter7/simple_convnet.py"


class SimpleConvNet(SimpleConvNet):  # noqa: F821
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.layers["Relu2"]
