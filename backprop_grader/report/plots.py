"""The class page's charts as SVG text, drawn by matplotlib, an optional extra (`pip install backprop-grader[plots]`):
without it available() is False and the page keeps its tables.

The SVG is the same bytes for the same figures: no date in its metadata and a fixed salt for its element ids, so
that a class graded in shards merges to the page one batch writes (shards.py), and a page can be compared.
"""
import contextlib
import importlib.util
import io
import warnings

from ..messages import render
from . import escape

INSTALL = "pip install backprop-grader[plots]"
_STYLE = {
    "svg.hashsalt": "backprop-grader",  # element ids from a fixed salt, not a random one
    "svg.fonttype": "none",  # text as text: searchable, and no font's glyphs copied into the page
    "font.size": 9,
    # Japanese, Korean and Chinese text falls back (matplotlib 3.6+) to the first of these a machine has.
    "font.sans-serif": ["DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", "IPAexGothic",
                        "Hiragino Sans", "Yu Gothic", "Malgun Gothic", "Microsoft YaHei", "SimHei"],
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAR = "#3b6ea5"


def available():
    return importlib.util.find_spec("matplotlib") is not None


@contextlib.contextmanager
def _quiet_about_glyphs():
    """In an SVG, text goes as text (svg.fonttype none), drawn by the browser's fonts, so that no font of
    matplotlib's has a Japanese, Korean or Chinese glyph only makes its layout approximate; in a PNG such text
    needs one of _STYLE's fonts on the machine. Either way it is no news for the terminal."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        yield


def _figure(**kwargs):
    """A Figure of its own, apart from pyplot: drawing one changes no backend and no figure of the learner's
    notebook, and needs no closing."""
    from matplotlib.figure import Figure

    return Figure(**kwargs)


def _svg(figure):
    buffer = io.StringIO()
    with _quiet_about_glyphs():
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # the XML declaration and doctype have no place inside an HTML page


def histogram(scores, max_score, title, x_label, y_label):
    """A histogram of one layer's scores (0 to max_score, one bin per point) as SVG text."""
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = _figure(figsize=(3.2, 2.0))
        axes = figure.subplots()
        top = max(1, int(round(max_score)))
        axes.hist(scores, bins=range(0, top + 2), color=BAR, edgecolor="white", align="left")
        axes.set_xlim(-0.5, top + 0.5)
        axes.set_title(title)
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.yaxis.get_major_locator().set_params(integer=True)
        return _svg(figure)


def bars(labels, counts, title, x_label):
    """Horizontal bars, the first label on top, as SVG text: the class's most common mistakes."""
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        figure = _figure(figsize=(7.0, 0.35 * len(labels) + 0.8))
        axes = figure.subplots()
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, counts, color=BAR)
        axes.set_yticks(positions, labels)
        axes.set_title(title)
        axes.set_xlabel(x_label)
        axes.xaxis.get_major_locator().set_params(integer=True)
        return _svg(figure)


def _plain(text):
    """Text for a chart: no $ that matplotlib would read as maths."""
    return str(text).replace("$", r"\$")


def training(found, texts):
    """The figure of a training.Training: the two loss curves, the wrong layers named on it, and the scatter of a
    failed gradient check beside them. texts: the figure's words in the learner's language (cli.py, notebook.py
    fill them), keyed as used below."""
    import matplotlib

    with matplotlib.rc_context(_STYLE):
        panels = 2 if found.scatter is not None else 1
        figure = _figure(figsize=(6.0 * panels, 4.2))
        axes = figure.subplots(1, panels, squeeze=False)
        curves = axes[0][0]
        curves.plot(found.reference.losses, label=_plain(texts["reference"]), color="#555555")
        curves.plot(found.yours.losses, label=_plain(texts["yours"]), color="#c0392b")
        if found.yours.stopped and found.yours.losses:
            # Where their training ended: without the mark, a network stopped at its first step draws nothing.
            last = len(found.yours.losses) - 1
            curves.plot([last], [found.yours.losses[-1]], marker="X", markersize=9, color="#c0392b", linestyle="")
        curves.set_xlabel(_plain(texts["steps"]))
        curves.set_ylabel(_plain(texts["loss"]))
        curves.set_title(_plain(texts["title"]))
        curves.legend(loc="upper right")
        notes = [texts["wrong"]] if found.wrong_layers else []
        if found.yours.stopped:
            notes.append(texts["stopped"])
        if notes:  # under the axes, where no curve can hide them
            curves.annotate(_plain("\n".join(notes)), xy=(0.0, -0.14), xycoords="axes fraction", va="top",
                            fontsize=8, color="#c0392b", wrap=True)
        if found.scatter is not None:
            scatter, off = axes[0][1], found.scatter.off
            numerical, analytic = found.scatter.numerical, found.scatter.analytic
            low = float(min(numerical.min(), analytic.min()))
            high = float(max(numerical.max(), analytic.max()))
            scatter.plot([low, high], [low, high], color="#999999", linewidth=1)
            scatter.scatter(numerical[~off], analytic[~off], color=BAR, s=18, label=_plain(texts["on_diagonal"]))
            scatter.scatter(numerical[off], analytic[off], color="#c0392b", marker="x", s=30,
                            label=_plain(texts["off_diagonal"]))
            scatter.set_xlabel(_plain(texts["numerical"]))
            scatter.set_ylabel(_plain(texts["analytic"]))
            scatter.set_title(_plain(texts["scatter_title"]))
            scatter.legend(loc="upper left")
        with _quiet_about_glyphs():  # laying out measures the text too
            figure.tight_layout()
        return figure


def training_texts(found, lang="en"):
    """The words of training()'s figure in lang."""
    texts = {key: render(f"plot_{key}", lang) for key in
             ("title", "reference", "yours", "steps", "loss", "numerical", "analytic", "on_diagonal")}
    texts["wrong"] = render("plot_wrong", lang, layers=", ".join(found.wrong_layers))
    if found.yours.stopped:
        reason = escape.terminal(found.yours.stopped, keep="")  # the learner's words: one line, nothing that acts
        texts["stopped"] = render("plot_stopped", lang, steps=max(len(found.yours.losses) - 1, 0), reason=reason)
    if found.scatter is not None:
        texts["off_diagonal"] = render("plot_off_diagonal", lang, count=int(found.scatter.off.sum()))
        texts["scatter_title"] = render("plot_scatter_title", lang, layer=found.scatter.layer, what=found.scatter.what)
    return texts


def png(figure):
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    with _quiet_about_glyphs():
        figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")  # the notes under the axes included
    return buffer.getvalue()


def training_picture(found, lang="en"):
    """training()'s figure of found in lang, as PNG bytes: what --plot saves and check(plot=True) shows."""
    return png(training(found, training_texts(found, lang)))
