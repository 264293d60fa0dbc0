"""A worker process: runs one submission's code on the grader's behalf and answers with plain data only.

process.py starts it as `python -I -S -B worker.py ...`: isolated mode and no site module, so its import path is
the standard library, a directory holding only numpy, and (while a module of it is being imported) the
submission's own folders. It loads its helpers (wire, shared, sandbox) and the grader's modules that load a
submission (the loader and intake, with what they import) by file path, the latter as a package `_bpg` that
nothing else can be imported from: neither the repository nor the grader's package is on its path, and
`import reference` fails here. It locks itself down (sandbox.py) before the first line of submission code runs,
and from then on is treated as hostile: the grader checks every frame it sends and stops it from outside when
it takes too long.

Requests name an operation: resolve a name of the submission, call it, call a method of or read an attribute of
an object the worker keeps (a handle), or read and write a dict the worker keeps (a net's params, its layers). A
reply carries a value, or what went wrong as data: an exception's type, message and innermost frames, a
SubmissionError's key, a sys.exit. Both carry the changes to shared arrays (shared.py), and both may carry the
state of numpy's global generator, so code drawing from np.random sees the numbers it would see in-process.

The net worker (--net) runs the submission's TwoLayerNet on stand-ins for the reference's layers (standins.py):
while it answers a request, a stand-in may send the grader a callback and wait for its answer, answering the
requests the grader nests in it meanwhile (Server.answer is re-entrant). No code of the reference is ever here.

Whatever the submission's code raises is its own, and becomes a reply: each place the worker runs that code (a
call, an attribute read, a __str__, a metaclass's dir()) goes through _theirs(), which turns what it raises,
SystemExit and KeyboardInterrupt included, into Raised. Nothing else is caught broadly: an error of the worker's
own code ends the worker with an "internal" reply, which the grader raises as errors.WorkerBug, so that it fails
the test run instead of passing for the submission's fault or silently turning a feature off.
"""
import argparse
import builtins
import collections
import faulthandler
import gc
import importlib.util
import itertools
import json
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRADER = HERE.parent
# The grader's modules a submission is loaded with, in an order in which each finds what it imports.
LOADING = ("qualnames", "messages", "book", "results", "sources", "names", "intake", "loader", "options")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _load_loading_modules():
    """The package `_bpg` holding the grader's LOADING modules; its path is empty, so that nothing else of the
    grader can be imported from it."""
    spec = importlib.util.spec_from_file_location("_bpg", GRADER / "__init__.py", submodule_search_locations=[])
    package = importlib.util.module_from_spec(spec)
    sys.modules["_bpg"] = package
    spec.loader.exec_module(package)
    for name in LOADING:
        setattr(package, name, _load(f"_bpg.{name}", GRADER / f"{name}.py"))
    return package


class Raised(Exception):
    """What the submission's code raised (error), on its way out of the worker's own code to a reply."""

    def __init__(self, error):
        super().__init__()
        self.error = error


class NoObject(LookupError):
    """A handle the worker has no object for: one a construction the grader did not wait for failed to make."""


def _theirs(function, *args, **kwargs):
    """function(*args, **kwargs), which runs the submission's code: what that raises comes out as Raised."""
    try:
        return function(*args, **kwargs)
    except Raised:
        raise
    except BaseException as exc:  # the submission's code may raise anything, SystemExit and KeyboardInterrupt too
        raise Raised(exc) from None


