"""Relu's forward and backward return 200 references to one object array of a million elements: nothing on the
wire (an object array travels as a placeholder, its dtype and shape), but 8 MB each for the grader to build,
1.6 GB a call, and the time spent building them charged to the submission's other layers. (35,000 of them, which
fit a frame's header too, would ask for 280 GB: tests/test_reply_budget.py sends those, to a capped decoder.)"""
LAYER = "Relu"
FEEDBACK = "unsendable_placeholders"

_ONE = np.empty(2**20, dtype=object)  # noqa: F821


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        super().forward(x)
        return [_ONE] * 200

    def backward(self, dout):
        super().backward(dout)
        return [_ONE] * 200
