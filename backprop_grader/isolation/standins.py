"""Stand-ins, in the net worker, for the reference's layers and functions, which live in the grader (trusted.py).

The learner's TwoLayerNet is graded on the reference's layers, so that a bug in their own layers costs points
under that layer only. Those layers used to be copied into the worker that runs their net, where the net could
read them (sys.modules, gc, inspect.getsource, a function's __code__), write them out and score with them. Now
no object, code or text of the reference exists in that process: its `layers` and `gradient` modules hold
stand-ins built from the grader's manifest (names and kinds only), and every use of one is a callback to the
grader, which runs the reference there and answers with plain data:
- a class (Affine, Relu, ...): constructing makes the reference's object in the grader; forward, backward and
  reading or writing an attribute (layer.W, layer.dW) go to that object;
- a function (numerical_gradient, softmax): called in the grader, with the learner's objects (the f that
  numerical_gradient calls back) passed by handle, so that the reference's numerical_gradient calls the
  learner's f in this worker (a request nested in the callback);
- a module (numpy) is this worker's own, a plain value (a constant) a copy.
Arrays cross as the grader's requests do (shared.py): the layer the book builds as Affine(params['W1'], ...)
holds in the grader the grader's copy of the learner's params['W1'], which every callback brings up to date
(its `sync`) before the reference runs, and every answer brings back; so a numerical gradient that moves
params['W1'][idx] in place here moves the W the reference's Affine computes with there, and the other way round.

Loaded by the worker by path; standard library only.
"""
import builtins
import copy
import itertools
import traceback
import types
from functools import lru_cache


class CallbackTooLarge(BaseException):
    """Arguments for the reference that cannot travel (larger than a frame, nested too deeply): the request fails
    as the grader's "call_unsendable". A BaseException, so that the learner's `except Exception` lets it by."""


class StandIns:
    """The reference as a TwoLayerNet is built on it here (loader.Implementation.two_layer_net_on and
    intake.BookNames.two_layer_net_on use it like a loaded implementation): modules by name, the book's names as
    attributes. manifest: [[module name, [[name, kind, payload], ...]], ...] (trusted.Trusted.manifest)."""

    label = "reference"

    def __init__(self, manifest, caller, missing):
        self._missing = missing  # file name -> the exception for a module the reference does not have
        self._modules = {}
        for module_name, entries in manifest:
            module = types.ModuleType(module_name)
            for name, kind, payload in entries:
                if kind == "class":
                    setattr(module, name, _stand_in_class(caller, module_name, name, *payload))
                elif kind == "function":
                    setattr(module, name, _stand_in_function(caller, module_name, name, payload))
                elif kind == "module":
                    try:
                        setattr(module, name, __import__(payload, fromlist=["_"]))
                    except ImportError:  # a module the worker cannot import: as if the reference had not named it
                        continue
                elif kind == "value":
                    setattr(module, name, payload)
                elif kind == "all":
                    module.__all__ = list(payload)
            self._modules[module_name] = module

    def _module(self, name):
        if name not in self._modules:
            raise self._missing(f"{name}.py")
        return self._modules[name]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        for module in self._modules.values():
            if name in vars(module):
                return vars(module)[name]
        raise AttributeError(name)


