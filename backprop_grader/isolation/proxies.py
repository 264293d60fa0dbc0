"""Stand-ins in the grader for the submission's names and objects, which live in a worker.

The tests use an implementation in a few ways only (the common brief): construct a class, call a function or a
method with arrays and numbers, read an attribute (dW, db, params, layers, lastLayer), and update
`net.params[key] -= step`. Each proxy forwards exactly those:
- impl.Relu, impl.softmax: a NameProxy; calling it constructs or calls in the worker;
- an object the worker keeps: an ObjectProxy; a method call or an attribute read is one request;
- a dict read as an attribute (net.params, net.layers): a MappingProxy; reading a key returns a copy of an array
  (or a proxy of a layer), and assigning a key writes into the array already there, which is what the in-place
  `-=` does in-process, so the layers holding that array see the update.
Everything else comes back as plain data. A proxy's class is named like the remote object's type, so a check
that reports "a Relu, expected a NumPy array" reads the same in both modes. A proxy is good for the check that
made it: the worker forgets its objects when the next check begins.
"""
from collections.abc import MutableMapping
from functools import lru_cache

from ..book import MODULE_OF
from .wire import WireError

_KINDS = ("object", "callable", "mapping")


class IsolatedImplementation:
    """What the `impl` fixture hands out in isolated mode: impl.Relu, impl.softmax, impl.two_layer_net_on(ref)."""

    def __init__(self, session):
        self._session = session
        self.directory = session.submission
        self.root = session.root

    @property
    def notes(self):
        """What the loader noted in the workers (intake.py: which file was graded, ...), each once."""
        found = []
        for channel in self._session.channels.values():
            for notes in channel.notes.values():
                found += [note for note in notes if note not in found]
        return found

    def __getattr__(self, name):
        if name.startswith("_") or name not in MODULE_OF:
            raise AttributeError(name)
        return self._session.channel("submission").resolve(name)

    def two_layer_net_on(self, layers_impl):
        """The submission's TwoLayerNet on layers_impl's layers, served by a worker of its own whose stand-ins for
        those layers call back to them here, in the grader (session.py, trusted.py): a net_layers of
        counting.CountingLayers counts their calls here too, where no submission code runs."""
        return self.on_reference("TwoLayerNet", layers_impl)

    def on_reference(self, name, layers_impl):
        """The submission's name (book.BUILT_ON: Convolution on the reference's im2col, ...) served by the net worker,
        as TwoLayerNet is."""
        channel = self._session.channel("net", layers_impl.directory)
        channel.trust(layers_impl)
        return channel.resolve(name)


class Pending:
    """What a call made in all_at_once returns, until its reply is read: its value then."""

    __slots__ = ("value",)


_batch = None  # while all_at_once runs: the (channel, Pending, arguments) of each call it sent


def all_at_once(calls):
    """[call() for call in calls], each call's request to a worker sent without waiting for its reply, the
    replies read together at the end: a numerical gradient's hundred forward passes in one round trip instead of
    a hundred. A call must return what the proxy's call returns, untouched (it is a Pending until the end). The
    worker runs them in order and answers each as it ends, so that each keeps its own time limit, and the first
    that raises is raised here, as it would have been waiting for each; in-process, calls simply run."""
    global _batch
    outer, _batch = _batch, []
    try:
        results = [call() for call in calls]
    finally:
        sent, _batch = _batch, outer
    for channel in dict.fromkeys(channel for channel, _, _ in sent):
        channel.finish_check()
    return [result.value if isinstance(result, Pending) else result for result in results]


def proxy_for(channel, name=None, handle=None, origin=None, is_class=False):
    """A NameProxy for a resolved name, or the proxy of a handle the worker sent (checked field by field)."""
    if name is not None:
        return NameProxy(channel, name, is_class)
    if type(handle) is not list or len(handle) != 4:
        raise WireError("bad handle")
    ident, type_name, kind, methods = handle
    if type(ident) is not int or type(type_name) is not str or kind not in _KINDS or type(methods) is not list:
        raise WireError("bad handle")
    if not all(type(m) is str and m.isidentifier() for m in methods) or len(methods) > 1000:
        raise WireError("bad handle")
    type_name = type_name if type_name.isidentifier() and len(type_name) <= 100 else "object"
    base = {"object": ObjectProxy, "callable": CallableProxy, "mapping": MappingProxy}[kind]
    proxy = _named(base, type_name)(channel, ident, type_name, kind, frozenset(methods), origin or type_name)
    if kind == "mapping":
        channel.caches[ident] = proxy._bpg_cache
    return proxy


@lru_cache(maxsize=None)
def _named(base, type_name):
    return type(type_name, (base,), {"__slots__": (), "__module__": "submission"})


class NameProxy:
    """A class or function of the submission, by name: calling it constructs or calls in the worker."""

    def __init__(self, channel, name, is_class):
        self._channel = channel
        self._name = name
        self._label = f"{name}.__init__" if is_class else name

    def __call__(self, *args, **kwargs):
        return self._channel.call_name(self._name, args, kwargs, self._label)

    def __repr__(self):
        return f"<{self._name} of the submission>"


