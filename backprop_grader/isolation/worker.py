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
"""
import argparse
import faulthandler
import importlib.util
import itertools
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRADER = HERE.parent
# The grader's modules a submission is loaded with, in an order in which each finds what it imports.
LOADING = ("messages", "book", "results", "sources", "names", "intake", "loader", "options")


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


class Server:
    """The submission's names and the objects the grader holds proxies of, and the answer to each request."""

    def __init__(self, np, wire, shared, grader, submission, aliases=(), use=(), layers_impl=None):
        self.np = np
        self.wire = wire
        self.arrays = shared.WorkerArrays()
        self.loader = grader.loader
        self.wrapper_file = Path(grader.names.__file__).resolve()
        self.impl = self.loader.load(Path(submission).resolve(), aliases=list(aliases), use=list(use))
        self.root = Path(self.impl.root).resolve()  # where the submission's own frames are, as the grader sees it
        self.notes_sent = []  # the loader's notes (which file was graded, ...) as last sent to the grader
        self.layers_impl = layers_impl  # the net worker's: see _reference_layers
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
            if self.layers_impl is not None:
                if name != "TwoLayerNet":
                    raise LookupError(f"the net worker serves TwoLayerNet only, not {name}")
                self.names[name] = self.impl.two_layer_net_on(self.layers_impl)
            else:
                self.names[name] = getattr(self.impl, name)
        return self.names[name]

    def op_resolve(self, name):
        value = self.named(name)
        return {"callable": True, "class": isinstance(value, type)} if callable(value) else {"value": value}

    def op_call_name(self, name, args, kwargs, handle=None, want=()):
        result = self.named(name)(*args, **kwargs)
        self.wanted = want
        if handle is None:
            self.described = result
            return result
        self.objects[handle] = result  # a construction the grader did not wait for: it named the handle itself
        self.described = handle
        return None

    def op_call(self, handle, method, args, kwargs, want=()):
        target = self.objects[handle]
        self.described, self.wanted = handle, want
        if method is not None:
            target = getattr(target, method)
        return target(*args, **kwargs)

    def op_get(self, handle, attr):
        target = self.objects[handle]
        value = getattr(target, attr)
        if not isinstance(value, dict):
            return value
        # A dict attribute (net.params, net.layers) stays here, so that writes through its proxy reach it; its
        # entries go along (see prefetch).
        self.prefetch = mapping = AttributeDict(target, attr)
        return mapping

    def mapping(self, handle):
        entry = self.objects[handle]
        return entry.read() if isinstance(entry, AttributeDict) else entry

    def op_getitem(self, handle, key):
        self.watched.setdefault(handle, _NEW)
        self.prefetch = handle
        return self.mapping(handle)[key]

    def op_setitem(self, handle, key, value):
        # `net.params[key] -= step` changes in place the shared array the dict holds (the change arrives as a
        # sync), so its assignment back is not even sent; what arrives here is a new object for the key.
        self.mapping(handle)[key] = value

    def op_keys(self, handle):
        return list(self.mapping(handle).keys())

    def op_items(self, handle):
        return list(self.mapping(handle).items())

    def op_len(self, handle):
        return len(self.mapping(handle))

    # --- values ------------------------------------------------------------------------------------------------

    def handle(self, obj):
        handle = next(self.ids)
        self.objects[handle] = obj
        if obj is self.prefetch:
            self.prefetch = handle
        if obj is self.described:
            self.described = handle
        if isinstance(obj, AttributeDict):
            return [handle, type(obj.read()).__name__, "mapping", []]
        kind = type(obj)
        if kind not in self.method_names:
            names = [n for n in dir(kind) if not n.startswith("__") and callable(getattr(kind, n, None))]
            self.method_names[kind] = names
        return [handle, kind.__name__, "callable" if callable(obj) else "object", self.method_names[kind]]

    def unpack_handle(self, body):
        if type(body) is not int or body not in self.objects:
            raise LookupError(f"no object {body}")
        return self.objects[body]

    # --- errors as data ----------------------------------------------------------------------------------------

    def frame_of(self, frame):
        path, line, qualname = frame
        if path.is_relative_to(self.root):
            return [path.relative_to(self.root).as_posix(), line, qualname]
        return [None, line, qualname, path.name]

    def describe(self, exc):
        """What the grader needs to raise exc again: type, message, and the innermost frame of the submission
        and the innermost frame of all (the two that locate an error and tell its origin apart). Neither the
        worker's frames nor the class wrapper's (names.wrap) count, as the grading plugin counts neither."""
        frames = [f for f in _frames(exc) if not f[0].is_relative_to(HERE) and f[0] != self.wrapper_file]
        mine = [f for f in frames if f[0].is_relative_to(self.root)]
        chosen = mine[-1:] + ([frames[-1]] if frames and (not mine or frames[-1] is not mine[-1]) else [])
        kind = type(exc)
        return {
            "type": kind.__name__,
            "base": _builtin_base(kind),
            "message": _text(exc),
            "frames": [self.frame_of(f) for f in chosen],
            "module": exc.name if isinstance(exc, ImportError) and isinstance(exc.name, str) else None,
        }

    def failure(self, exc):
        if isinstance(exc, self.loader.SubmissionError):
            cause = exc.__cause__ or exc.__context__
            module = cause.name if isinstance(cause, ImportError) and isinstance(cause.name, str) else None
            params = {k: _plain(v) for k, v in exc.params.items()}
            # Some are builtin errors too (a misspelt member is an AttributeError, which a check may catch).
            return {"submission_error": [exc.key, params], "module": module, "base": _builtin_base(type(exc))}
        if isinstance(exc, SystemExit):
            return {"exit": _text(exc)}
        try:
            return {"raised": self.describe(exc)}
        except BaseException:  # an exception built to break its description (a __name__ that raises, ...)
            return {"raised": {"type": "Exception", "base": "Exception", "message": "", "frames": [], "module": None}}

    # --- one request -------------------------------------------------------------------------------------------

    def answer(self, body, generator):
        arrays, wire = self.arrays, self.wire
        unpacker = wire.Unpacker(body, self.unpack_handle, arrays)
        request = unpacker.message
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
        changed, dropped = arrays.settle()
        if changed:
            reply["sync"] = [[token, {"a": packer.array(array.view(self.np.ndarray))}] for token, array in changed]
        if dropped:
            reply["forget"] = dropped
        stale = self.stale()
        if stale:
            reply["stale"] = stale
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
            if type(key) is not str or not (isinstance(value, ndarray) or not arrays_only and _is_object(value)):
                return False
        mark = self.arrays.mark()
        try:
            pairs = [[k, packer.value(v)] for k, v in dict.items(target)]
        except BaseException:
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
        if kind.__getattribute__ is not object.__getattribute__:
            return
        try:
            attributes = object.__getattribute__(obj, "__dict__")
            attributes = {name: attributes[name] for name in names if type(name) is str and name in attributes}
        except BaseException:  # no __dict__, or one the submission made strange
            return
        found = []
        mark = self.arrays.mark()
        try:
            for name, value in attributes.items():
                if _data_descriptor(kind, name):
                    continue
                if type(value) is dict:
                    if (handle, name) in self.attribute_dicts:
                        continue
                    mapping = AttributeDict(obj, name)
                    node = packer.value(mapping)
                    if not self.add_entries(reply, packer, node["h"][0], arrays_only=True):
                        continue
                    self.attribute_dicts[(handle, name)] = node["h"][0]
                    found.append([name, node])
                elif _plain(value, self.np):
                    found.append([name, packer.value(value)])
        except BaseException:
            self.arrays.forget_since(mark)
            return
        reply["attrs"] = [handle, found]

    def stale(self):
        """The watched dicts whose entries are no longer the objects they were at the last reply. The grader keeps
        the entries it read (a net's params, its layers) until told so: `net.params[key] -= step` then costs it
        no round trip for the read. Only a plain attribute holding a plain dict is watched: reading anything
        else could run the submission's code."""
        stale = []
        for handle, before in list(self.watched.items()):
            target = self.plain_dict(handle)
            now = None if target is None else (id(target), tuple((k, id(v)) for k, v in dict.items(target)))
            if now is None or (before is not _NEW and now != before):
                stale.append(handle)
            self.watched[handle] = now
        return stale

    def plain_dict(self, handle):
        """The plain dict behind a handle, read without running the submission's code (no property, no
        __getattr__), or None."""
        try:
            entry = self.objects[handle]
            if isinstance(entry, AttributeDict):
                entry = object.__getattribute__(entry.owner, "__dict__").get(entry.attr)
        except BaseException:  # no __dict__, or one the submission made strange
            return None
        return entry if type(entry) is dict else None

    def run(self, request, unpacker, packer):
        """The reply to one request, its value encoded; what it computed is gone when this returns, so that
        settle() counts only the references the submission kept."""
        mark = self.arrays.mark()
        try:
            fields = {k: unpacker.value(v) for k, v in request.get("fields", {}).items()}
            result = getattr(self, "op_" + request["op"])(**fields)
        except BaseException as exc:  # anything the submission raises, SystemExit and KeyboardInterrupt included
            return self.failure(exc)
        try:
            return {"ok": packer.value(result)}
        except BaseException as exc:  # a result that cannot travel, or whose conversion raised
            self.arrays.forget_since(mark)
            return {"unsendable": str(exc) if isinstance(exc, self.wire.Unsendable) else type(exc).__name__}


