"""What a worker's reply means in the grader: a value (with the news that comes along: changed shared arrays,
dict entries and attributes to keep, the generator's state), or the exception to raise for what went wrong.

Everything a reply holds is checked before it is used (its shape, every field's type, that a file named is
inside the submission, that a message key and its values fit the catalogue): a reply that breaks the protocol
raises WireError (or LookupError, for a token or handle that is not there), and its worker is given up.
"""
import re
import signal
import string
from pathlib import Path

from ..book import LAYERS
from ..intake import NOTE_KEYS
from ..messages import catalogue, msg
from ..results import MAX_PARAM_CHARS, Note, SubmissionError, clipped
from . import errors, wire
from .errors import WorkerBug, WorkerFailure
from .proxies import proxy_for

MAX_FRAME_PATH = 4096  # PATH_MAX: a frame's file beyond it is no file's
MAX_NAME_PART, MAX_PATH_PARTS = 255, 16  # NAME_MAX, and folders deep enough for any submission
MAX_NOTES = 32
# A failed import of one of these means a submission reached for the grader's own code.
GRADER_MODULES = frozenset(
    {"reference", "backprop_grader", "tests", "conftest", "checks", "strategies", "gradcheck", "mutants",
     "pytest", "_pytest", "hypothesis"}
)


def unpacker(channel, body, label):
    """The Unpacker of a frame from channel's worker (a reply, or a callback of its stand-ins), whose handles
    become proxies named after label; WireError for a frame that cannot be read."""
    return wire.Unpacker(body, lambda fields: proxy_for(channel, handle=fields, origin=label), channel.arrays)


def read(channel, unpacker, label, last=True):
    """(value, None) for an "ok" reply, else (None, the exception it stands for), once the reply's other news
    is taken in (shared arrays, dict entries, attributes, the generator). last: the reply to the request waited
    for, after which nothing ran in the worker. WireError or LookupError: a reply that breaks the protocol."""
    arrays = channel.arrays
    reply = unpacker.message
    if "internal" in reply:  # the worker's own code failed, and the worker ended
        text = reply["internal"]
        raise WorkerBug(f"the worker's own code failed in {label}:\n{text[-4000:] if type(text) is str else '?'}")
    # The value first: it may name an array by a token this reply then lets go of.
    value = unpacker.value(reply["ok"]) if "ok" in reply else None
    if "sync" in reply:
        for token, node in wire.pairs(reply["sync"]):
            arrays.apply(token, unpacker.value(node))
    if "forget" in reply:
        for token in wire.integers(reply["forget"]):
            arrays.forget(token)
    if "attrs" in reply:  # before the entries: it may hold the proxy of a dict they fill
        _keep_attributes(channel, unpacker, reply["attrs"], last)
    if "entries" in reply:
        for entries in _list(reply["entries"]):
            _keep_entries(channel, unpacker, entries)
    if "stale" in reply:
        for handle in wire.integers(reply["stale"]):
            channel.stale.add(handle)
            channel.caches.pop(handle, {}).clear()
    if "notes" in reply:
        channel.notes[channel.generation] = _notes(channel, unpacker, reply["notes"])
    channel.moved_generator = "rng" in reply
    if channel.moved_generator:
        _adopt(channel.session.generator, unpacker, reply["rng"])
        channel.rng_known = channel.session.generator.fingerprint()
    if "ok" in reply:
        return value, None
    failure = _failure(channel, reply, label)
    if "serial" in reply:
        # What the learner's code raised in a request nested in a callback: the worker keeps it under this number,
        # to raise it again should it come out of the reference (trusted.py).
        if type(reply["serial"]) is not int:
            raise wire.WireError("bad serial")
        failure.remote_serial = reply["serial"]
    return None, failure


def _keep_entries(channel, unpacker, entries):
    """Fill the cache of a dict's proxy with the entries the worker sent along (see the worker's add_entries)."""
    if type(entries) is not list or len(entries) != 2 or type(entries[0]) is not int:
        raise wire.WireError("bad entries")
    cache = channel.caches.get(entries[0])
    for key, node in wire.pairs(entries[1], str):
        value = unpacker.value(node)
        if cache is not None and channel.keeps(value):
            cache[key] = value


def _keep_attributes(channel, unpacker, attributes, last):
    """Give an object's proxy the attributes the worker sent along after a call (see its add_attributes); they
    hold until the next request, so only those of the last reply are kept."""
    if type(attributes) is not list or len(attributes) != 2 or type(attributes[0]) is not int:
        raise wire.WireError("bad attributes")
    values = {name: unpacker.value(node) for name, node in wire.pairs(attributes[1], str)}
    channel.carried["replies"] += 1
    channel.carried["attributes"] += len(values)
    proxy = channel.proxies.get(attributes[0])
    if proxy is not None:
        proxy._bpg_take(values, channel.epoch if last else -1)


