"""softmax computes np.log where it needs np.exp (after subtracting each row's maximum): nan for every entry below
its row's maximum."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_softmax_log"]
MUST_FAIL = ["SoftmaxWithLoss: softmax_function"]


def softmax(x):
    e = np.log(x - np.max(x, axis=-1, keepdims=True))  # noqa: F821
    return e / np.sum(e, axis=-1, keepdims=True)  # noqa: F821
