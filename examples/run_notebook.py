"""Execute examples/check_in_notebook.ipynb in a real Jupyter kernel and put what check() showed into the README.

    python examples/run_notebook.py        # needs nbclient and ipykernel: pip install -e ".[notebook]"

The executed notebook (outputs included) is written back beside this script, and the README's block between
the notebook-check markers is replaced by the first check's output, as text and as the HTML table Jupyter
shows. tests/test_notebook_check.py runs the same cells without a kernel (and in one, where nbclient is
installed) and compares what they show with what is committed here.
"""

import re
import sys
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "check_in_notebook.ipynb"
README = ROOT / "README.md"
START, END = "<!-- notebook-check:start -->", "<!-- notebook-check:end -->"


def execute(path=NOTEBOOK):
    """The notebook at path, executed with the project root as the kernel's working folder."""
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", record_timing=False, resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    return notebook


def shown(notebook):
    """(text/plain, text/html) of every execute_result, in order."""
    return [
        (output["data"]["text/plain"], output["data"].get("text/html", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output["output_type"] == "execute_result"
    ]


def readme_block(text, html):
    return f"{START}\n```text\n{text}\n```\n\nand, in Jupyter, as a table:\n\n{html}\n{END}"


def main():
    notebook = execute()
    nbformat.write(notebook, NOTEBOOK)
    text, html = shown(notebook)[0]
    readme = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(readme):
        sys.exit(f"{README} has no {START} ... {END} block to fill")
    README.write_text(pattern.sub(lambda _: readme_block(text, html), readme), encoding="utf-8")


if __name__ == "__main__":
    main()
