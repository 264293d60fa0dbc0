"""The class page's charts as SVG text, drawn by matplotlib, an optional extra (`pip install backprop-grader[plots]`):
without it available() is False and the page keeps its tables.

The SVG is the same bytes for the same figures: no date in its metadata and a fixed salt for its element ids, so
that a class graded in shards merges to the page one batch writes (shards.py), and a page can be compared.
"""
import importlib.util
import io
import warnings

INSTALL = "pip install backprop-grader[plots]"
_STYLE = {
    "svg.hashsalt": "backprop-grader",  # element ids from a fixed salt, not a random one
    "svg.fonttype": "none",  # text as text: searchable, and no font's glyphs copied into the page
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAR = "#3b6ea5"


def available():
    return importlib.util.find_spec("matplotlib") is not None


def _svg(figure, plt):
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # Text goes into the SVG as text (svg.fonttype none), drawn by the browser's fonts: that matplotlib's own
        # lacks a Japanese, Korean or Chinese glyph only makes its layout approximate.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # the XML declaration and doctype have no place inside an HTML page


def histogram(scores, max_score, title, x_label, y_label):
    """A histogram of one layer's scores (0 to max_score, one bin per point) as SVG text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(3.2, 2.0))
        top = max(1, int(round(max_score)))
        axes.hist(scores, bins=range(0, top + 2), color=BAR, edgecolor="white", align="left")
        axes.set_xlim(-0.5, top + 0.5)
        axes.set_title(title)
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.yaxis.get_major_locator().set_params(integer=True)
        return _svg(figure, plt)


def bars(labels, counts, title, x_label):
    """Horizontal bars, the first label on top, as SVG text: the class's most common mistakes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(7.0, 0.35 * len(labels) + 0.8))
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, counts, color=BAR)
        axes.set_yticks(positions, labels)
        axes.set_title(title)
        axes.set_xlabel(x_label)
        axes.xaxis.get_major_locator().set_params(integer=True)
        return _svg(figure, plt)
