"""SoftmaxWithLoss.backward starts from dx = self.y, not a copy, so dx[np.arange(n), t] -= 1 writes into the stored
softmax output: a second backward takes 1 off again and is wrong."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_backward_twice"]
MUST_FAIL = ["SoftmaxWithLoss: backward_twice"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            return dout * (self.y - self.t) / batch_size
        dx = self.y
        dx[np.arange(batch_size), self.t] -= 1  # noqa: F821
        return dout * dx / batch_size
