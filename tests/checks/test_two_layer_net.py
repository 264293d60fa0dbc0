"""TwoLayerNet: Affine1 -> Relu1 -> Affine2 -> SoftmaxWithLoss, with params shared by the layers.

The graded checks run the submission's two_layer_net.py on the reference layers (the `net_class` fixture), so
only the network's own code is graded here; the last check, worth no points, runs it on the student's layers.
A net under test is compared with a reference net holding exactly the same params, copied out of it. Params
are changed only by `net.params[key] -= step`, the one update the book's optimisers make.
"""
import numpy as np
from hypothesis import example, given, settings

from backprop_grader.diagnose import answer_of, expect_close
from backprop_grader.feedback import CheckFailure, after_statement, on_own_layers, show

from .gradcheck import DIRECTIONAL_H, NUMERIC_FLOOR, NUMERIC_RTOL, Directional, numeric_grad_by_steps
from .marks import check, diagnosis_examples
from .strategies import net_dims, one_hot, rng, seeds

KEYS = ("W1", "b1", "W2", "b2")
LEARNING_RATE = 0.1
# No hidden pre-activation of a numerically differentiated net is closer than this to Relu's kink: moving one
# param by h moves it by at most h * max|x| = 2e-4.
KINK_MARGIN = 0.05
# The layers one gradient(x, t) backpropagates through, by class: each runs forward once (in self.loss) and
# backward once. Up to FORWARDS_ALLOWED times as many forward calls pass (a gradient that also calls predict,
# say); a numerical gradient makes two loss(x, t) per param entry, 86 of them on BACKPROP_DIMS.
BACKPROP_LAYERS = {"Affine": 2, "Relu": 1, "SoftmaxWithLoss": 1}
FORWARDS_ALLOWED = 2
BACKPROP_DIMS = (3, 4, 5, 3)


def _name(d, h, c):
    return f"TwoLayerNet({d}, {h}, {c})"


def _shapes(d, h, c):
    return {"W1": (d, h), "b1": (h,), "W2": (h, c), "b2": (c,)}


def _params_of(net, d, h, c):
    """Copies of the net's params, after checking that each key is there with the book's shape."""
    found = {}
    for key, shape in _shapes(d, h, c).items():
        try:
            value = np.array(net.params[key], dtype=np.float64)
        except KeyError:
            raise CheckFailure("net_param_missing", param=key, net=_name(d, h, c)) from None
        if value.shape != shape:
            raise CheckFailure("net_param_shape", param=key, net=_name(d, h, c), got_shape=str(value.shape), expected_shape=str(shape))
        found[key] = value
    return found


def _twin(ref, net, d, h, c):
    """A reference TwoLayerNet holding exactly the params net holds now."""
    twin = ref.TwoLayerNet(d, h, c)
    for key, value in _params_of(net, d, h, c).items():
        twin.params[key][...] = value
    return twin


def _set_params(net, values):
    """Move the net's params to values in place (they end within rounding of them)."""
    for key, value in values.items():
        net.params[key] -= np.array(net.params[key], dtype=np.float64) - value


def _draw_params(r, d, h, c):
    return {key: r.uniform(-1.0, 1.0, size=shape) for key, shape in _shapes(d, h, c).items()}


def _batch(r, n, d, c):
    return r.uniform(-2.0, 2.0, size=(n, d)), r.integers(0, c, size=n)


def _away_from_kink(seed, n, d, h, c):
    """Params and a batch whose hidden pre-activations x @ W1 + b1 are all at least KINK_MARGIN from 0, so no
    central difference straddles Relu's kink: drawn again from the same generator until they are."""
    r = rng(seed)
    while True:
        params = _draw_params(r, d, h, c)
        x, t = _batch(r, n, d, c)
        if np.min(np.abs(x @ params["W1"] + params["b1"])) >= KINK_MARGIN:
            return params, x, t


def _net_and_twin(net_class, ref, d, h, c):
    """A submission net with weights of O(1) (weight_init_std=1) and its reference twin. Its params are
    copied out of it, so the comparison does not depend on them being shared with the layers."""
    net = net_class(d, h, c, weight_init_std=1.0)
    return net, _twin(ref, net, d, h, c)


