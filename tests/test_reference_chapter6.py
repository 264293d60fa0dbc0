"""The chapter-6 reference (optimizers, Dropout, BatchNormalization) is right: its gradients agree with float64
central differences, its optimizers take hand-computed steps in place, and it computes what the book's own
code computes on the same inputs."""
import numpy as np
import pytest
from backprop_grader.reference.chapter6 import layers, optimizer
from chapters import book_code, numerical_grad

OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    code = book_code(tmp_path_factory.mktemp("book"))
    if code is None:
        pytest.skip("no copy of the book's repository on this machine")
    return code


def gradient_of_projection(forward, backward, x, dout, wrt):
    """(backward's gradient, the numerical one) of L = sum(forward() * dout) with respect to the array wrt."""
    forward()
    analytic = backward(dout)
    return analytic, numerical_grad(lambda: float(np.sum(forward() * dout)), wrt)


# Dropout ------------------------------------------------------------------------------------------------------

def test_dropout_backward_is_the_gradient_of_forward_with_its_mask_fixed():
    """Backward must route dout through the very mask forward drew: with the seed fixed, every forward draws it
    again, and the slope of forward is that mask."""
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    layer = layers.Dropout(0.4)

    def forward():
        np.random.seed(3)
        return layer.forward(x, train_flg=True)

    analytic, numeric = gradient_of_projection(forward, layer.backward, x, dout, x)
    assert np.allclose(analytic, numeric, atol=1e-8)
    assert 0 < layer.mask.sum() < layer.mask.size, "the seed should drop some units and keep others"


def test_dropout_keeps_about_one_minus_the_ratio_and_scales_in_testing():
    """In training, about 1 - dropout_ratio of the units pass unchanged and the rest are 0; in testing every unit
    passes, scaled by 1 - dropout_ratio, and the mask of the last training forward is left as it was."""
    np.random.seed(0)
    x = np.random.rand(200, 500) + 1.0
    layer = layers.Dropout(0.3)
    out = layer.forward(x)
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.01
    assert np.array_equal(out[kept], x[kept]) and np.array_equal(kept, layer.mask)
    mask = layer.mask.copy()
    assert np.allclose(layer.forward(x, train_flg=False), 0.7 * x)
    assert np.array_equal(layer.mask, mask)


def test_dropout_draws_the_books_mask(book):
    """Seeded alike, the reference and the book's Dropout drop the same units and give the same gradients."""
    x = np.random.default_rng(1).standard_normal((6, 7))
    ours, theirs = layers.Dropout(0.5), book.layers.Dropout(0.5)
    np.random.seed(5)
    out = ours.forward(x)
    np.random.seed(5)
    assert np.array_equal(out, theirs.forward(x))
    assert np.array_equal(ours.backward(x), theirs.backward(x.copy()))
    assert np.array_equal(ours.forward(x, train_flg=False), theirs.forward(x, train_flg=False))