class StandIn:
    """An object of the reference's living in the grader, by its number there (_bpg_id). Its class names the
    reference class (_bpg_class) and the worker's end of the callbacks (_bpg_caller)."""

    __slots__ = ("_bpg_id", "__weakref__")
    _bpg_caller = None
    _bpg_class = None

    def __init__(self, *args, **kwargs):
        _set_id(self, self._bpg_caller.new(self._bpg_class, args, kwargs))

    def __getattr__(self, name):
        # Only what the class does not have (its methods and slot are found first): the reference object's data.
        if name.startswith("__") or name.startswith("_bpg"):
            raise AttributeError(name)
        try:
            ident = _get_id(self)
        except AttributeError:  # a subclass's object whose __init__ never made the reference's: as in-process
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'") from None
        return self._bpg_caller.get(type(self), ident, name)

    def __setattr__(self, name, value):
        if name.startswith("__") or name.startswith("_bpg"):
            raise AttributeError(f"cannot set {name} on {type(self).__name__}")
        self._bpg_caller.set(_get_id(self), name, value)

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete {name} from {type(self).__name__}")

    def __copy__(self):
        return self._bpg_copy(self._bpg_caller.state(_get_id(self)))

    def __deepcopy__(self, memo):
        # The state comes back holding the learner's own arrays where the reference object holds them (the W that
        # is params['W1']), so a deep copy of the whole net keeps its copied layer on its copied params, as in-process.
        return self._bpg_copy(copy.deepcopy(self._bpg_caller.state(_get_id(self)), memo))

    def _bpg_copy(self, state):
        copied = object.__new__(type(self))
        _set_id(copied, self._bpg_caller.rebuild(self._bpg_class, state))
        return copied

    def __reduce_ex__(self, protocol):
        raise TypeError(f"cannot pickle {type(self).__name__}: the reference's layers are the grader's")

    def __del__(self):
        try:
            ident = _get_id(self)
        except AttributeError:  # never constructed (its construction failed)
            return
        self._bpg_caller.released.append(ident)


_get_id = StandIn._bpg_id.__get__
_set_id = StandIn._bpg_id.__set__


def _stand_in_class(caller, module_name, name, ident, methods):
    namespace = {"__module__": module_name, "__qualname__": name, "__slots__": (), "_bpg_caller": caller,
                 "_bpg_class": ident, "_bpg_wanted": set()}
    for method in methods:
        namespace[method] = _stand_in_method(name, method)
    return type(name, (StandIn,), namespace)


def _stand_in_method(class_name, name):
    def method(self, *args, **kwargs):
        return self._bpg_caller.method(type(self), _get_id(self), name, args, kwargs)

    method.__name__ = name
    method.__qualname__ = f"{class_name}.{name}"
    return method


def _stand_in_function(caller, module_name, name, ident):
    def function(*args, **kwargs):
        return caller.call(ident, args, kwargs)

    function.__name__ = function.__qualname__ = name
    function.__module__ = module_name
    return function