_NEW = object()  # a watched dict not yet looked at


def _data_descriptor(kind, name):
    """Whether the class defines name as a data descriptor (a property...), which an instance's __dict__ does not
    override."""
    for klass in kind.__mro__:
        if name in klass.__dict__:
            found = type(klass.__dict__[name])
            return hasattr(found, "__set__") or hasattr(found, "__delete__")
    return False


def _plain(value, np, depth=0):
    """An array, a number, a string, None, or a short tuple of such: an attribute sent along after a call."""
    if value is None or type(value) in (bool, int, float, complex, str) or isinstance(value, (np.ndarray, np.generic)):
        return True
    return type(value) is tuple and len(value) <= 8 and depth == 0 and all(_plain(v, np, 1) for v in value)


def _is_object(value):
    """Not plain data: an object the grader would get a handle of (a layer in net.layers)."""
    return not isinstance(value, (type(None), bool, int, float, complex, str, bytes, list, tuple, dict, set))


class AttributeDict:
    """A dict read as an attribute, by owner and name: each operation reads the attribute again, as the check's
    `net.params[key]` does in-process, so the grader may keep its proxy for the whole check."""

    def __init__(self, owner, attr):
        self.owner = owner
        self.attr = attr

    def read(self):
        return getattr(self.owner, self.attr)


