"""python benchmarks/convolution_formulations.py: Convolution's forward + backward on a 100x1x28x28 batch with 30
5x5 filters (SimpleConvNet's first layer on an MNIST batch), for the reference (im2col, batched products) and the
other NumPy formulations a reader may write; a Markdown table, and exit status 1 if the reference is more than
LIMIT times the fastest.

Each formulation is first checked against the reference (out, dx, dW and db to 1e-10), then timed: the minimum
CPU time over ROUNDS rounds, BLAS single-threaded as in benchmarks/alternatives_table.py, so that the figures
measure the formulation rather than the machine's other load.
"""
import os
import sys
import time

from backprop_grader.benchmark import SINGLE_THREADED

if any(os.environ.get(name) != value for name, value in SINGLE_THREADED.items()):
    # BLAS reads its thread count once, when NumPy loads it: run again with the setting in place.
    os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], dict(os.environ, **SINGLE_THREADED))

import numpy as np  # noqa: E402
from backprop_grader.reference.chapter7.layers import Convolution  # noqa: E402
from backprop_grader.reference.chapter7.util import col2im, im2col  # noqa: E402
from numpy.lib.stride_tricks import as_strided, sliding_window_view  # noqa: E402

LIMIT = 1.5
ROUNDS = 30
N, C, SIDE, FN, K = 100, 1, 28, 30, 5


def reference(x, W, b, dout):
    layer = Convolution(W, b)
    out = layer.forward(x)
    return out, layer.backward(dout), layer.dW, layer.db


def im2col_one_product(x, W, b, dout):
    """The book's formulation: one product over all N*out_h*out_w rows, forward and backward."""
    col = im2col(x, K, K)
    W2 = W.reshape(FN, -1)
    out = (col @ W2.T + b).reshape(N, SIDE - K + 1, SIDE - K + 1, FN).transpose(0, 3, 1, 2)
    d2 = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
    return out, col2im(d2 @ W2, x.shape, K, K), (d2.T @ col).reshape(W.shape), d2.sum(axis=0)


def einsum(x, W, b, dout):
    """No im2col: einsum over the sliding windows for out and dW; dx correlates dout, padded by K-1, with the
    filters turned by 180 degrees."""
    windows = sliding_window_view(x, (K, K), axis=(2, 3))
    out = np.einsum("nchwij,fcij->nfhw", windows, W, optimize=True) + b[:, None, None]
    dW = np.einsum("nfhw,nchwij->fcij", dout, windows, optimize=True)
    full = np.pad(dout, [(0, 0), (0, 0), (K - 1, K - 1), (K - 1, K - 1)])
    dx = np.einsum("nfhwij,fcij->nchw", sliding_window_view(full, (K, K), axis=(2, 3)), W[:, :, ::-1, ::-1],
                   optimize=True)
    return out, dx, dW, dout.sum(axis=(0, 2, 3))


def einsum_scatter(x, W, b, dout):
    """einsum for out and dW; dx as W times dout per window position, added back slice by slice."""
    windows = sliding_window_view(x, (K, K), axis=(2, 3))
    out = np.einsum("nchwij,fcij->nfhw", windows, W, optimize=True) + b[:, None, None]
    dW = np.einsum("nfhw,nchwij->fcij", dout, windows, optimize=True)
    dwin = np.einsum("nfhw,fcij->ijnchw", dout, W, optimize=True)
    dx = np.zeros(x.shape)
    oh, ow = dout.shape[2:]
    for i in range(K):
        for j in range(K):
            dx[:, :, i:i + oh, j:j + ow] += dwin[i, j]
    return out, dx, dW, dout.sum(axis=(0, 2, 3))


def _windows(a):
    n, c, h, w = a.shape
    sn, sc, sh, sw = a.strides
    return as_strided(a, (n, c, h - K + 1, w - K + 1, K, K), (sn, sc, sh, sw, sh, sw), writeable=False)


def as_strided_tensordot(x, W, b, dout):
    """Windows by as_strided, contracted with tensordot (which copies them into a matrix, im2col in all but name)."""
    out = np.tensordot(_windows(x), W, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2) + b[:, None, None]
    dW = np.tensordot(dout, _windows(x), axes=([0, 2, 3], [0, 2, 3]))
    full = np.pad(dout, [(0, 0), (0, 0), (K - 1, K - 1), (K - 1, K - 1)])
    dx = np.tensordot(_windows(full), W[:, :, ::-1, ::-1], axes=([1, 4, 5], [0, 2, 3])).transpose(0, 3, 1, 2)
    return out, dx, dW, dout.sum(axis=(0, 2, 3))


def as_strided_matmul(x, W, b, dout):
    """Windows by as_strided copied once into per-sample matrices (C*K*K, out_h*out_w), batched products, and dx
    added back window position by window position."""
    oh = SIDE - K + 1
    cols = np.ascontiguousarray(_windows(x).transpose(0, 1, 4, 5, 2, 3)).reshape(N, C * K * K, oh * oh)
    W2 = W.reshape(FN, -1)
    out = (W2 @ cols).reshape(N, FN, oh, oh) + b[:, None, None]
    d3 = dout.reshape(N, FN, -1)
    dW = (d3 @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(W.shape)
    dcols = (W2.T @ d3).reshape(N, C, K, K, oh, oh)
    dx = np.zeros(x.shape)
    for i in range(K):
        for j in range(K):
            dx[:, :, i:i + oh, j:j + oh] += dcols[:, :, i, j]
    return out, dx, dW, d3.sum(axis=(0, 2))


FORMULATIONS = {"reference (im2col, batched products)": reference, "im2col, one product (the book's)":
                im2col_one_product, "einsum": einsum, "einsum, dx scattered": einsum_scatter,
                "as_strided + tensordot": as_strided_tensordot,
                "as_strided + batched products": as_strided_matmul}


def cpu_time(function, *args):
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.process_time()
        function(*args)
        best = min(best, time.process_time() - start)
    return best


def main():
    rng = np.random.default_rng(0)
    args = (rng.standard_normal((N, C, SIDE, SIDE)), rng.standard_normal((FN, C, K, K)) * 0.1, rng.standard_normal(FN),
            rng.standard_normal((N, FN, SIDE - K + 1, SIDE - K + 1)))
    expected = reference(*args)
    for name, formulation in FORMULATIONS.items():
        for what, ours, theirs in zip(("out", "dx", "dW", "db"), expected, formulation(*args)):
            if not np.allclose(theirs, ours, rtol=1e-10, atol=1e-10):
                print(f"{name} computes another {what} than the reference", file=sys.stderr)
                return 2
    times = {name: cpu_time(formulation, *args) for name, formulation in FORMULATIONS.items()}
    fastest = min(times.values())
    print(f"Convolution forward + backward, x {N}x{C}x{SIDE}x{SIDE}, {FN} filters {K}x{K}, min CPU time of {ROUNDS}\n")
    print("| formulation | forward + backward | vs fastest |\n| --- | ---: | ---: |")
    for name, t in sorted(times.items(), key=lambda item: item[1]):
        print(f"| {name} | {t * 1e3:.1f} ms | {t / fastest:.2f}x |")
    ratio = times["reference (im2col, batched products)"] / fastest
    print(f"\nreference / fastest: {ratio:.2f} (limit {LIMIT})")
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
