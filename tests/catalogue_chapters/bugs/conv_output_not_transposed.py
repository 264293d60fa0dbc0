"""My Convolution reshapes the product (N*out_h*out_w, FN) straight to (N, FN, out_h, out_w), without the
transpose from (N, out_h, out_w, FN)."""
LAYER = "Convolution"
FILE = "chapter7/layers.py"
HINTS = ["hint_conv_output_not_transposed"]


class Convolution(Convolution):  # noqa: F821
    def forward(self, x):
        out = super().forward(x)
        return np.ascontiguousarray(out.transpose(0, 2, 3, 1)).reshape(out.shape)  # noqa: F821
