"""Every catalogue is complete: the same keys in the same area files, the same placeholders, no English left in
Japanese, Korean or Chinese beyond code names; every graded check's description is catalogued; and a report
renders in each language, without English prose, for the template, the reference and a few catalogued bugs."""
import ast
import builtins
import io
import json
import os
import keyword
import re
import tokenize
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from backprop_grader import LAYERS, PROJECT_ROOT, REFERENCE_DIR, TEMPLATE_DIR, TESTS_DIR
from backprop_grader.messages import CATALOGUE_DIR, catalogue, language_from_environment, languages, placeholders
from backprop_grader.run import PROFILE
from backprop_grader.translations import stale
from mutants import entries, materialise
from submissions import grader, one_bug_per_layer

TRANSLATED = [lang for lang in languages() if lang != "en"]

# Words a translated message may keep in Latin letters: the names learners see in code (every identifier of the
# reference, the template and the book's graphs, the layers, some of Python's builtins), the names of tools and
# formats, the command line's metavars and variables (FILE, LANG), what NumPy prints for an array, and the
# function names the Chinese edition keeps in Latin letters (sigmoid函数, softmax函数, ReLU层).
NAMES = {"sigmoid", "softmax", "ReLU", "SGD", "NumPy", "Python", "Hypothesis", "pytest", "Jupyter", "Gradescope"}
NAMES |= {"JSON", "JUnit", "Markdown", "CSV", "XML", "NAME", "FILE", "SECONDS", "LANG", "MNIST", "dtype", "ndarray", "nan", "inf"}
KEYWORDS_IN_CODE = {"None", "True", "False", "return", "self"}
# Of Python's builtins, the exceptions and warnings a report may name, and the few functions hints write.
BUILTINS = {n for n in dir(builtins) if n.endswith(("Error", "Exception", "Warning"))} | {"float", "int", "bool", "str", "list", "tuple", "dict", "NoneType", "sum", "max", "len"}


