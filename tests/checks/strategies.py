"""Every input generator of the suite. Shapes and seeds are drawn, element values come from a seeded RNG:
shrinking then finds the smallest failing shape, which is what helps a student, at about 1 ms an example.
"""
import numpy as np
from hypothesis import strategies as st

seeds = st.integers(min_value=0, max_value=2**32 - 1)
sides = st.integers(min_value=1, max_value=5)


def rng(seed):
    return np.random.default_rng(seed)


def shapes(min_dims=1, max_dims=4, max_side=5):
    """Any array shape, from (1,) to four axes."""
    return st.lists(st.integers(1, max_side), min_size=min_dims, max_size=max_dims).map(tuple)


def uniform(seed, shape, low=-3.0, high=3.0):
    return rng(seed).uniform(low, high, size=shape)


def away_from_zero(seed, shape, margin=0.1, high=3.0):
    """Values with |x| >= margin, so a numerical gradient never straddles Relu's kink."""
    r = rng(seed)
    return r.choice([-1.0, 1.0], size=shape) * r.uniform(margin, high, size=shape)


@st.composite
def batch_dims(draw, max_side=5):
    """(N, D, M) with the batch size N sometimes equal to D or M, so a transposed or wrong-axis result
    can still have the right shape and must be caught by its values."""
    n, d, m = draw(sides), draw(sides), draw(sides)
    tie = draw(st.sampled_from(["none", "n=d", "n=m", "all"]))
    if tie == "n=d":
        d = n
    elif tie == "n=m":
        m = n
    elif tie == "all":
        d = m = n
    return n, d, m


@st.composite
def net_dims(draw, max_side=4):
    """(N, D, H, C): a batch of N inputs of size D for a TwoLayerNet with H hidden units and C >= 2 classes.
    N sometimes equals C (or D equals C) so that an argmax over the wrong axis, or inputs fed straight to
    the loss, can still have the right shape and must be caught by its values."""
    n, d, h = (draw(st.integers(1, max_side)) for _ in range(3))
    c = draw(st.integers(2, max_side))
    tie = draw(st.sampled_from(["none", "n=c", "d=c"]))
    if tie == "n=c":
        n = c
    elif tie == "d=c":
        d = c
    return n, d, h, c


PYTHON_FLOAT = "python float"


def operand_shapes(max_dims=4, max_side=5):
    """What MulLayer and AddLayer are given in the book and after it: a Python float (PYTHON_FLOAT), a 0-d array
    (shape ()) or an array of any shape. Shrinking goes towards the Python float, the book's own case."""
    return st.one_of(st.just(PYTHON_FLOAT), st.just(()), shapes(max_dims=max_dims, max_side=max_side))


def operand(seed, shape, low=-3.0, high=3.0):
    """A Python float for PYTHON_FLOAT, else an array of that shape (0-d for ())."""
    if shape == PYTHON_FLOAT:
        return float(uniform(seed, (), low, high))
    return uniform(seed, shape, low, high)


def copy_of(value):
    """A copy to hand to the implementation, so a submission that writes into its input cannot change ours
    (a Python float needs none, and np.copy would turn it into an array)."""
    return value.copy() if isinstance(value, np.ndarray) else value


classes = st.integers(min_value=2, max_value=5)


@st.composite
def batch_classes(draw, min_batch=1):
    """(N, C): N samples of C >= 2 classes, sometimes with N == C, where label indices (N,) broadcast against
    (N, C) and a division by C looks like one by N, so such mistakes must be caught by their values."""
    n, c = draw(st.integers(min_batch, 5)), draw(classes)
    if n >= 2 and draw(st.booleans()):
        c = n
    return n, c


def labels(seed, n, c):
    """n class indices in [0, c), as integers."""
    return rng(seed).integers(0, c, size=n)


def one_hot(indices, c):
    """Rows of c floats, 1.0 at each index and 0.0 elsewhere (what the book's load_mnist(one_hot_label=True) gives)."""
    return np.eye(c)[indices]