def _notes(channel, unpacker, notes):
    """The notes a worker's loader made (which file was graded, a training loop skipped) that the grader can
    stand behind. The loader runs in the worker, next to the submission's code, which can reach its list of
    notes and add to it: so only a note of a key the loader makes is taken (intake.NOTE_KEYS), each of its params
    of the kind the loader puts there (a file of the submission that is there, a number, a list of line
    numbers, the folders the grader itself was given), and the rest (an error's text, quoted like the checks'
    messages quote one) on one line and clipped. A note that is none of that is dropped, and so is any beyond
    MAX_NOTES."""
    taken = []
    for note in _list(notes)[:MAX_NOTES]:
        if type(note) is not list or len(note) != 3:
            raise wire.WireError("bad note")
        key, params, layer = note[0], unpacker.value(note[1]), note[2]
        if not _fills(key, params, (str, int, float)) or not (layer is None or layer in LAYERS):
            raise wire.WireError("bad note")
        if key in NOTE_KEYS and _trusted_note_params(channel.session.root, key, params):
            taken.append(Note(key, {k: _one_line(v) for k, v in params.items()}, layer))
    return taken


_NUMBERS = re.compile(r"[0-9]+(-[0-9]+)?(, [0-9]+(-[0-9]+)?)*")
_WORDS = re.compile(r"[%!?\w.=-]+(, [%!?\w.=-]+)*")


def _trusted_note_params(root, key, params):
    """Whether a note's params are what the loader would have put there (see _notes)."""
    top = root  # what the loader calls the top folder: the graded folder, or the one above a lone file's
    for name, value in params.items():
        if name in ("file", "chosen", "example") and not _submission_file(root, top, value):
            return False
        if name == "others" and not all(_submission_file(root, top, v) for v in str(value).split(", ")):
            return False
        if name in ("count", "depth") and type(value) is not int:
            return False
        if name in ("lines", "cells") and not (type(value) is str and _NUMBERS.fullmatch(value)):
            return False
        if name in ("name", "names", "theirs", "module", "magics") and not (
            type(value) is str and len(value) <= 500 and _WORDS.fullmatch(value)
        ):
            return False
        if name in ("folder", "parent", "command") and key in ("note_import_beside", "note_folders_cut"):
            places = {str(p) for p in (root, root.parent)} | {p.name for p in (root, root.parent)}
            places |= {f"python grader.py {p}" for p in (root.parent, root.parent.parent)} | {str(root.parent.parent)}
            if value not in places:
                return False
    return True


def _submission_file(root, top, value):
    """Whether value names a file of the submission as the loader shows it (relative to the graded folder)."""
    if type(value) is not str or not value or len(value) > MAX_FRAME_PATH or "\x00" in value:
        return False
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        return False
    try:
        return any((base / path).is_file() for base in (root, top.parent))
    except (OSError, ValueError):
        return False


def _one_line(value):
    """A param on one line, clipped: a line break or a terminal's control character in it would let the text
    it quotes pass for a line of the grader's own."""
    if type(value) is not str:
        return value
    return clipped("".join(c if c.isprintable() else " " for c in value[: MAX_PARAM_CHARS + 1]), 300)


