"""Gradescope's autograder bundle: a zip of the grader (package, reference, suite) with setup.sh and run_autograder.

Gradescope unpacks the zip into /autograder/source and runs setup.sh once, as root, when it builds the image;
then, for every submission, it runs /autograder/run_autograder (a copy of ours) from /autograder, with the
student's files in /autograder/submission, and reads /autograder/results/results.json
(https://gradescope-autograders.readthedocs.io/en/latest/specs/).

setup.sh makes a virtual environment in source/.venv and installs the grader there, from the bundled project
files, then removes them (the installed package is all it needs, and a submission has no reason to find the
suite's files beside it), and makes the installed package, the rubric and the extra tests readable by root alone:
where the container refuses the sandbox's namespaces, that is what keeps them from a worker, which drops to
nobody all the same (isolation/permissions.py). run_autograder grades the submission with the bundled rubric and extra tests. Both
take the root from AUTOGRADER_ROOT when it is set, so the bundle can be tried in any folder laid out like
/autograder. The zip is the same bytes for the same files: sorted names, fixed dates.
"""
import json
import shlex
import zipfile
from pathlib import Path

from .messages import render
from .rubric import tomllib

# A clone's root: the bundle is built from its files.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE")
PROJECT_FOLDERS = ("backprop_grader", "reference", "student_template", "tests/checks")
RUBRIC_NAME = "rubric.toml"
EXTRA_TESTS_NAME = "extra_tests"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SKIPPED_PARTS = {"__pycache__", ".hypothesis", ".pytest_cache"}

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: a virtual environment in
# source/.venv with the grader's requirements. The venv sees the system's packages, so an image (or a trial run)
# that already has numpy, pytest and hypothesis reuses them.
set -euo pipefail
SOURCE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
if ! python3 -c "import venv, ensurepip" 2>/dev/null; then
    apt-get update
    apt-get install -y python3 python3-venv
