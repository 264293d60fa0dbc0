"""Which English text each translation was made from, so that an English message edited later shows up as a
stale translation (gettext calls these "fuzzy") instead of silently saying something else.

i18n/translated_from.json maps language -> key -> a short fingerprint of the English text the translation
renders. After translating or re-checking messages, record them:

    python -m backprop_grader.translations ja ko zh            # every key of those languages
    python -m backprop_grader.translations ja --key hint_x     # only the messages just re-translated
"""
import argparse
import hashlib
import json

from .messages import CATALOGUE_DIR, DEFAULT_LANGUAGE, catalogue

RECORD = CATALOGUE_DIR / "translated_from.json"


def fingerprint(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _record():
    return json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else {}


def stale(lang):
    """The keys of lang whose English text is not the one they were translated from (or never recorded)."""
    recorded = _record().get(lang, {})
    english = catalogue(DEFAULT_LANGUAGE)
    return sorted(k for k in catalogue(lang) if k in english and recorded.get(k) != fingerprint(english[k]))


def stamp(lang, keys=None):
    """Record that lang's messages for keys (all of them by default) translate today's English."""
    record = _record()
    english = catalogue(DEFAULT_LANGUAGE)
    mine = record.setdefault(lang, {})
    for key in keys or catalogue(lang):
        mine[key] = fingerprint(english[key])
    record[lang] = {k: mine[k] for k in sorted(mine) if k in english}
    RECORD.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m backprop_grader.translations", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("languages", nargs="+")
    parser.add_argument("--key", action="append", help="stamp only this key (repeatable)")
    options = parser.parse_args(argv)
    for lang in options.languages:
        stamp(lang, options.key)


if __name__ == "__main__":
    main()
