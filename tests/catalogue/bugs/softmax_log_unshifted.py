"""softmax computes np.log where it needs np.exp, and no shift by the maximum: np.log(x) / np.sum(np.log(x), ...),
finite only where every logit of a row is positive."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_softmax_log"]
MUST_FAIL = ["SoftmaxWithLoss: softmax_function", "SoftmaxWithLoss: softmax_shift_invariance"]


def softmax(x):
    e = np.log(x)  # noqa: F821
    return e / np.sum(e, axis=-1, keepdims=True)  # noqa: F821
