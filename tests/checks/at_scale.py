"""The checks at the size chapter 5 trains on: a batch of 100 MNIST images, a hidden layer of 50."""
from backprop_grader.diagnose import expect_close

from .strategies import uniform

HIDDEN_BATCH = (100, 50)


def expect_elementwise_at_scale(layer, expected, name):
    """layer's forward and backward on a hidden layer's batch give the reference's (expected) out and dx."""
    x, dout = uniform(5, HIDDEN_BATCH), uniform(6, HIDDEN_BATCH)
    expect_close(layer.forward(x.copy()), expected.forward(x), f"{name}.forward(x)", inputs={"x": x})
    expect_close(layer.backward(dout.copy()), expected.backward(dout), f"{name}.backward(dout)",
                 inputs={"x": x, "dout": dout})
