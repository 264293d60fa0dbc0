"""The chapter-6 template: the book's optimizers, Dropout and BatchNormalization with empty bodies."""
