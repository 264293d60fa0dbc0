"""The checks at the size chapter 5 trains on: a batch of 100 MNIST images, a hidden layer of 50, 10 classes."""
from backprop_grader.diagnose import expect_close, expect_close_to_any, expect_pair

from .strategies import labels, one_hot, uniform

HIDDEN_BATCH = (100, 50)
SCORES_BATCH = (100, 10)


# Each helper takes the layer's known mistakes, as its small-input checks list them: a mistake made at every size
# is named here as it is there, and a learner is not told one mistake twice in two ways.


def expect_elementwise_at_scale(layer, expected, name, forward_mistakes, backward_mistakes):
    """layer's forward and backward on a hidden layer's batch give the reference's (expected) out and dx.
    forward_mistakes(x, out) and backward_mistakes(x, out, dout), out being the reference's: the known mistakes'
    answers on these inputs (diagnose's pairs)."""
    x, dout = uniform(5, HIDDEN_BATCH), uniform(6, HIDDEN_BATCH)
    got = layer.forward(x.copy())
    out = expected.forward(x)
    expect_close(got, out, f"{name}.forward(x)", inputs={"x": x}, mistakes=lambda: forward_mistakes(x, out))
    expect_close(layer.backward(dout.copy()), expected.backward(dout), f"{name}.backward(dout)",
                 inputs={"x": x, "dout": dout}, mistakes=lambda: backward_mistakes(x, out, dout))


def expect_two_inputs_at_scale(layer, expected, name, expect_backward, forward_mistakes=lambda x, y: []):
    """layer's forward(x, y) and backward(dout) on a hidden layer's batch give the reference's out, dx and dy.
    expect_backward(dx, dy, (dx, dy) expected, x, y, dout): the layer's own comparison of a backward, which names
    its known mistakes; forward_mistakes(x, y): the known mistakes' answers (AddLayer's forward has none)."""
    x, y, dout = uniform(5, HIDDEN_BATCH), uniform(6, HIDDEN_BATCH), uniform(7, HIDDEN_BATCH)
    expect_close(layer.forward(x.copy(), y.copy()), expected.forward(x, y), f"{name}.forward(x, y)",
                 inputs={"x": x, "y": y}, mistakes=lambda: forward_mistakes(x, y))
    dx, dy = expect_pair(layer.backward(dout.copy()), f"{name}.backward(dout)", {"x": x, "y": y, "dout": dout})
    expect_backward(dx, dy, expected.backward(dout), x, y, dout)


def expect_loss_at_scale(layer_class, expected_class, accepted_losses, loss_mistakes, dx_mistakes):
    """A batch of scores (100, 10) and one-hot labels (label indices are label_targets' to grade, so that the
    book's printed one-hot-only version loses that check alone): layer_class's loss is one of
    accepted_losses(x, indices, t) and its backward(1) the reference's (expected_class's) dx.
    loss_mistakes(x, indices) and dx_mistakes(x, t): the known mistakes' answers on these inputs."""
    x, indices = uniform(5, SCORES_BATCH), labels(6, *SCORES_BATCH)
    n = SCORES_BATCH[0]
    t = one_hot(indices, SCORES_BATCH[1])
    inputs = {"x": x, "t": t}
    layer, expected = layer_class(), expected_class()
    loss = layer.forward(x.copy(), t.copy())
    expected.forward(x, t)
    expect_close_to_any(loss, accepted_losses(x, indices, t), "SoftmaxWithLoss.forward(x, t)", inputs=inputs,
                        batch_size=n, mistakes=lambda: loss_mistakes(x, indices))
    expect_close(layer.backward(1), expected.backward(1), "SoftmaxWithLoss.backward(1)", inputs=inputs,
                 batch_size=n, mistakes=lambda: dx_mistakes(x, t))
