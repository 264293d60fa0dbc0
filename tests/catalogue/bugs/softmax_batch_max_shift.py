"""softmax subtracts the maximum of the whole batch, np.max(x), not each row's own, before np.exp: a row far below
another underflows to exp(...) = 0 everywhere, and 0 / 0 is nan (SoftmaxWithLoss uses it)."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_softmax_row_max"]
MUST_FAIL = ["SoftmaxWithLoss: softmax_rows_far_apart"]


def softmax(x):
    e = np.exp(x - np.max(x))  # noqa: F821
    return e / np.sum(e, axis=-1, keepdims=True)  # noqa: F821


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, t)  # noqa: F821
        return self.loss
