"""What a chapter-6 or chapter-7 layer does, observed on fixed random inputs: the observations of two
implementations agree when both are right, whichever right form each takes.

observe(name, module) runs the book's name (a class or function) from module and returns {what: value}, where a
value is an array, or the name of the exception raised; agree(name, ours, theirs) compares two such records with
the tolerance the right forms need (Adam's eps placement, BatchNormalization's eps). Dropout draws a random mask,
so its record holds properties that are true for any right mask instead, and agree asks them all to hold.
"""
import numpy as np

OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
GEOMETRIES = [(1, 0), (1, 1), (2, 0), (2, 1)]  # (stride, pad)
# rtol, atol per name: eps may sit elsewhere in Adam (~1e-6 of a step) and be 1e-5 in BatchNormalization.
TOLERANCE = {"Adam": (1e-4, 0.0), "BatchNormalization": (1e-4, 1e-5)}
DEFAULT_TOLERANCE = (1e-7, 1e-10)


def _run(record, what, function, *args, **kwargs):
    """Record function(*args, **kwargs): an array, "None" when it returns nothing, or the exception it raised."""
    try:
        value = function(*args, **kwargs)
    except Exception as exc:  # the submission's own code: what it raised is part of what it does
        record[what] = type(exc).__name__
    else:
        record[what] = "None" if value is None else np.array(value, dtype=float)


def optimizer(cls):
    """Three updates of two parameters: each step taken, and whether params kept the very arrays it held; then one
    update by a second optimizer."""
    rng = np.random.default_rng(0)
    params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    held = dict(params)
    opt, record = cls(), {}
    for step in range(3):
        grads = {key: rng.standard_normal(value.shape) for key, value in params.items()}
        before = {key: value.copy() for key, value in params.items()}
        _run(record, f"update {step}", opt.update, params, grads)
        for key in params:
            record[f"step {step} {key}"] = np.asarray(params[key] - before[key], dtype=float)
    record["in place"] = np.array([params[key] is held[key] for key in held], dtype=float)
    # A second optimizer starts afresh: nothing of the first one's state is shared through the class.
    fresh = {key: value.copy() for key, value in params.items()}
    grads = {key: rng.standard_normal(value.shape) for key, value in fresh.items()}
    before = {key: value.copy() for key, value in fresh.items()}
    _run(record, "second optimizer's update", cls().update, fresh, grads)
    for key in fresh:
        record[f"second optimizer's step {key}"] = np.asarray(fresh[key] - before[key], dtype=float)
    return record


def dropout(cls):
    """Properties of any right Dropout, ratio 0.3: about 70% kept, kept units scaled alike by s, testing scales
    every unit by (1 - ratio) * s, backward passes dout through forward's own mask with the same s, and a new
    forward draws a new mask."""
    np.random.seed(0)
    x = np.random.rand(300, 400) + 1.0
    dout = np.random.rand(300, 400) + 1.0
    layer = cls(0.3)
    record = {}
    try:
        out = np.asarray(layer.forward(x, train_flg=True), dtype=float)
        dx = np.asarray(layer.backward(dout), dtype=float)
        test = np.asarray(layer.forward(x, train_flg=False), dtype=float)
        again = np.asarray(layer.forward(x, train_flg=True), dtype=float)
    except Exception as exc:  # the submission's own code
        return {"runs": type(exc).__name__}
    kept = out != 0
    scale = out[kept] / x[kept]
    s = scale.mean() if scale.size else 0.0
    record["keeps about 1 - ratio"] = bool(abs(kept.mean() - 0.7) < 0.01)
    record["kept units scaled alike"] = bool(scale.size and np.allclose(scale, s))
    record["testing scales by the expected keep"] = bool(np.allclose(test, x * 0.7 * s))
    record["backward uses forward's mask"] = bool(np.allclose(dx, np.where(kept, dout * s, 0.0)))
    record["each forward draws anew"] = not np.array_equal(again != 0, kept)
    return record


def batch_normalization(cls):
    """Two training steps and a test step, on a 2-D batch and a 4-D one: outputs, gradients, running statistics."""
    record = {}
    for shape in [(10, 4), (10, 2, 2, 2)]:
        rng = np.random.default_rng(1)
        features = int(np.prod(shape[1:]))
        gamma, beta = rng.standard_normal(features), rng.standard_normal(features)
        layer = cls(gamma, beta)
        for step in range(2):
            x, dout = rng.standard_normal(shape) * 2 + 1, rng.standard_normal(shape)
            _run(record, f"{shape} forward {step}", layer.forward, x, train_flg=True)
            _run(record, f"{shape} dx {step}", layer.backward, dout)
            _run(record, f"{shape} dgamma {step}", getattr, layer, "dgamma")
            _run(record, f"{shape} dbeta {step}", getattr, layer, "dbeta")
        x = rng.standard_normal(shape) * 2 + 1
        _run(record, f"{shape} test forward", layer.forward, x, train_flg=False)
        _run(record, f"{shape} running mean", getattr, layer, "running_mean")
        _run(record, f"{shape} running var", getattr, layer, "running_var")
    return record