class RemoteObject:
    """An object in a worker, by handle. Its own attributes are prefixed so as not to hide the remote object's."""

    __slots__ = ("_bpg_channel", "_bpg_generation", "_bpg_check", "_bpg_id", "_bpg_type", "_bpg_kind", "_bpg_methods",
                 "_bpg_origin", "_bpg_cache", "_bpg_fresh", "__weakref__")

    def __init__(self, channel, ident, type_name, kind, methods, origin):
        values = (channel, channel.generation, channel.session.check_number, ident, type_name, kind, methods, origin,
                  {}, (-1, {}))
        for slot, value in zip(RemoteObject.__slots__, values):
            object.__setattr__(self, slot, value)
        channel.proxies[ident] = self
        if _batch is not None:
            # Kept until the batch's replies are read: those replies still speak of the object (its attributes).
            _batch.append((channel, None, self))

    def _bpg_request(self, op, label, defer=False, **fields):
        channel = self._bpg_channel
        if self._bpg_generation != channel.generation or self._bpg_check != channel.session.check_number:
            raise RuntimeError(f"{self!r} belongs to an earlier check: the worker has forgotten it")
        if op == "call" and _batch is not None:
            slot = Pending()
            channel.request(op, {"handle": self._bpg_id, **fields}, label=label, defer=True, slot=slot)
            # The arguments stay alive until the reply is read: it may write back into them (a forward that
            # changes its input in place), which it can only do to arrays the grader still shares.
            _batch.append((channel, slot, fields))
            return slot
        return channel.request(op, {"handle": self._bpg_id, **fields}, label=label, defer=defer)

    def __del__(self):
        # The worker may drop the object once no proxy of it is left (numerical gradients make thousands).
        channel = self._bpg_channel
        if self._bpg_generation == channel.generation and self._bpg_check == channel.session.check_number:
            channel.released.append(self._bpg_id)

    def _bpg_take(self, attributes, epoch):
        """Attributes the worker sent along, true until the request after epoch: dicts (kept for the check, see
        MappingProxy) and the rest."""
        fresh = {}
        for name, value in attributes.items():
            if isinstance(value, MappingProxy):
                self._bpg_cache[name] = value
            else:
                fresh[name] = value
        object.__setattr__(self, "_bpg_fresh", (epoch, fresh))

    def _handle_in(self, channel):
        return self._bpg_id if channel is self._bpg_channel and self._bpg_generation == channel.generation else None

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot set {name} on {self!r}: the checks only read the submission's attributes")

    def __repr__(self):
        return f"<{self._bpg_type} object of the submission>"


class ObjectProxy(RemoteObject):
    __slots__ = ()

    def __getattr__(self, name):
        if name.startswith("__"):  # special names are looked up on the proxy, never forwarded
            raise AttributeError(name)
        if name in self._bpg_methods:
            return MethodProxy(self, name)
        if name in self._bpg_cache:
            return self._bpg_cache[name]
        channel = self._bpg_channel
        epoch, fresh = self._bpg_fresh
        if epoch == channel.epoch and name in fresh:
            return fresh[name]
        # Read once, an attribute is asked for with every later call on an object of this type (see _bpg_take).
        channel.wanted.setdefault(self._bpg_type, set()).add(name)
        value = self._bpg_request("get", f"{self._bpg_type}.{name}", attr=name)
        if isinstance(value, MappingProxy):
            # It reads the attribute afresh at each use (see the worker's AttributeDict), so it can be kept.
            self._bpg_cache[name] = value
        return value


class CallableProxy(ObjectProxy):
    __slots__ = ()

    def __call__(self, *args, **kwargs):
        return self._bpg_request("call", f"{self._bpg_type}.__call__", method=None, args=args, kwargs=kwargs,
                                 want=self._bpg_channel.wanted_of(self._bpg_type))


class MethodProxy:
    """obj.method, bound: one request when called."""

    def __init__(self, target, name):
        self._target = target
        self._name = name

    def __call__(self, *args, **kwargs):
        target = self._target
        want = target._bpg_channel.wanted_of(target._bpg_type)
        return target._bpg_request("call", f"{target._bpg_type}.{self._name}", method=self._name, args=args,
                                   kwargs=kwargs, want=want)


def _hashable(key):
    try:
        hash(key)
    except TypeError:
        return False
    return True


class MappingProxy(RemoteObject, MutableMapping):
    __slots__ = ()

    def __getitem__(self, key):
        # An entry read before is still the same object while the worker has not said otherwise (its `stale`).
        channel, cache = self._bpg_channel, self._bpg_cache
        if channel.only_updates and _hashable(key) and key in cache:
            return cache[key]
        value = self._bpg_request("getitem", f"{self._bpg_origin}[{key!r}]", key=key)
        if _hashable(key) and channel.keeps(value) and self._bpg_id not in channel.stale:
            cache[key] = value
        return value

    def __setitem__(self, key, value):
        cache = self._bpg_cache
        if self._bpg_channel.only_updates and _hashable(key) and cache.get(key) is value:
            # `net.params[key] -= step`: the very array the plain dict holds, changed in place (the change travels
            # with the next request), assigned back: a no-op for a dict, as it is in-process.
            return
        # Nothing to wait for: a failure (a dict subclass that refuses) fails the check at the next request.
        self._bpg_request("setitem", f"{self._bpg_origin}[{key!r}]", defer=True, key=key, value=value)
        if _hashable(key) and key in self._bpg_cache:
            if self._bpg_channel.keeps(value):
                self._bpg_cache[key] = value
            else:
                del self._bpg_cache[key]

    def __delitem__(self, key):
        raise TypeError(f"cannot delete {key!r} from {self._bpg_origin}: tests only read and update its entries")

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return self._bpg_request("len", f"len({self._bpg_origin})")

    def keys(self):
        return self._bpg_request("keys", f"{self._bpg_origin}.keys()")

    def items(self):
        return [tuple(pair) for pair in self._bpg_request("items", f"{self._bpg_origin}.items()")]

    def values(self):
        return [value for _, value in self.items()]
