"""What a bug does to training (`python grader.py --plot`, `check(..., plot=True)`): the learner's TwoLayerNet on
their own layers and the reference's, trained side by side from the same weights on a small data set made here
(three clouds of points in the plane, no download), and, for a layer whose numerical-gradient check failed, its
backward's entries against the slopes of its own forward.

The learner's code runs where a grade runs it: in the isolated worker, through the same proxies (or in this
process with --no-isolate). Whatever it raises or returns that is not a finite number ends its curve there, with
the reason, and never this process. The reference runs here: it is trusted.
"""
import contextlib
from dataclasses import dataclass, field

import numpy as np

from .book import LAYERS
from .results import PASSED
from .shipped import REFERENCE_DIR

STEPS = 300
LEARNING_RATE = 0.1  # at 0.2 the reference's own loss rises on a third of the steps after ~100: a wobble to misread
SIZES = (2, 10, 3)  # input, hidden, output: points in the plane, three classes
POINTS_PER_CLASS = 30
SEED = 0
# The layers the book's TwoLayerNet is built of: a failed check of one of these is a wrong gradient in training.
NET_LAYERS = ("Affine", "Relu", "SoftmaxWithLoss")
OFF_DIAGONAL = 1e-4  # relative distance from analytic = numerical that marks a point as off the diagonal


@dataclass
class Curve:
    losses: list  # the loss before each step and after the last, as far as it got
    stopped: str = None  # why it stopped early (the learner's error, or a loss that is not a finite number)


@dataclass
class Scatter:
    layer: str
    what: str  # the gradient compared, e.g. "dW"
    analytic: np.ndarray  # every entry, flattened
    numerical: np.ndarray

    @property
    def off(self):
        """Which points are off the diagonal analytic = numerical."""
        return np.abs(self.analytic - self.numerical) > OFF_DIAGONAL * (1.0 + np.abs(self.numerical))


@dataclass
class Training:
    reference: Curve
    yours: Curve
    wrong_layers: list = field(default_factory=list)  # the net's layers (and the net) whose checks failed
    scatter: Scatter = None


def data(seed=SEED):
    """Three clouds of points around the corners of a triangle, and their labels. The triangle is away from the
    origin, so that the network needs its biases: a wrong db shows in the curve."""
    r = np.random.default_rng(seed)
    centres = np.array([[0.0, 1.5], [-1.3, -0.75], [1.3, -0.75]]) + 3.0
    x = np.concatenate([c + r.normal(0.0, 0.8, size=(POINTS_PER_CLASS, 2)) for c in centres])
    t = np.repeat(np.arange(len(centres)), POINTS_PER_CLASS)
    return x, t


def _initial_params(seed=SEED):
    r = np.random.default_rng(seed + 1)
    d, h, c = SIZES
    return {"W1": r.normal(0.0, 0.3, (d, h)), "b1": np.zeros(h), "W2": r.normal(0.0, 0.3, (h, c)), "b2": np.zeros(c)}


def _number(value):
    value = float(np.asarray(value, dtype=np.float64))
    if not np.isfinite(value):
        raise ValueError(f"the loss is {value}")
    return value


def train(net, x, t, steps=STEPS):
    """SGD on the whole batch from _initial_params; the Curve. The net's params change in place, as the book's
    training loops change them."""
    losses = []
    try:
        for key, value in _initial_params().items():
            net.params[key] -= np.array(net.params[key], dtype=np.float64) - value
        for _ in range(steps):
            losses.append(_number(net.loss(x.copy(), t.copy())))
            grads = net.gradient(x.copy(), t.copy())
            for key, value in _initial_params().items():
                grad = np.asarray(grads[key], dtype=np.float64)
                if grad.shape != value.shape:  # the book's in-place update could not take it either
                    raise ValueError(f"gradient(x, t)['{key}'] has shape {grad.shape}, {key} has {value.shape}")
                net.params[key] -= LEARNING_RATE * grad
        losses.append(_number(net.loss(x.copy(), t.copy())))
    except Exception as exc:  # the learner's code failed: their curve ends here, with why
        return Curve(losses, stopped=_reason(exc))
    return Curve(losses)


def _reason(exc):
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def wrong_layers(result):
    """The net's layers (and TwoLayerNet) that lost points in the grade result, in the book's order."""
    lost = {r.check.layer for r in result.results if r.status != PASSED and r.check.points > 0}
    return [layer for layer in LAYERS if layer in lost and (layer in NET_LAYERS or layer == "TwoLayerNet")]


def _failed_gradient_check(result):
    """(layer, check name) of the first failed numerical-gradient check of a layer, or None."""
    for r in result.results:
        if r.status != PASSED and r.check.name.startswith("numerical_gradient") and r.check.layer != "TwoLayerNet":
            return r.check.layer, r.check.name
    return None


