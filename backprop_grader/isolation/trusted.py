"""Where the reference lives while the learner's TwoLayerNet is graded: here, in the grader's own process, never in
the net worker that runs the learner's code. The worker holds stand-ins (standins.py) built from a manifest of the
reference's modules (names and kinds, no code, no text), and every use of one comes here as a callback:
construct a layer, call its method, read or write its attribute, call a function (numerical_gradient, softmax),
copy a layer. The reference runs here on plain data, and the answer is plain data again.

"The reference" is whatever the grader was given as the net's layers (`net_layers`, the shipped reference/ or
an instructor's own, with counting.py counting its layers' calls here): its numerical_gradient is the one the
learner's net calls, even though it calls back the learner's f many times; each of those calls is a request
nested in the callback, answered by the worker while its stand-in waits (session.Channel serves both ways).

What may be asked is narrow: only the manifest's classes and functions, the methods the manifest names, and
attributes whose names are not dunders, whose values must travel as plain data (a bound method, a class or a code
object never leaves); a callback that breaks the protocol loses the worker, as a garbled reply does. The time
the reference takes counts against the learner's call that asked for it; its memory is the grader's, which is
why the frames that bring its arguments are bounded (wire.MAX_FRAME).
"""
import itertools
import sys
import types
from pathlib import Path

import numpy as np

from .. import counting
from ..book import BUILT_ON
from ..qualnames import qualname
from ..results import SubmissionError
from . import wire
from .errors import WorkerBug, WorkerFailure

# The reference's modules what is graded on them is built on: layers.py and gradient.py, chapter 7's util.py.
REFERENCE_MODULES = tuple(sorted({module for modules in BUILT_ON.values() for module in modules}))
OPS = frozenset({"new", "call", "method", "get", "set", "state", "rebuild"})
# Frames that stand between the learner's call and the reference's code, never the innermost one a failure names.
_GRADER_FRAMES = (Path(__file__).resolve().parent, Path(counting.__file__).resolve())
_PLAIN = (type(None), bool, int, float, str)