class Server:
    """The submission's names and the objects the grader holds proxies of, and the answer to each request."""

    def __init__(self, np, wire, shared, grader, submission, aliases=(), use=(), standins=None, beside=None):
        self.np = np
        self.wire = wire
        self.arrays = shared.WorkerArrays()
        self.generator = shared.Generator()
        self.loader = grader.loader
        # The grader's wrapper that stands between the submission's frames and Python's: the class wrapper that
        # names a misspelt member. A location never names it (nor the worker's own frames, stand-ins' included).
        self.wrapper_files = {Path(grader.names.__file__).resolve()}
        self.qualname = grader.qualnames.qualname  # of the frames an error is told by (Relu.forward)
        self.code_at = grader.qualnames.code_at  # a frame standing for the reference's (standins.Caller)
        self.impl = self.loader.load(Path(submission).resolve(), aliases=list(aliases), use=list(use), beside=beside)
        self.root = Path(self.impl.root).resolve()  # where the submission's own frames are, as the grader sees it
        self.notes_sent = []  # the loader's notes (which file was graded, ...) as last sent to the grader
        # The net worker's (standins.py, the module): the reference's layers as stand-ins, built from the manifest
        # the grader sends with its first request for TwoLayerNet; callbacks go through caller (set by main()).
        self.standins_module = standins
        self.standins = None
        self.caller = None
        self.depth = 0  # callbacks under way: a request answered meanwhile is nested in one
        self.nested_failures = {}  # serial -> what the submission raised in a nested request (see run())
        self.serials = itertools.count(1)
        self.callback_mark = 0  # arrays.mark() after the last callback: tokens before it are the grader's too
        self.names = {}
        self.objects = {}
        self.watched = {}  # handle of a dict the grader read an entry of -> what the dict held then (see stale())
        self.prefetch = None  # the dict (its handle once it has one) whose entries the reply should carry
        self.described = None  # the object (its handle once it has one) whose attributes the reply should carry
        self.wanted = ()  # the names of those attributes
        self.attribute_dicts = {}  # (object handle, attribute) -> handle of the dict sent along with it
        self.ids = itertools.count(1)
        self.method_names = {}

    # --- what the grader can ask -------------------------------------------------------------------------------

    def named(self, name):
        if name not in self.names:
            # The loader imports the submission's module and reads the name from it, which runs its code (the
            # module's top level, a module __getattr__, a class's __init_subclass__ when names.wrap subclasses it).
            if self.standins_module is not None:
                if name not in self.loader.BUILT_ON or self.standins is None:
                    raise LookupError(f"the net worker serves what is built on the reference's manifest only, not {name}")
                self.names[name] = _theirs(self.impl.on_reference, name, self.standins)
            else:
                self.names[name] = _theirs(getattr, self.impl, name)
        return self.names[name]

    def object(self, handle):
        if handle not in self.objects:
            raise NoObject(f"no object {handle}")
        return self.objects[handle]

    def op_resolve(self, name, reference=None):
        if reference is not None and self.standins_module is not None and self.standins is None:
            missing = lambda file: self.loader.SubmissionError("missing_file", file=file)  # noqa: E731
            self.standins = self.standins_module.StandIns(reference, self.caller, missing)
        value = self.named(name)
        return {"callable": True, "class": issubclass(type(value), type)} if callable(value) else {"value": value}

    def op_call_name(self, name, args, kwargs, handle=None, want=()):
        self.wanted = want
        result = _theirs(self.named(name), *args, **kwargs)
        if handle is None:
            self.described = result
            return result
        self.objects[handle] = result  # a construction the grader did not wait for: it named the handle itself
        self.described = handle
        return None

    def op_call(self, handle, method, args, kwargs, want=()):
        target = self.object(handle)
        self.described, self.wanted = handle, want
        if method is not None:
            target = _theirs(getattr, target, method)
        return _theirs(target, *args, **kwargs)

    def op_get(self, handle, attr):
        target = self.object(handle)
        value = _theirs(getattr, target, attr)
        if not issubclass(type(value), dict):
            return value
        # A dict attribute (net.params, net.layers) stays here, so that writes through its proxy reach it; its
        # entries go along (see prefetch).
        self.prefetch = mapping = AttributeDict(target, attr)
        return mapping

    def mapping(self, handle):
        """The dict behind a handle, read afresh (the owner's attribute may be a property: the submission's code)."""
        entry = self.object(handle)
        return _theirs(entry.read) if type(entry) is AttributeDict else entry

    # The mapping may be a dict subclass of the submission's, whose methods are its code.

    def op_getitem(self, handle, key):
        self.watched.setdefault(handle, _NEW)
        self.prefetch = handle
        mapping = self.mapping(handle)
        return _theirs(lambda: mapping[key])

    def op_setitem(self, handle, key, value):
        # `net.params[key] -= step` changes in place the shared array the dict holds (the change arrives as a
        # sync), so its assignment back is not even sent; what arrives here is a new object for the key.
        mapping = self.mapping(handle)
        _theirs(mapping.__setitem__, key, value)

    def op_keys(self, handle):
        mapping = self.mapping(handle)
        return _theirs(lambda: list(mapping.keys()))

    def op_items(self, handle):
        mapping = self.mapping(handle)
        return _theirs(lambda: list(mapping.items()))

    def op_len(self, handle):
        mapping = self.mapping(handle)
        return _theirs(len, mapping)

    # --- values ------------------------------------------------------------------------------------------------

    def handle(self, obj):
        """The handle node of an object that stays here (called by the packer). Raised: the submission's code
        raised while its class was read."""
        if type(obj) is AttributeDict:
            kind = type(_theirs(obj.read))
        else:
            kind = type(obj)
            # Keyed by id (the class kept alongside): a class's own __hash__ or __eq__ would be the submission's code.
            if id(kind) not in self.method_names:
                self.method_names[id(kind)] = (kind, _theirs(_method_names, kind))
        handle = next(self.ids)
        self.objects[handle] = obj
        if obj is self.prefetch:
            self.prefetch = handle
        if obj is self.described:
            self.described = handle
        if type(obj) is AttributeDict:
            return [handle, _type_name(kind), "mapping", []]
        return [handle, _type_name(kind), "callable" if callable(obj) else "object", self.method_names[id(kind)][1]]

    def unpack_handle(self, body):
        if type(body) is not int:
            raise LookupError(f"no object {body}")
        return self.object(body)

    # --- errors as data ----------------------------------------------------------------------------------------

    def frame_of(self, frame):
        path, line, code = frame
        qualname = self.qualname(code)
        if path.is_relative_to(self.root):
            return [path.relative_to(self.root).as_posix(), line, qualname]
        return [None, line, qualname, path.name]

    def describe(self, exc):
        """What the grader needs to raise exc again: type, message, and the innermost frame of the submission
        and the innermost frame of all (the two that locate an error and tell its origin apart). Neither the
        worker's frames (the stand-ins' included) nor the class wrapper's (names.wrap) count, as the grading plugin
        counts none of them; a frame the reference raised from comes named by a stand-in (standins.Caller, code_at)."""
        frames = [f for f in _frames(exc) if not f[0].is_relative_to(HERE) and f[0] not in self.wrapper_files]
        mine = [f for f in frames if f[0].is_relative_to(self.root)]
        chosen = mine[-1:] + ([frames[-1]] if frames and (not mine or frames[-1] is not mine[-1]) else [])
        kind = type(exc)
        return {
            "type": _type_name(kind),
            "base": _builtin_base(kind),
            "message": _text(exc),
            "frames": [self.frame_of(f) for f in chosen],
            "module": _module_name(exc),
        }

    def failure(self, exc):
        """The reply for an exception: exc is the submission's (or a SubmissionError of the loader's about it), so
        it is read only in ways that run none of its code, or through _text and _module_name, which guard theirs."""
        kind = type(exc)
        if issubclass(kind, self.loader.SubmissionError):
            cause = exc.__cause__ if exc.__cause__ is not None else exc.__context__
            params = {k: _param_text(v) for k, v in exc.params.items()}
            # Some are builtin errors too (a misspelt member is an AttributeError, which a check may catch).
            return {"submission_error": [exc.key, params], "module": _module_name(cause), "base": _builtin_base(kind)}
        if issubclass(kind, SystemExit):
            return {"exit": _text(exc)}
        if self.standins_module is not None and issubclass(kind, self.standins_module.CallbackTooLarge):
            return {"unsendable": self.wire.CALL_TOO_LARGE}
        return {"raised": self.describe(exc)}

    # --- one request -------------------------------------------------------------------------------------------

    def unpacker(self, body):
        return self.wire.Unpacker(body, self.unpack_handle, self.arrays)

    def answer(self, unpacker, nested=False):
        """The reply frame to one request. Re-entrant: a request nested in a callback (standins.Caller.wait) is
        answered in the middle of another, whose state is kept aside meanwhile."""
        kept = (self.prefetch, self.described, self.wanted)
        try:
            return self._answer(unpacker, nested)
        finally:
            if nested:
                self.prefetch, self.described, self.wanted = kept

    def _answer(self, unpacker, nested):
        arrays, wire, generator = self.arrays, self.wire, self.generator
        request = unpacker.message
        if "answer" in request or bool(request.get("nested")) != nested:
            raise LookupError("an answer or a nested request where none was expected")
        if request.get("fresh"):
            self.objects.clear()
            self.watched.clear()
            self.attribute_dicts.clear()
            arrays.clear()
        for handle in request.get("release", ()):
            self.objects.pop(handle, None)
            self.watched.pop(handle, None)
        for token in request.get("forget", ()):
            arrays.forget(token)
        for token, node in request.get("sync", ()):
            arrays.apply(token, unpacker.value(node))
        if "rng" in request:
            generator.set(unpacker, request["rng"])
        before = generator.fingerprint()
        packer = wire.Packer(self.handle, arrays.share)
        self.prefetch = self.described = None
        reply = self.run(request, unpacker, packer)
        if "unsendable" in reply:
            packer = wire.Packer()
        elif "ok" in reply:
            if type(self.prefetch) is int:
                self.add_entries(reply, packer, self.prefetch)
            if type(self.described) is int and self.wanted:
                self.add_attributes(reply, packer, self.described, self.wanted)
        # Before settle(): stale() lets go of the entries it kept from the last reply, which settle() would count
        # as kept by the submission; what it keeps now is in the dicts anyway.
        stale = self.stale()
        if stale:
            reply["stale"] = stale
        changed, dropped = arrays.settle(let_go=not request.get("deferred"))
        if changed:
            reply["sync"] = [[token, {"a": packer.array(array.view(self.np.ndarray))}] for token, array in changed]
        if dropped:
            reply["forget"] = dropped
        if generator.fingerprint() != before:
            reply["rng"] = generator.state(packer)
        # The loader adds notes as it loads names, and may rewrite one (two choices between the same files):
        # all of them go again whenever they change.
        notes = [(n.key, dict(n.params), n.layer) for n in getattr(self.impl, "notes", ())]
        if notes != self.notes_sent:
            reply["notes"] = [[key, packer.value(params), layer] for key, params, layer in notes]
            self.notes_sent = notes
        return packer.frame(reply)

    def add_entries(self, reply, packer, handle, arrays_only=False):
        """With the first read of a dict (or of one of its entries), all of its entries: the grader keeps them
        until the dict changes (stale()), so reading net.params[key] for each key costs one round trip, not four.
        Only for a plain dict held as a plain attribute, of a few entries, none of them plain data."""
        target = self.plain_dict(handle)
        if target is None or len(target) > 16:
            return False
        ndarray = self.np.ndarray
        for key, value in dict.items(target):
            kind = type(value)
            if type(key) is not str or not (issubclass(kind, ndarray) or not arrays_only and _is_object(kind)):
                return False
        mark = self.arrays.mark()
        try:
            pairs = [[k, packer.value(v)] for k, v in dict.items(target)]
        except (self.wire.Unsendable, Raised):  # too large, or a layer whose class ran its code when read
            self.arrays.forget_since(mark)
            return False
        reply.setdefault("entries", []).append([handle, pairs])
        self.watched.setdefault(handle, _NEW)
        return True

    def add_attributes(self, reply, packer, handle, names):
        """After a method call (or a construction), the object's attributes the grader asked for (those the checks
        read of objects of its type): the grader reads them without a round trip until its next request, when
        they may have changed (layer.backward(dout), then layer.dW and layer.db). Only attributes read straight
        from the instance's __dict__ (no property, no __getattribute__ of the submission's), holding arrays,
        numbers, strings or tuples of those; a dict of arrays goes once, as the dict whose proxy the grader
        keeps (net.params)."""
        obj = self.objects.get(handle)
        kind = type(obj)
        namespace = _instance_dict(obj)
        if namespace is None:
            return
        names = [name for name in names if type(name) is str and _plain_attribute(kind, name)]
        attributes = {name: namespace[name] for name in names if name in namespace}
        found = []
        mark = self.arrays.mark()
        try:
            for name, value in attributes.items():
                if type(value) is dict:
                    if (handle, name) in self.attribute_dicts:
                        continue
                    mapping = AttributeDict(obj, name)
                    node = packer.value(mapping)
                    if not self.add_entries(reply, packer, node["h"][0], arrays_only=True):
                        continue
                    self.attribute_dicts[(handle, name)] = node["h"][0]
                    found.append([name, node])
                elif _sendable_attribute(value, self.np):
                    found.append([name, packer.value(value)])
        except (self.wire.Unsendable, Raised):  # too large to go along, or a dict behind a property of theirs
            self.arrays.forget_since(mark)
            return
        if found:
            reply["attrs"] = [handle, found]

    def stale(self):
        """The watched dicts whose entries are no longer the objects they were at the last reply. The grader keeps
        the entries it read (a net's params, its layers) until told so: `net.params[key] -= step` then costs it
        no round trip for the read. Only a plain attribute holding a plain dict is watched: reading anything
        else could run the submission's code."""
        stale = []
        for handle, before in list(self.watched.items()):
            target = self.plain_dict(handle)
            # The dict and its entries themselves, not their ids: an id may be reused by a new object once the one
            # that had it is gone, and the grader would read the old entry. Keeping them until the next reply
            # keeps their ids theirs.
            now = None if target is None else (target, tuple(dict.items(target)))
            if now is None or (before is not _NEW and not _same(now, before)):
                stale.append(handle)
            self.watched[handle] = now
        return stale

    def plain_dict(self, handle):
        """The plain dict behind a handle, read without running the submission's code (no property, no
        __getattr__), or None."""
        entry = self.objects.get(handle)
        if type(entry) is AttributeDict:
            # What getattr(owner, attr) returns only when no property, __getattribute__ or metaclass of theirs
            # stands in the way; else the dict read through one of those could differ from the one watched.
            if not _plain_attribute(type(entry.owner), entry.attr):
                return None
            namespace = _instance_dict(entry.owner)
            entry = None if namespace is None else namespace.get(entry.attr)
        return entry if type(entry) is dict else None

    def run(self, request, unpacker, packer):
        """The reply to one request, its value encoded; what it computed is gone when this returns, so that
        settle() counts only the references the submission kept."""
        mark = self.arrays.mark()
        operation = getattr(self, "op_" + request["op"])
        try:
            fields = {k: unpacker.value(v) for k, v in request.get("fields", {}).items()}
            result = operation(**fields)
        except Raised as raised:  # anything the submission raised, SystemExit and KeyboardInterrupt included
            return self.failed(raised.error)
        # An object a failed construction never made (that failure is the one reported); memory the submission
        # used up (reading the arguments was the last straw): each the submission's.
        except (NoObject, MemoryError) as exc:
            return self.failed(exc)
        # Arrays sent in a callback meanwhile are the grader's too: only those made since may be taken back.
        mark = min(mark, self.callback_mark)
        try:
            return {"ok": packer.value(result)}
        except (self.wire.Unsendable, MemoryError) as exc:  # a result that cannot travel
            self.arrays.forget_since(mark)
            return {"unsendable": str(exc) if type(exc) is self.wire.Unsendable else "MemoryError"}
        except Raised as raised:  # a result whose class ran the submission's code when read, and raised
            self.arrays.forget_since(mark)
            return {"unsendable": _type_name(type(raised.error))}

    def failed(self, exc):
        """The reply for what the submission raised; in a request nested in a callback, numbered and kept: the
        grader may tell the callback's stand-in to raise the very exception (the learner's f failing inside the
        reference's numerical_gradient fails their numerical_gradient, from their own line)."""
        reply = self.failure(exc)
        if self.depth:
            serial = next(self.serials)
            self.nested_failures[serial] = exc
            reply["serial"] = serial
        return reply


