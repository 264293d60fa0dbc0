"""The checks at the size chapter 5 trains on: a batch of 100 MNIST images, a hidden layer of 50, 10 classes."""
from backprop_grader.diagnose import expect_close, expect_close_to_any, expect_pair
from backprop_grader.feedback import part_of

from .strategies import labels, one_hot, uniform

HIDDEN_BATCH = (100, 50)
SCORES_BATCH = (100, 10)


def expect_elementwise_at_scale(layer, expected, name):
    """layer's forward and backward on a hidden layer's batch give the reference's (expected) out and dx."""
    x, dout = uniform(5, HIDDEN_BATCH), uniform(6, HIDDEN_BATCH)
    expect_close(layer.forward(x.copy()), expected.forward(x), f"{name}.forward(x)", inputs={"x": x})
    expect_close(layer.backward(dout.copy()), expected.backward(dout), f"{name}.backward(dout)",
                 inputs={"x": x, "dout": dout})


def expect_two_inputs_at_scale(layer, expected, name):
    """layer's forward(x, y) and backward(dout) on a hidden layer's batch give the reference's out, dx and dy."""
    x, y, dout = uniform(5, HIDDEN_BATCH), uniform(6, HIDDEN_BATCH), uniform(7, HIDDEN_BATCH)
    inputs = {"x": x, "y": y, "dout": dout}
    expect_close(layer.forward(x.copy(), y.copy()), expected.forward(x, y), f"{name}.forward(x, y)",
                 inputs={"x": x, "y": y})
    what = f"{name}.backward(dout)"
    got = expect_pair(layer.backward(dout.copy()), what, inputs)
    for part, actual, right in zip(("dx", "dy"), got, expected.backward(dout)):
        expect_close(actual, right, part_of(part, what), inputs=inputs)


def expect_loss_at_scale(layer_class, expected_class, accepted_losses):
    """A batch of scores (100, 10) and one-hot labels (label indices are label_targets' to grade, so that the
    book's printed one-hot-only version loses that check alone): layer_class's loss is one of
    accepted_losses(x, indices, t) and its backward(1) the reference's (expected_class's) dx."""
    x, indices = uniform(5, SCORES_BATCH), labels(6, *SCORES_BATCH)
    n = SCORES_BATCH[0]
    t = one_hot(indices, SCORES_BATCH[1])
    inputs = {"x": x, "t": t}
    layer, expected = layer_class(), expected_class()
    loss = layer.forward(x.copy(), t.copy())
    expected.forward(x, t)
    expect_close_to_any(loss, accepted_losses(x, indices, t), "SoftmaxWithLoss.forward(x, t)", inputs=inputs,
                        batch_size=n)
    expect_close(layer.backward(1), expected.backward(1), "SoftmaxWithLoss.backward(1)", inputs=inputs,
                 batch_size=n)
