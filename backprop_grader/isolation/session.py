"""The grader's side of isolation for one grading session: the workers, their time budgets, and every reply
turned into a value, a proxy or an exception.

There are two kinds of worker, each started ahead of need and started again, lazily, after any fatal event:
- "submission": the submission's own modules (impl.Relu, impl.softmax, impl.TwoLayerNet on its own layers);
- "net": the submission's two_layer_net.py on copies of the reference's layers.py and gradient.py, loaded under
  another module name (the `net_class` fixture). It has to see those layers to run the network, so the layers
  checks must not run there: a submission's layers could call the reference's instead of doing the work. And
  the "submission" worker must never see them. So they live apart, and the copies are deleted as soon as the
  net worker has loaded them.

Time: each call may take call_seconds; all calls of one check check_seconds; all calls of a grade
grade_seconds. A call that overruns kills its worker; the check fails with a message naming the call. An import
that kills its worker (a hang or an exit at the top level of a file) is remembered, so later checks fail at once
with it instead of paying for it again.
"""
import shutil
import signal
import string
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..loader import MODULE_OF, SubmissionError
from ..messages import catalogue
from . import errors, process, shared, wire
from .errors import WorkerFailure
from .proxies import RemoteObject, proxy_for

# A failed import of one of these means a submission reached for the grader's own code.
GRADER_MODULES = frozenset(
    {"reference", "backprop_grader", "tests", "conftest", "checks", "strategies", "gradcheck", "mutants",
     "pytest", "_pytest", "hypothesis"}
)
NET_LAYER_FILES = ("layers.py", "gradient.py")
MAX_PENDING = 32  # deferred requests in flight at most: their replies must fit the pipe while unread


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 2.0
    check_seconds: float = 10.0
    grade_seconds: float = 60.0
    memory_mb: int = 512
    boot_seconds: float = 30.0  # starting Python and numpy, before any submission code: not charged to it


class Session:
    def __init__(self, submission, limits=Limits()):
        self.submission = Path(submission).resolve()
        self.limits = limits
        self.runtime = process.Runtime()
        self.generator = shared.Generator()
        self.channels = {}
        self.grade_spent = 0.0
        self.check_spent = 0.0
        self.check_number = 0

    def channel(self, kind, layers_dir=None):
        """The channel to the worker of kind "submission", or "net" on the layers in layers_dir; started on first use."""
        key = (kind, layers_dir and Path(layers_dir).resolve())
        if key not in self.channels:
            self.channels[key] = Channel(self, kind, layers_dir)
        return self.channels[key]

    def begin_check(self):
        """A new check: its own time budget, and (at its first request) no objects left from the previous one."""
        self.check_number += 1
        self.check_spent = 0.0

    def end_check(self):
        for channel in list(self.channels.values()):
            channel.finish_check()

    def deadline_and_key(self, now):
        """When the call starting now must end, and which limit that is."""
        limits = self.limits
        left = [
            (limits.call_seconds, "timeout", limits.call_seconds),
            (limits.check_seconds - self.check_spent, "check_timeout", limits.check_seconds),
            (limits.grade_seconds - self.grade_spent, "grade_timeout", limits.grade_seconds),
        ]
        seconds, key, limit = min(left)
        return now + max(seconds, 0.0), key, limit

    def charge(self, seconds):
        self.check_spent += seconds
        self.grade_spent += seconds

    def close(self):
        for channel in self.channels.values():
            channel.stop()
        self.runtime.close()


