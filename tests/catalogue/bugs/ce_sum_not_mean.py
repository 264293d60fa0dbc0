"""cross_entropy_error sums the loss over the batch instead of averaging it."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_cross_entropy"]
MUST_FAIL = ["SoftmaxWithLoss: cross_entropy_error"]


def cross_entropy_error(y, t):
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    return -np.sum(np.log(y[np.arange(y.shape[0]), t] + 1e-7))  # noqa: F821
