"""The inputs every benchmark uses: each layer at its size in 784-50-10 on a batch of 100 MNIST-sized inputs.

MulLayer and AddLayer have no place in that network; they get arrays the size of the input batch, (100, 784).
Affine is timed on the flat (100, 784) input of the network and on the same batch as (N, C, H, W) images.
"""
import numpy as np

BATCH, INPUT, HIDDEN, CLASSES = 100, 784, 50, 10
IMAGE = (1, 28, 28)


def rng(seed=0):
    return np.random.default_rng(seed)


def two_arrays(seed=0):
    r = rng(seed)
    x, y, dout = (r.standard_normal((BATCH, INPUT)) for _ in range(3))
    return (x, y), dout


def hidden(seed=0):
    r = rng(seed)
    return (3.0 * r.standard_normal((BATCH, HIDDEN)),), r.standard_normal((BATCH, HIDDEN))


def affine(x_shape=(BATCH, INPUT), seed=0):
    """((x,), dout) and the (W, b) of the network's first Affine, for an x of x_shape."""
    r = rng(seed)
    x = r.uniform(0.0, 1.0, size=x_shape)
    W, b = 0.01 * r.standard_normal((INPUT, HIDDEN)), 0.1 * r.standard_normal(HIDDEN)
    return (x,), r.standard_normal((BATCH, HIDDEN)), (W, b)


def logits(seed=0):
    r = rng(seed)
    return (3.0 * r.standard_normal((BATCH, CLASSES)), r.integers(0, CLASSES, size=BATCH)), 1.0


def mnist_batch(seed=0):
    r = rng(seed)
    return r.uniform(0.0, 1.0, size=(BATCH, INPUT)), r.integers(0, CLASSES, size=BATCH)
