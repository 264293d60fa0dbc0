"""softmax is chapter 3's one-sample version (np.max and np.sum with no axis), so a batch is normalised as a whole."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_softmax_per_row"]
MUST_FAIL = ["SoftmaxWithLoss: softmax_function", "SoftmaxWithLoss: softmax_per_row"]


def softmax(x):
    e = np.exp(x - np.max(x))  # noqa: F821
    return e / np.sum(e)  # noqa: F821


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, t)  # noqa: F821
        return self.loss
