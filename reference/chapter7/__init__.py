"""The reference implementation of chapter 7: im2col/col2im, Convolution, Pooling and SimpleConvNet."""
