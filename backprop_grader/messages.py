"""Every sentence a learner reads, looked up by key in one catalogue per language (i18n/<lang>/*.json).

A language's catalogue is the union of the flat JSON objects in its folder (one file per area: diagnose,
relu, grader, ...), each of key -> str.format template. Placeholders are filled with the params a check or a
diagnosis attached to its failure, so the same failure renders in any language. JSON and str.format rather
than gettext: the catalogues need no compile step, and a test can compare their keys and placeholders directly.
"""
import json
import os
from functools import lru_cache
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent / "i18n"
DEFAULT_LANGUAGE = "en"


def languages():
    return sorted(p.name for p in CATALOGUE_DIR.iterdir() if p.is_dir())


@lru_cache(maxsize=None)
def catalogue(lang):
    merged = {}
    for path in sorted((CATALOGUE_DIR / lang).glob("*.json")):
        part = json.loads(path.read_text(encoding="utf-8"))
        clash = merged.keys() & part.keys()
        if clash:
            raise ValueError(f"{path}: keys already defined in another {lang} file: {sorted(clash)}")
        merged.update(part)
    return merged


def language_from_environment(environ=None):
    """The first of LC_ALL, LC_MESSAGES, LANG that names a language we have (ja_JP.UTF-8 -> ja), else English."""
    environ = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        code = value.split(".")[0].split("_")[0].lower()
        if code in languages():
            return code
        if value:
            break
    return DEFAULT_LANGUAGE


def render(key, lang=DEFAULT_LANGUAGE, **params):
    """The message for key in lang, falling back to English for a key the language lacks."""
    template = catalogue(lang).get(key)
    if template is None:
        template = catalogue(DEFAULT_LANGUAGE)[key]
    return template.format(**params)
