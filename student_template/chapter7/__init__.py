"""The chapter-7 template: the book's im2col/col2im, Convolution, Pooling and SimpleConvNet with empty bodies."""
