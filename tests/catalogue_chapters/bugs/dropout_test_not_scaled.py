"""My Dropout returns x unchanged when testing, but does not scale up the kept units in training either, so a
unit's output in testing is twice what it was on average in training (with ratio 0.5)."""
LAYER = "Dropout"
HINTS = ["hint_dropout_testing_not_scaled"]
FILE = "chapter6/layers.py"


class Dropout(Dropout):  # noqa: F821
    def forward(self, x, train_flg=True):
        return super().forward(x, train_flg) if train_flg else x