class Trusted:
    """The objects the net worker's stand-ins stand for, by number, and the answer to each callback."""

    def __init__(self, layers_impl):
        self.layers_impl = layers_impl
        self.objects = {}  # number -> a class or function of the manifest, or an object made for the worker
        self.methods = {}  # number of a class -> the methods a stand-in may call on its objects
        self.class_of = {}  # number of an object -> number of its class
        self.named = set()  # numbers of the manifest's classes and functions: the worker's for its whole life
        self.numbers = itertools.count(1)

    def manifest(self):
        """For a new worker: [[module, [[name, kind, payload], ...]], ...] of the reference's modules (numbering
        afresh what it names). Kinds: class [number, methods], function number, module (a module of numpy or the
        standard library, imported there), value (a number or string), all (__all__)."""
        self.objects.clear()
        self.methods.clear()
        self.class_of.clear()
        self.named.clear()
        found = []
        for module_name in REFERENCE_MODULES:
            try:
                module = self.layers_impl._module(module_name)
            except SubmissionError:  # a reference without that file: the worker says so as the loader does
                continue
            entries = [self._entry(name, value) for name, value in vars(module).items()]
            found.append([module_name, [entry for entry in entries if entry is not None]])
        self.named = set(self.objects)
        return found

    def _entry(self, name, value):
        if name == "__all__" and isinstance(value, (list, tuple)) and all(type(n) is str for n in value):
            return [name, "all", list(value)]
        if name.startswith("__"):
            return None
        if isinstance(value, type):
            number = self._keep(value)
            methods = {n for n in dir(value) if not n.startswith("_") and callable(getattr(value, n, None))}
            self.methods[number] = frozenset(methods)
            return [name, "class", [number, sorted(methods)]]
        if isinstance(value, types.ModuleType):
            top = value.__name__.split(".")[0]
            return [name, "module", value.__name__] if top == "numpy" or top in sys.stdlib_module_names else None
        if callable(value):
            return [name, "function", self._keep(value)]
        if type(value) in _PLAIN or type(value) in (np.float64, np.float32, np.int64, np.intp, np.bool_):
            return [name, "value", value]
        return None

    def _keep(self, obj, class_number=None):
        number = next(self.numbers)
        self.objects[number] = obj
        if class_number is not None:
            self.class_of[number] = class_number
        return number

    # --- one callback -----------------------------------------------------------------------------------------

    def serve(self, channel, unpacker):
        """The answer frame to the callback in unpacker, the reference run here (and the learner's code it calls
        back run in the worker, by nested requests). WireError or LookupError: a callback the protocol does not
        allow."""
        message = unpacker.message
        arrays = channel.arrays
        for token, node in wire.pairs(message.get("sync", [])):
            arrays.apply(token, unpacker.value(node))
        for token in wire.integers(message.get("forget", [])):
            arrays.forget(token)
        for number in wire.integers(message.get("release", [])):
            if number not in self.named:
                self.objects.pop(number, None)
                self.class_of.pop(number, None)
        request = message["callback"]
        if type(request) is not dict or request.get("op") not in OPS or type(request.get("id")) is not int:
            raise wire.WireError("bad callback")
        op, number = request["op"], request["id"]
        target = self.objects[number]
        answer = self._run(op, number, target, request, unpacker)
        return self._frame(channel, answer, target if op in ("method", "get") else None, request.get("want", []))

    def _run(self, op, number, target, request, unpacker):
        """{"ok": value}, {"raised": [type, builtin base, message, innermost frame]}, or {"reraise": serial} for
        what the learner's code raised in a request nested in this callback."""
        run = self._prepared(op, number, target, request, unpacker)
        try:
            return {"ok": run()}
        except (WorkerFailure, WorkerBug) as exc:  # the worker failed as a process (or exited, by the learner's f)
            if getattr(exc, "remote_serial", None) is None:
                raise
            return {"reraise": exc.remote_serial}
        except Exception as exc:  # noqa: BLE001 what the reference raised on the learner's arguments is theirs
            serial = getattr(exc, "remote_serial", None)
            return {"reraise": serial} if serial is not None else {"raised": _described(exc)}

    def _prepared(self, op, number, target, request, unpacker):
        """The callback as a function that runs the reference, once every field is checked."""
        if op in ("new", "call", "rebuild"):
            if (number in self.methods) != (op != "call") or number in self.class_of:
                raise wire.WireError(f"{op} of object {number}")
        elif number not in self.class_of:
            raise wire.WireError(f"{op} of object {number}")
        if op in ("new", "call", "method"):
            args, kwargs = unpacker.value(request.get("args")), unpacker.value(request.get("kwargs"))
            if type(args) is not tuple or type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
                raise wire.WireError("bad arguments")
        if op in ("method", "get", "set"):
            name = request.get("name")
            if type(name) is not str or name.startswith("__"):
                raise wire.WireError("bad name")
            is_method = name in self.methods[self.class_of[number]]
            if is_method != (op == "method"):
                raise wire.WireError(f"{op} of {name}")
        if op == "new":
            return lambda: self._keep(target(*args, **kwargs), number)
        if op == "call":
            return lambda: target(*args, **kwargs)
        if op == "method":
            return lambda: getattr(target, name)(*args, **kwargs)
        if op == "get":
            return lambda: getattr(target, name)
        if op == "set":
            value = unpacker.value(request.get("value"))
            return lambda: setattr(target, name, value)
        if op == "state":
            return lambda: dict(vars(target))
        state = unpacker.value(request.get("state"))
        if type(state) is not dict or not all(type(k) is str and not k.startswith("__") for k in state):
            raise wire.WireError("bad state")
        return lambda: self._rebuilt(target, number, state)

    def _rebuilt(self, cls, number, state):
        """A copy of an object of cls holding state (a layer copied in the worker: copy.copy, copy.deepcopy)."""
        obj = cls.__new__(cls)
        vars(obj).update(state)
        return self._keep(obj, number)

    def _frame(self, channel, answer, target, want):
        """The answer's frame, with what changed here in shared arrays and, after a method call or an attribute
        read, the attributes of the object the worker's stand-ins read before (true until its next callback)."""
        arrays = channel.arrays
        mark = arrays.mark()
        packer = wire.Packer(channel._reference, arrays.share)
        value = answer.get("ok")  # alive until hold_since() below: it may be nobody else's
        try:
            if "ok" in answer:
                answer["ok"] = packer.value(value)
                attributes = _attributes(target, want) if target is not None else {}
                if attributes:
                    answer["attrs"] = [[name, packer.value(value)] for name, value in attributes.items()]
        except (wire.Unsendable, TypeError, MemoryError) as exc:  # a value that cannot travel (a bound method...)
            arrays.forget_since(mark)
            packer = wire.Packer(channel._reference, arrays.share)
            answer = {"raised": ["TypeError", "TypeError", f"the reference's result cannot be sent: {exc}", None]}
        # Arrays the reference made (a layer's output) are nobody's here: kept while the worker keeps them.
        arrays.hold_since(mark)
        del value
        message = {"answer": answer}
        changed, dropped = arrays.outgoing()
        if changed:
            message["sync"] = [[token, {"a": packer.array(array.view(np.ndarray))}] for token, array in changed]
        if dropped:
            message["forget"] = dropped
        return packer.frame(message)


def _attributes(target, want):
    """Of the attributes named in want, those target holds in its own __dict__ as plain data."""
    if type(want) is not list:
        raise wire.WireError("bad attribute names")
    namespace = getattr(target, "__dict__", {})
    found = {}
    for name in want:
        if type(name) is not str or name.startswith("__") or name not in namespace:
            continue
        value = namespace[name]
        if type(value) in _PLAIN or (type(value) is np.ndarray and value.dtype.str in wire.ALLOWED_DTYPES):
            found[name] = value
        elif type(value) is tuple and len(value) <= 8 and all(type(v) in _PLAIN for v in value):
            found[name] = value
    return found


def _builtin_base(kind):
    return next((c.__name__ for c in kind.__mro__ if c.__module__ == "builtins" and issubclass(c, Exception)), None)


def _described(exc):
    """[type, builtin base, message, innermost frame] of what the reference raised: the frame (file name, line,
    qualified name) of the reference's code, or None when it was raised calling it (wrong arguments), as the
    frames in the learner's process would show it in-process."""
    frame, tb = None, exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        path = Path(code.co_filename).resolve()
        if not any(path == place or path.is_relative_to(place) for place in _GRADER_FRAMES):
            frame = [path.name, tb.tb_lineno, qualname(code)]
        tb = tb.tb_next
    name = type(exc).__name__
    return [name if name.isidentifier() else "Exception", _builtin_base(type(exc)), str(exc)[:2000], frame]
