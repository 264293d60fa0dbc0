"""check(): grade layers from inside a learner's own notebook, on the objects in their kernel.

    from backprop_grader import check
    check(Relu)            # Relu's checks, on this Relu
    check("Relu", ReLU)    # this class, as the book's Relu
    check(Adam)            # chapter 6's and 7's names too
    check()                # every book name this notebook defines, of every chapter

The same checks, hints and determinism as grader.py (run.grade with the same profile and seed), run in this
process on a NamespaceImplementation of the caller's globals: there is nothing to isolate in a learner's own
session. The result shows itself as a small HTML table in Jupyter and as plain text anywhere else.
"""

import html
import sys
from dataclasses import replace
from pathlib import Path

from .book import ALL_CLASSES, ALL_LAYERS, ALL_NAMES, CHAPTERS, DEFAULT_CHAPTER, GRADED_AS, chapter_of
from .intake import NamespaceImplementation
from .messages import language_from_environment, render
from .names import as_aliases, likeness
from .options import DEFAULT_SEED
from .report.common import failure_groups
from .results import PASSED, Note


def _book_name_for(name, value, aliases):
    """The book name an object passed to check() stands for: its own, an alias's, or the closest one."""
    if name in ALL_NAMES:
        return name
    for book, theirs in aliases.names.items():
        if theirs == name:
            return book
    is_class = isinstance(value, type)
    kin = [(likeness(book, name), book) for book in ALL_NAMES if (book in ALL_CLASSES) == is_class]
    kin = [k for k in kin if k[0] is not None]
    return min(kin)[1] if kin else None


_NOT_THEIRS = tuple(
    str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, Path(__file__).parent} if p
)


def _code_files(value):
    """The files the code of a function, or of a class's methods, was compiled from."""
    if isinstance(value, type):
        found = set()
        for member in vars(value).values():
            member = getattr(member, "fget", None) or getattr(member, "__func__", member)
            found |= _code_files(member) if not isinstance(member, type) else set()
        return found
    code = getattr(value, "__code__", None)
    return {code.co_filename} if code is not None else set()


def _learner_files(namespace):
    """The files (cells: their pseudo-files) the namespace's own functions and classes were compiled from; not
    those of installed packages, Python's library or the grader."""
    files = set()
    for name, value in namespace.items():
        if not name.startswith("__") and callable(value):
            files |= _code_files(value)
    return frozenset(f for f in files if not str(Path(f).resolve()).startswith(_NOT_THEIRS))


def _defined_layers(namespace, aliases):
    """The graded layers whose names (or close variants of them) this namespace defines, in the book's order."""
    present = {GRADED_AS[book] for book in GRADED_AS if aliases.name_for(book) in namespace}
    for key, value in namespace.items():
        if not key.startswith("_") and callable(value):
            book = _book_name_for(key, value, aliases)
            if book in GRADED_AS:
                present.add(GRADED_AS[book])
    return [layer for layer in ALL_LAYERS if layer in present]


def check(*args, aliases=None, seed=DEFAULT_SEED, lang=None, plot=False):
    """Run the checks of one layer (check(Relu), check("Relu", Relu)) or of every layer defined here (check()).
    plot=True: then train the TwoLayerNet defined here on the layers defined here beside the reference's, and show
    both loss curves inline (and, for a failed gradient check, the layer's backward against its slopes)."""
    from .run import Interrupted, grade  # pytest and the suite only when a check runs

    aliases = as_aliases(aliases)
    namespace = dict(sys._getframe(1).f_globals)
    notes = []
    if not args:
        layers = _defined_layers(namespace, aliases)
    else:
        if isinstance(args[0], str):
            name, value = args[0], (args[1] if len(args) > 1 else namespace.get(aliases.name_for(args[0])))
            book = args[0] if args[0] in ALL_NAMES else None
        else:
            value = args[0]
            name = getattr(value, "__name__", type(value).__name__)
            book = _book_name_for(name, value, aliases)
            if book is not None and book != name and aliases.name_for(book) != name:
                notes.append(Note("note_checked_as", {"name": book, "theirs": name}, GRADED_AS.get(book)))
        if book is None or GRADED_AS.get(book) is None:
            notes.append(Note("note_not_a_book_name", {"name": name, "names": ", ".join(GRADED_AS)}))
            layers = []
        else:
            if value is not None:
                namespace[aliases.name_for(book)] = value
            layers = [GRADED_AS[book]]
    result = None
    impl = NamespaceImplementation(namespace, aliases)
    impl.files = _learner_files(namespace)  # where its frames are: the command line's messages name their lines
    by_chapter = {chapter: [layer for layer in layers if chapter_of(layer) == chapter] for chapter in CHAPTERS}
    graded = {}  # chapter -> its GradeResult: one grade per chapter, as the command line's --chapter has it
    for chapter, its_layers in by_chapter.items():
        if not its_layers:
            continue
        try:
            graded[chapter] = grade("notebook", layers=its_layers, chapter=chapter, seed=seed, implementation=impl,
                                    extra_args=["--capture=no"])
        except Interrupted as stopped:  # Ctrl-C (the kernel's interrupt): what finished, and a word of it
            graded[chapter] = stopped.result
            notes.append(Note("note_interrupted", {}))
            break
    for found in graded.values():
        notes += [note for note in found.notes if note not in notes]
    if graded:
        result = replace(next(iter(graded.values())), results=[r for found in graded.values() for r in found.results])
    elif not args:
        notes.append(Note("note_nothing_to_check", {"names": ", ".join(GRADED_AS)}))
    report = CheckReport(result, notes, lang or language_from_environment())
    if plot and DEFAULT_CHAPTER in graded:  # what a wrong layer does to training: chapter 5's network
        _show_training(impl, graded[DEFAULT_CHAPTER], report.lang)
    return report


