"""python grader.py as a learner runs it in Japanese, Korean and Chinese: from the locale or with --lang, the
report, results.json, JUnit and Markdown in that language (check names in English), usage errors and help too."""
import json
import os
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import learners
import pytest
from english_words import english_words
from mutants import entries, materialise
from submissions import grader, one_bug_per_layer

from backprop_grader.loader import load
from backprop_grader.shipped import REFERENCE_DIR


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """python grader.py as a learner runs it in each language: from the locale, or with --lang."""
    root = tmp_path_factory.mktemp("languages")
    db_bug = materialise(next(e for e in entries("bugs") if e.name == "affine_db_not_summed"), root)
    bugs, _ = one_bug_per_layer(root)
    renamed = learners.renamed_classes(root / "train_net.py")
    notebook = learners.notebook_with_magics(root / "study.ipynb")
    files = {name: root / name for name in ("ja.json", "ja.xml", "ja.md", "zh.json")}
    commands = {
        "ja_template": (
            ["--json", files["ja.json"], "--junit", files["ja.xml"], "--markdown", files["ja.md"]],
            "ja_JP.UTF-8",
        ),
        "ja_db_bug": ([db_bug], "ja_JP.UTF-8"),
        "ko_bugs": ([bugs, "--lang", "ko"], "C.UTF-8"),
        "zh_bugs": ([bugs, "--json", files["zh.json"]], "zh_CN.UTF-8"),
        "ja_renamed_script": ([renamed], "ja_JP.UTF-8"),
        "zh_notebook": ([notebook], "zh_CN.UTF-8"),
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
    # Said once, by the first check that finds it (the checks it also fails are named under it).
    expected = r"self\.db の形状が \(\d+, \d+\) です。\(\d+,\) であるべきです: バッチの軸 \(N = \d+\) が残っています。"
    assert len(re.findall(expected, done["ja_db_bug"].stdout)) == 1


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
    assert "使い方:" in error.stderr and "エラー" in error.stderr
    assert "不明なレイヤ 'Softmax'" in error.stderr
    assert done["ko_help"].returncode == 0
    assert "사용법:" in done["ko_help"].stdout and "옵션:" in done["ko_help"].stdout


def test_loose_files_and_notebooks_are_read_in_the_learners_language(runs):
    done, _ = runs
    for name in ("ja_renamed_script", "zh_notebook"):
        assert done[name].returncode == 0, done[name].stderr
        assert english_words(done[name].stdout, names=learners.RENAMED.values()) == [], name
    assert "クラス Relu がありません。train_net.py に ReLU がありました" in done["ja_renamed_script"].stdout
    assert "跳过了单元格" in done["zh_notebook"].stdout


def test_notebook_check_in_korean():
    """check() in a learner's kernel: a renamed class checked as the book's, told in Korean."""
    namespace = {"BookRelu": load(REFERENCE_DIR).Relu}
    exec("from backprop_grader import check\nclass ReLU(BookRelu): pass\nreport = check(ReLU, lang='ko')", namespace)
    report = namespace["report"]
    assert report.score == report.max_score > 0
    assert english_words(str(report)) == [] and "책의 Relu" in str(report)
