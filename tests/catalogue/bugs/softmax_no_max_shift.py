"""softmax computes np.exp(x) without first subtracting the maximum, so logits near 1000 overflow to inf / inf = nan."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_softmax_overflow"]
MUST_FAIL = [
    "SoftmaxWithLoss: softmax_extreme_logits",
    "SoftmaxWithLoss: softmax_shift_invariance",
    "SoftmaxWithLoss: extreme_logits",
]


def softmax(x):
    e = np.exp(x)  # noqa: F821
    return e / np.sum(e, axis=-1, keepdims=True)  # noqa: F821


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, t)  # noqa: F821
        return self.loss