def convolution(cls):
    record = {}
    for stride, pad in GEOMETRIES:
        rng = np.random.default_rng(2)
        x, W, b = rng.standard_normal((2, 2, 5, 6)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
        layer = cls(W, b, stride, pad)
        dout = rng.standard_normal((2, 3, (5 + 2 * pad - 3) // stride + 1, (6 + 2 * pad - 2) // stride + 1))
        _run(record, f"{stride, pad} forward", layer.forward, x)
        _run(record, f"{stride, pad} dx", layer.backward, dout)
        _run(record, f"{stride, pad} dW", getattr, layer, "dW")
        _run(record, f"{stride, pad} db", getattr, layer, "db")
    return record


def pooling(cls):
    """Windows with stride equal to the window (with a ragged edge), and overlapping ones; no ties in any window."""
    record = {}
    for window, stride in [(2, 2), (3, 3), (2, 1), (3, 2)]:
        rng = np.random.default_rng(3)
        x = rng.permutation(2 * 3 * 7 * 7).reshape(2, 3, 7, 7) * 0.1
        layer = cls(window, window, stride)
        out = (7 - window) // stride + 1
        dout = rng.standard_normal((2, 3, out, out))
        _run(record, f"{window, stride} forward", layer.forward, x)
        _run(record, f"{window, stride} dx", layer.backward, dout)
    return record


def im2col(function):
    record = {}
    for stride, pad in GEOMETRIES:
        x = np.random.default_rng(4).standard_normal((2, 2, 5, 6))
        _run(record, f"{stride, pad}", function, x, 3, 2, stride, pad)
    return record


def col2im(function):
    record = {}
    for stride, pad in GEOMETRIES:
        rows = 2 * ((5 + 2 * pad - 3) // stride + 1) * ((6 + 2 * pad - 2) // stride + 1)
        col = np.random.default_rng(5).standard_normal((rows, 2 * 3 * 2))
        _run(record, f"{stride, pad}", function, col, (2, 2, 5, 6), 3, 2, stride, pad)
    return record


def simple_convnet(cls):
    """A small net drawn from a seeded generator: its params, layers, scores, loss, gradient and accuracy, and its
    scores after every param moved in place."""
    record = {}
    conv_param = {"filter_num": 2, "filter_size": 3, "pad": 0, "stride": 1}
    np.random.seed(6)
    try:
        net = cls((1, 6, 6), conv_param, 5, 3, 1.0)
        book_scale = cls((1, 6, 6), conv_param, 5, 3)
    except Exception as exc:  # the submission's own code
        return {"init": type(exc).__name__}
    for key in sorted(book_scale.params):
        record[f"params {key} at 0.01"] = np.array(book_scale.params[key], dtype=float)
    rng = np.random.default_rng(6)
    x, t = rng.standard_normal((6, 1, 6, 6)), rng.integers(0, 3, size=6)
    for key in sorted(net.params):
        record[f"params {key}"] = np.array(net.params[key], dtype=float)
    record["layers"] = " ".join(net.layers)
    _run(record, "predict", net.predict, x)
    _run(record, "loss", net.loss, x, t)
    grads = net.gradient(x, t)
    for key in sorted(grads):
        record[f"gradient {key}"] = np.array(grads[key], dtype=float)
    _run(record, "accuracy", net.accuracy, x, t, batch_size=3)
    _run(record, "accuracy one-hot", net.accuracy, x, np.eye(3)[t], batch_size=3)
    for key in net.params:
        net.params[key] -= 0.1
    _run(record, "predict after a step", net.predict, x)
    return record


PROBES = {**{name: optimizer for name in OPTIMIZERS}, "Dropout": dropout, "BatchNormalization": batch_normalization,
          "Convolution": convolution, "Pooling": pooling, "im2col": im2col, "col2im": col2im,
          "SimpleConvNet": simple_convnet}


def observe(name, module):
    return PROBES[name](getattr(module, name))


def disagreements(name, ours, theirs):
    """What differs between two records of name (the reference's first), as readable lines; none when they agree."""
    if name == "Dropout":
        return [f"{what}: {held}" for what, held in theirs.items() if held is not True]
    rtol, atol = TOLERANCE.get(name, DEFAULT_TOLERANCE)
    found = []
    for what in ours.keys() | theirs.keys():
        a, b = ours.get(what), theirs.get(what)
        if isinstance(a, str) or isinstance(b, str):
            same = isinstance(a, str) and isinstance(b, str) and a == b
        else:
            same = a is not None and b is not None and a.shape == b.shape and np.allclose(b, a, rtol=rtol, atol=atol)
        if not same:
            found.append(f"{what}: {b if isinstance(b, str) else getattr(b, 'shape', b)}")
    return sorted(found)