def _show_training(impl, result, lang):
    """check(plot=True): the training curves of impl, shown inline below the cell (in a kernel with IPython)."""
    from . import training
    from .report import plots

    try:
        from IPython.display import Image, display
    except ImportError:  # a plain script: nowhere inline to show it (python grader.py --plot saves it)
        return
    if not plots.available():
        print(render("plot_needs_matplotlib", lang, command=plots.INSTALL))
        return
    found = training.run_on(impl, result)
    display(Image(data=plots.training_picture(found, lang), format="png"))


class CheckReport:
    """What check() found: the score of each layer checked, each check's outcome and message, and notes."""

    def __init__(self, result, notes, lang):
        self.result = result
        self.notes = notes
        self.lang = lang

    @property
    def score(self):
        return self.result.score if self.result else 0.0

    @property
    def max_score(self):
        return self.result.max_score if self.result else 0.0

    def _rows(self):
        """(layer score, [(passed, name, points, message)]) per layer checked. A check that failed by a mistake an
        earlier check of its layer already told names that check instead of telling it again."""
        if self.result is None:
            return []
        told_by = {id(r): g.results[0].check.name for g in failure_groups(self.result, self.lang) for r in g.explained}

        def message(r):
            if id(r) in told_by:
                return render("same_mistake_as", self.lang, check=told_by[id(r)])
            return r.failure.render(self.lang) if r.failure else ""

        rows = []
        for layer in self.result.layer_scores():
            checks = [
                (r.status == PASSED, r.check.name, r.check.points, message(r))
                for r in self.result.results
                if r.check.layer == layer.layer
            ]
            rows.append((layer, checks))
        return rows

    def __str__(self):
        lines = []
        for layer, checks in self._rows():
            lines.append(f"{layer.layer}: {layer.score:g}/{layer.max_score:g}")
            for passed, name, points, message in checks:
                mark = "✓" if passed else "✗"
                text = f"  {mark} {name} ({points:g})"
                if message:
                    text += ": " + message.replace("\n", "\n      ")
                lines.append(text)
        lines += [f"* {note.render(self.lang)}" for note in self.notes]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        parts = ['<table class="backprop-grader">']
        for layer, checks in self._rows():
            parts.append(
                f'<tr><th style="text-align:left">{html.escape(layer.layer)}</th>'
                f'<th style="text-align:right">{layer.score:g}/{layer.max_score:g}</th><th></th></tr>'
            )
            for passed, name, points, message in checks:
                colour = "#1a7f37" if passed else "#cf222e"
                mark = "✓" if passed else "✗"
                text = html.escape(message).replace("\n", "<br>")
                parts.append(
                    f'<tr><td style="text-align:left"><span style="color:{colour}">{mark}</span> {html.escape(name)}</td>'
                    f'<td style="text-align:right">{points:g}</td><td style="text-align:left">{text}</td></tr>'
                )
        parts.append("</table>")
        parts += [f"<p>{html.escape(note.render(self.lang))}</p>" for note in self.notes]
        return "\n".join(parts)