# BatchNormalization ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(5, 4), (4, 2, 3, 3)], ids=["2-D", "4-D"])
def test_batchnorm_backward_is_the_gradient_of_forward(shape):
    """dx, dgamma and dbeta agree with central differences of the training forward, for a 2-D batch and a 4-D
    one (flattened to (N, C*H*W) as the book does): dx has terms through the batch's mean and variance."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal(shape) * 3 + 1
    features = int(np.prod(shape[1:]))
    gamma, beta = rng.standard_normal(features), rng.standard_normal(features)
    dout = rng.standard_normal(shape)
    layer = layers.BatchNormalization(gamma, beta)

    def forward():
        return layer.forward(x, train_flg=True)

    dx, numeric_dx = gradient_of_projection(forward, layer.backward, x, dout, x)
    assert np.allclose(dx, numeric_dx, atol=1e-7), "dx"
    forward()
    layer.backward(dout)
    assert np.allclose(layer.dgamma, numerical_grad(lambda: float(np.sum(forward() * dout)), gamma), atol=1e-7)
    assert np.allclose(layer.dbeta, numerical_grad(lambda: float(np.sum(forward() * dout)), beta), atol=1e-7)
    assert dx.shape == shape and layer.dgamma.shape == layer.dbeta.shape == (features,)


def test_batchnorm_running_statistics_move_in_training_and_serve_in_testing():
    """Each training forward moves running_mean and running_var from zero towards the batch's mean and (biased)
    variance by 1 - momentum; a test forward normalises with them and changes nothing."""
    x1 = np.array([[1.0, 2.0], [3.0, 6.0]])
    x2 = np.array([[0.0, -2.0], [4.0, 2.0]])
    layer = layers.BatchNormalization(np.ones(2), np.zeros(2), momentum=0.9)
    layer.forward(x1)
    assert np.allclose(layer.running_mean, [0.2, 0.4]) and np.allclose(layer.running_var, [0.1, 0.4])
    layer.forward(x2)
    # mean (2, 0), variance (4, 4): 0.9 * (0.2, 0.4) + 0.1 * (2, 0), and 0.9 * (0.1, 0.4) + 0.1 * (4, 4)
    assert np.allclose(layer.running_mean, [0.38, 0.36]) and np.allclose(layer.running_var, [0.49, 0.76])
    out = layer.forward(np.array([[1.0, 1.0]]), train_flg=False)
    assert np.allclose(out, (np.array([1.0, 1.0]) - [0.38, 0.36]) / np.sqrt(np.array([0.49, 0.76]) + 1e-6))
    assert np.allclose(layer.running_mean, [0.38, 0.36]) and np.allclose(layer.running_var, [0.49, 0.76])


def test_batchnorm_leaves_the_callers_running_mean_alone():
    """Running statistics passed in are replaced, not written into: the caller's arrays keep their values."""
    mean, var = np.zeros(3), np.ones(3)
    layer = layers.BatchNormalization(np.ones(3), np.zeros(3), running_mean=mean, running_var=var)
    layer.forward(np.arange(6.0).reshape(2, 3))
    assert np.array_equal(mean, np.zeros(3)) and np.array_equal(var, np.ones(3))


@pytest.mark.parametrize("shape", [(8, 5), (3, 2, 4, 4)], ids=["2-D", "4-D"])
def test_batchnorm_computes_what_the_book_computes(book, shape):
    """Over two training steps and a test step: the same outputs, gradients and running statistics."""
    rng = np.random.default_rng(4)
    features = int(np.prod(shape[1:]))
    gamma, beta = rng.standard_normal(features), rng.standard_normal(features)
    ours, theirs = layers.BatchNormalization(gamma, beta), book.layers.BatchNormalization(gamma, beta)
    for _ in range(2):
        x, dout = rng.standard_normal(shape), rng.standard_normal(shape)
        assert np.allclose(ours.forward(x), theirs.forward(x))
        assert np.allclose(ours.backward(dout), theirs.backward(dout.copy()))
        assert np.allclose(ours.dgamma, theirs.dgamma) and np.allclose(ours.dbeta, theirs.dbeta)
        assert np.allclose(ours.running_mean, theirs.running_mean)
        assert np.allclose(ours.running_var, theirs.running_var)
    x = rng.standard_normal(shape)
    assert np.allclose(ours.forward(x, train_flg=False), theirs.forward(x, train_flg=False))


# Optimizers -----------------------------------------------------------------------------------------------------

P0, G1, G2 = np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.array([0.25, 1.0])


def two_steps(name, **options):
    """The parameter after each of two updates with G1 then G2, starting from P0, and whether both updates
    changed the array of params itself."""
    opt = getattr(optimizer, name)(**options)
    p = P0.copy()
    params = {"w": p}
    after = []
    for g in (G1, G2):
        opt.update(params, {"w": g.copy()})
        after.append(params["w"].copy())
    return after, params["w"] is p


