"""The grader's side of isolation for one grading session: the workers, their time budgets, and every reply
turned into a value, a proxy or an exception.

There are two kinds of worker, each started ahead of need and started again, lazily, after any fatal event:
- "submission": the submission's own modules (impl.Relu, impl.softmax, impl.TwoLayerNet on its own layers);
- "net": the submission's two_layer_net.py on the reference's layers (the `net_class` fixture). The reference
  stays here, in the grader (trusted.py): the net worker holds stand-ins for its layers and numerical_gradient
  (standins.py), whose every use is a callback, served while the grader waits for a reply, and which may nest
  requests of the grader's in turn (the reference's numerical_gradient calling the learner's f). So no code of the
  reference ever runs, or can be read, where the learner's code runs.

Time: each call may take call_seconds; all calls of one check check_seconds; all calls of a grade
grade_seconds. What is charged is the time the grader waits for the worker; the grader's own work on a reply
(decoding it, taking in its news) is not, and does not bring a deadline nearer. A call that overruns kills its worker; the check fails with a message naming the call. An import
that kills its worker (a hang or an exit at the top level of a file) is remembered, so later checks fail at once
with it instead of paying for it again.
"""
import collections
import json
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..book import MODULE_OF
from ..options import GradeOptions
from ..results import SubmissionError
from . import process, replies, sandbox_plan, shared, wire
from .errors import WorkerBug, WorkerFailure
from .proxies import RemoteObject, proxy_for
from .trusted import Trusted

MAX_PENDING = 32  # deferred requests in flight at most: their replies must fit the pipe while unread


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 2.0
    check_seconds: float = 10.0
    grade_seconds: float = 60.0
    memory_mb: int = 512
    # Starting Python and numpy, and reading the submission (in the sandbox, under the limits): charged to the
    # grade (not to the check), and never longer than the grade has left.
    boot_seconds: float = 30.0


class Session:
    """Isolation for one grading of the submission at path submission (a folder, a file or a notebook), as
    options say: where its names are (aliases, use) and how its workers are sandboxed (GradeOptions.sandbox:
    "auto", "require" or "off", sandbox_plan.py)."""

    def __init__(self, submission, limits=Limits(), options=GradeOptions(), refuse=None):
        self.submission = Path(submission).resolve()
        # Where the submission's own code is, for its frames: the folder, or the folder of a file or notebook.
        self.root = self.submission if self.submission.is_dir() else self.submission.parent
        self.worker_options = options.where_names_are()
        self.limits = limits
        self.runtime = process.Runtime()
        # refuse: protections to act as if the kernel refused them (tests).
        self.sandbox_mode = options.sandbox
        self.sandbox_statuses = []  # what held in each worker, as its hello said
        if options.sandbox != "off":
            try:
                the_plan = sandbox_plan.plan(self.runtime, self.submission, options.use, refuse)
            except BaseException:
                self.runtime.close()  # no temporary folder left behind
                raise
            self.worker_options.append(f"--sandbox={json.dumps(the_plan)}")
        self.generator = shared.Generator()
        self.channels = {}
        self.printed = []  # (last bytes as text, bytes in all) each worker stopped so far printed, in that order
        self.grade_spent = 0.0
        self.check_spent = 0.0
        self.check_number = 0

    def channel(self, kind, layers_dir=None):
        """The channel to the worker of kind "submission", or "net" on the layers in layers_dir (started now)."""
        key = (kind, layers_dir and Path(layers_dir).resolve())
        if key not in self.channels:
            self.channels[key] = Channel(self, kind, layers_dir)
        return self.channels[key]

    def start_both(self, layers_dir):
        """Start the submission's worker and the net's on layers_dir at once: the net's is forked from the other
        before that runs any submission code, one start of Python and numpy (~0.2 s of CPU) for two."""
        if not process.adopt_orphans():
            self.channel("submission")
            self.channel("net", layers_dir)
            return
        limits = self.limits
        workers = process.spawn(
            self.runtime, self.submission, limits.memory_mb, _cpu_seconds(limits), fork_net=True,
            options=self.worker_options,
        )
        self.channels[("submission", None)] = Channel(self, "submission", worker=workers[0])
        self.channels[("net", Path(layers_dir).resolve())] = Channel(self, "net", layers_dir, workers[1])

    def begin_check(self):
        """A new check: its own time budget, and (at its first request) no objects left from the previous one."""
        self.check_number += 1
        self.check_spent = 0.0

    def end_check(self):
        for channel in list(self.channels.values()):
            channel.finish_check()

    def deadline_and_key(self, now, calls=True):
        """When the call starting now must end, and which limit that is; without calls, the check's or the
        grade's."""
        limits = self.limits
        left = [
            (limits.check_seconds - self.check_spent, "check_timeout", limits.check_seconds),
            (limits.grade_seconds - self.grade_spent, "grade_timeout", limits.grade_seconds),
        ]
        if calls:
            left.append((limits.call_seconds, "timeout", limits.call_seconds))
        seconds, key, limit = min(left)
        return now + max(seconds, 0.0), key, limit

    def charge(self, seconds):
        self.check_spent += seconds
        self.grade_spent += seconds

    def sandbox(self):
        """What held of the sandbox in every worker this session started (sandbox_plan.merged), or None if none
        started."""
        status = sandbox_plan.merged(self.sandbox_statuses)
        return status and {**status, "mode": self.sandbox_mode}

    def close(self):
        for channel in self.channels.values():
            channel.stop()
        self.runtime.close()