def _shown(**arrays):
    return "; ".join(f"{name} = {show(value)}" for name, value in arrays.items())


def _gradient(net, x, t):
    """net.gradient(x, t) as a dict of the four keys, or a failure saying what it returned instead."""
    grads = net.gradient(x.copy(), t.copy())
    if grads is None:
        raise CheckFailure("returned_none", what="gradient(x, t)", inputs=_shown(x=x, t=t))
    for key in KEYS:
        if key not in grads:
            raise CheckFailure("net_gradient_missing_key", got=show(grads, 120), param=key, inputs=_shown(x=x, t=t))
    return {key: grads[key] for key in KEYS}


def _swapped(right, key):
    """The gradient of the other Affine layer under key (W1 for W2, ...): the layers' names mixed up."""
    other = {"W1": "W2", "W2": "W1", "b1": "b2", "b2": "b1"}[key]
    return [("hint_net_gradient", right[other])]


def _other_keys(right, key):
    """Every other key's slope under key: numerical_gradient reading another param than its key's."""
    return [("hint_net_numerical_gradient", right[other]) for other in KEYS if other != key]


def _holds_copies(net, x, slopes):
    """Whether the loss has no slope at all in a param because the layers compute with copies of the params:
    moving every param by 1 in place leaves predict(x) as it was (it is then moved back)."""
    if np.any(slopes):
        return False

    def moved_by(delta):
        for key in KEYS:
            net.params[key] -= delta
        return np.array(net.predict(x.copy()), dtype=np.float64)

    before = answer_of(moved_by, 0.0)
    after = answer_of(moved_by, 1.0)
    answer_of(moved_by, -1.0)
    return before is not None and after is not None and np.array_equal(before, after)


def _sgd_step(net, x, t, d, h, c):
    """net.params[key] -= LEARNING_RATE * gradient(x, t)[key] for every key, once each gradient has its param's shape."""
    grads = _gradient(net, x, t)
    for key, shape in _shapes(d, h, c).items():
        grad = np.asarray(grads[key], dtype=np.float64)
        if grad.shape != shape:
            raise CheckFailure("wrong_shape", what=f"gradient(x, t)['{key}']", got_shape=str(grad.shape), expected_shape=str(shape), inputs=_shown(x=x, t=t))
        net.params[key] -= LEARNING_RATE * grad


def _agrees_along_random_directions(net, x, t, grads, seed):
    """Whether gradient(x, t) agrees, in each param, with the loss's slope along one random direction of it
    (gradcheck.py's directional comparison): two losses per param where the slope of each entry takes two per
    entry, and each loss of the net is a callback per layer when isolated. Agreeing, the gradient is right; not,
    the entry-by-entry comparison (_central_differences) decides, and says which entry."""
    directions = np.random.default_rng(seed)
    for key in KEYS:
        grad = grads[key]
        if not isinstance(grad, np.ndarray) or grad.dtype.kind != "f" or grad.shape != np.shape(net.params[key]):
            return False
        u = directions.standard_normal(grad.shape)
        taken = []
        for delta in (-DIRECTIONAL_H * u, 2 * DIRECTIONAL_H * u):
            net.params[key] -= delta
            taken.append((np.array(net.params[key], dtype=np.float64), float(net.loss(x.copy(), t.copy()))))
        net.params[key] -= -DIRECTIONAL_H * u
        (plus_at, plus), (minus_at, minus) = taken
        u_taken = (plus_at - minus_at) / (2 * DIRECTIONAL_H)
        numeric, analytic = (plus - minus) / (2 * DIRECTIONAL_H), float(np.sum(grad * u_taken))
        scale = abs(numeric) + float(np.sum(np.abs(grad * u_taken)))
        if not Directional(key, numeric, analytic, scale).ok:
            return False
    return True


def _central_differences(net, x, t):
    """The slope of net.loss(x, t) in each param, moving net.params[key] in place and back."""
    slopes = {}
    for key in KEYS:

        def step(delta, key=key):
            net.params[key] -= delta

        slopes[key] = numeric_grad_by_steps(lambda: float(net.loss(x.copy(), t.copy())), step, np.shape(net.params[key]))
    return slopes