_NEW = object()  # a watched dict not yet looked at


# Read through the slots of `type` itself: a metaclass of the submission's may define these names as its own code.
_MRO = type.__dict__["__mro__"].__get__
_CLASS_DICT = type.__dict__["__dict__"].__get__
_type_name = type.__dict__["__name__"].__get__
_TRACEBACK = BaseException.__dict__["__traceback__"].__get__
_GETSET = type(type.__dict__["__dict__"])  # the kind of the __dict__ slot Python gives a class


def _class_lookup(kind, name):
    """The class attribute an instance's attribute `name` would meet (a method, a property...), found without
    running the submission's code, and whether there is one."""
    for klass in _MRO(kind):
        namespace = _CLASS_DICT(klass)
        if name in namespace:
            return namespace[name], True
    return None, False


def _plain_attribute(kind, name):
    """Whether getattr(obj, name) of an instance of kind is obj.__dict__[name] when that holds name: no
    __getattribute__ of the class's own, no data descriptor (a property...) of that name. Read as Python's own
    lookup reads them (the type's MRO and the dicts of its classes, which no metaclass takes part in), so that
    nothing of the submission runs."""
    if _class_lookup(kind, "__getattribute__")[0] is not object.__getattribute__:
        return False
    found, present = _class_lookup(kind, name)
    if not present:
        return True
    descriptor = _class_lookup(type(found), "__set__")[1] or _class_lookup(type(found), "__delete__")[1]
    return not descriptor


