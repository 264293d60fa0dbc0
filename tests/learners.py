"""Submissions shaped the way learners keep their chapter-5 work, written to tmp folders for the intake tests.

Every one holds a correct implementation (in a learner's style: np.dot, masks, one-hot or labels, the 1e-7 of
the book's cross-entropy) laid out as it is found in the wild: a study repository in the book's layout, one
file per layer, one script that also trains, a notebook with magics. Variants rename classes (ReLU,
MultiplyLayer, soft_max) or misspell members (foward, dw, __int__). The benchmarks build their larger
submissions from the same pieces.
"""

import json
import textwrap
from pathlib import Path


def _code(text):
    return textwrap.dedent(text).strip() + "\n"


FUNCTIONS = _code("""
    import numpy as np


    def sigmoid(x):
        return 1 / (1 + np.exp(-x))


    def relu(x):
        return np.maximum(0, x)


    def softmax(x):
        x = x - np.max(x, axis=-1, keepdims=True)  # no overflow
        e = np.exp(x)
        return e / np.sum(e, axis=-1, keepdims=True)


    def cross_entropy_error(y, t):
        if y.ndim == 1:
            t = t.reshape(1, t.size)
            y = y.reshape(1, y.size)
        if t.size == y.size:  # one-hot labels -> indices
            t = t.argmax(axis=1)
        n = y.shape[0]
        return -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n
    """)

GRADIENT = _code("""
    import numpy as np


    def numerical_gradient(f, x):
        h = 1e-4
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            keep = x[idx]
            x[idx] = keep + h
            fxh1 = f(x)
            x[idx] = keep - h
            fxh2 = f(x)
            grad[idx] = (fxh1 - fxh2) / (2 * h)
            x[idx] = keep
        return grad
    """)

MUL = _code("""
    class {mul}:
        def __init__(self):
            self.x = None
            self.y = None

        def forward(self, x, y):
            self.x, self.y = x, y
            return x * y

        def backward(self, dout):
            return dout * self.y, dout * self.x
    """)

ADD = _code("""
    class {add}:
        def __init__(self):
            pass

        def forward(self, x, y):
            return x + y

        def backward(self, dout):
            return dout * 1, dout * 1
    """)

MUL_ADD = MUL + "\n\n" + ADD

RELU = _code("""
    class {relu}:
        def __init__(self):
            self.mask = None

        def {forward}(self, x):
            self.mask = (x <= 0)
            out = x.copy()
            out[self.mask] = 0
            return out

        def backward(self, dout):
            dx = dout.copy()
            dx[self.mask] = 0
            return dx
    """)

SIGMOID = _code("""
    class Sigmoid:
        def __init__(self):
            self.out = None

        def forward(self, x):
            self.out = 1 / (1 + np.exp(-x))
            return self.out

        def backward(self, dout):
            return dout * (1.0 - self.out) * self.out
    """)

AFFINE = _code("""
    class Affine:
        def {init}(self, W, b):
            self.W = W
            self.b = b
            self.x = None
            self.original_x_shape = None
            self.{dW} = None
            self.{db} = None

        def forward(self, x):
            self.original_x_shape = x.shape
            self.x = x.reshape(x.shape[0], -1)
            return np.dot(self.x, self.W) + self.b

        def backward(self, dout):
            dx = np.dot(dout, self.W.T)
            self.{dW} = np.dot(self.x.T, dout)
            self.{db} = np.sum(dout, axis=0)
            return dx.reshape(*self.original_x_shape)
    """)

SOFTMAX_WITH_LOSS = _code("""
    class SoftmaxWithLoss:
        def __init__(self):
            self.loss = None
            self.y = None
            self.t = None

        def forward(self, x, t):
            self.t = t
            self.y = {softmax}(x)
            self.loss = cross_entropy_error(self.y, self.t)
            return self.loss

        def backward(self, dout=1):
            n = self.t.shape[0]
            if self.t.size == self.y.size:
                dx = (self.y - self.t) / n
            else:
                dx = self.y.copy()
                dx[np.arange(n), self.t] -= 1
                dx = dx / n
            return dx * dout
    """)

