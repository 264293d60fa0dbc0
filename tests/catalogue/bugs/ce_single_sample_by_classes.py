"""cross_entropy_error divides by y.shape[0] without reshaping a single sample (C,) to (1, C), so it divides by C."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_cross_entropy"]
MUST_FAIL = ["SoftmaxWithLoss: cross_entropy_error"]


def cross_entropy_error(y, t):
    if t.size != y.size:
        t = np.eye(y.shape[-1])[t]  # noqa: F821
    return -np.sum(t * np.log(y + 1e-7)) / y.shape[0]  # noqa: F821