def _instance_dict(obj):
    """obj's own __dict__ when it is the plain one Python made, else None; nothing of the submission runs."""
    kind = type(obj)
    found, present = _class_lookup(kind, "__dict__")
    # The __dict__ slot Python gives a class (a getset descriptor of one of its classes), not a property of theirs.
    if not present or type(found) is not _GETSET or not any(found.__objclass__ is c for c in _MRO(kind)):
        return None
    namespace = found.__get__(obj, kind)
    return namespace if type(namespace) is dict else None


def _same(now, before):
    """Whether a watched dict is the same dict holding the same objects under the same keys as before."""
    if before is None or now[0] is not before[0] or len(now[1]) != len(before[1]):
        return False
    return all(k1 is k2 and v1 is v2 for (k1, v1), (k2, v2) in zip(now[1], before[1]))


def _sendable_attribute(value, np, depth=0):
    """An array, a number, a string, None, or a short tuple of such: an attribute sent along after a call."""
    kind = type(value)
    if value is None or kind in (bool, int, float, complex, str) or issubclass(kind, (np.ndarray, np.generic)):
        return True
    return kind is tuple and len(value) <= 8 and depth == 0 and all(_sendable_attribute(v, np, 1) for v in value)


def _method_names(kind):
    """The methods of a class of the submission's, for the grader's proxy (dir() and getattr() run a metaclass's
    code: call through _theirs)."""
    return [n for n in dir(kind) if type(n) is str and not n.startswith("__") and callable(getattr(kind, n, None))]


