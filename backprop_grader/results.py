"""Plain data that flows from the checks to the reports: what each check is worth and what it found, what a
submission could not provide (SubmissionError), and what held of the sandbox its code ran in."""
from dataclasses import asdict, dataclass, field

from .book import ALL_LAYERS, DEFAULT_CHAPTER, chapter_of
from .messages import DEFAULT_LANGUAGE, catalogue, render

PASSED, FAILED, ERROR, SKIPPED, NOT_RUN = "passed", "failed", "error", "skipped", "not_run"
# The sandbox mode a result records when the submission ran in the grader's own process.
IN_PROCESS = "none"
# The sandbox's protections, each held or missing (isolation/sandbox_plan.py puts them up).
PROTECTIONS = ("network", "ipc", "hidden", "read_only")
# The most characters any one param of a message may have in a report (show() cuts values at 300, error texts
# at 300 to 600): whatever a submission makes a check say (its exception's text, a file name, a note's file) is
# clipped to it, here, where every Failure and Note is made or read back.
MAX_PARAM_CHARS = 1000


def clipped(value, limit=MAX_PARAM_CHARS, depth=3):
    """A message param as a report may hold it: a string cut to limit characters, a message (messages.msg: a
    dict of key and params) with its params clipped, a number as it is; anything else as its clipped text."""
    if type(value) is str:
        return value if len(value) <= limit else value[: limit - 3] + "..."
    if type(value) in (int, float, bool) or value is None:
        return value
    if depth > 0 and type(value) is dict and set(value) == {"key", "params"} and type(value["params"]) is dict:
        return {"key": clipped(value["key"], 100, 0), "params": clipped_params(value["params"], limit, depth - 1)}
    return clipped(str(value), limit, 0)


def clipped_params(params, limit=MAX_PARAM_CHARS, depth=3):
    return {clipped(str(k), 100, 0): clipped(v, limit, depth) for k, v in list(params.items())[:32]}


class SubmissionError(Exception):
    """The submission cannot provide what a check needs. key names the message; params fill it in."""

    def __init__(self, key, **params):
        self.key = key
        self.params = params
        super().__init__(self.render())

    def render(self, lang="en"):
        return render(self.key, lang, **self.params)

    def fresh(self):
        """A new error with the same key and params. A cached error is re-raised as a fresh one: raising one
        object again and again would grow its traceback (and Hypothesis's notes on it) without end."""
        return type(self)(self.key, **self.params)


def sandbox_summary(status, lang="en"):
    """One line saying which protections held: "sandbox: network off, IPC private, grader files hidden,
    read-only; user: dropped to nobody" ("grader files hidden by permissions" where no new root hid them, but
    nobody could read none of them); empty for None (not recorded: a result read from an older file)."""
    if status is None:
        return ""
    if status.get("mode") == IN_PROCESS:
        return render("sandbox_not_isolated", lang)
    if status.get("mode") == "off":
        return render("sandbox_off", lang)
    parts = [render(f"sandbox_{p}_{_held(status, p)}", lang) for p in PROTECTIONS]
    return render("sandbox_summary", lang, parts=", ".join(parts), user=render(f"sandbox_user_{status['user']}", lang))


def _held(status, protection):
    """"held", "missing", or for the grader's files hidden by their permissions alone (no new root), "permissions"."""
    if not status.get(protection):
        return "missing"
    return "permissions" if protection == "hidden" and status.get("hidden_by") == "permissions" else "held"


@dataclass(frozen=True)
class Check:
    """A graded check as declared beside its test: tests/checks.py's check(layer, points, strict)."""

    id: str  # pytest node id, e.g. tests/test_affine.py::test_db_sums_over_batch
    layer: str
    name: str  # the test's name without "test_", e.g. db_sums_over_batch
    points: float
    strict: bool
    description: str  # the test docstring's first line
    visibility: str = "visible"  # who sees it on Gradescope: a rubric may make it hidden or after_due_date

    @property
    def title(self):
        """What results.json and JUnit call it: "<Layer>: <check>". Never translated: rubrics match on it."""
        return f"{self.layer}: {self.name}"

    @property
    def description_key(self):
        """The catalogue key of the description, whose English text is the docstring's (a test keeps them equal)."""
        return f"check.{self.layer}.{self.name}"

    def describe(self, lang="en"):
        """The description in lang; a check not yet in the catalogues keeps its docstring's English."""
        if self.description_key in catalogue(lang) or self.description_key in catalogue(DEFAULT_LANGUAGE):
            return render(self.description_key, lang)
        return self.description


@dataclass
class Failure:
    """Why a check did not pass, as a message key and its params, plus the smallest failing example."""

    key: str
    params: dict = field(default_factory=dict)
    hint: str = None
    example: str = None  # Hypothesis's falsifying example, e.g. "shape=(1, 2), seed=0"

    def __post_init__(self):
        self.params = clipped_params(self.params or {})
        if self.example is not None:
            self.example = clipped(self.example)

    def render(self, lang="en"):
        text = render(self.key, lang, **self.params)
        if self.hint:
            text += "\n" + render("hint_prefix", lang) + render(self.hint, lang, **self.params)
        return text


@dataclass
class Note:
    """What the grader did that a student should know of, beside the checks: which of two files it graded,
    the training loop it skipped when loading a script. A message key and its params, like a Failure."""

    key: str
    params: dict = field(default_factory=dict)
    layer: str = None  # the layer it concerns, or None for the whole submission

    def __post_init__(self):
        self.params = clipped_params(self.params or {})

    def render(self, lang="en"):
        return render(self.key, lang, **self.params)


@dataclass
class CheckResult:
    check: Check
    status: str
    failure: Failure = None
    duration: float = 0.0

    @property
    def score(self):
        return self.check.points if self.status == PASSED else 0.0


@dataclass
class LayerScore:
    layer: str
    score: float
    max_score: float
    passed: int
    total: int


@dataclass
class GradeResult:
    """Everything one grading run found. Plain data: it can be written as JSON and read back."""

    submission: str
    profile: str
    seed: int
    results: list
    lang: str = "en"
    notes: list = field(default_factory=list)  # Note
    # What held of the workers' sandbox (isolation/sandbox_plan.py; sandbox_summary says it in words).
    sandbox: dict = None
    # What the submission's code printed: the last characters of it (printed.PRINTED_TAIL), and how many in all.
    printed: str = ""
    printed_chars: int = 0

    @property
    def score(self):
        return sum(r.score for r in self.results)

    @property
    def max_score(self):
        return sum(r.check.points for r in self.results)

    @property
    def chapter(self):
        """The book's chapter whose checks these are (chapter 5 when there are none)."""
        return next((chapter_of(r.check.layer) for r in self.results), DEFAULT_CHAPTER)

    def layer_scores(self):
        scores = []
        for layer in ALL_LAYERS:
            mine = [r for r in self.results if r.check.layer == layer]
            if mine:
                scores.append(
                    LayerScore(
                        layer,
                        sum(r.score for r in mine),
                        sum(r.check.points for r in mine),
                        sum(r.status == PASSED for r in mine),
                        len(mine),
                    )
                )
        return scores

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        results = [
            CheckResult(
                Check(**r["check"]),
                r["status"],
                Failure(**r["failure"]) if r["failure"] else None,
                r["duration"],
            )
            for r in data["results"]
        ]
        notes = [Note(**n) for n in data.get("notes", ())]
        return cls(
            data["submission"], data["profile"], data["seed"], results, data.get("lang", "en"), notes,
            data.get("sandbox"), data.get("printed", ""), data.get("printed_chars", 0),
        )
