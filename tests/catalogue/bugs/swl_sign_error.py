"""SoftmaxWithLoss.backward adds t to y instead of subtracting it (y + t, and += 1 at the labels)."""
LAYER = "SoftmaxWithLoss"
MUST_FAIL = ["SoftmaxWithLoss: backward_one_hot", "SoftmaxWithLoss: softmax_per_row"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            dx = self.y + self.t
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] += 1  # noqa: F821
        return dout * dx / batch_size