def _is_object(kind):
    """Not plain data: an object the grader would get a handle of (a layer in net.layers)."""
    return not issubclass(kind, (type(None), bool, int, float, complex, str, bytes, list, tuple, dict, set))


class AttributeDict:
    """A dict read as an attribute, by owner and name: each operation reads the attribute again, as the check's
    `net.params[key]` does in-process, so the grader may keep its proxy for the whole check."""

    def __init__(self, owner, attr):
        self.owner = owner
        self.attr = attr

    def read(self):
        return getattr(self.owner, self.attr)


def _frames(exc):
    """(resolved file, line, code object) of each frame exc passed through, outermost first."""
    found, tb = [], _TRACEBACK(exc, type(exc))
    while tb is not None:
        code = tb.tb_frame.f_code
        found.append((Path(code.co_filename).resolve(), tb.tb_lineno, code))
        tb = tb.tb_next
    return found


def _param_text(value):
    """A SubmissionError's param as plain text for the grader, or a message (messages.msg, as where= is) with plain
    params. The loader made them, of names and text it read (a file's name, a line number)."""
    if type(value) is dict and set(value) == {"key", "params"} and type(value["params"]) is dict:
        return {"key": str(value["key"]), "params": {str(k): _param_text(v) for k, v in value["params"].items()}}
    return str(value)


