"""GradeOptions: how one submission is graded, from the command line to a worker's command line and back.

Every command line that carries these options (the grader's, a grading subprocess's, the pytest plugin's
under a `--backprop-` prefix, an isolation worker's) declares them with `declare` and reads them with
`GradeOptions.from_namespace`; `GradeOptions.argv` is the only place that writes them back as text. The module
imports only what an isolation worker loads too (names, messages, book), so the worker shares it.
"""
import argparse
import dataclasses

from .book import ALL_LAYERS, ALL_NAMES, CHAPTERS, DEFAULT_CHAPTER, chapter_of, layers_of
from .messages import DEFAULT_LANGUAGE, render
from .names import as_aliases

DEFAULT_SEED = 0
# The Hypothesis settings profile every grade runs with (the checks' conftest.py registers it).
PROFILE = "grading"
# The pytest plugin's options carry this prefix (--backprop-impl, --backprop-alias, ...): registered for every
# pytest run of an environment the grader is installed in, they must not take generic names.
PLUGIN_PREFIX = "backprop-"
SANDBOX_MODES = ("require", "auto", "off")
FIELDS = ("chapter", "layers", "seed", "aliases", "use", "isolate", "sandbox")
WHERE_NAMES_ARE = ("aliases", "use")  # what a worker needs to load a submission
# What the pytest plugin takes: which layers to check is pytest's own -m, not an option of the plugin's.
PLUGIN_FIELDS = tuple(f for f in FIELDS if f != "layers")


@dataclasses.dataclass(frozen=True)
class GradeOptions:
    chapter: int = DEFAULT_CHAPTER  # the book's chapter whose layers are graded: CHAPTERS
    layers: tuple = ()  # the layers of chapter to grade; empty: every layer of it
    seed: int = DEFAULT_SEED  # numpy's global seed before each check, and Hypothesis's
    aliases: tuple = ()  # "BOOK=THEIRS": the submission's THEIRS is graded as the book's BOOK
    use: tuple = ()  # "BOOK=FILE": where BOOK is defined in several files, the one in FILE
    isolate: bool = True  # the submission's code runs in worker processes (isolation/)
    sandbox: str = "auto"  # how those workers wall themselves in: SANDBOX_MODES

    def __post_init__(self):
        # Aliases may come as an Aliases object, a {BOOK: THEIRS} dict or specs; they are kept as specs.
        object.__setattr__(self, "aliases", tuple(as_aliases(self.aliases).specs()))
        object.__setattr__(self, "layers", tuple(self.layers or ()))
        object.__setattr__(self, "use", tuple(self.use or ()))
        if self.sandbox not in SANDBOX_MODES:
            raise ValueError(f"sandbox {self.sandbox!r}: one of {', '.join(SANDBOX_MODES)}")
        if self.chapter not in CHAPTERS:
            raise ValueError(f"chapter {self.chapter!r}: one of {', '.join(map(str, CHAPTERS))}")
        others = [layer for layer in self.layers if chapter_of(layer) != self.chapter]
        if others:
            raise ValueError(f"{', '.join(others)}: not a layer of chapter {self.chapter}")

    @property
    def graded_layers(self):
        """The layers this grade checks, in the book's order."""
        return self.layers or layers_of(self.chapter)

    @classmethod
    def of(cls, options=None, **fields):
        """options with fields replaced (a new GradeOptions from fields when options is None)."""
        return dataclasses.replace(options, **fields) if options is not None else cls(**fields)

    @classmethod
    def from_namespace(cls, namespace, prefix="", fields=FIELDS, **defaults):
        """The options parsed by a parser that `declare` filled (with the same prefix and fields)."""
        dest = prefix.replace("-", "_")
        found = dict(defaults)
        for name in fields:
            value = getattr(namespace, dest + _DEST[name], None)
            if value is not None:
                found[name] = value
        return cls(**found)

    def argv(self, prefix="", fields=FIELDS):
        """These options as command-line text that `declare` (with the same prefix) parses back."""
        written = {
            "chapter": [f"--{prefix}chapter={self.chapter}"],
            "layers": [f"--{prefix}layer={layer}" for layer in self.layers],
            "seed": [f"--{prefix}seed={self.seed}"],
            "aliases": [f"--{prefix}alias={spec}" for spec in self.aliases],
            "use": [f"--{prefix}use={spec}" for spec in self.use],
            "isolate": [f"--{prefix}isolate" if self.isolate else f"--{prefix}no-isolate"],
            "sandbox": [f"--{prefix}sandbox={self.sandbox}"],
        }
        return [arg for name in fields for arg in written[name]]

    def where_names_are(self, prefix=""):
        """Only what says where the submission's names are: what a worker, or a rerun of one check, needs."""
        return self.argv(prefix, WHERE_NAMES_ARE)


