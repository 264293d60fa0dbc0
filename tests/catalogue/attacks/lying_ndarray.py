"""Relu returns an ndarray subclass that claims to equal anything (__eq__, __array_ufunc__, __array_function__
all answer "close enough") and holds wrong values (it writes into its inputs, and backward's answer changes with
every call): only the lies could earn it points."""
LAYER = "Relu"


class _Liar(np.ndarray):  # noqa: F821
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)  # noqa: F821

    __ne__ = __eq__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in (np.isfinite,):  # noqa: F821
            return np.ones(np.shape(inputs[0]), dtype=bool)  # noqa: F821
        return np.zeros(np.shape(inputs[0]))  # noqa: F821

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __float__(self):
        return 0.0


class Relu(Relu):  # noqa: F821
    calls = 0

    def forward(self, x):
        x[...] = 0
        return np.zeros(np.shape(x)).view(_Liar)  # noqa: F821

    def backward(self, dout):
        dout[...] = 0
        Relu.calls += 1
        return np.full(np.shape(dout), 7.0 + Relu.calls).view(_Liar)  # noqa: F821