TWO_LAYER_NET = _code("""
    class TwoLayerNet:
        def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
            self.params = {{}}
            self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)
            self.params["b1"] = np.zeros(hidden_size)
            self.params["W2"] = weight_init_std * np.random.randn(hidden_size, output_size)
            self.params["b2"] = np.zeros(output_size)
            self.layers = OrderedDict()
            self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
            self.layers["Relu1"] = {relu}()
            self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
            self.lastLayer = SoftmaxWithLoss()

        def predict(self, x):
            for layer in self.layers.values():
                x = layer.forward(x)
            return x

        def loss(self, x, t):
            return self.lastLayer.forward(self.predict(x), t)

        def accuracy(self, x, t):
            y = np.argmax(self.predict(x), axis=1)
            if t.ndim != 1:
                t = np.argmax(t, axis=1)
            return np.sum(y == t) / float(x.shape[0])

        def numerical_gradient(self, x, t):
            loss_W = lambda W: self.loss(x, t)
            return {{k: numerical_gradient(loss_W, self.params[k]) for k in ("W1", "b1", "W2", "b2")}}

        def gradient(self, x, t):
            self.loss(x, t)
            dout = self.lastLayer.backward(1)
            for layer in reversed(list(self.layers.values())):
                dout = layer.backward(dout)
            grads = {{}}
            grads["W1"], grads["b1"] = self.layers["Affine1"].dW, self.layers["Affine1"].db
            grads["W2"], grads["b2"] = self.layers["Affine2"].dW, self.layers["Affine2"].db
            return grads
    """)

CHAPTER4_NET = _code('''
    import numpy as np
    from common.functions import sigmoid, softmax, cross_entropy_error
    from common.gradient import numerical_gradient


    class TwoLayerNet:
        """Chapter 4: gradients by numerical differentiation only."""

        def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
            self.params = {"W1": weight_init_std * np.random.randn(input_size, hidden_size), "b1": np.zeros(hidden_size),
                           "W2": weight_init_std * np.random.randn(hidden_size, output_size), "b2": np.zeros(output_size)}

        def predict(self, x):
            a1 = np.dot(x, self.params["W1"]) + self.params["b1"]
            return softmax(np.dot(sigmoid(a1), self.params["W2"]) + self.params["b2"])

        def loss(self, x, t):
            return cross_entropy_error(self.predict(x), t)

        def numerical_gradient(self, x, t):
            f = lambda W: self.loss(x, t)
            return {k: numerical_gradient(f, self.params[k]) for k in self.params}
    ''')

TRAINING = _code("""
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    train_loss_list = []
    for i in range(10000):
        batch_mask = np.random.choice(x_train.shape[0], 100)
        grad = network.gradient(x_train[batch_mask], t_train[batch_mask])
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= 0.1 * grad[key]
        train_loss_list.append(network.loss(x_train[batch_mask], t_train[batch_mask]))
    print(network.accuracy(x_test, t_test))
    """)

HEADER = "import numpy as np\nfrom collections import OrderedDict\n"


def layers_code(
    relu="Relu", mul="MulLayer", add="AddLayer", softmax="softmax", forward="forward", init="__init__", dW="dW", db="db"
):
    """Every layer class, with the names a learner gave them."""
    return "\n\n".join(
        [
            MUL_ADD.format(mul=mul, add=add),
            RELU.format(relu=relu, forward=forward),
            SIGMOID,
            AFFINE.format(init=init, dW=dW, db=db),
            SOFTMAX_WITH_LOSS.format(softmax=softmax),
        ]
    )


def functions_code(softmax="softmax"):
    return FUNCTIONS.replace("def softmax(", f"def {softmax}(")


def _write(root, files):
    root = Path(root)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def book_layout_repo(root, relu_layer=None):
    """A study repository laid out like the book's: common/, ch04/, ch05/, scripts that train, no dataset/."""
    relu_layer = relu_layer or RELU.format(relu="Relu", forward="forward")
    layers = "import numpy as np\nfrom common.functions import *\nfrom common.util import im2col\n\n\n" + "\n\n".join(
        [
            relu_layer,
            SIGMOID,
            AFFINE.format(init="__init__", dW="dW", db="db"),
            SOFTMAX_WITH_LOSS.format(softmax="softmax"),
        ]
    )
    net = (
        "import sys, os\nsys.path.append(os.pardir)\n"
        + HEADER
        + "from common.layers import *\nfrom common.gradient import numerical_gradient\n\n\n"
    )
    return _write(
        root,
        {
            "README.md": "my notes on the book\n",
            "common/__init__.py": "",
            "common/functions.py": FUNCTIONS,
            "common/gradient.py": GRADIENT,
            "common/util.py": "import numpy as np\n\n\ndef im2col(x):\n    return x\n",
            "common/layers.py": layers,
            "ch04/two_layer_net.py": "import sys, os\nsys.path.append(os.pardir)\n" + CHAPTER4_NET,
            "ch05/layer_naive.py": MUL_ADD.format(mul="MulLayer", add="AddLayer"),
            "ch05/buy_apple.py": _code("""
                from layer_naive import *

                apple, apple_num, tax = 100, 2, 1.1
                mul_apple_layer = MulLayer()
                mul_tax_layer = MulLayer()
                price = mul_tax_layer.forward(mul_apple_layer.forward(apple, apple_num), tax)
                print(price)
                """),
            "ch05/two_layer_net.py": net + TWO_LAYER_NET.format(relu="Relu"),
            "ch05/train_neuralnet.py": "import sys, os\nsys.path.append(os.pardir)\nimport numpy as np\n"
            "from dataset.mnist import load_mnist\nfrom two_layer_net import TwoLayerNet\n\n" + TRAINING,
        },
    )