fi
python3 -m venv --system-site-packages "$SOURCE/.venv"
"$SOURCE/.venv/bin/python" -m pip install --quiet -r "$SOURCE/requirements.txt"
"$SOURCE/.venv/bin/python" -m pip install --quiet --no-deps "$SOURCE"
rm -rf "$SOURCE/backprop_grader" "$SOURCE/reference" "$SOURCE/student_template" "$SOURCE/tests" "$SOURCE/build" "$SOURCE"/*.egg-info
# Where the kernel refuses namespaces (Gradescope's containers refuse unshare), each worker still drops to nobody,
# and only these permissions keep the grader's files from it: the installed package (its reference and checks),
# the rubric, the extra tests and the scripts are root's alone. Python, numpy and the folders on the way to them
# stay readable, and source/ may be passed through, not listed.
PACKAGE="$("$SOURCE/.venv/bin/python" -I -c 'import backprop_grader, os; print(os.path.dirname(backprop_grader.__file__))')"
case "$PACKAGE" in
    "$SOURCE/.venv/"*) ;;
    *) echo "setup.sh: the grader imports from $PACKAGE, not from $SOURCE/.venv" >&2; exit 1 ;;
esac
chmod -R o-rwx "$PACKAGE" "$(dirname "$PACKAGE")"/backprop_grader-*.dist-info
find "$SOURCE" -mindepth 1 -maxdepth 1 ! -name .venv -exec chmod -R o-rwx {{}} +
chmod o=x "$SOURCE"
# Grade the reference once, with the bundled rubric and extra tests and the whole sandbox: a grader that cannot
# run, or a machine that does not allow the sandbox, fails the build here, rather than every student's
# submission later.
cd "$SOURCE"
"$SOURCE/.venv/bin/backprop-grader" reference --sandbox {sandbox}{options}
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission into /autograder/results/results.json.
# AUTOGRADER_ROOT replaces /autograder, to try the bundle in a folder laid out the same way.
# Gradescope asks for a results.json in every case: should the grader itself fail (no results, or an exit status
# other than 0), a results.json with score 0 is written instead, its top-level output telling the student only that
# the submission could not be graded, and a hidden test (which students never see) telling the instructor why.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
RESULTS="$ROOT/results/results.json"
mkdir -p "$ROOT/results"
rm -f "$RESULTS"  # a results.json left from before never passes for this grade's
ERRORS="$(mktemp 2>/dev/null || echo "$ROOT/results/.grader-errors")"

finish() {{
    local status=$1
    cat "$ERRORS" >&2  # all of it in the autograder's stdout, which Gradescope shows instructors only
    if [ "$status" -ne 0 ] || [ ! -s "$RESULTS" ]; then
        # The last lines of the error output as the inside of a JSON string: ASCII, tabs and line ends escaped,
        # other control characters dropped.
        local tail_text document
        tail_text="$(tail -n 40 "$ERRORS" 2>/dev/null | LC_ALL=C tr -d '\\000-\\010\\013\\014\\016-\\037\\177-\\377' \\
            | LC_ALL=C sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g' -e 's/\\r/\\\\r/g' -e 's/\\t/\\\\t/g' \\
            | LC_ALL=C awk '{{ if (NR > 1) printf "\\\\n"; printf "%s", $0 }}')"
        document="$(cat <<'FALLBACK'
{fallback}
FALLBACK
)"
        document="${{document//@STATUS@/"$status"}}"
        document="${{document//@ERRORS@/"$tail_text"}}"
        printf '%s\\n' "$document" > "$RESULTS"
    fi
    rm -f "$ERRORS"
    exit 0
}}
trap 'finish $?' EXIT
trap 'exit 143' TERM INT  # stopped: still a results.json

cd "$ROOT/source" || exit 1
2>"$ERRORS" "$ROOT/source/.venv/bin/backprop-grader" "$ROOT/submission" --json "$ROOT/results/results.json" --sandbox {sandbox}{options}
"""


def fallback_results(lang="en"):
    """The results.json run_autograder writes when the grader fails, as text with two places to fill: @STATUS@
    (the grader's exit status) and @ERRORS@ (the end of its error output, escaped for inside a JSON string).
    Score 0; the top-level output, which students see, says only that the submission could not be graded; the
    reason is a hidden test, which only instructors see (as they see the autograder's stdout)."""
    reason = json.dumps(render("bundle_grader_failed_reason", lang, status="@STATUS@"))[1:-1]
    document = {
        "score": 0,
        "output": render("bundle_grader_failed", lang),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"status": "grader_failed", "exit_status": "@STATUS@", "lang": lang},
        "tests": [
            {
                "name": "Autograder: grader_failed",
                "name_format": "text",
                "score": 0,
                "max_score": 0,
                "status": "failed",
                "output": "@REASON@",
                "output_format": "text",
                "visibility": "hidden",
            }
        ],
    }
    text = json.dumps(document, indent=2)  # ASCII: non-ASCII letters as \\u escapes
    text = text.replace('"@STATUS@"', "@STATUS@")  # a number
    return text.replace("@REASON@", reason + "\\n\\n@ERRORS@")


class BundleError(Exception):
    def __init__(self, key, **params):
        super().__init__(f"{key}: {params}")
        self.key = key
        self.params = params


def requirements():
    """requirements.txt: pyproject's dependencies (tomli among them where Python has no tomllib)."""
    if tomllib is None:
        raise BundleError("bundle_needs_toml")
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as stream:
        dependencies = tomllib.load(stream)["project"]["dependencies"]
    return "\n".join(dependencies) + "\n"


def _project_files():
    """(path in the zip, file on disk) for the grader as a clone has it, caches left out."""
    found = [(name, PROJECT_ROOT / name) for name in PROJECT_FILES]
    for folder in PROJECT_FOLDERS:
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.is_file() and not SKIPPED_PARTS & set(path.parts) and path.suffix != ".pyc":
                found.append((path.relative_to(PROJECT_ROOT).as_posix(), path))
    return found


def _folder_files(folder, prefix):
    folder = Path(folder)
    return [
        (f"{prefix}/{path.relative_to(folder).as_posix()}", path)
        for path in folder.rglob("*")
        if path.is_file() and not SKIPPED_PARTS & set(path.parts) and path.suffix != ".pyc"
    ]


def _add(archive, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    archive.writestr(info, data)


def build(target, rubric=None, extra_tests=None, grader_args=(), sandbox="require", lang="en"):
    """Write the bundle to target (a .zip path) and return its path. rubric and extra_tests, if given, are
    copied in and used by run_autograder, and grader_args (--alias, --use) are added to its command. lang: the
    language of the results.json run_autograder writes should the grader fail."""
    for name in (*PROJECT_FILES, "tests/checks/conftest.py"):
        if not (PROJECT_ROOT / name).is_file():  # an installed package has no suite to bundle
            raise BundleError("bundle_needs_clone", root=str(PROJECT_ROOT))
    files = {name: path.read_bytes() for name, path in _project_files()}
    options = ""
    if rubric is not None:
        files[RUBRIC_NAME] = Path(rubric).read_bytes()
        options += f" --rubric {RUBRIC_NAME}"
    if extra_tests is not None:
        files.update({name: path.read_bytes() for name, path in _folder_files(extra_tests, EXTRA_TESTS_NAME)})
        options += f" --extra-tests {EXTRA_TESTS_NAME}"
    options += "".join(f" {shlex.quote(arg)}" for arg in grader_args)
    files["requirements.txt"] = requirements().encode()
    scripts = {
        "setup.sh": SETUP_SH.format(options=options, sandbox=sandbox),
        "run_autograder": RUN_AUTOGRADER.format(options=options, sandbox=sandbox, fallback=fallback_results(lang)),
    }
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in scripts.items():
            _add(archive, name, text.encode(), executable=True)
        for name in sorted(files):
            _add(archive, name, files[name])
    return target
