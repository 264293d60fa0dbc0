"""The reference implementation of chapter 6: the optimizers, Dropout and BatchNormalization."""