def test_sgd_steps():
    """p <- p - lr g, twice, in the array params held."""
    after, in_place = two_steps("SGD", lr=0.1)
    assert np.allclose(after, [[0.95, -1.9], [0.925, -2.0]]) and in_place


def test_momentum_steps_keep_the_velocity():
    """v1 = -lr g1 = (-0.05, 0.1); v2 = 0.9 v1 - lr g2 = (-0.07, -0.01): the second step remembers the first."""
    after, in_place = two_steps("Momentum", lr=0.1, momentum=0.9)
    assert np.allclose(after, [[0.95, -1.9], [0.88, -1.91]]) and in_place


def test_nesterov_steps():
    """p += mu^2 v - (1 + mu) lr g, then v = mu v - lr g: -0.19 g1, then 0.81 v1 - 0.19 g2 with v1 = -0.1 g1."""
    after, in_place = two_steps("Nesterov", lr=0.1, momentum=0.9)
    first = P0 - 0.19 * G1
    assert np.allclose(after, [first, first + 0.81 * (-0.1 * G1) - 0.19 * G2]) and in_place


def test_adagrad_steps_divide_by_the_accumulated_squares():
    after, in_place = two_steps("AdaGrad", lr=0.1)
    first = P0 - 0.1 * G1 / (np.abs(G1) + 1e-7)
    h = G1 ** 2 + G2 ** 2
    assert np.allclose(after, [first, first - 0.1 * G2 / (np.sqrt(h) + 1e-7)], rtol=0, atol=1e-12) and in_place


def test_rmsprop_steps_decay_the_squares():
    after, in_place = two_steps("RMSprop", lr=0.1, decay_rate=0.9)
    h1 = 0.1 * G1 ** 2
    h2 = 0.9 * h1 + 0.1 * G2 ** 2
    first = P0 - 0.1 * G1 / (np.sqrt(h1) + 1e-7)
    assert np.allclose(after, [first, first - 0.1 * G2 / (np.sqrt(h2) + 1e-7)], rtol=0, atol=1e-12) and in_place


def test_adam_steps_correct_the_bias_at_each_step():
    """Step t uses lr * sqrt(1 - b2^t) / (1 - b1^t) with t = 1, then 2: a first step moves each weight by about lr
    whatever its gradient's size."""
    after, in_place = two_steps("Adam", lr=0.1, beta1=0.9, beta2=0.999)
    m1, v1 = 0.1 * G1, 0.001 * G1 ** 2
    first = P0 - 0.1 * np.sqrt(1 - 0.999) / (1 - 0.9) * m1 / (np.sqrt(v1) + 1e-7)
    m2, v2 = 0.9 * m1 + 0.1 * G2, 0.999 * v1 + 0.001 * G2 ** 2
    second = first - 0.1 * np.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2) * m2 / (np.sqrt(v2) + 1e-7)
    assert np.allclose(after, [first, second], rtol=0, atol=1e-12) and in_place
    assert np.allclose(np.abs(first - P0), 0.1, rtol=1e-4)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_optimizers_update_every_array_in_place_and_take_the_books_steps(book, name):
    """Three updates of two parameters: the arrays of params are the ones the network holds, changed in place,
    and after each update they equal what the book's optimizer makes of the same gradients."""
    rng = np.random.default_rng(6)
    start = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal(2)}
    ours = {key: value.copy() for key, value in start.items()}
    theirs = {key: value.copy() for key, value in start.items()}
    held = dict(ours)
    ours_opt, theirs_opt = getattr(optimizer, name)(), getattr(book.optimizer, name)()
    for _ in range(3):
        grads = {key: rng.standard_normal(value.shape) for key, value in start.items()}
        ours_opt.update(ours, grads)
        theirs_opt.update(theirs, {key: g.copy() for key, g in grads.items()})
        assert all(ours[key] is held[key] for key in start), "update rebound an entry of params"
        for key in start:
            assert np.allclose(ours[key], theirs[key], rtol=1e-12, atol=1e-14), key
    assert all(not np.array_equal(ours[key], start[key]) for key in start)