# id -> name of each builtin exception class, matched by identity: a class's own __hash__ or __eq__ is not asked.
_BUILTIN_EXCEPTIONS = {
    id(c): c.__name__ for c in vars(builtins).values() if isinstance(c, type) and issubclass(c, Exception)
}


def _builtin_base(kind):
    """The first builtin exception class kind derives from (NotImplementedError, AttributeError, ...), or None."""
    return next((_BUILTIN_EXCEPTIONS[id(c)] for c in _MRO(kind) if id(c) in _BUILTIN_EXCEPTIONS), None)


def _text(exc):
    """str(exc)[:2000], which runs the exception's __str__: the submission's code, when its exception."""
    try:
        text = str(exc)
    except BaseException:  # a __str__ of theirs that raises (anything): say nothing rather than fail here
        return ""
    return str.__getitem__(text, slice(0, 2000))


def _module_name(exc):
    """The module an ImportError could not import (its `name`), or None; exc may be the submission's, whose class
    may make `name` a property of its own."""
    if not issubclass(type(exc), ImportError):
        return None
    try:
        name = exc.name
    except BaseException:  # the submission's property, raising anything
        return None
    return name if type(name) is str else None


def _flush_printed():
    """Write out what the submission printed without a newline yet, before the reply: through the process's own
    streams, whatever it made of sys.stdout."""
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 a stream the submission closed
            pass


