"""SoftmaxWithLoss.backward divides by the number of classes (y.shape[1]) instead of the batch size."""
LAYER = "SoftmaxWithLoss"
HINTS = ["hint_swl_dx"]
MUST_FAIL = ["SoftmaxWithLoss: backward_one_hot"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821
    def backward(self, dout=1):
        size = self.y.shape[1]
        if self.t.size == self.y.size:
            dx = self.y - self.t
        else:
            dx = self.y.copy()
            dx[np.arange(self.t.shape[0]), self.t] -= 1  # noqa: F821
        return dout * dx / size