_DEST = {"chapter": "chapter", "layers": "layer", "seed": "seed", "aliases": "alias", "use": "use", "isolate": "isolate",
         "sandbox": "sandbox"}


def _layer_type(lang):
    # Any chapter's: which chapter is graded is another option, checked against these once all are parsed.
    by_lower = {layer.lower(): layer for layer in ALL_LAYERS}

    def layer(name):
        if name.lower() not in by_lower:
            raise argparse.ArgumentTypeError(render("cli_unknown_layer", lang, name=name, layers=", ".join(ALL_LAYERS)))
        return by_lower[name.lower()]

    return layer


def _alias_type(lang):
    def alias(spec):
        try:
            as_aliases([spec])
        except ValueError:
            raise argparse.ArgumentTypeError(render("cli_bad_alias", lang, spec=spec, names=", ".join(ALL_NAMES))) from None
        return spec

    return alias


def _use_type(lang):
    def use(spec):
        book, sep, file = spec.partition("=")
        if not sep or book.strip() not in ALL_NAMES or not file.strip():
            raise argparse.ArgumentTypeError(render("cli_bad_use", lang, spec=spec, names=", ".join(ALL_NAMES)))
        return spec

    return use


def declare(add, prefix="", fields=FIELDS, lang=DEFAULT_LANGUAGE):
    """Declare the options of fields through add (an argparse parser's add_argument, or pytest's addoption),
    each named --PREFIXname, with help and errors in lang. Defaults are None, so that from_namespace can tell
    an option not given from one given; `isolate` takes both --isolate and --no-isolate."""
    dest = prefix.replace("-", "_")
    if "chapter" in fields:
        add(f"--{prefix}chapter", dest=dest + "chapter", type=int, choices=CHAPTERS,
            help=render("cli_help_chapter", lang, chapters=", ".join(map(str, CHAPTERS)), default=DEFAULT_CHAPTER))
    if "layers" in fields:
        add(f"--{prefix}layer", dest=dest + "layer", action="append", type=_layer_type(lang), metavar="NAME",
            help=render("cli_help_layer", lang, layers=", ".join(ALL_LAYERS)))
    if "seed" in fields:
        add(f"--{prefix}seed", dest=dest + "seed", type=int, help=render("cli_help_seed", lang, seed=DEFAULT_SEED))
    if "aliases" in fields:
        add(f"--{prefix}alias", dest=dest + "alias", action="append", type=_alias_type(lang), metavar="BOOK=THEIRS",
            help=render("cli_help_alias", lang))
    if "use" in fields:
        add(f"--{prefix}use", dest=dest + "use", action="append", type=_use_type(lang), metavar="BOOK=FILE",
            help=render("cli_help_use", lang))
    if "isolate" in fields:
        add(f"--{prefix}isolate", dest=dest + "isolate", action="store_const", const=True,
            help=render("cli_help_isolate", lang))
        add(f"--{prefix}no-isolate", dest=dest + "isolate", action="store_const", const=False,
            help=render("cli_help_no_isolate", lang))
    if "sandbox" in fields:
        add(f"--{prefix}sandbox", dest=dest + "sandbox", choices=SANDBOX_MODES, help=render("cli_help_sandbox", lang))