@check("TwoLayerNet", points=1)
def test_params_have_book_shapes_and_scale(net_class):
    """params holds W1, b1, W2, b2 with the book's shapes; weights are weight_init_std * randn, biases zeros."""
    d, h, c = 40, 50, 40
    for scale, net in ((0.01, net_class(d, h, c)), (2.0, net_class(d, h, c, weight_init_std=2.0))):
        params = _params_of(net, d, h, c)
        for key in ("W1", "W2"):
            mean, std = params[key].mean(), params[key].std()
            if abs(mean) > 0.2 * scale or not 0.8 * scale <= std <= 1.2 * scale:
                raise CheckFailure("net_weight_scale", param=key, net=_name(d, h, c), mean=f"{mean:.3g}", std=f"{std:.3g}", scale=scale)
        for key in ("b1", "b2"):
            if np.any(params[key] != 0):
                raise CheckFailure("net_bias_not_zero", param=key, net=_name(d, h, c), got=show(params[key]))


@check("TwoLayerNet", points=1)
def test_layers_in_book_order(net_class, ref):
    """self.layers holds Affine1, Relu1, Affine2 in this order and self.lastLayer is a SoftmaxWithLoss."""
    net = net_class(4, 5, 3)
    names = [str(name) for name in net.layers]
    if names != ["Affine1", "Relu1", "Affine2"]:
        raise CheckFailure("net_layer_names", got=show(names))
    try:
        last = net.lastLayer
    except AttributeError:
        raise CheckFailure("net_no_last_layer") from None
    if last is None:
        raise CheckFailure("net_no_last_layer")
    scores, t = rng(0).uniform(-2.0, 2.0, size=(2, 3)), np.array([2, 0])
    expected = ref.SoftmaxWithLoss().forward(scores, t)
    expect_close(last.forward(scores.copy(), t.copy()), expected, "self.lastLayer.forward(scores, t)", inputs={"scores": scores, "t": t})


@check("TwoLayerNet", points=2)
# As many inputs as hidden units: Affine(b1, W1) and no Affine1 at all, which fail alike on other sizes, do not.
@diagnosis_examples({"dims": (2, 3, 3, 2), "seed": 0})
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=10)
@example(dims=(3, 4, 5, 3), seed=0)
def test_predict_matches_reference(net_class, ref, dims, seed):
    """predict(x) gives the scores of Affine1 -> Relu1 -> Affine2 for the net's own params."""
    n, d, h, c = dims
    net, twin = _net_and_twin(net_class, ref, d, h, c)
    x, _ = _batch(rng(seed), n, d, c)
    scores = twin.predict(x)
    softmax_too = [("hint_net_predict", ref.softmax(scores))]  # chapter 4's predict, ending in a softmax
    expect_close(net.predict(x.copy()), scores, "predict(x)", inputs={"x": x}, mistakes=softmax_too)


@check("TwoLayerNet", points=2)
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=10)
@example(dims=(3, 4, 5, 3), seed=0)
def test_loss_matches_reference(net_class, ref, dims, seed):
    """loss(x, t) is the softmax cross-entropy of predict(x), for labels and for one-hot t."""
    n, d, h, c = dims
    net, twin = _net_and_twin(net_class, ref, d, h, c)
    x, t = _batch(rng(seed), n, d, c)
    for labels in (t, one_hot(t, c)):
        expected = twin.loss(x, labels)
        mistakes = [
            ("hint_net_loss", answer_of(ref.SoftmaxWithLoss().forward, x, labels)),  # x given to lastLayer as it is
            ("hint_net_predict", ref.SoftmaxWithLoss().forward(ref.softmax(twin.predict(x)), labels)),
        ]
        expect_close(net.loss(x.copy(), labels.copy()), expected, "loss(x, t)", inputs={"x": x, "t": labels}, mistakes=mistakes)