def _string_literals(path):
    return {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _code_names():
    names = set(LAYERS) | NAMES | KEYWORDS_IN_CODE | BUILTINS | {PROFILE}
    # The book's shopping graph names its values (price, dapple, dtax) and checks quote them.
    for path in [*REFERENCE_DIR.glob("*.py"), *TEMPLATE_DIR.glob("*.py"), TESTS_DIR / "book_graphs.py"]:
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        names |= {t.string for t in tokens if t.type == tokenize.NAME}
        # String constants that are names too: params keys ("W1") and the graph's values ("price").
        names |= {s for s in _string_literals(path) if s.isidentifier()}
    return names - (set(keyword.kwlist) - KEYWORDS_IN_CODE)


CODE_NAMES = _code_names()
EXPRESSION = re.compile(r"[\w.\[\]'()]+ ?(?:[-+*/@]=?|==|<=|>=|=|<|>) ?[\w.\[\]'()]+", re.ASCII)
CODE_CHARS = re.compile(r"[._()\[\]=*/+\-<>@0-9]")


def english_words(text):
    """The English words left in text: Latin-letter words of 3+ letters that are not code.

    Placeholders and single-quoted strings are dropped first; a run of printable ASCII is code when it holds code characters (np.exp(-x),
    self.mask, axis=0, (N, M)) or is a name from the code (dout, forward, Relu)."""
    text = re.sub(r"\{[^{}]*\}", " ", text)
    text = re.sub(r"'[^'\n]*'", " ", text)  # a Python string: form='single sample', params['W1']
    while True:  # both operands of an operator are code: net.params[key] -= step, dout * out
        shorter = EXPRESSION.sub(" ", text)
        if shorter == text:
            break
        text = shorter
    found = []
    for run in re.findall(r"[!-~]+", text):
        word = run.strip(",;:!?\"'`")
        if not word or CODE_CHARS.search(word) or word in CODE_NAMES:
            continue
        found += [w for w in re.findall(r"[A-Za-z]+", word) if len(w) >= 3 and w not in CODE_NAMES]
    return found


def test_english_words_finds_prose_and_spares_code():
    assert english_words("db の形が {got_shape} です: sum dout over the batch axis") == ["over", "the", "batch"]
    assert english_words("dx = dout * self.out * (1 - self.out) を返す。Relu の forward、np.maximum(x, 0)") == []
    assert english_words("net.params[key] -= step の後") == []
    assert english_words("x = the sum over rows") == ["over", "rows"]  # an operand next to code passes as code


def test_the_four_languages():
    assert languages() == ["en", "ja", "ko", "zh"]


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
    for key, template in catalogue(lang).items():
        template.format(**{name: "X" for name in placeholders(template)})


def test_every_hint_a_check_names_is_catalogued():
    named = set().union(*(_string_literals(p) for p in TESTS_DIR.glob("*.py")))
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


# Params that carry someone else's words: Python's message for an exception the submission raised, the text of a
# plain assert. They are shown as they are, in whatever language they were written.
FOREIGN_PARAMS = ("error", "message")


def _report(result, lang):
    """Every line a learner reads about result: each check's description, and the failure with its hint."""
    lines = []
    for r in result.results:
        lines.append(r.check.describe(lang))
        if r.failure is not None:
            params = {k: "..." if k in FOREIGN_PARAMS else v for k, v in r.failure.params.items()}
            lines.append(replace(r.failure, params=params).render(lang))
    return "\n".join(lines)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_reports_render_without_english(graded, lang):
    """The template, the reference and every catalogued bug and variant: all a check names (what it compares,
    where the submission failed) is a message too, or code."""
    for name, result in graded.items():
        report = _report(result, lang)
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
        found = [line.split("#")[0].strip() for line in re.findall(r"^python .*$", sections[heading], flags=re.MULTILINE)]
        assert found == commands, heading


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """python grader.py as a learner runs it in each language: from the locale, or with --lang."""
    root = tmp_path_factory.mktemp("languages")
    db_bug = materialise(next(e for e in entries("bugs") if e.name == "affine_db_not_summed"), root)
    bugs, _ = one_bug_per_layer(root)
    files = {name: root / name for name in ("ja.json", "ja.xml", "ja.md", "zh.json")}
    commands = {
        "ja_template": (["--json", files["ja.json"], "--junit", files["ja.xml"], "--markdown", files["ja.md"]], "ja_JP.UTF-8"),
        "ja_db_bug": ([db_bug], "ja_JP.UTF-8"),
        "ko_bugs": ([bugs, "--lang", "ko"], "C.UTF-8"),
        "zh_bugs": ([bugs, "--json", files["zh.json"]], "zh_CN.UTF-8"),
        "ja_usage_error": (["--layer", "Softmax"], "ja_JP.UTF-8"),
        "ko_help": (["--help"], "ko_KR.UTF-8"),
    }
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        done = dict(zip(commands, pool.map(lambda c: grader(*c[0], locale=c[1]), commands.values())))
    return done, files



def test_japanese_locale_prints_the_whole_report_in_japanese(runs):
    done, _ = runs
    for name in ("ja_template", "ja_db_bug"):
        assert done[name].returncode == 0, done[name].stderr
        assert english_words(done[name].stdout) == [], name
    assert "MulLayer.forward はまだ実装されていません（layers.py の" in done["ja_template"].stdout
    assert "self.db の形状が (3, 4) です。(4,) であるべきです: バッチの軸 (N = 3) が残っています。" in done["ja_db_bug"].stdout


@pytest.mark.parametrize("name", ["ko_bugs", "zh_bugs"])
def test_a_bug_in_every_layer_reads_in_korean_and_chinese(runs, name):
    process = runs[0][name]
    assert process.returncode == 0, process.stderr
    assert english_words(process.stdout) == []
    assert ("예상되는 실수" if name == "ko_bugs" else "可能的错误") in process.stdout


def test_files_written_in_the_report_language_with_english_check_names(runs):
    _, files = runs
    for path in (files["ja.json"], files["zh.json"]):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["extra_data"]["lang"] == path.stem
        assert all(t["name"] == f"{t['extra_data']['layer']}: {t['extra_data']['check']}" for t in data["tests"])
        assert english_words(data["output"] + "\n".join(t["output"] for t in data["tests"])) == []
    junit = ET.parse(files["ja.xml"]).getroot()
    texts = [e.text + e.get("message") for e in junit.iter() if e.tag in ("failure", "error")]
    assert texts and english_words("\n".join(texts)) == []
    markdown = re.sub(r"^```+text$", "", files["ja.md"].read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert english_words(markdown) == []


def test_usage_errors_and_help_in_the_learners_language(runs):
    done, _ = runs
    error = done["ja_usage_error"]
    assert error.returncode == 2
    assert "使い方:" in error.stderr and "エラー" in error.stderr and "不明なレイヤ 'Softmax'" in error.stderr
    assert done["ko_help"].returncode == 0
    assert "사용법:" in done["ko_help"].stdout and "옵션:" in done["ko_help"].stdout
