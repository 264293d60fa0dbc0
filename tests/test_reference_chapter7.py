"""The chapter-7 reference (im2col/col2im, Convolution, Pooling, SimpleConvNet) is right: col2im is im2col's
adjoint, the layers' gradients agree with float64 central differences, the network's backpropagation agrees with
its numerical gradient, and everything computes what the book's own code computes on the same inputs."""
import numpy as np
import pytest
from backprop_grader.reference.chapter7 import layers, simple_convnet, util
from chapters import book_code, numerical_grad

# (stride, pad) pairs, and the input and filter shapes they are tried on.
GEOMETRIES = [(1, 0), (1, 1), (2, 0), (2, 1)]
X_SHAPE, W_SHAPE = (2, 2, 5, 6), (3, 2, 3, 2)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    code = book_code(tmp_path_factory.mktemp("book"))
    if code is None:
        pytest.skip("no copy of the book's repository on this machine")
    return code


@pytest.mark.parametrize("stride,pad", GEOMETRIES)
def test_col2im_is_the_adjoint_of_im2col(stride, pad):
    """<im2col(x), c> == <x, col2im(c)> for any x and c: col2im sends each entry of c back to the pixel it was
    copied from and sums where windows overlap. A col2im that assigns instead of adding fails this at stride 1."""
    rng = np.random.default_rng(stride * 10 + pad)
    x = rng.standard_normal(X_SHAPE)
    col = util.im2col(x, 3, 2, stride, pad)
    c = rng.standard_normal(col.shape)
    assert np.isclose(np.sum(col * c), np.sum(x * util.col2im(c, X_SHAPE, 3, 2, stride, pad)), rtol=1e-12)


@pytest.mark.parametrize("stride,pad", GEOMETRIES)
def test_im2col_and_col2im_are_the_books(book, stride, pad):
    """The same columns in the same order as the book's im2col (a reader's W.reshape(FN, -1) lines up with
    either), and the same image from col2im."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal(X_SHAPE)
    col = util.im2col(x, 3, 2, stride, pad)
    assert np.array_equal(col, book.util.im2col(x, 3, 2, stride, pad))
    c = rng.standard_normal(col.shape)
    assert np.allclose(util.col2im(c, X_SHAPE, 3, 2, stride, pad), book.util.col2im(c, X_SHAPE, 3, 2, stride, pad))


def test_im2col_shapes_are_the_ones_the_book_prints():
    """Section 7.4.3: a 1x3x7x7 input with 5x5 filters unrolls to (9, 75); ten of them to (90, 75)."""
    assert util.im2col(np.random.rand(1, 3, 7, 7), 5, 5, stride=1, pad=0).shape == (9, 75)
    assert util.im2col(np.random.rand(10, 3, 7, 7), 5, 5, stride=1, pad=0).shape == (90, 75)


def test_im2col_rows_are_the_windows():
    """Row (n, i, j) holds the window at output position (i, j) of sample n, channel by channel."""
    x = np.arange(2 * 2 * 4 * 4.0).reshape(2, 2, 4, 4)
    col = util.im2col(x, 2, 2, stride=2).reshape(2, 2, 2, -1)
    assert np.array_equal(col[1, 0, 1], np.concatenate([x[1, 0, 0:2, 2:4].ravel(), x[1, 1, 0:2, 2:4].ravel()]))


@pytest.mark.parametrize("stride,pad", GEOMETRIES)
def test_convolution_backward_is_the_gradient_of_forward(stride, pad):
    """dx, dW and db agree with central differences of L = sum(forward(x) * dout)."""
    rng = np.random.default_rng(2)
    x, W, b = rng.standard_normal(X_SHAPE), rng.standard_normal(W_SHAPE), rng.standard_normal(W_SHAPE[0])
    layer = layers.Convolution(W, b, stride, pad)
    dout = rng.standard_normal(layer.forward(x).shape)
    dx = layer.backward(dout)

    def loss():
        return float(np.sum(layer.forward(x) * dout))

    assert np.allclose(dx, numerical_grad(loss, x), atol=1e-8), "dx"
    assert np.allclose(layer.dW, numerical_grad(loss, W), atol=1e-8), "dW"
    assert np.allclose(layer.db, numerical_grad(loss, b), atol=1e-8), "db"
    assert dx.shape == X_SHAPE and layer.dW.shape == W_SHAPE and layer.db.shape == (W_SHAPE[0],)


def test_convolution_forward_is_the_sum_over_each_window():
    """One output by its definition: the sum of the window times the filter, plus the bias."""
    rng = np.random.default_rng(3)
    x, W, b = rng.standard_normal((2, 2, 7, 7)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    out = layers.Convolution(W, b, stride=2, pad=1).forward(x)
    padded = np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)])
    assert out.shape == (2, 3, 4, 4)
    assert np.isclose(out[1, 2, 3, 1], np.sum(padded[1, :, 6:9, 2:5] * W[2]) + b[2])


@pytest.mark.parametrize("stride,pad", GEOMETRIES)
def test_convolution_computes_what_the_book_computes(book, stride, pad):
    """out, dx, dW and db as the book's Convolution computes them, at every stride and padding."""
    rng = np.random.default_rng(4)
    x, W, b = rng.standard_normal(X_SHAPE), rng.standard_normal(W_SHAPE), rng.standard_normal(W_SHAPE[0])
    ours, theirs = layers.Convolution(W, b, stride, pad), book.layers.Convolution(W, b, stride, pad)
    out = ours.forward(x)
    assert np.allclose(out, theirs.forward(x))
    dout = rng.standard_normal(out.shape)
    assert np.allclose(ours.backward(dout), theirs.backward(dout))
    assert np.allclose(ours.dW, theirs.dW) and np.allclose(ours.db, theirs.db)


