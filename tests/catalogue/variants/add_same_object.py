"""AddLayer.backward returns dout itself for both inputs (the same object twice): correct, full marks."""
EXPECTED_FAILURES = []


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout, dout