def scatter_for(impl, layer, check_name, gradient_of, seed=SEED):
    """The learner's analytic gradient and the slopes of their own forward, for the gradient check_name compares;
    gradient_of(f, x): central differences of the scalar f at x (the reference's numerical_gradient, run here)."""
    r = np.random.default_rng(seed + 2)
    x = r.uniform(-2.0, 2.0, (3, 4))
    dout = r.uniform(-1.0, 1.0, (3, 4))

    def total(out, weights):
        return float(np.sum(np.asarray(out, dtype=np.float64) * weights))

    if layer in ("Relu", "Sigmoid"):
        unit = getattr(impl, layer)()
        unit.forward(x.copy())
        analytic = unit.backward(dout.copy())
        return Scatter(layer, "dx", analytic, gradient_of(lambda v: total(getattr(impl, layer)().forward(v.copy()), dout), x))
    if layer in ("MulLayer", "AddLayer"):
        y = r.uniform(-2.0, 2.0, (3, 4))
        unit = getattr(impl, layer)()
        unit.forward(x.copy(), y.copy())
        analytic = unit.backward(dout.copy())[0]
        slopes = gradient_of(lambda v: total(getattr(impl, layer)().forward(v.copy(), y.copy()), dout), x)
        return Scatter(layer, "dx", analytic, slopes)
    if layer == "Affine":
        W, b, dout = r.uniform(-1.0, 1.0, (4, 3)), r.uniform(-1.0, 1.0, 3), r.uniform(-1.0, 1.0, (3, 3))
        unit = impl.Affine(W.copy(), b.copy())
        unit.forward(x.copy())
        dx = unit.backward(dout.copy())
        what = check_name.rsplit("_", 1)[-1]  # dx, dW or db
        if what == "dW":
            slopes = gradient_of(lambda v: total(impl.Affine(v.copy(), b.copy()).forward(x.copy()), dout), W)
            return Scatter(layer, what, unit.dW, slopes)
        if what == "db":
            slopes = gradient_of(lambda v: total(impl.Affine(W.copy(), v.copy()).forward(x.copy()), dout), b)
            return Scatter(layer, what, unit.db, slopes)
        slopes = gradient_of(lambda v: total(impl.Affine(W.copy(), b.copy()).forward(v.copy()), dout), x)
        return Scatter(layer, "dx", dx, slopes)
    if layer == "SoftmaxWithLoss":
        t = r.integers(0, 4, 3)
        unit = impl.SoftmaxWithLoss()
        unit.forward(x.copy(), t.copy())
        analytic = unit.backward(1)
        slopes = gradient_of(lambda v: float(impl.SoftmaxWithLoss().forward(v.copy(), t.copy())), x)
        return Scatter(layer, "dx", analytic, slopes)
    return None


@contextlib.contextmanager
def learner(submission, options):
    """The learner's implementation as a grade sees it: proxies of a worker's objects, or loaded here."""
    if not options.isolate:
        from .loader import load

        yield load(submission, aliases=options.aliases, use=options.use)
        return
    from .isolation.proxies import IsolatedImplementation
    from .isolation.session import Session

    session = Session(submission, options=options)
    try:
        session.begin_check()
        yield IsolatedImplementation(session)
    finally:
        session.close()


def run(submission, options, result):
    """The Training of the submission at path submission, graded as result (a GradeResult) says."""
    with learner(submission, options) as impl:
        return run_on(impl, result)


def run_on(impl, result):
    """The Training of the implementation impl (the `impl` a grade's checks get), graded as result says."""
    from .loader import load

    x, t = data()
    ref = load(REFERENCE_DIR)
    reference = train(ref.TwoLayerNet(*SIZES), x, t)
    try:
        net = impl.TwoLayerNet(*SIZES)
    except Exception as exc:  # their network cannot even be built: an empty curve says why
        yours = Curve([], stopped=_reason(exc))
    else:
        yours = train(net, x, t)
    return Training(reference, yours, wrong_layers(result), _scatter(impl, result, ref.numerical_gradient))


def _scatter(impl, result, slopes):
    """The Scatter of the first failed numerical-gradient check of a layer, or None (none failed, or the layer
    fails before it has a gradient of its input's shape to show: the report says why)."""
    failed = _failed_gradient_check(result)
    if failed is None:
        return None
    try:
        found = scatter_for(impl, *failed, slopes)
        if found is None:
            return None
        analytic = np.asarray(found.analytic, dtype=np.float64)
    except Exception:  # the learner's layer raised or returned no array
        return None
    if analytic.shape != found.numerical.shape:
        return None
    return Scatter(found.layer, found.what, analytic.ravel(), found.numerical.ravel())