class Link:
    """The worker's pipes: frames in (requests, and answers to its callbacks), frames out (replies, callbacks)."""

    def __init__(self, requests, replies, wire):
        self.requests = requests
        self.replies = replies
        self.wire = wire
        self.buffer = bytearray()
        # Requests that came while a callback waited for its answer, sent before it along with the request being
        # answered: answered next, in order (standins.Caller.wait).
        self.backlog = collections.deque()

    def read(self):
        """The bodies of the complete frames in after reading at least once; the grader gone, the worker ends."""
        try:
            return _read_frames(self.requests, self.buffer, self.wire)
        except EOFError:  # the grader is done with this worker
            os._exit(0)

    def write(self, data):
        _flush_printed()
        _write_all(self.replies, data)

    def die(self, text):
        """End the worker for a fault of its own (or a broken frame of the grader's): an "internal" reply, which
        the grader raises as errors.WorkerBug."""
        _write_all(self.replies, self.wire.Packer().frame({"internal": text[-4000:]}))
        os._exit(70)


def _read_frames(fd, buffer, wire):
    """The bodies of the complete frames in buffer after reading at least once from fd (EOFError at its end)."""
    chunk = os.read(fd, max(wire.READ_SIZE, wire.missing(buffer)))
    if not chunk:
        raise EOFError
    buffer += chunk
    bodies = []
    while len(buffer) >= 8 and len(buffer) >= 8 + wire.frame_length(buffer[:8]):
        length = wire.frame_length(buffer[:8])
        bodies.append(bytes(buffer[8 : 8 + length]))
        del buffer[: 8 + length]
    return bodies


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fork_net_worker(options, wire, sandbox):
    """Fork the net worker (--fork-net), all imports done and no submission code run yet; in the net worker, turn
    options into its own. It is forked twice so that its parent exits at once and the grader, which adopts
    orphans, becomes its parent: then it can die with the grader, and the grader can wait for it. Its first
    frame, before anything else, is its pid: from then on the grader can kill it with its process group, booted
    or not."""
    requests, replies, output = (int(fd) for fd in options.fork_net.split(","))
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        for fd in (requests, replies, output):
            os.close(fd)
        return
    if os.fork():
        os._exit(0)
    os.setsid()
    _write_all(replies, wire.Packer().frame({"pid": os.getpid()}))
    os.dup2(output, 1)
    os.dup2(output, 2)
    for fd in (options.requests, options.replies, output):
        os.close(fd)
    deadline = time.monotonic() + 10
    while os.getppid() != options.grader_pid:
        if time.monotonic() > deadline:
            os._exit(1)
        time.sleep(0.001)
    sandbox.die_with_parent(options.grader_pid)  # adopted by the grader: from now on it dies with it, as the worker does
    options.requests, options.replies, options.net = requests, replies, True


