"""My SimpleConvNet puts Pool1 before Relu1 in self.layers. Max pooling and Relu commute, so the scores are the
same; the order is not the book's."""
LAYER = "SimpleConvNet"
FILE = "chapter7/simple_convnet.py"


class SimpleConvNet(SimpleConvNet):  # noqa: F821
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = ["Conv1", "Pool1", "Relu1", "Affine1", "Relu2", "Affine2"]
        self.layers = OrderedDict((name, self.layers[name]) for name in order)  # noqa: F821
