"""Every catalogue is complete: the same keys in the same area files, the same placeholders, no English left in
Japanese, Korean or Chinese beyond code names, no translation older than its English; every graded check's
description is catalogued as its docstring; and the reports of the template, the reference and every catalogued
submission render in each language without English prose."""
import json
import re

import pytest
from english_words import english_words, report_text, string_literals
from submissions import PROJECT_ROOT

from backprop_grader.messages import CATALOGUE_DIR, catalogue, language_from_environment, languages, placeholders
from backprop_grader.shipped import CHECKS_DIR
from backprop_grader.translations import stale

TRANSLATED = [lang for lang in languages() if lang != "en"]

def test_english_words_finds_prose_and_spares_code():
    assert english_words("db の形が {got_shape} です: sum dout over the batch axis") == ["over", "the", "batch"]
    assert english_words("dx = dout * self.out * (1 - self.out) を返す。Relu の forward、np.maximum(x, 0)") == []
    assert english_words("net.params[key] -= step の後") == []
    assert english_words("x = the sum over rows") == ["over", "rows"]  # an operand next to code passes as code


def test_the_four_languages():
    assert languages() == ("en", "ja", "ko", "zh")


def _areas(lang):
    return {p.name: set(json.loads(p.read_text(encoding="utf-8"))) for p in (CATALOGUE_DIR / lang).glob("*.json")}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_same_keys_in_the_same_files(lang):
    english, translated = _areas("en"), _areas(lang)
    assert sorted(translated) == sorted(english), "area files differ"
    for name, keys in english.items():
        missing, extra = keys - translated[name], translated[name] - keys
        assert not missing, f"{lang}/{name} lacks: " + ", ".join(sorted(missing))
        assert not extra, f"{lang}/{name} has keys English does not: " + ", ".join(sorted(extra))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_same_placeholders(lang):
    english, translated = catalogue("en"), catalogue(lang)
    differ = {k: (placeholders(english[k]), placeholders(v)) for k, v in translated.items() if k in english}
    assert {k: d for k, d in differ.items() if d[0] != d[1]} == {}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_english_left(lang):
    left = {k: english_words(v) for k, v in catalogue(lang).items()}
    assert {k: words for k, words in left.items() if words} == {}


@pytest.mark.parametrize("lang", languages())
def test_every_template_formats(lang):
    for template in catalogue(lang).values():
        template.format(**{name: "X" for name in placeholders(template)})


def test_every_hint_a_check_names_is_catalogued():
    named = set().union(*(string_literals(p) for p in CHECKS_DIR.glob("*.py")))
    hints = {s for s in named if re.fullmatch(r"hint_[a-z0-9_]+", s)}
    assert hints - catalogue("en").keys() == set()


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": ""}, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "ko:en"}, "ko"),
        ({"LANG": "ja_JP.UTF-8", "LANGUAGE": "fr:de"}, "ja"),
        ({"LANG": "C", "LANGUAGE": "ja"}, "en"),
    ],
)
def test_language_from_environment(environ, expected):
    assert language_from_environment(environ) == expected


def test_every_check_description_is_catalogued_as_its_docstring(reference_result):
    english = catalogue("en")
    checks = [r.check for r in reference_result.results]
    assert {c.description_key: c.description for c in checks if english.get(c.description_key) != c.description} == {}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_reports_render_without_english(graded, lang):
    """The template, the reference and every catalogued bug and variant: all a check names (what it compares,
    where the submission failed) is a message too, or code."""
    for name, result in graded.items():
        report = report_text(result, lang)
        assert english_words(report) == [], f"{name} in {lang}:\n{report}"


def test_rendered_failures_differ_by_language(graded):
    failure = next(r.failure for r in graded["bugs/relu_mask_lt_zero"].results if r.failure)
    texts = {lang: failure.render(lang) for lang in languages()}
    assert len(set(texts.values())) == len(texts)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_translation_is_stale(lang):
    assert stale(lang) == [], (
        "the English of these messages changed since they were translated: translate them again, then record it "
        f"with python -m backprop_grader.translations {lang} --key KEY"
    )


def _sections(markdown):
    """The README's text under each "## " heading, keyed by heading, and the text before the first as ""."""
    parts = re.split(r"^## (.+)$", markdown, flags=re.MULTILINE)
    return {"": parts[0], **dict(zip(parts[1::2], parts[2::2]))}


def test_readme_opens_with_the_two_commands_in_each_language():
    sections = _sections((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    commands = [line.split("#")[0].strip() for line in re.findall(r"^python .*$", sections[""], flags=re.MULTILINE)]
    assert len(commands) == 2
    for heading in ("日本語", "한국어", "中文"):
        lines = re.findall(r"^python .*$", sections[heading], flags=re.MULTILINE)
        found = [line.split("#")[0].strip() for line in lines]
        assert found == commands, heading
