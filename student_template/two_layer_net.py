"""Chapter 5.7: a two-layer network built from your layers: Affine -> Relu -> Affine -> SoftmaxWithLoss.

The grader checks this network twice: once on the reference layers, so that a bug in your Affine costs points
under Affine only, and once on your own layers, to tell you whether your whole stack trains (worth no points).
"""
from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss


def _todo(what):
    return NotImplementedError(f"{what} is not implemented yet: fill it in in two_layer_net.py (see its docstring).")


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        """Create params and the layers that use them.

        self.params: dict with 'W1' (input_size, hidden_size), 'b1' (hidden_size,), 'W2' (hidden_size, output_size),
        'b2' (output_size,); weights weight_init_std * np.random.randn(...), biases zeros.
        self.layers: OrderedDict 'Affine1', 'Relu1', 'Affine2', built on the very arrays in self.params (no copies),
        so that updating params in place updates the layers.
        self.lastLayer: a SoftmaxWithLoss.
        """
        self.params = {}
        self.layers = OrderedDict()
        self.lastLayer = None
        raise _todo("TwoLayerNet.__init__")

    def predict(self, x):
        """x: (N, input_size). Run x through every layer in self.layers in order; return the scores (N, output_size)."""
        raise _todo("TwoLayerNet.predict")

    def loss(self, x, t):
        """Return lastLayer's loss on predict(x) and the labels t (one-hot or indices)."""
        raise _todo("TwoLayerNet.loss")

    def accuracy(self, x, t):
        """Return the fraction of rows where the largest score is the right label (t one-hot or indices)."""
        raise _todo("TwoLayerNet.accuracy")

    def numerical_gradient(self, x, t):
        """Given: the gradient of loss(x, t) for each of W1, b1, W2, b2 by central differences. Slow; for checking."""

        def loss_w(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_w, self.params[key]) for key in ("W1", "b1", "W2", "b2")}

    def gradient(self, x, t):
        """Backpropagation: run loss(x, t), then backward through lastLayer and the layers in reverse order.

        Return a dict with 'W1', 'b1', 'W2', 'b2': the dW and db the two Affine layers stored.
        """
        raise _todo("TwoLayerNet.gradient")