@check("TwoLayerNet", points=2)
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=10)
@example(dims=(3, 4, 5, 3), seed=0)
def test_gradient_matches_reference(net_class, ref, dims, seed):
    """gradient(x, t) returns the backpropagated dW and db of both Affine layers under W1, b1, W2, b2."""
    n, d, h, c = dims
    net, twin = _net_and_twin(net_class, ref, d, h, c)
    x, t = _batch(rng(seed), n, d, c)
    for labels in (t, one_hot(t, c)):
        grads, expected = _gradient(net, x, labels), twin.gradient(x, labels)
        for key in KEYS:
            expect_close(grads[key], expected[key], f"gradient(x, t)['{key}']", inputs={"x": x, "t": labels}, batch_size=n, mistakes=_swapped(expected, key))


@check("TwoLayerNet", points=1)
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=4)
@example(dims=(3, 4, 5, 3), seed=0)
def test_gradient_matches_numerical(net_class, dims, seed):
    """gradient(x, t) agrees with central differences of your own loss(x, t) in every param."""
    n, d, h, c = dims
    params, x, t = _away_from_kink(seed, n, d, h, c)
    net = net_class(d, h, c)
    _params_of(net, d, h, c)
    _set_params(net, params)
    grads = _gradient(net, x, t)
    if _agrees_along_random_directions(net, x, t, grads, seed):
        return
    slopes = _central_differences(net, x, t)
    for key in KEYS:
        hint = "hint_net_numeric" if _holds_copies(net, x, slopes[key]) else None
        expect_close(grads[key], slopes[key], f"gradient(x, t)['{key}']", inputs={"x": x, "t": t}, batch_size=n, hint=hint, rtol=NUMERIC_RTOL, floor=NUMERIC_FLOOR, mistakes=_swapped(slopes, key))


@check("TwoLayerNet", points=2)
def test_gradient_backpropagates(net_class, layer_calls):
    """gradient(x, t) backpropagates: one forward and one backward through each layer, not a numerical gradient."""
    n, d, h, c = BACKPROP_DIMS
    net = net_class(d, h, c, weight_init_std=1.0)
    x, t = _batch(rng(0), n, d, c)
    before = layer_calls()
    _gradient(net, x, t)
    after = layer_calls()
    made = {name: [now - then for now, then in zip(counts, before.get(name, (0, 0)))] for name, counts in after.items()}
    backprop = all(made.get(name, (0, 0))[1] >= times for name, times in BACKPROP_LAYERS.items())
    forwards = sum(counts[0] for counts in made.values())
    if not backprop or forwards > FORWARDS_ALLOWED * sum(BACKPROP_LAYERS.values()):
        shown = [*BACKPROP_LAYERS, *(name for name in made if name not in BACKPROP_LAYERS and any(made[name]))]
        made = {name: made.get(name, (0, 0)) for name in shown}
        calls = ", ".join(f"{name}.{method}: {made[name][i]}" for name in shown for i, method in enumerate(("forward", "backward")))
        raise CheckFailure("net_gradient_not_backprop", n=n, calls=calls, hint="hint_net_backprop")


@check("TwoLayerNet", points=1)
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=4)
@example(dims=(3, 4, 5, 3), seed=0)
def test_numerical_gradient_matches_reference(net_class, ref, dims, seed):
    """numerical_gradient(x, t), given in the template, still returns each param's own slope."""
    n, d, h, c = dims
    params, x, t = _away_from_kink(seed, n, d, h, c)
    net = net_class(d, h, c)
    _params_of(net, d, h, c)
    _set_params(net, params)
    expected = _twin(ref, net, d, h, c).gradient(x, t)
    slopes = net.numerical_gradient(x.copy(), t.copy())
    for key in KEYS:
        hint = "hint_net_shared" if _holds_copies(net, x, slopes[key]) else None
        expect_close(slopes[key], expected[key], f"numerical_gradient(x, t)['{key}']", inputs={"x": x, "t": t}, hint=hint, rtol=NUMERIC_RTOL, floor=NUMERIC_FLOOR, mistakes=_other_keys(expected, key))