def _frames(exc):
    """(resolved file, line, qualified name) of each frame exc passed through, outermost first."""
    found, tb = [], exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        found.append((Path(code.co_filename).resolve(), tb.tb_lineno, getattr(code, "co_qualname", code.co_name)))
        tb = tb.tb_next
    return found


def _plain(value):
    """A param as plain text for the grader, or a message (messages.msg, as where= is) with plain params."""
    if type(value) is dict and set(value) == {"key", "params"} and type(value["params"]) is dict:
        return {"key": str(value["key"]), "params": {str(k): _plain(v) for k, v in value["params"].items()}}
    return str(value)


def _builtin_base(kind):
    """The first builtin exception class kind derives from (NotImplementedError, AttributeError, ...), or None."""
    return next((c.__name__ for c in kind.__mro__ if c.__module__ == "builtins" and issubclass(c, Exception)), None)


def _text(exc):
    try:
        return str(exc)[:2000]
    except BaseException:  # a __str__ that raises is the submission's: say nothing rather than fail here
        return ""


def _read_frames(fd, buffer, frame_length):
    """The bodies of the complete frames in buffer after reading at least once from fd (EOFError at its end)."""
    chunk = os.read(fd, 1 << 20)
    if not chunk:
        raise EOFError
    buffer += chunk
    bodies = []
    while len(buffer) >= 8 and len(buffer) >= 8 + frame_length(buffer[:8]):
        length = frame_length(buffer[:8])
        bodies.append(bytes(buffer[8 : 8 + length]))
        del buffer[: 8 + length]
    return bodies


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fork_net_worker(options):
    """Fork the net worker (--fork-net), all imports done and no submission code run yet; in the net worker, turn
    options into its own. It is forked twice so that its parent exits at once and the grader, which adopts
    orphans, becomes its parent: then it can die with the grader, and the grader can wait for it."""
    requests, replies, output, layers = options.fork_net.split(",", 3)
    requests, replies, output = int(requests), int(replies), int(output)
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        for fd in (requests, replies, output):
            os.close(fd)
        return
    if os.fork():
        os._exit(0)
    os.setsid()
    os.dup2(output, 1)
    os.dup2(output, 2)
    for fd in (options.requests, options.replies, output):
        os.close(fd)
    deadline = time.monotonic() + 10
    while os.getppid() != options.grader_pid:
        if time.monotonic() > deadline:
            os._exit(1)
        time.sleep(0.001)
    options.requests, options.replies, options.net_layers = requests, replies, layers