def one_file_per_layer(root):
    """A folder with a file per layer (ReluLayer.py, AffineLayer.py, ...), importing each other by file name."""
    files = {
        "functions.py": FUNCTIONS,
        "gradient.py": GRADIENT,
        "MulLayer.py": MUL.format(mul="MulLayer"),
        "AddLayer.py": ADD.format(add="AddLayer"),
        "ReluLayer.py": RELU.format(relu="Relu", forward="forward"),
        "SigmoidLayer.py": "import numpy as np\n\n\n" + SIGMOID,
        "AffineLayer.py": "import numpy as np\n\n\n" + AFFINE.format(init="__init__", dW="dW", db="db"),
        "SoftmaxWithLossLayer.py": "import numpy as np\nfrom functions import softmax, cross_entropy_error\n\n\n"
        + SOFTMAX_WITH_LOSS.format(softmax="softmax"),
        "TwoLayerNet.py": HEADER
        + "from AffineLayer import Affine\nfrom ReluLayer import Relu\nfrom SoftmaxWithLossLayer import SoftmaxWithLoss\n"
        "from gradient import numerical_gradient\n\n\n" + TWO_LAYER_NET.format(relu="Relu"),
    }
    return _write(root, files)


def training_script(path, **names):
    """One script that defines everything, then loads MNIST, trains and plots when run (or imported)."""
    net_relu = names.get("relu", "Relu")
    text = (
        HEADER
        + "import matplotlib_that_is_not_installed as plt\n\n\n"
        + functions_code(names.get("softmax", "softmax"))
        + "\n\n"
        + GRADIENT
        + "\n\n"
        + layers_code(**names)
        + "\n\n"
        + TWO_LAYER_NET.format(relu=net_relu)
        + "\n\ndef load_mnist(normalize=True, one_hot_label=True):\n    data = np.load('mnist.npz')\n"
        "    return (data['x_train'], data['t_train']), (data['x_test'], data['t_test'])\n\n\n"
        + TRAINING
        + "plt.plot(train_loss_list)\nplt.show()\n"
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def notebook(path, cells):
    """A notebook (nbformat 4) with the given code cells, a markdown cell before each."""
    body = []
    for i, source in enumerate(cells):
        body.append({"cell_type": "markdown", "metadata": {}, "source": [f"## Step {i + 1}"]})
        body.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": source.splitlines(keepends=True),
            }
        )
    data = {
        "cells": body,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


def notebook_with_magics(path, extra_cells=()):
    """A learner's notebook: magics and shell commands, a cell per layer, a cell that trains, a plot."""
    cells = [
        "%matplotlib inline\n!pip install numpy\nimport numpy as np\nfrom collections import OrderedDict",
        functions_code(),
        GRADIENT,
        MUL_ADD.format(mul="MulLayer", add="AddLayer"),
        "apple = MulLayer()\nprint(apple.forward(100, 2))",
        RELU.format(relu="Relu", forward="forward"),
        SIGMOID,
        AFFINE.format(init="__init__", dW="dW", db="db"),
        SOFTMAX_WITH_LOSS.format(softmax="softmax"),
        TWO_LAYER_NET.format(relu="Relu"),
        "%%time\nfor i in range(10):\n    pass",
        "files = !ls\nnp.random.seed(0)\nx_train = np.load('mnist.npz')['x_train']",
        TRAINING,
        *extra_cells,
    ]
    return notebook(path, cells)


RENAMED = {"relu": "ReLU", "mul": "MultiplyLayer", "softmax": "soft_max"}


def renamed_classes(path):
    """One file whose classes and functions carry a learner's names: ReLU, MultiplyLayer, soft_max."""
    return training_script(path, **RENAMED)


def misspelt_members(path):
    """One file where Relu.forward is spelt foward and Affine stores dw and d_b."""
    return training_script(path, forward="foward", dW="dw", db="d_b")


def misspelt_init(path):
    """One file where Affine's constructor is spelt __int__."""
    return training_script(path, init="__int__")


def template_layout(root):
    """The same code as the other shapes, laid out like student_template/: what they must score like."""
    layers = HEADER + "\n\n" + functions_code() + "\n\n" + layers_code()
    net = HEADER + "from .layers import Affine, Relu, SoftmaxWithLoss\nfrom .gradient import numerical_gradient\n\n\n"
    return _write(
        root,
        {"layers.py": layers, "gradient.py": GRADIENT, "two_layer_net.py": net + TWO_LAYER_NET.format(relu="Relu")},
    )