class Caller:
    """The worker's end of the callbacks: sends one, serves the requests the grader nests in it (the learner's f
    called by the reference's numerical_gradient), and returns the answer's value or raises its exception.

    server: the worker's Server (its objects, shared arrays, and answer() for nested requests); link: its pipes;
    die(text): end the worker for a fault of its own or the grader's (never the submission's)."""

    def __init__(self, server, link, wire, die):
        self.server = server
        self.link = link
        self.wire = wire
        self.die = die
        self.released = []  # numbers of the grader's objects no stand-in holds any more: sent with the next callback
        self.epoch = itertools.count()
        self.fresh = (None, None, {})  # (epoch, object number, its attributes sent along): true until the next callback
        self.current = None

    # --- what the stand-ins ask -------------------------------------------------------------------------------

    def new(self, class_ident, args, kwargs):
        return self.exchange("new", {"id": class_ident, "args": args, "kwargs": kwargs})

    def call(self, ident, args, kwargs):
        return self.exchange("call", {"id": ident, "args": args, "kwargs": kwargs})

    def method(self, kind, ident, name, args, kwargs):
        fields = {"id": ident, "name": name, "args": args, "kwargs": kwargs, "want": sorted(kind._bpg_wanted)}
        return self.exchange("method", fields, about=ident)

    def get(self, kind, ident, name):
        epoch, about, attributes = self.fresh
        if epoch == self.current and about == ident and name in attributes:
            return attributes[name]
        kind._bpg_wanted.add(name)
        return self.exchange("get", {"id": ident, "name": name, "want": sorted(kind._bpg_wanted)}, about=ident)

    def set(self, ident, name, value):
        self.exchange("set", {"id": ident, "name": name, "value": value})

    def state(self, ident):
        return self.exchange("state", {"id": ident})

    def rebuild(self, class_ident, state):
        return self.exchange("rebuild", {"id": class_ident, "state": state})

    # --- one callback -----------------------------------------------------------------------------------------

    def exchange(self, op, fields, about=None):
        server, wire = self.server, self.wire
        arrays = server.arrays
        # What changed here since the last exchange goes first: the reference computes on the learner's arrays
        # as they are now. Arrays nobody here keeps are let go of, as after a request.
        changed, dropped = arrays.settle()
        packer = wire.Packer(server.handle, arrays.share)
        mark = arrays.mark()
        try:
            message = {"callback": {"op": op, **{key: packer.value(value) for key, value in fields.items()}}}
        except (wire.Unsendable, MemoryError):
            arrays.forget_since(mark)
            raise CallbackTooLarge() from None
        if changed:
            message["sync"] = [[token, {"a": packer.array(array.view(server.np.ndarray))}] for token, array in changed]
        if dropped:
            message["forget"] = dropped
        if self.released:
            message["release"], self.released = self.released, []
        try:
            frame = packer.frame(message)
        except wire.Unsendable:
            arrays.forget_since(mark)
            raise CallbackTooLarge() from None
        server.callback_mark = arrays.mark()  # tokens sent in a callback are the grader's to keep (see Server.run)
        self.current = next(self.epoch)  # whatever was sent along before is stale: the reference runs now
        self.link.write(frame)
        answer, unpacker = self.wait()
        try:
            return self.take(answer, unpacker, about)
        finally:
            if not server.depth:
                server.nested_failures.clear()

    def wait(self):
        """The grader's answer to the callback just sent, serving the requests it nests in it meanwhile. Requests
        that were already on their way (sent along with the one being answered) wait their turn in the backlog."""
        server, link = self.server, self.link
        server.depth += 1
        try:
            while True:
                for body in link.read():
                    try:
                        unpacker = server.unpacker(body)
                        message = unpacker.message
                        if "answer" in message:
                            return message, unpacker
                        if not message.get("nested"):
                            link.backlog.append(unpacker)
                            continue
                        reply = server.answer(unpacker, nested=True)
                    except MemoryError:  # the submission used up the memory: the worker ends, as one that ran out does
                        raise
                    except Exception:  # noqa: BLE001 the worker's own code failed, not the learner's code it runs in
                        self.die(traceback.format_exc())
                    link.write(reply)
        finally:
            server.depth -= 1

    def take(self, message, unpacker, about):
        """The value of an answer, once its news is taken in; or its exception, raised."""
        arrays = self.server.arrays
        try:
            for token, node in message.get("sync", ()):
                arrays.apply(token, unpacker.value(node))
            for token in message.get("forget", ()):
                arrays.forget(token)
            answer = message["answer"]
            frame = None
            if "reraise" in answer:
                # What the learner's own code raised in a request nested in this callback (their f, called by the
                # reference's numerical_gradient): the very exception, on its way out as it would be in-process.
                failure = self.server.nested_failures[answer["reraise"]]
            elif "raised" in answer:
                name, base, text, frame = answer["raised"]
                failure = _exception_class(name, base)()
                failure.message = text
            else:
                value = unpacker.value(answer["ok"])
                if "attrs" in answer:
                    self.fresh = (self.current, about, {name: unpacker.value(node) for name, node in answer["attrs"]})
                return value
        except (KeyError, TypeError, ValueError, LookupError, self.wire.WireError) as exc:
            self.die(f"a callback's answer could not be read: {type(exc).__name__}: {exc}")
        if frame is not None:
            # Raised from a frame named like the reference's innermost one (Affine.forward in layers.py): the grader
            # tells an error raised in a layer the net called from one raised in the net itself (plugin.failure_of).
            file_name, line, qualname = frame
            code = self.server.code_at("raise __exc", f"/<reference>/{str(file_name)[:100]}", int(line), str(qualname)[:200])
            exec(code, {"__exc": failure})
        raise failure


class _FromReference:
    """Mixin of the exceptions the reference raised in the grader: str() is the message they had there."""

    message = ""

    def __str__(self):
        return self.message


@lru_cache(maxsize=None)
def _exception_class(name, base):
    parent = getattr(builtins, base, None) if base else None
    if not (isinstance(parent, type) and issubclass(parent, Exception)):
        parent = Exception
    try:
        return type(name, (_FromReference, parent), {"__module__": "reference"})
    except TypeError:  # a builtin whose layout does not combine with the mixin's
        return type(name, (_FromReference, Exception), {"__module__": "reference"})