def _reference_layers(grader, net_layers):
    """The reference's layers, copied under another name: the net worker grades a TwoLayerNet built on them.
    Loaded before the sandbox is up (the copies are not in it) and before any submission code runs, so the
    grader can delete the copies at once."""
    layers = grader.loader.load(net_layers, label="layers")
    layers.Affine, layers.numerical_gradient  # noqa: B018 (imports both modules)
    return layers


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
    parser.add_argument("--net-layers")
    grader.options.declare(parser.add_argument, fields=grader.options.WHERE_NAMES_ARE)  # where the names are
    parser.add_argument("--fork-net", help="requests,replies,output,layers of a net worker to fork at once")
    parser.add_argument("--sandbox", help="the plan of the sandbox to enter, as JSON (sandbox_plan.py); none: off")
    options = parser.parse_args(argv)

    faulthandler.enable()  # a crash in C code prints where the Python code was; the grader shows the tail
    sys.path.append(options.numpy_dir)
    import numpy as np
    import numpy.random  # noqa: F401 (loaded now, before the limits)

    wire = _load("_bpg_wire", HERE / "wire.py")
    shared = _load("_bpg_shared", HERE / "shared.py")
    sandbox = _load("_bpg_sandbox", HERE / "sandbox.py")
    namespaces = _load("_bpg_namespaces", HERE / "namespaces.py")
    grader.messages.catalogue("en")  # read now: the grader's files are not in the sandbox
    if options.fork_net:
        _fork_net_worker(options)
    layers = _reference_layers(grader, options.net_layers) if options.net_layers else None
    # The loader reads the submission's files and looks around them now (runs none of its code): see
    # intake.Intake._beside_imports.
    names = grader.options.GradeOptions.from_namespace(options, fields=grader.options.WHERE_NAMES_ARE)
    server = Server(np, wire, shared, grader, options.submission, names.aliases, names.use, layers)
    if options.sandbox:
        walls = namespaces.enter(json.loads(options.sandbox))
    else:
        walls = {"network": False, "hidden": False, "user": "refused" if os.geteuid() == 0 else "not_root"}
    # Inside read-only mounts, the scratch folder may be written; anywhere else, the filter denies every write.
    writable_scratch = bool(walls.get("hidden") and walls.get("read_only"))
    filtered = sandbox.lock_down(options.grader_pid, options.memory_mb, options.cpu_seconds, writable_scratch)
    walls["read_only"] = writable_scratch or filtered
    generator = shared.Generator()
    hello = {"pid": os.getpid(), "filtered": filtered, "sandbox": walls}
    _write_all(options.replies, wire.Packer().frame({"hello": hello}))
    buffer = bytearray()
    while True:
        try:
            bodies = _read_frames(options.requests, buffer, wire.frame_length)
        except EOFError:  # the grader is done with this worker
            os._exit(0)
        # Requests the grader did not wait for come with the next one it does: answer them all in one write.
        if bodies:
            _write_all(options.replies, b"".join([server.answer(body, generator) for body in bodies]))


if __name__ == "__main__":
    main()
