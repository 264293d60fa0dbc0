"""softmax computes np.log where it needs np.exp (after subtracting each row's maximum): nan for every entry below
its row's maximum, and so nan everywhere once each row is divided by its sum. Nothing in a result of nan alone
tells this mistake from another (no shift, a batch's maximum), so its report names none: issue #17's example of a
hint about overflow given to code that already subtracts the maximum."""
LAYER = "SoftmaxWithLoss"
MUST_FAIL = ["SoftmaxWithLoss: softmax_function"]


def softmax(x):
    e = np.log(x - np.max(x, axis=-1, keepdims=True))  # noqa: F821
    return e / np.sum(e, axis=-1, keepdims=True)  # noqa: F821