def _failure(channel, reply, label):
    """The exception a reply other than "ok" stands for (raised by the caller)."""
    if "raised" in reply:
        return _raised(channel, reply["raised"], label)
    if "submission_error" in reply:
        return _submission_error(reply)
    if "exit" in reply:
        return WorkerFailure("exited", call=label)
    if "unsendable" in reply:
        if reply["unsendable"] == wire.PLACEHOLDERS_TOO_LARGE:
            return placeholders_too_large(label)
        if reply["unsendable"] == wire.CALL_TOO_LARGE:
            return WorkerFailure("call_unsendable", call=label, limit=wire.MAX_FRAME // 2**20)
        return WorkerFailure("unsendable", call=label, limit=wire.MAX_FRAME // 2**20)
    raise wire.WireError("unknown reply")


def placeholders_too_large(label):
    """The failure of a reply holding more arrays that cannot travel than wire.py's bounds allow."""
    return WorkerFailure("unsendable_placeholders", call=label, count=wire.MAX_PLACEHOLDERS, limit=wire.MAX_PLACEHOLDER)


def _submission_error(reply):
    key, params = reply["submission_error"]
    module, base = reply.get("module"), reply.get("base")
    if not _fills(key, params) or not (base is None or type(base) is str):
        raise wire.WireError("bad submission error")
    if key == "import_failed" and _is_grader_module(module):
        return SubmissionError("import_forbidden", file=params["file"], module=module, where=params["where"])
    return errors.submission_error_class(base)(key, **params)


def _raised(channel, description, label):
    fields = _checked(description)
    if fields["type"] == "MemoryError":
        return WorkerFailure("out_of_memory", call=label, limit=channel.session.limits.memory_mb)
    frames = [_stack_frame(channel.session.root, f) for f in fields["frames"]]
    if _is_grader_module(fields["module"]) and fields["base"] in ("ImportError", "ModuleNotFoundError"):
        mine = [f for f in frames if not f[0].startswith("<")]
        where = msg("where_line", file=Path(mine[-1][0]).name, line=mine[-1][1]) if mine else msg("where_unknown")
        return SubmissionError("call_import_forbidden", module=fields["module"], where=where, call=label)
    exc = errors.remote_exception(fields["type"], fields["base"], fields["message"])
    if frames:
        try:
            errors.raise_through(exc, frames)
        except errors.RemoteError as raised:
            return raised
    return exc


def _stack_frame(submission, frame):
    """(file name, line, qualified name) for a frame the worker reported, its file inside the submission."""
    if type(frame) is not list or len(frame) not in (3, 4):
        raise wire.WireError("bad frame")
    path, line, qualname = frame[:3]
    if type(line) is not int or type(qualname) is not str or not _printable(qualname, 200):
        raise wire.WireError("bad frame")
    if path is None:
        name = frame[3] if len(frame) == 4 and type(frame[3]) is str and _printable(frame[3], 100) else "?"
        return (f"<{name}>", line, qualname)
    parts = Path(path[:MAX_FRAME_PATH]).parts if type(path) is str else ("..",)
    if not parts or Path(path).is_absolute() or ".." in parts:
        raise wire.WireError("bad frame")
    # Code may be compiled under any file name inside the submission (200,000 characters, lines of its own):
    # the grader raises again under a name of real files' bounds, which reports then clip (sources.location).
    parts = ["".join(c if c.isprintable() else "?" for c in p[:MAX_NAME_PART]) for p in parts[-MAX_PATH_PARTS:]]
    return (str(submission.joinpath(*parts)), line, qualname)



def _adopt(generator, unpacker, node):
    """Take the generator state a worker's code left, after checking it is one."""
    try:
        generator.set(unpacker, node)
    except ValueError:
        raise wire.WireError("bad generator state") from None


def _list(value):
    if type(value) is not list:
        raise wire.WireError("not a list")
    return value


def _checked(description):
    """An exception description from a worker, with each field of the type it must have."""
    if type(description) is not dict:
        raise wire.WireError("bad exception")
    name, base, message = description.get("type"), description.get("base"), description.get("message")
    module, frames = description.get("module"), description.get("frames")
    if type(name) is not str or not name.isidentifier() or len(name) > 100:
        raise wire.WireError("bad exception type")
    if base is not None and (type(base) is not str or not base.isidentifier()):
        raise wire.WireError("bad exception base")
    if type(message) is not str or (module is not None and type(module) is not str) or type(frames) is not list:
        raise wire.WireError("bad exception")
    return {"type": name, "base": base, "message": message[:2000], "module": module, "frames": frames[:2]}


def _fills(key, params, kinds=(str,), depth=2):
    """Whether key is a message of the catalogue and params values of kinds filling exactly its placeholders.

    A value may itself be a message (messages.msg: where= "layers.py, line 3", kind= "class"), a few levels deep.
    """
    if type(key) is not str or key not in catalogue("en") or type(params) is not dict:
        return False
    wanted = {field for _, field, _, _ in string.Formatter().parse(catalogue("en")[key]) if field}
    return set(params) == wanted and all(type(v) in kinds or _is_message(v, depth) for v in params.values())


def _is_message(value, depth):
    return (
        depth > 0
        and type(value) is dict
        and set(value) == {"key", "params"}
        and _fills(value["key"], value["params"], (str, int, float), depth - 1)
    )


def _is_grader_module(module):
    return type(module) is str and module.split(".")[0] in GRADER_MODULES


def _printable(text, limit):
    return len(text) <= limit and text.isprintable()


def _crash_report(output, submission):
    """From what a crashed worker printed, faulthandler's verdict and the submission's frames ("layers.py, line 9
    in forward"): not the worker's own frames, nor the thread's address, which differs on every run."""
    found = []
    for line in output.splitlines():
        line = line.strip()
        if line.startswith("Fatal Python error"):
            found.append(line)
        elif line.startswith('File "') and str(submission) in line:
            found.append(line.replace(f'File "{submission}/', "").replace('", line', ", line"))
    return "; ".join(found)[-600:]


def death(died, submission):
    """The message key (and its params) for a worker that ended while running submission code."""
    code, output = died.returncode, _crash_report(died.output, submission)
    if code is not None and code >= 0:
        return "exited", {}
    if code is not None and -code in signal.valid_signals():
        reason = signal.Signals(-code).name
    else:
        reason = msg("reason_closed_pipes")
    if output:
        return "crashed_with_output", {"reason": reason, "output": output}
    return "crashed", {"reason": reason}
