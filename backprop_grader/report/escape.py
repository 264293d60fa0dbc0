"""Text from a submission, made safe for where it goes: one function per destination.

What a submission writes (an exception's message, what it prints, the names of its files and of its folder in a
batch) reaches an instructor's terminal, XML that CI tools parse, a spreadsheet and web pages. Every serialiser
passes such text through the function of its destination:

- terminal(): C0 and C1 control characters, DEL, and the bidirectional controls that reorder what a line shows,
  become visible escapes (ESC is \\x1b), so that no escape sequence acts on the reader's terminal; newline and tab
  stay where a report lays text out with them, and go too for text that must stay on one line (keep="").
- xml(): the characters XML 1.0 does not allow (and those terminal() escapes) become visible escapes, so that the
  document stays well-formed; ElementTree escapes the markup (<, &, quotes) itself.
- csv_cell(): a cell that a spreadsheet would read as a formula (it starts with =, +, -, @, tab or CR) gets a
  single quote in front, and control characters are escaped as for a terminal.
- html() and markdown(): markup is escaped, control characters too.
- name(): a name that must stay on one line (a submission's folder), escaped and clipped.

sanitized() applies one of them to every text in a GradeResult that comes from the submission (failures'
parameters and examples, notes, the submission's path), leaving the grader's own sentences to the catalogues.
"""
import dataclasses
import html as _html
import re

# C0 but newline and tab, DEL, C1; the bidirectional embeddings, overrides and isolates; line and paragraph
# separators (which some terminals and viewers break lines at).
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_TERMINAL = re.compile(f"[{_CONTROL}]")
_ONE_LINE = re.compile(f"[{_CONTROL}\n\t]")
# Not allowed in XML 1.0 (https://www.w3.org/TR/xml/#charsets): surrogates (lone ones, from undecodable bytes)
# and U+FFFE, U+FFFF, beside the controls above.
_XML = re.compile(f"[{_CONTROL}\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAME_LIMIT = 100
ELLIPSIS = "\u2026"


def _visible(match):
    code = ord(match.group(0))
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def terminal(text, keep="\n\t"):
    """text with every control character as a visible escape but those in keep (newline and tab by default)."""
    text = str(text)
    pattern = _TERMINAL if keep == "\n\t" else _ONE_LINE if keep == "" else re.compile(
        f"[{''.join(c for c in _CONTROL + chr(10) + chr(9) if c not in keep)}]"
    )
    return pattern.sub(_visible, text)


def name(text, limit=NAME_LIMIT):
    """A name that must stay on one line, escaped for a terminal and clipped to limit characters."""
    text = terminal(text, keep="")
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def xml(text):
    """text that an XML 1.0 document can hold: disallowed characters as visible escapes (markup is the
    serialiser's: ElementTree escapes it)."""
    return _XML.sub(_visible, str(text))


def csv_cell(text):
    """A CSV cell no spreadsheet takes for a formula, its control characters escaped."""
    text = str(text)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return terminal(text, keep="")


def html(text):
    """text as HTML shows it literally."""
    return _html.escape(terminal(text), quote=True)


_MARKDOWN_SPECIAL = "\\`*_[]<>|#&!"


def markdown(text):
    """text as Markdown shows it literally: a hint's `dout * (x > 0)` must not turn into italics, nor a name
    into a link or HTML."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in terminal(text))


def markdown_code(text):
    """text inside a Markdown code span (`...`), where nothing is interpreted but a backtick ends it: on one
    line, its backticks made quotes."""
    return terminal(text, keep="").replace("`", "'")


def _mapped(value, escape):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {k: _mapped(v, escape) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_mapped(v, escape) for v in value)
    return value


def sanitized(result, escape=terminal):
    """result with every text that comes from the submission passed through escape."""
    results = []
    for check_result in result.results:
        failure = check_result.failure
        if failure is not None:
            failure = dataclasses.replace(
                failure,
                params=_mapped(failure.params, escape),
                example=_mapped(failure.example, escape),
            )
            check_result = dataclasses.replace(check_result, failure=failure)
        results.append(check_result)
    notes = [dataclasses.replace(note, params=_mapped(note.params, escape)) for note in result.notes]
    return dataclasses.replace(result, submission=escape(result.submission), results=results, notes=notes)