def distinct(shape, rng):
    """Inputs with no two within 0.1 of each other: no window has a tie, nor gets one under a small step h."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) * 0.1


@pytest.mark.parametrize("window,stride", [(2, 2), (2, 1), (3, 2)])
def test_pooling_backward_is_the_gradient_of_forward(window, stride):
    """Away from ties, each dout entry goes to its window's maximum and nowhere else (summed where windows
    overlap): that is the slope of the max."""
    rng = np.random.default_rng(5)
    x = distinct((2, 2, 5, 5), rng)
    layer = layers.Pooling(window, window, stride)
    dout = rng.standard_normal(layer.forward(x).shape)
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    assert np.allclose(dx, numerical_grad(lambda: float(np.sum(layer.forward(x) * dout)), x), atol=1e-8)


@pytest.mark.parametrize("window,stride", [(2, 2), (2, 1), (3, 2)])
def test_pooling_computes_what_the_book_computes(book, window, stride):
    """The same maxima, and the gradient routed to the same inputs (the first maximum of a window, as argmax)."""
    rng = np.random.default_rng(6)
    x = rng.standard_normal((3, 2, 6, 6))
    ours, theirs = layers.Pooling(window, window, stride), book.layers.Pooling(window, window, stride)
    out = ours.forward(x)
    assert np.array_equal(out, theirs.forward(x))
    dout = rng.standard_normal(out.shape)
    assert np.allclose(ours.backward(dout), theirs.backward(dout))


def tiny_net(seed):
    np.random.seed(seed)
    return simple_convnet.SimpleConvNet(input_dim=(1, 6, 6), conv_param={"filter_num": 3, "filter_size": 3,
                                        "pad": 0, "stride": 1}, hidden_size=5, output_size=4, weight_init_std=0.3)


def test_simple_convnet_gradient_agrees_with_its_numerical_gradient():
    """Backpropagation through conv - relu - pool - affine - relu - affine - softmax, on a 1x6x6 input in float64."""
    net = tiny_net(0)
    x, t = np.random.default_rng(7).random((2, 1, 6, 6)), np.array([1, 3])
    grads, numeric = net.gradient(x, t), net.numerical_gradient(x, t)
    assert sorted(grads) == sorted(numeric) == sorted(simple_convnet.PARAM_KEYS)
    for key in grads:
        assert grads[key].shape == net.params[key].shape, key
        assert np.allclose(grads[key], numeric[key], atol=1e-8), key


def test_simple_convnet_is_the_books_network(book):
    """Seeded alike, both draw the same weights (W1, W2, W3 in that order) and give the same loss and gradients."""
    ours = tiny_net(8)
    np.random.seed(8)
    theirs = book.simple_convnet.SimpleConvNet(input_dim=(1, 6, 6), conv_param={"filter_num": 3, "filter_size": 3,
                                               "pad": 0, "stride": 1}, hidden_size=5, output_size=4,
                                               weight_init_std=0.3)
    x, t = np.random.default_rng(9).random((3, 1, 6, 6)), np.array([0, 2, 3])
    assert np.isclose(ours.loss(x, t), theirs.loss(x, t))
    grads, book_grads = ours.gradient(x, t), theirs.gradient(x, t)
    for key in simple_convnet.PARAM_KEYS:
        assert np.allclose(grads[key], book_grads[key]), key


def test_simple_convnet_accuracy_counts_every_sample():
    """A last partial batch counts (the book's accuracy skips it, and scores 0 on fewer than batch_size samples)."""
    net = tiny_net(10)
    x = np.random.default_rng(11).random((5, 1, 6, 6))
    labels = np.argmax(net.predict(x), axis=1)
    assert net.accuracy(x, labels, batch_size=2) == 1.0
    assert net.accuracy(x, np.eye(4)[(labels + 1) % 4], batch_size=3) == 0.0