class Channel:
    """One kind of worker for the session."""

    def __init__(self, session, kind, layers_dir=None):
        self.session = session
        self.kind = kind
        self.layers_dir = layers_dir
        self.worker = None
        self.generation = 0
        self.resolved = {}
        self.poisoned = {}  # module name -> the SubmissionError its import ended in
        self.fresh_for = None  # the check number this worker's objects belong to
        self.rng_known = None  # fingerprint of the generator state this worker has
        self.arrays = shared.GraderArrays()
        self.released = []  # handles of objects whose proxies are gone, for the worker to drop
        self.caches = {}  # handle of a dict -> the entries read from it that the worker has not called stale
        self.stale = set()  # handles the replies read in the last exchange called stale
        self.moved_generator = False  # whether the last reply read moved numpy's global generator
        self.filtered = None
        self.start()

    # --- the worker's life -------------------------------------------------------------------------------------

    def start(self):
        """Start a worker now (it boots while the grader does other work); wait for it at its first request."""
        limits, runtime = self.session.limits, self.session.runtime
        copies = runtime.copy_of(self.layers_dir, NET_LAYER_FILES) if self.kind == "net" else None
        cpu = int(limits.grade_seconds * 1.5) + 10
        self.worker = process.WorkerProcess(runtime, self.session.submission, limits.memory_mb, cpu, copies)
        self.worker.copies = copies
        self.worker.booted = False
        self.generation += 1
        self.resolved = {}
        self.rng_known = None
        self.arrays.clear()
        self.released = []
        self.caches = {}
        self.pending = []
        self.outbox = []  # frames of deferred requests, sent with the next request that waits
        self.epoch = 0  # requests sent so far: what a reply says of the worker's objects holds until the next one
        self.only_updates = True  # whether every deferred request pending is a dict update (runs no code of theirs)
        self.proxies = weakref.WeakValueDictionary()  # handle -> the proxy of that object
        self.wanted = {}  # type name -> the attributes the checks read of objects of that type
        self.constructed = {}  # class name -> (type, kind, methods, deferrable) of an object it made: see call_name
        self.next_handle = -1  # handles this side chooses (for deferred constructions) are negative

    def _boot(self):
        worker = self.worker
        try:
            hello = wire.Unpacker(worker.receive(time.monotonic() + self.session.limits.boot_seconds)).message
        except (process.Timeout, process.Died, process.Garbled, wire.WireError) as exc:
            output = worker.output()
            worker.kill()
            self.worker = None
            raise WorkerFailure("worker_failed", error=f"{type(exc).__name__} {output[-500:]}") from None
        finally:
            if worker.copies is not None:
                shutil.rmtree(worker.copies, ignore_errors=True)
        worker.booted = True
        self.filtered = bool(hello.get("hello", {}).get("filtered"))

    def stop(self):
        if self.worker is not None:
            self.worker.kill()
            self.worker = None

    # --- names -------------------------------------------------------------------------------------------------

    def resolve(self, name):
        """What the submission calls `name`: a callable proxy, or the value (loading its module if need be)."""
        module = MODULE_OF[name]
        if name not in self.resolved and module not in self.poisoned:
            try:
                reply = self.request("resolve", {"name": name}, label=f"{module}.py", importing=module)
            except SubmissionError:
                if module not in self.poisoned:
                    raise
            else:
                is_class = bool(reply.get("class"))
                self.resolved[name] = (reply, proxy_for(self, name=name, is_class=is_class) if reply.get("callable") else None)
        if module in self.poisoned:
            # Always raised from this line: Hypothesis takes an error raised from elsewhere for another one.
            raise self.poisoned[module].with_traceback(None)
        reply, proxy = self.resolved[name]
        return proxy if proxy is not None else reply["value"]

    def wanted_of(self, type_name):
        return sorted(self.wanted.get(type_name, ()))

    def call_name(self, name, args, kwargs, label):
        self.resolve(name)  # a worker started since the last call loads the module again
        known = self.constructed.get(name)
        fields = {"name": name, "args": args, "kwargs": kwargs, "want": self.wanted_of(known[0]) if known else []}
        if known is None or not known[3]:
            result = self.request("call_name", fields, label=label)
            if isinstance(result, RemoteObject) and self.resolved[name][0].get("class"):
                deferrable = not self.moved_generator
                self.constructed[name] = (result._bpg_type, result._bpg_kind, sorted(result._bpg_methods), deferrable)
            return result
        # This class was constructed before in this worker, into an object, without drawing random numbers: later
        # constructions go without waiting for their reply (read with the next one's), which halves the round
        # trips of a numerical gradient. A constructor that raises still fails the check: at its next request.
        handle = self.next_handle
        self.next_handle -= 1
        self.request("call_name", {**fields, "handle": handle}, label=label, defer=True)
        type_name, kind, methods, _ = known
        return proxy_for(self, handle=[handle, type_name, kind, methods])

    # --- requests ----------------------------------------------------------------------------------------------

    def request(self, op, fields, label, importing=None, defer=False):
        """Send one request and return its reply's value; defer: do not wait for the reply (it has none worth
        waiting for), read it with the next request's."""
        session = self.session
        limits = session.limits
        if session.grade_spent >= limits.grade_seconds:
            raise WorkerFailure("grade_timeout", call=label, seconds=_seconds(limits.grade_seconds))
        if session.check_spent >= limits.check_seconds:
            raise WorkerFailure("check_timeout", call=label, seconds=_seconds(limits.check_seconds))
        if self.worker is None:
            self.start()
        if not self.worker.booted:
            self._boot()
        self.outbox.append(self._frame(op, fields))
        self.epoch += 1
        waiting = self.pending + [(label, importing)]
        if defer and len(waiting) < MAX_PENDING:
            self.pending = waiting
            self.only_updates = self.only_updates and op == "setitem"
            return None
        return self._flush(waiting)

    def _flush(self, waiting):
        """Send the frames in the outbox in one write and read the replies of the waiting requests."""
        frames, self.outbox, self.pending = self.outbox, [], []
        self.stale = set()
        self.only_updates = True
        start = time.monotonic()
        deadline, limit_key, limit = self.session.deadline_and_key(start)
        try:
            try:
                self.worker.send(b"".join(frames), deadline)
            except (process.Timeout, process.Died, process.Garbled) as exc:
                self._lost(exc, *waiting[-1], limit_key, limit)
            return self._collect(waiting, deadline, limit_key, limit)
        finally:
            self.session.charge(time.monotonic() - start)

    def finish_check(self):
        """Send what is still unsent for the check that ends: a deferred call that failed fails it now."""
        if self.pending and self.worker is not None:
            self._flush(self.pending)

    def _frame(self, op, fields):
        session = self.session
        message = {"op": op}
        if self.fresh_for != session.check_number:
            message["fresh"] = True
            self.fresh_for = session.check_number
            self.arrays.clear()
            self.released = []
            self.caches = {}
        packer = wire.Packer(self._reference, self.arrays.share)
        changed, dropped = self.arrays.outgoing()
        if changed:
            message["sync"] = [[token, {"a": packer.array(array.view(np.ndarray))}] for token, array in changed]
        if dropped:
            message["forget"] = dropped
        if self.released:
            message["release"], self.released = self.released, []
        message["fields"] = {key: packer.value(value) for key, value in fields.items()}
        fingerprint = session.generator.fingerprint()
        if fingerprint != self.rng_known:
            message["rng"] = session.generator.state(packer)
            self.rng_known = fingerprint
        return packer.frame(message)

    def _collect(self, waiting, deadline, limit_key, limit):
        """Read the replies to the waiting requests, in order; raise the first failure, else return the last value."""
        first_failure, value = None, None
        for index, (label, importing) in enumerate(waiting):
            try:
                body = self.worker.receive(deadline)
            except (process.Timeout, process.Died, process.Garbled) as exc:
                # The worker answers a batch in one write: with no reply of it in, the one to blame is the request
                # that was waited for, the deferred ones before it (constructions, dict updates) being the kind
                # that already succeeded once in this worker.
                self._lost(exc, *waiting[-1 if index == 0 else index], limit_key, limit)
            value, failure = self._reply(body, label, importing, last=index == len(waiting) - 1)
            first_failure = first_failure or failure
        if first_failure is not None:
            raise first_failure
        return value

    def _lost(self, exc, label, importing, limit_key, limit):
        """The worker is gone in the call label: raise what that means (see _fatal)."""
        self.stop()
        self.pending = []
        self.outbox = []
        if isinstance(exc, process.Timeout):
            self._fatal(importing, limit_key, call=label, seconds=_seconds(limit))
        if isinstance(exc, process.Died):
            key, params = _death(exc, self.session.submission)
            self._fatal(importing, key, call=label, **params)
        self._fatal(importing, "garbled", call=label)

    def _fatal(self, importing, key, **params):
        """Raise the failure for a worker lost in a call; an import that lost it is remembered as failed."""
        if importing is not None and key not in ("check_timeout", "grade_timeout"):
            failure = SubmissionError("import_" + key, file=params.pop("call"), **params)
            self.poisoned[importing] = failure
            raise failure from None
        raise WorkerFailure(key, **params) from None

    def _keep_entries(self, unpacker, entries):
        """Fill the cache of a dict's proxy with the entries the worker sent along (see the worker's add_entries)."""
        if type(entries) is not list or len(entries) != 2 or type(entries[0]) is not int:
            raise wire.WireError("bad entries")
        cache = self.caches.get(entries[0])
        for key, node in _pairs(entries[1], str):
            value = unpacker.value(node)
            if cache is not None and self.keeps(value):
                cache[key] = value

    def _keep_attributes(self, unpacker, attributes, last):
        """Give an object's proxy the attributes the worker sent along after a call (see its add_attributes); they
        hold until the next request, so only those of the last reply are kept."""
        if type(attributes) is not list or len(attributes) != 2 or type(attributes[0]) is not int:
            raise wire.WireError("bad attributes")
        values = {name: unpacker.value(node) for name, node in _pairs(attributes[1], str)}
        proxy = self.proxies.get(attributes[0])
        if proxy is not None:
            proxy._bpg_take(values, self.epoch if last else -1)

    def keeps(self, value):
        """Whether value stays the same object on both sides (a proxy, or a shared array): one a proxy may keep."""
        return isinstance(value, RemoteObject) or (isinstance(value, np.ndarray) and self.arrays.holds(value))

    def _reference(self, value):
        """How a proxy passed back as an argument travels: as the handle of its object in this worker."""
        handle = getattr(value, "_handle_in", lambda channel: None)(self)
        if handle is None:
            raise TypeError(f"cannot pass a {type(value).__name__} to code in a worker")
        return handle

    def _reply(self, body, label, importing, last=True):
        """(value, None) for an "ok" reply, else (None, the exception it stands for); a reply that breaks the
        protocol loses the worker. last: the reply to the request waited for, after which nothing ran there."""
        arrays = self.arrays
        try:
            unpacker = wire.Unpacker(body, lambda fields: proxy_for(self, handle=fields, origin=label), arrays)
            reply = unpacker.message
            # The value first: it may name an array by a token this reply then lets go of.
            value = unpacker.value(reply["ok"]) if "ok" in reply else None
            for token, node in _pairs(reply.get("sync", [])):
                arrays.apply(token, unpacker.value(node))
            for token in _tokens(reply.get("forget", [])):
                arrays.forget(token)
            if "attrs" in reply:  # before the entries: it may hold the proxy of a dict they fill
                self._keep_attributes(unpacker, reply["attrs"], last)
            for entries in _list(reply.get("entries", [])):
                self._keep_entries(unpacker, entries)
            for handle in _tokens(reply.get("stale", [])):
                self.stale.add(handle)
                self.caches.pop(handle, {}).clear()
            self.moved_generator = "rng" in reply
            if self.moved_generator:
                _adopt(self.session.generator, unpacker, reply["rng"])
                self.rng_known = self.session.generator.fingerprint()
            return (value, None) if "ok" in reply else (None, self._failure(reply, label))
        except (wire.WireError, LookupError):
            self._lost(process.Garbled(), label, importing, None, None)

    def _failure(self, reply, label):
        """The exception a reply other than "ok" stands for (raised by the caller)."""
        if "raised" in reply:
            return self._raised(reply["raised"], label)
        if "submission_error" in reply:
            return self._submission_error(reply)
        if "exit" in reply:
            return WorkerFailure("exited", call=label)
        if "unsendable" in reply:
            return WorkerFailure("unsendable", call=label, limit=wire.MAX_FRAME // 2**20)
        raise wire.WireError("unknown reply")

    def _submission_error(self, reply):
        key, params = reply["submission_error"]
        module = reply.get("module")
        if key not in ("missing_file", "missing_name", "import_failed") or not _fills(key, params):
            raise wire.WireError("bad submission error")
        if key == "import_failed" and _is_grader_module(module):
            return SubmissionError("import_forbidden", file=params["file"], module=module, where=params["where"])
        return SubmissionError(key, **params)

    def _raised(self, description, label):
        fields = _checked(description)
        if fields["type"] == "MemoryError":
            return WorkerFailure("out_of_memory", call=label, limit=self.session.limits.memory_mb)
        frames = [self._stack_frame(f) for f in fields["frames"]]
        if _is_grader_module(fields["module"]) and fields["base"] in ("ImportError", "ModuleNotFoundError"):
            mine = [f for f in frames if not f[0].startswith("<")]
            where = f"{Path(mine[-1][0]).name}, line {mine[-1][1]}" if mine else ""
            return SubmissionError("call_import_forbidden", module=fields["module"], where=where, call=label)
        exc = errors.remote_exception(fields["type"], fields["base"], fields["message"])
        if frames:
            try:
                errors.raise_through(exc, frames)
            except errors.RemoteError as raised:
                return raised
        return exc

    def _stack_frame(self, frame):
        """(file name, line, qualified name) for a frame the worker reported, its file inside the submission."""
        if type(frame) is not list or len(frame) not in (3, 4):
            raise wire.WireError("bad frame")
        path, line, qualname = frame[:3]
        if type(line) is not int or type(qualname) is not str or not _printable(qualname, 200):
            raise wire.WireError("bad frame")
        if path is None:
            name = frame[3] if len(frame) == 4 and type(frame[3]) is str and _printable(frame[3], 100) else "?"
            return (f"<{name}>", line, qualname)
        parts = Path(path).parts if type(path) is str else ("..",)
        if not parts or Path(path).is_absolute() or ".." in parts:
            raise wire.WireError("bad frame")
        return (str(self.session.submission.joinpath(*parts)), line, qualname)


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


def _pairs(entries, key_type=int):
    if type(entries) is not list or not all(type(e) is list and len(e) == 2 and type(e[0]) is key_type for e in entries):
        raise wire.WireError("bad pairs")
    return entries


def _tokens(tokens):
    if type(tokens) is not list or not all(type(t) is int for t in tokens):
        raise wire.WireError("bad tokens")
    return tokens


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


def _fills(key, params):
    """Whether params are plain strings filling exactly the placeholders of message key (in English)."""
    wanted = {field for _, field, _, _ in string.Formatter().parse(catalogue("en")[key]) if field}
    return type(params) is dict and set(params) == wanted and all(type(v) is str for v in params.values())


def _is_grader_module(module):
    return type(module) is str and module.split(".")[0] in GRADER_MODULES


def _printable(text, limit):
    return len(text) <= limit and text.isprintable()


def _seconds(value):
    return f"{value:g}"


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


def _death(died, submission):
    """The message key (and its params) for a worker that ended while running submission code."""
    code, output = died.returncode, _crash_report(died.output, submission)
    if code is not None and code >= 0:
        return "exited", {}
    reason = signal.Signals(-code).name if code is not None and -code in signal.valid_signals() else "closed its pipes"
    if output:
        return "crashed_with_output", {"reason": reason, "output": output}
    return "crashed", {"reason": reason}
