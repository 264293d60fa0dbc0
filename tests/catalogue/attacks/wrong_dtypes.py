"""Relu returns its right values as big-endian float32 ('>f4', which `dtype == np.float32` does not catch), and
Sigmoid returns complex numbers whose real part is right and whose imaginary part is garbage (a comparison of
the real part alone passes it): results must be real float64 arrays. (Both also zero the arrays passed in, so
that the checks that look at nothing but their inputs fail too.)"""
LAYER = ["Relu", "Sigmoid"]


class Relu(Relu):  # noqa: F821
    def forward(self, x):
        out = super().forward(x.copy()).astype(">f4")
        x[...] = 0
        return out

    def backward(self, dout):
        dx = super().backward(dout.copy()).astype(">f4")
        dout[...] = 0
        return dx


class Sigmoid(Sigmoid):  # noqa: F821
    def forward(self, x):
        out = super().forward(x.copy())
        x[...] = 0
        return out + 1j * np.random.standard_normal(np.shape(out))  # noqa: F821

    def backward(self, dout):
        dx = super().backward(dout.copy())
        dout[...] = 0
        return dx + 7j * np.ones(np.shape(dx))  # noqa: F821
