"""My Dropout ignores train_flg and drops units when testing too."""
LAYER = "Dropout"
HINTS = ["hint_dropout_drops_in_testing"]
FILE = "chapter6/layers.py"


class Dropout(Dropout):  # noqa: F821
    def forward(self, x, train_flg=True):
        return super().forward(x, True)
