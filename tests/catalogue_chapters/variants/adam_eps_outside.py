"""My Adam is the paper's Algorithm 1: bias-corrected moments m_hat and v_hat, then
p -= lr * m_hat / (sqrt(v_hat) + eps), so eps sits outside the bias correction. Right: it differs from the
book's folded form only by where eps is added, far below a step's size."""
LAYER = "Adam"
FILE = "chapter6/optimizer.py"


class Adam(Adam):  # noqa: F821
    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
            self.v = {k: np.zeros_like(v) for k, v in params.items()}  # noqa: F821
        self.iter += 1
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.iter)
            v_hat = self.v[k] / (1 - self.beta2 ** self.iter)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-7)  # noqa: F821
