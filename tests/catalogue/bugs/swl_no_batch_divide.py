"""SoftmaxWithLoss.backward returns y - t, forgetting to divide by the batch size as the mean loss requires."""
LAYER = "SoftmaxWithLoss"
MUST_FAIL = ["SoftmaxWithLoss: backward_one_hot", "SoftmaxWithLoss: numerical_gradient"]


class SoftmaxWithLoss(SoftmaxWithLoss):  # noqa: F821 (appended to the reference's layers.py)
    def backward(self, dout=1):
        if self.t.size == self.y.size:
            dx = self.y - self.t
        else:
            dx = self.y.copy()
            dx[np.arange(self.t.shape[0]), self.t] -= 1  # noqa: F821 (np is imported by layers.py)
        return dout * dx