@check("TwoLayerNet", points=2)
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=5)
@example(dims=(3, 4, 5, 3), seed=0)
def test_params_shared_with_layers(net_class, ref, dims, seed):
    """after net.params[key] -= step, predict uses the new values: the layers hold the very arrays in params."""
    n, d, h, c = dims
    net, twin = _net_and_twin(net_class, ref, d, h, c)
    r = rng(seed)
    x, _ = _batch(r, n, d, c)
    copied = [("hint_net_shared", twin.predict(x))]  # layers built on copies predict with the first params forever
    for key, step in _draw_params(r, d, h, c).items():
        net.params[key] -= step
        twin.params[key] -= step
        expect_close(net.predict(x.copy()), twin.predict(x), after_statement("predict(x)", f"net.params['{key}'] -= step"), inputs={"x": x, "step": step}, mistakes=copied)


@check("TwoLayerNet", points=1)
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=5)
@example(dims=(3, 4, 5, 3), seed=0)
def test_sgd_step_lowers_loss(net_class, dims, seed):
    """one step against the gradient, net.params[key] -= lr * gradient(x, t)[key], lowers the loss on that batch."""
    n, d, h, c = dims
    r = rng(seed)
    params, (x, t) = _draw_params(r, d, h, c), _batch(r, n, d, c)
    net = net_class(d, h, c)
    _params_of(net, d, h, c)
    _set_params(net, params)
    before = float(net.loss(x.copy(), t.copy()))
    _sgd_step(net, x, t, d, h, c)
    after = float(net.loss(x.copy(), t.copy()))
    if not after < before:
        raise CheckFailure("net_sgd_no_progress", lr=LEARNING_RATE, before=f"{before:.6g}", after=f"{after:.6g}", inputs=_shown(x=x, t=t))


@check("TwoLayerNet", points=1)
# Batches of 4 and 5, whose accuracies tell apart argmin from a count of the misses, and n / hits from hits.
@diagnosis_examples({"dims": (4, 3, 4, 3), "seed": 1}, {"dims": (5, 2, 3, 4), "seed": 2})
@given(dims=net_dims(), seed=seeds)
@settings(max_examples=10)
@example(dims=(1, 2, 3, 3), seed=0)
def test_accuracy_matches_reference(net_class, ref, dims, seed):
    """accuracy(x, t) is the fraction of rows whose highest score is the label, for labels and one-hot t."""
    n, d, h, c = dims
    net, twin = _net_and_twin(net_class, ref, d, h, c)
    r = rng(seed)
    x, t = _batch(r, n, d, c)
    # Every other row labelled with its predicted class, so that a right accuracy is neither 0 nor 1.
    t[::2] = np.argmax(twin.predict(x), axis=1)[::2]
    for labels in (t, one_hot(t, c)):
        expected = twin.accuracy(x, labels)
        # np.argmax(y, axis=0), the best row of each class, against the labels
        wrong_axis = [("hint_net_accuracy", answer_of(lambda: float(np.sum(np.argmax(twin.predict(x), axis=0) == t) / n)))]
        expect_close(net.accuracy(x.copy(), labels.copy()), expected, "accuracy(x, t)", inputs={"x": x, "t": labels}, mistakes=wrong_axis)


@check("TwoLayerNet", points=0)
def test_own_layers_train(impl):
    """For information, no points: TwoLayerNet on your own layers has a right gradient and learns a batch."""
    n, d, h, c = 3, 4, 5, 3
    params, x, t = _away_from_kink(0, n, d, h, c)
    net = impl.TwoLayerNet(d, h, c)
    _params_of(net, d, h, c)
    _set_params(net, params)
    grads = _gradient(net, x, t)
    slopes = _central_differences(net, x, t)
    for key in KEYS:
        expect_close(grads[key], slopes[key], on_own_layers(f"gradient(x, t)['{key}']"), inputs={"x": x, "t": t}, batch_size=n, rtol=NUMERIC_RTOL, floor=NUMERIC_FLOOR)
    steps = 5
    before = float(net.loss(x.copy(), t.copy()))
    for _ in range(steps):
        _sgd_step(net, x, t, d, h, c)
    after = float(net.loss(x.copy(), t.copy()))
    if not after < before:
        raise CheckFailure("net_own_stack_not_training", steps=steps, before=f"{before:.6g}", after=f"{after:.6g}")