def main(argv=None):
    grader = _load_loading_modules()
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, required=True)
    parser.add_argument("--replies", type=int, required=True)
    parser.add_argument("--submission", required=True)
    parser.add_argument("--numpy-dir", required=True)
    parser.add_argument("--grader-pid", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--net", action="store_true", help="the net worker: TwoLayerNet on the reference's stand-ins")
    grader.options.declare(parser.add_argument, fields=grader.options.WHERE_NAMES_ARE)  # where the names are
    parser.add_argument("--fork-net", help="requests,replies,output of a net worker to fork at once")
    parser.add_argument("--sandbox", help="the plan of the sandbox to enter, as JSON (sandbox_plan.py); none: off")
    options = parser.parse_args(argv)

    faulthandler.enable()  # a crash in C code prints where the Python code was; the grader shows the tail
    # Before anything else: a grader killed while this worker starts (a batch's time limit) takes it along, so
    # that nothing it would still write lands in a folder the batch is removing.
    sandbox = _load("_bpg_sandbox", HERE / "sandbox.py")
    sandbox.die_with_parent(options.grader_pid)
    sys.path.append(options.numpy_dir)
    import numpy as np
    import numpy.random  # noqa: F401 (loaded now, before the limits)

    wire = _load("_bpg_wire", HERE / "wire.py")
    shared = _load("_bpg_shared", HERE / "shared.py")
    namespaces = _load("_bpg_namespaces", HERE / "namespaces.py")
    grader.messages.catalogue("en")  # read now: the grader's files are not in the sandbox
    # What the imports made stays out of the garbage collector's passes: a full collection, while the submission's
    # code allocates, would go over all of it, and in the net worker forked below copy every page it lies on.
    gc.freeze()
    if options.fork_net:
        _fork_net_worker(options, wire, sandbox)
    standins = _load("_bpg_standins", HERE / "standins.py") if options.net else None
    # Nothing of the submission is read before the sandbox and the limits are up (a FIFO, a link to /dev/zero,
    # a file of gigabytes would be read by root, without limits): only the names beside it are listed now, which
    # the sandbox hides (intake.Intake._beside_imports).
    beside = grader.intake.beside_entries(options.submission)
    if options.sandbox:
        walls = namespaces.enter(json.loads(options.sandbox))
    else:
        walls = {"network": False, "hidden": False, "user": "refused" if os.geteuid() == 0 else "not_root"}
    # Inside read-only mounts, the scratch folder may be written; anywhere else, the filter denies every write.
    writable_scratch = bool(walls.get("hidden") and walls.get("read_only"))
    filtered = sandbox.lock_down(options.grader_pid, options.memory_mb, options.cpu_seconds, writable_scratch)
    walls["read_only"] = writable_scratch or filtered
    # The loader reads the submission's files now, inside the sandbox and under the limits (runs none of its
    # code); the grader charges the time until the hello to the grade.
    names = grader.options.GradeOptions.from_namespace(options, fields=grader.options.WHERE_NAMES_ARE)
    submission = walls.pop("submission", options.submission)  # a copy, where file permissions are the walls
    server = Server(np, wire, shared, grader, submission, names.aliases, names.use, standins, beside)
    link = Link(options.requests, options.replies, wire)
    if standins is not None:
        server.caller = standins.Caller(server, link, wire, link.die)
    # What the submission prints reaches the grader line by line (its report shows the last of it), and what a
    # call printed before it hung is not lost with the worker.
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)
    hello = {"pid": os.getpid(), "filtered": filtered, "sandbox": walls}
    _write_all(options.replies, wire.Packer().frame({"hello": hello}))
    while True:
        # Requests the grader did not wait for come with the next one it does. Each answer is written as soon as it
        # is made: the grader gives every call of a batch its own time limit, from the answer before it.
        waiting, bodies = list(link.backlog), [] if link.backlog else link.read()
        link.backlog.clear()
        for request in waiting + bodies:  # unpackers (kept aside during a callback) and frames' bodies
            try:
                answer = server.answer(server.unpacker(request) if type(request) is bytes else request)
            except MemoryError:  # the submission used up the memory: the worker ends, as one that ran out does
                raise
            except Exception:  # noqa: BLE001 the worker's own code failed (what the submission raises is a reply)
                link.die(traceback.format_exc())
            link.write(answer)


if __name__ == "__main__":
    main()