class Channel:
    """One kind of worker for the session."""

    def __init__(self, session, kind, layers_dir=None, worker=None):
        self.session = session
        self.kind = kind
        self.layers_dir = layers_dir
        self.trusted = None  # the net's: the reference its stand-ins stand for (see trust())
        self.depth = 0  # callbacks being served: a request made meanwhile is nested in one
        self.exchange = None  # (deadline, limit key, limit, label) of the outermost exchange under way
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
        self.notes = {}  # generation -> what the loader of that worker noted (intake.py), as it last said
        # Requests sent so far, by every worker of this channel: what a reply says of the worker's objects (the
        # attributes sent along) holds until the next one. Never reset, so that a proxy of an earlier worker's
        # object never meets the same number again.
        self.epoch = 0
        self.carried = collections.Counter()  # replies that carried attributes, and the attributes they carried
        self.start(worker)

    # --- the worker's life -------------------------------------------------------------------------------------

    def start(self, worker=None):
        """Start a worker now, or take one started (see Session.start_both): it boots while the grader does other
        work; wait for it at its first request."""
        if worker is None:
            limits, runtime = self.session.limits, self.session.runtime
            (worker,) = process.spawn(
                runtime, self.session.submission, limits.memory_mb, _cpu_seconds(limits), net=self.kind == "net",
                options=self.session.worker_options,
            )
        self.worker, self.booted = worker, False
        self.generation += 1
        self.resolved = {}
        self.manifest_sent = False  # the reference's manifest goes with the first resolve of each net worker
        self.rng_known = None
        self.arrays.clear()
        self.released = []
        self.caches = {}
        self.pending = []
        self.outbox = []  # frames of deferred requests, sent with the next request that waits
        self.only_updates = True  # whether every deferred request pending is a dict update (runs no code of theirs)
        self.proxies = weakref.WeakValueDictionary()  # handle -> the proxy of that object
        self.wanted = {}  # type name -> the attributes the checks read of objects of that type
        self.constructed = {}  # class name -> (type, kind, methods, deferrable) of an object it made: see call_name
        self.next_handle = -1  # handles this side chooses (for deferred constructions) are negative

    def _boot(self, label):
        """Wait for the worker's hello: it has started, put up its sandbox and limits, and read the submission
        (none of whose code has run yet). The wait is charged to the grade, and lasts no longer than it has left."""
        worker, session = self.worker, self.session
        start = time.monotonic()
        left = session.limits.grade_seconds - session.grade_spent
        deadline = start + max(min(session.limits.boot_seconds, left), 0.0)
        try:
            if not worker.learn_pid(deadline):
                raise process.Died(None, worker.output())
            hello = wire.Unpacker(worker.receive(deadline)).message
            worker.adopted(hello["hello"]["pid"])
            session.sandbox_statuses.append(hello["hello"]["sandbox"])
        except (process.Timeout, process.Died, process.Garbled, wire.WireError, KeyError, TypeError) as exc:
            output = worker.output()
            worker.kill()
            self.worker = None
            if isinstance(exc, process.Timeout) and left < session.limits.boot_seconds:
                raise WorkerFailure("grade_timeout", call=label, seconds=_seconds(session.limits.grade_seconds)) from None
            raise WorkerFailure("worker_failed", error=f"{type(exc).__name__} {output[-500:]}") from None
        finally:
            session.grade_spent += time.monotonic() - start
        self.booted = True

    def stop(self):
        if self.worker is not None:
            self.worker.kill()
            text, count = self.worker.printed()
            if count:
                self.session.printed.append((text, count))
            self.worker = None

    def trust(self, layers_impl):
        """Serve the net worker's stand-ins with layers_impl (the first given: its numbering is the worker's)."""
        if self.trusted is None:
            self.trusted = Trusted(layers_impl)

    # --- names -------------------------------------------------------------------------------------------------

    def resolve(self, name):
        """What the submission calls `name`: a callable proxy, or the value (loading its module if need be)."""
        module = MODULE_OF[name]
        if self.worker is None:
            self.start()  # a new worker, where nothing is resolved yet
        if name not in self.resolved and module not in self.poisoned:
            fields = {"name": name}
            if self.trusted is not None and not self.manifest_sent:
                fields["reference"] = self.trusted.manifest()
                self.manifest_sent = True
            try:
                reply = self.request("resolve", fields, label=f"{module}.py", importing=module)
            except SubmissionError:
                if module not in self.poisoned:
                    raise
            else:
                proxy = proxy_for(self, name=name, is_class=bool(reply.get("class"))) if reply.get("callable") else None
                self.resolved[name] = (reply, proxy)
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

    def request(self, op, fields, label, importing=None, defer=False, slot=None):
        """Send one request and return its reply's value; defer: do not wait for the reply (it has none worth
        waiting for), read it with the next request's. slot: a proxies.Pending that takes the deferred reply's
        value when it is read (proxies.all_at_once)."""
        session = self.session
        limits = session.limits
        if self.depth:
            # Made by the reference while a callback is served (the learner's f, called by numerical_gradient): part
            # of the learner's call that made the callback, under its name and deadline, and waited for at once.
            label, importing, defer, slot = self.exchange[3], None, False, None
        if session.grade_spent >= limits.grade_seconds:
            raise WorkerFailure("grade_timeout", call=label, seconds=_seconds(limits.grade_seconds))
        if session.check_spent >= limits.check_seconds:
            raise WorkerFailure("check_timeout", call=label, seconds=_seconds(limits.check_seconds))
        if self.worker is None:
            self.start()
        if not self.booted:
            self._boot(label)
        waiting = self.pending + [(label, importing, slot)]
        deferred = defer and len(waiting) < MAX_PENDING
        self.outbox.append(self._frame(op, fields, deferred))
        self.epoch += 1
        if deferred:
            self.pending = waiting
            self.only_updates = self.only_updates and op == "setitem"
            return None
        return self._flush(waiting)

    def _flush(self, waiting):
        """Send the frames in the outbox in one write and read the replies of the waiting requests."""
        frames, self.outbox, self.pending = self.outbox, [], []
        self.stale = set()
        self.only_updates = True
        if self.depth:  # nested in a callback: within the outermost exchange's deadline, and charged with it
            return self._exchange(frames, waiting, *self.exchange[:3])
        start = time.monotonic()
        deadline, limit_key, limit = self.session.deadline_and_key(start)
        self.exchange = (deadline, limit_key, limit, waiting[-1][0])
        self.own_seconds = 0.0  # the grader's own time in this exchange (decoding replies): not the submission's
        # Each reply after the first is a call of its own: it has call_seconds from the reply before it, within
        # what the check and the grade have left from the start.
        self.outer = self.session.deadline_and_key(start, calls=False)
        try:
            return self._exchange(frames, waiting, deadline, limit_key, limit)
        finally:
            self.exchange = None
            self.session.charge(max(time.monotonic() - start - self.own_seconds, 0.0))

    def _exchange(self, frames, waiting, deadline, limit_key, limit):
        try:
            self.worker.send(b"".join(frames), deadline + self.own_seconds)
        except (process.Timeout, process.Died, process.Garbled) as exc:
            self._lost(exc, *waiting[-1][:2], limit_key, limit)
        return self._collect(waiting, deadline, limit_key, limit)

    def finish_check(self):
        """Send what is still unsent for the check that ends: a deferred call that failed fails it now."""
        if self.pending and self.worker is not None:
            self._flush(self.pending)

    def _frame(self, op, fields, deferred=False):
        session = self.session
        message = {"op": op}
        if deferred:
            # Its reply is read after the frames that follow it are sent, which may name any shared array by its
            # token: the worker lets go of none after this request (worker.py), but after the next waited for.
            message["deferred"] = True
        if self.depth:
            message["nested"] = True  # answered by the worker while its stand-in waits for the callback's answer
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
        """Read the replies to the waiting requests, in order (the worker writes each as soon as it is done);
        raise the first failure, else return the last value."""
        first_failure, value = None, None
        for index, (label, importing, slot) in enumerate(waiting):
            if index and not self.depth:
                since = time.monotonic() - self.own_seconds
                deadline, limit_key, limit = min((since + self.session.limits.call_seconds, "timeout",
                                                  self.session.limits.call_seconds), self.outer)
            while True:
                try:
                    # The time the grader spent decoding earlier replies does not shorten the worker's.
                    body = self.worker.receive(deadline + self.own_seconds)
                except (process.Timeout, process.Died, process.Garbled) as exc:
                    if first_failure is not None:
                        # Waited for one by one, the calls would have stopped at the failure: so does the check.
                        self.stop()
                        self.pending, self.outbox = [], []
                        raise first_failure from None
                    self._lost(exc, label, importing, limit_key, limit)
                decoding = time.monotonic()
                try:
                    unpacker = self._unpacker(body, label, importing)
                finally:
                    self.own_seconds += time.monotonic() - decoding
                if "callback" not in unpacker.message:
                    break
                # The reference's time counts against the call that asked for it: not the grader's own time.
                self._serve(unpacker, label, importing, deadline, limit_key, limit)
            decoding = time.monotonic()
            try:
                value, failure = self._reply(unpacker, label, importing, last=index == len(waiting) - 1)
            finally:
                self.own_seconds += time.monotonic() - decoding
            if slot is not None:
                slot.value = value
            first_failure = first_failure or failure
        if first_failure is not None:
            raise first_failure
        return value

    def _unpacker(self, body, label, importing):
        try:
            return replies.unpacker(self, body, label)
        except wire.WireError:
            self._lost(process.Garbled(), label, importing, None, None)

    def _serve(self, unpacker, label, importing, deadline, limit_key, limit):
        """Answer a callback of the net worker's stand-ins (trusted.py), which waits for it. A callback from a
        worker that has no stand-ins, or one the protocol does not allow, loses the worker as a garbled reply
        does; so does anything that stops the answer, the worker being left waiting for one."""
        served = False
        self.depth += 1
        try:
            if self.trusted is None:
                raise wire.WireError("a callback from a worker without stand-ins")
            frame = self.trusted.serve(self, unpacker)
            served = True
        except (wire.WireError, LookupError):
            self._lost(process.Garbled(), label, importing, None, None)
        finally:
            self.depth -= 1
            if not served:
                self.stop()
                self.pending, self.outbox = [], []
        try:
            self.worker.send(frame, deadline + self.own_seconds)
        except (process.Timeout, process.Died, process.Garbled) as exc:
            self._lost(exc, label, importing, limit_key, limit)

    def _lost(self, exc, label, importing, limit_key, limit):
        """The worker is gone in the call label: raise what that means (see _fatal)."""
        self.stop()
        self.pending = []
        self.outbox = []
        if isinstance(exc, process.Timeout):
            self._fatal(importing, limit_key, call=label, seconds=_seconds(limit))
        if isinstance(exc, process.Died):
            key, params = replies.death(exc, self.session.root)
            self._fatal(importing, key, call=label, **params)
        self._fatal(importing, "garbled", call=label)

    def _fatal(self, importing, key, **params):
        """Raise the failure for a worker lost in a call; an import that lost it is remembered as failed."""
        if importing is not None and key not in ("check_timeout", "grade_timeout"):
            failure = SubmissionError("import_" + key, file=params.pop("call"), **params)
            self.poisoned[importing] = failure
            raise failure from None
        raise WorkerFailure(key, **params) from None

    def keeps(self, value):
        """Whether value stays the same object on both sides (a proxy, or a shared array): one a proxy may keep."""
        return isinstance(value, RemoteObject) or (isinstance(value, np.ndarray) and self.arrays.holds(value))

    def _reply(self, unpacker, label, importing, last=True):
        """(value, None) for an "ok" reply, else (None, the exception it stands for); a reply that breaks the
        protocol loses the worker."""
        try:
            return replies.read(self, unpacker, label, last)
        except wire.TooLarge:  # a frame the worker's packer would not have written: one written by hand
            if importing is not None:
                self._lost(process.Garbled(), label, importing, None, None)
            self.stop()
            self.pending, self.outbox = [], []
            raise replies.placeholders_too_large(label) from None
        except (wire.WireError, LookupError):
            self._lost(process.Garbled(), label, importing, None, None)
        except WorkerBug:  # the worker has ended: a later check starts another
            self.stop()
            self.pending = []
            self.outbox = []
            raise

    def _reference(self, value):
        """How a proxy passed back as an argument travels: as the handle of its object in this worker."""
        handle = getattr(value, "_handle_in", lambda channel: None)(self)
        if handle is None:
            raise TypeError(f"cannot pass a {type(value).__name__} to code in a worker")
        return handle


def _cpu_seconds(limits):
    """A worker's CPU limit: a backstop only, should the grader be gone (its own clock stops a hang)."""
    return int(limits.grade_seconds * 1.5) + 10


def _seconds(value):
    return f"{value:g}"
