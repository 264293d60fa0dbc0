"""english_words(text): the English words left in a message that should be in Japanese, Korean or Chinese.

Code stays code in every language (dout, db, axis=0, Relu), so a word in Latin letters is English prose only if
it is not a name from the code, a tool or a format; the tests of the catalogues and of the reports use this.
"""
import ast
import builtins
import io
import keyword
import re
import signal
import tokenize
from dataclasses import replace

from submissions import TEMPLATE

from backprop_grader.book import ALL_LAYERS
from backprop_grader.run import PROFILE
from backprop_grader.shipped import CHECKS_DIR, REFERENCE_DIR

# Words a translated message may keep in Latin letters: the names learners see in code (every identifier of the
# reference, the template and the book's graphs, the layers, some of Python's builtins), the names of tools and
# formats, the command line's metavars and variables (FILE, LANG), what NumPy prints for an array, and the
# function names the Chinese edition keeps in Latin letters (sigmoid函数, softmax函数, ReLU层).
NAMES = {"sigmoid", "softmax", "ReLU", "SGD", "NumPy", "Python", "Hypothesis", "pytest", "Jupyter", "IPython", "Gradescope"}
NAMES |= {"JSON", "JUnit", "Markdown", "CSV", "XML", "MNIST", "NAME", "FILE", "SECONDS", "LANG", "BOOK", "THEIRS", "TOML", "DIR", "ZIP", "zip"}
NAMES |= {"GitHub", "Classroom", "Linux", "macOS", "CPU", "fork", "pdb", "tomli", "matplotlib", "PNG", "HTML"}
NAMES |= {"dtype", "ndarray", "nan", "inf"}
NAMES |= {s.name for s in signal.Signals}  # the signal that ended a crashed process: SIGSEGV, SIGKILL
KEYWORDS_IN_CODE = {"None", "True", "False", "return", "self", "import"}
# Of Python's builtins, the exceptions and warnings a report may name, and the few functions hints write.
BUILTINS = {n for n in dir(builtins) if n.endswith(("Error", "Exception", "Warning"))}
BUILTINS |= {"float", "int", "bool", "str", "list", "tuple", "dict", "NoneType", "sum", "max", "len"}


def string_literals(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _code_names():
    names = set(ALL_LAYERS) | NAMES | KEYWORDS_IN_CODE | BUILTINS | {PROFILE}
    # The book's shopping graph names its values (price, dapple, dtax) and checks quote them.
    for path in [*REFERENCE_DIR.rglob("*.py"), *TEMPLATE.rglob("*.py"), CHECKS_DIR / "book_graphs.py"]:
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        names |= {t.string for t in tokens if t.type == tokenize.NAME}
        # String constants that are names too: params keys ("W1") and the graph's values ("price").
        names |= {s for s in string_literals(path) if s.isidentifier()}
    return names - (set(keyword.kwlist) - KEYWORDS_IN_CODE)


CODE_NAMES = _code_names()
EXPRESSION = re.compile(r"[\w.\[\]'()]+ ?(?:[-+*/@]=?|==|<=|>=|=|<|>) ?[\w.\[\]'()]+", re.ASCII)
CODE_CHARS = re.compile(r"[._()\[\]=*/+\-<>@0-9]")


def english_words(text, names=()):
    """The English words left in text: Latin-letter words of 3+ letters that are not code.

    Placeholders, single-quoted strings, Python's exception messages and the operands of operators are dropped
    first; a run of printable ASCII is code when it holds code characters (np.exp(-x), self.mask, axis=0, (N, M)),
    is an IPython magic or shell escape (%matplotlib, !pip), or is a name from the code (dout, forward, Relu) or
    one of names (a learner's own: MultiplyLayer)."""
    known = CODE_NAMES | set(names)
    text = re.sub(r"\{[^{}]*\}", " ", text)
    text = re.sub(r"'[^'\n]*'", " ", text)  # a Python string: form='single sample', params['W1']
    text = re.sub(r"python -m [^）)\n]*", " ", text)  # a command: python -m pip install tomli
    # Python's own words about an exception the submission raised: "ModuleNotFoundError: No module named ..."
    text = re.sub(r"\b[A-Z]\w*(?:Error|Exception|Warning): [^）)\n]*", " ", text)
    while True:  # both operands of an operator are code: net.params[key] -= step, dout * out
        shorter = EXPRESSION.sub(" ", text)
        if shorter == text:
            break
        text = shorter
    found = []
    for run in re.findall(r"[!-~]+", text):
        if run.startswith(("%", "!")):
            continue
        word = run.strip(",;:!?\"'`")
        if not word or CODE_CHARS.search(word) or word in known:
            continue
        found += [w for w in re.findall(r"[A-Za-z]+", word) if len(w) >= 3 and w not in known]
    return found


# Params that carry someone else's words: Python's message for an exception the submission raised, the text of a
# plain assert, what a crashed process printed (faulthandler's "Fatal Python error: ..."). They are shown as they
# are, in whatever language they were written.
FOREIGN_PARAMS = ("error", "message", "output")


def report_text(result, lang):
    """Every line a learner reads about result: each check's description, the failure with its hint, the notes;
    a param in someone else's words (FOREIGN_PARAMS) left out."""
    lines = []
    for r in result.results:
        lines.append(r.check.describe(lang))
        if r.failure is not None:
            params = {k: "..." if k in FOREIGN_PARAMS else v for k, v in r.failure.params.items()}
            lines.append(replace(r.failure, params=params).render(lang))
    lines += [note.render(lang) for note in result.notes]
    return "\n".join(lines)
