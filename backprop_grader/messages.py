"""Every sentence a learner reads, looked up by key in one catalogue per language (i18n/<lang>/*.json).

A language's catalogue is the union of the flat JSON objects in its folder (one file per area: diagnose,
relu, grader, ...), each of key -> str.format template. Placeholders are filled with the params a check or a
diagnosis attached to its failure, so the same failure renders in any language.

Why JSON and str.format rather than gettext's .po/.mo files: the catalogues need no compile step (nothing to
build or forget to rebuild before grading), a param is named in the template ({got_shape}, not %s), and a test
can read every catalogue as a plain dict and compare keys and placeholders across languages directly. What
gettext would add (plural forms, translation-memory tools) these messages do not need: counts are written as
"{count} of {size}", which reads the same in all four languages.

A param may itself be a message: msg(key, **params) is a plain dict (so a Failure still round-trips through
JSON) that render() renders in the same language before filling it in. That is how a check names what it
compares ("the x you passed to forward") or where a submission failed ("layers.py, line 12") without writing
any learner-facing words inline.
"""
import json
import os
import re
import string
from functools import lru_cache
from pathlib import Path

CATALOGUE_DIR = Path(__file__).resolve().parent / "i18n"
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=None)
def languages():
    return tuple(sorted(p.name for p in CATALOGUE_DIR.iterdir() if p.is_dir()))


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


def placeholders(template):
    """The names of the fields a template fills in: "{what} has shape {got_shape}" -> {"what", "got_shape"}."""
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field}


def _language_of(locale_name):
    """"ja_JP.UTF-8" -> "ja", "zh_CN@pinyin" -> "zh", "C" -> "c": the language part of a locale name, lowercased."""
    match = re.match(r"[A-Za-z]+", locale_name)
    return match.group(0).lower() if match else ""


def language_from_environment(environ=None):
    """The language the environment's locale asks for, if we have it, else English. As gettext does:

    - the locale for messages is the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty;
    - the C and POSIX locales (C.UTF-8 too) mean untranslated messages, that is English;
    - otherwise LANGUAGE, a colon-separated list of preferences ("ja:en"), comes first if it names a language
      we have; then the locale's own language (ja_JP.UTF-8 -> ja); zh_TW falls back to zh as gettext's would.
    """
    environ = os.environ if environ is None else environ
    locale_name = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "C")
    locale_language = _language_of(locale_name)
    if locale_language in ("c", "posix"):
        return DEFAULT_LANGUAGE
    preferences = [_language_of(p) for p in environ.get("LANGUAGE", "").split(":") if p]
    for code in preferences + [locale_language]:
        if code in languages():
            return code
    return DEFAULT_LANGUAGE


def msg(key, **params):
    """A message as a param of another one, rendered in whichever language the outer one is."""
    return {"key": key, "params": params}


def _is_msg(value):
    return isinstance(value, dict) and value.keys() == {"key", "params"}


def render(key, lang=DEFAULT_LANGUAGE, **params):
    """The message for key in lang, falling back to English for a key the language lacks."""
    template = catalogue(lang).get(key)
    if template is None:
        template = catalogue(DEFAULT_LANGUAGE)[key]
    filled = {name: render(v["key"], lang, **v["params"]) if _is_msg(v) else v for name, v in params.items()}
    return template.format(**filled)
