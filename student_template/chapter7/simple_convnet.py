"""Chapter 7.5: SimpleConvNet, conv - relu - pool - affine - relu - affine - softmax (the book's ch07/simple_convnet.py).

It is built from your chapter-7 layers and from your chapter-5 Relu, Affine and SoftmaxWithLoss, in the folder
above this one.
"""
from collections import OrderedDict

import numpy as np

from ..gradient import numerical_gradient
from ..layers import Affine, Relu, SoftmaxWithLoss
from .layers import Convolution, Pooling


def _todo(what):
    return NotImplementedError(f"{what} is not implemented yet: fill it in in chapter7/simple_convnet.py (see its docstring).")


class SimpleConvNet:
    def __init__(self, input_dim=(1, 28, 28), conv_param=None, hidden_size=100, output_size=10,
                 weight_init_std=0.01):
        """conv_param: {'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1} when None.

        self.params: 'W1' (filter_num, C, filter_size, filter_size), 'b1' (filter_num,), 'W2' (pool_output_size,
        hidden_size), 'b2' (hidden_size,), 'W3' (hidden_size, output_size), 'b3' (output_size,), where
        pool_output_size = filter_num * (conv_out // 2)**2; weights weight_init_std * np.random.randn(...), biases
        zeros. self.layers: OrderedDict 'Conv1', 'Relu1', 'Pool1' (2x2, stride 2), 'Affine1', 'Relu2', 'Affine2',
        built on the very arrays in self.params. self.last_layer: a SoftmaxWithLoss.
        """
        self.params = {}
        self.layers = OrderedDict()
        self.last_layer = None
        raise _todo("SimpleConvNet.__init__")

    def predict(self, x):
        """x: (N, C, H, W). Run x through every layer in self.layers in order; return the scores (N, output_size)."""
        raise _todo("SimpleConvNet.predict")

    def loss(self, x, t):
        """Return last_layer's loss on predict(x) and the labels t (one-hot or indices)."""
        raise _todo("SimpleConvNet.loss")

    def accuracy(self, x, t, batch_size=100):
        """Return the fraction of samples whose largest score is the right label, predicting batch_size at a time."""
        raise _todo("SimpleConvNet.accuracy")

    def numerical_gradient(self, x, t):
        """Given: the gradient of loss(x, t) for each parameter by central differences. Slow; for checking."""

        def loss_w(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_w, self.params[key]) for key in ("W1", "b1", "W2", "b2", "W3", "b3")}

    def gradient(self, x, t):
        """Backpropagation: run loss(x, t), then backward through last_layer and the layers in reverse order.

        Return a dict with 'W1', 'b1' (Conv1's dW and db), 'W2', 'b2' (Affine1's), 'W3', 'b3' (Affine2's).
        """
        raise _todo("SimpleConvNet.gradient")
