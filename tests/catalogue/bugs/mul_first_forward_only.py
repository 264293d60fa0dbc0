"""MulLayer.forward stores x and y only on its first call (if self.x is None), so backward after a second
forward uses the first call's inputs."""
LAYER = "MulLayer"
HINTS = ["hint_latest_forward"]
MUST_FAIL = ["MulLayer: state_latest_forward"]


class MulLayer(MulLayer):  # noqa: F821
    def forward(self, x, y):
        if self.x is None:
            self.x = x
            self.y = y
        return x * y
