"""The smallest failing example of a Hypothesis check, read back from the note Hypothesis adds to its exception.

Hypothesis has no API for it; the note's first words changed between versions ("Falsifying example:" up to 6.15x,
"Failing test case:" since), so every reader of the note goes through here, and tests/test_failing_example.py
makes the installed Hypothesis fail for real and reads its note back."""
import re

_NOTE = re.compile(r"(Falsifying|Failing) (explicit )?(example|test case)\b")


def arguments(exc):
    """The note's "name=value" lines (fixtures included, comments dropped), or None without such a note."""
    for note in getattr(exc, "__notes__", ()):
        if _NOTE.match(note):
            body = note.split("(", 1)[-1].rsplit(")", 1)[0]
            lines = (re.sub(r"\s+#.*$", "", line).strip().rstrip(",") for line in body.splitlines())
            return [line for line in lines if line]
    return None
