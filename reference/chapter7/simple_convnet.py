"""The book's SimpleConvNet (ch07/simple_convnet.py): conv - relu - pool - affine - relu - affine - softmax.

Where the chapter-5 layers come from: the book keeps every layer in one common/layers.py; here chapter 7's folder
holds only what chapter 7 adds, and takes Relu, Affine, SoftmaxWithLoss and numerical_gradient from the folder
above it (`from ..layers import ...`), the chapter-5 files. So a chapter folder is a subpackage of the reference
(or of a learner's submission, loaded as a package in the same way) and builds on that folder's own chapter 5.
"""
from collections import OrderedDict

import numpy as np

from ..gradient import numerical_gradient
from ..layers import Affine, Relu, SoftmaxWithLoss
from .layers import Convolution, Pooling
from .util import conv_output_size

PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


class SimpleConvNet:
    """input_dim: (C, H, W) of one sample; conv_param: filter_num, filter_size, pad, stride of the convolution.
    The pool is 2x2 with stride 2, so the convolution's output should have an even side, as 24 does for MNIST."""

    def __init__(self, input_dim=(1, 28, 28), conv_param=None, hidden_size=100, output_size=10,
                 weight_init_std=0.01):
        conv_param = conv_param or {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1}
        filter_num, filter_size = conv_param["filter_num"], conv_param["filter_size"]
        stride, pad = conv_param["stride"], conv_param["pad"]
        conv_h = conv_output_size(input_dim[1], filter_size, stride, pad)
        conv_w = conv_output_size(input_dim[2], filter_size, stride, pad)
        pool_output_size = filter_num * (conv_h // 2) * (conv_w // 2)

        self.params = {
            "W1": weight_init_std * np.random.randn(filter_num, input_dim[0], filter_size, filter_size),
            "b1": np.zeros(filter_num),
            "W2": weight_init_std * np.random.randn(pool_output_size, hidden_size),
            "b2": np.zeros(hidden_size),
            "W3": weight_init_std * np.random.randn(hidden_size, output_size),
            "b3": np.zeros(output_size),
        }
        # The layers hold the very arrays in params, so an optimizer updating params in place trains the layers.
        self.layers = OrderedDict()
        self.layers["Conv1"] = Convolution(self.params["W1"], self.params["b1"], stride, pad)
        self.layers["Relu1"] = Relu()
        self.layers["Pool1"] = Pooling(pool_h=2, pool_w=2, stride=2)
        self.layers["Affine1"] = Affine(self.params["W2"], self.params["b2"])
        self.layers["Relu2"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W3"], self.params["b3"])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t, batch_size=100):
        """The fraction of x classified as t says, predicted batch_size samples at a time to bound the memory.

        Unlike the book's, which skips a last partial batch, every sample counts.
        """
        t = np.asarray(t)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        correct = 0
        for start in range(0, x.shape[0], batch_size):
            y = np.argmax(self.predict(x[start:start + batch_size]), axis=1)
            correct += int(np.sum(y == t[start:start + batch_size]))
        return correct / x.shape[0]

    def numerical_gradient(self, x, t):
        def loss_w(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_w, self.params[key]) for key in PARAM_KEYS}

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for i, name in enumerate(("Conv1", "Affine1", "Affine2"), start=1):
            grads[f"W{i}"], grads[f"b{i}"] = self.layers[name].dW, self.layers[name].db
        return grads
