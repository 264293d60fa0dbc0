"""What the grader and a worker keep the same on both sides, as if they were one process: the arrays that cross
between them, and numpy's global random generator.

In-process, an array a check passes to the submission is one object on both sides: if backward writes into dout,
the check's dout changes; if a layer keeps W and the check changes W in place, the layer sees it; if forward
returns the very array it was given, the check gets that object back. Each side here keeps the arrays that
cross under a token (wire.py), remembers their bytes at the last exchange, and after every request sends what
changed; the other side writes the new values into its own copy in place. Identity follows: an array sent again
travels as its token and arrives as the other side's same object.

An array stays shared only while both sides may still look at it: the worker drops one the submission did not
keep (no reference to it or to its memory is left but ours), the grader drops one the check no longer holds (its
weak reference died), and each tells the other. Both registries are emptied when a check begins.

The generator: code that draws from np.random (TwoLayerNet's weights) must see the numbers it would see running
in the grader, where the checks, Hypothesis and the submission all share numpy's one global generator. So each
request carries the grader's generator state when it changed since the worker last had it, and each reply
carries the worker's when the submission's code moved it; the grader adopts it (after checking it is one).

Stdlib and numpy only: the worker loads this file by path.
"""
import ctypes
import sys
import weakref

import numpy as np

# An array's bytes, read by ndarray's own method whatever the array's class: a subclass's tobytes never runs, and no
# view is made (which costs ten times the copy of a small array's bytes, on every shared array at every exchange).
_bytes = np.ndarray.tobytes
_refcount = sys.getrefcount


def write_into(array, new):
    """Copy new's values into array in place when they fit; False when they cannot (another shape, read-only)."""
    if not isinstance(new, np.ndarray) or array.shape != new.shape or not array.flags.writeable:
        return False
    try:
        array[...] = new
    except (TypeError, ValueError):
        return False
    return True


def _references(entry):
    """References to the array of a WorkerArrays entry and to the memory it views, beyond those counted as ours."""
    array = entry[0]
    base = array.base
    return _refcount(array), _refcount(base) if isinstance(base, np.ndarray) else 0


class WorkerArrays:
    """The worker's side: tokens of its own arrays are negative, the grader's positive."""

    def __init__(self):
        self.entries = {}  # token -> [array, bytes at the last exchange]
        self.ids = {}  # id(array) -> token
        self.next_token = -1
        # What an array received from the grader and kept by nobody else counts, measured on one such array.
        self._register(0, np.frombuffer(bytearray(8), dtype=np.float64).reshape((1,)))
        self.baseline = _references(self.entries[0])
        self.clear()

    def clear(self):
        self.entries.clear()
        self.ids.clear()

    def _register(self, token, array):
        self.entries[token] = [array, _bytes(array)]
        self.ids[id(array)] = token

    def received(self, token, array):
        self._register(token, array)

    def lookup(self, token):
        entry = self.entries.get(token)
        if entry is None:
            raise LookupError(f"no shared array {token}")
        return entry[0]

    def share(self, array):
        """(token, copy?) for an array in a reply: a reference if the grader has it, else a copy under a token."""
        token = self.ids.get(id(array))
        if token is not None and self.entries[token][0] is array:
            return token, False
        token = self.next_token
        self.next_token -= 1
        self._register(token, array)
        return token, True

    def apply(self, token, new):
        entry = self.entries.get(token)
        if entry is not None and write_into(entry[0], new):
            entry[1] = _bytes(entry[0])

    def forget(self, token):
        entry = self.entries.pop(token, None)
        if entry is not None:
            self.ids.pop(id(entry[0]), None)

    def mark(self):
        """A point to go back to with forget_since() (when a reply could not be sent after all)."""
        return self.next_token

    def forget_since(self, mark):
        for token in [t for t in self.entries if t <= mark]:  # mark is the first token shared after it
            self.forget(token)

    def settle(self, let_go=True):
        """After a request: (token, array) for each array that changed, and the tokens no longer kept here, let go
        of unless let_go is False (a request whose reply the grader reads only after sending others, which may
        name those arrays: a later settle() lets go of them)."""
        changed, dropped = [], []
        array_baseline, base_baseline = self.baseline
        for token, entry in list(self.entries.items()):
            # Counted as _references() counts (the entry, these two names and the call's argument), before this loop
            # holds any array: a reference more than the probe had is the submission's.
            array = entry[0]
            base = array.base
            if let_go and _refcount(array) <= array_baseline and (
                not isinstance(base, np.ndarray) or _refcount(base) <= base_baseline
            ):
                dropped.append(token)
            if (now := _bytes(array)) != entry[1]:
                entry[1] = now
                changed.append((token, array))
        for token in dropped:
            self.forget(token)
        return changed, dropped


class GraderArrays:
    """The grader's side: it holds the check's arrays weakly, and never keeps one alive for the worker's sake;
    except those the reference made in answer to a callback (trusted.py), which nothing here holds: kept (held)
    while the worker keeps them, as the learner's code may pass them back (a layer's output to the next layer)."""

    def __init__(self):
        self.entries = {}  # token -> [weak reference, bytes at the last exchange]
        self.ids = {}
        self.next_token = 1
        self.dead = []
        self.held = {}  # token -> an array kept alive until the worker lets go of it

    def clear(self):
        self.entries.clear()
        self.ids.clear()
        self.dead = []
        self.held.clear()

    def _register(self, token, array):
        self.entries[token] = [weakref.ref(array, lambda _, token=token: self.dead.append(token)), _bytes(array)]
        self.ids[id(array)] = token

    def received(self, token, array):
        self._register(token, array)

    def lookup(self, token):
        entry = self.entries.get(token)
        array = entry[0]() if entry is not None else None
        if array is None:
            raise LookupError(f"no shared array {token}")
        return array

    def share(self, array):
        token = self.ids.get(id(array))
        if token is not None and token in self.entries and self.entries[token][0]() is array:
            return token, False
        token = self.next_token
        self.next_token += 1
        self._register(token, array)
        return token, True

    def mark(self):
        """A point to go back to with forget_since() (when an answer could not be sent after all)."""
        return self.next_token

    def forget_since(self, mark):
        for token in [t for t in self.entries if t >= mark]:
            self.forget(token)

    def hold_since(self, mark):
        """Keep alive the arrays shared since mark, until the worker lets go of them (forget)."""
        for token in [t for t in self.entries if t >= mark]:
            array = self.entries[token][0]()
            if array is not None:
                self.held[token] = array

    def holds(self, array):
        """Whether array is shared now (the worker has it under a token)."""
        token = self.ids.get(id(array))
        return token is not None and token in self.entries and self.entries[token][0]() is array

    def apply(self, token, new):
        entry = self.entries.get(token)
        array = entry[0]() if entry is not None else None
        if array is not None and write_into(array, new):
            entry[1] = _bytes(array)

    def forget(self, token):
        entry = self.entries.pop(token, None)
        self.held.pop(token, None)
        if entry is not None:
            array = entry[0]()
            if array is not None and self.ids.get(id(array)) == token:
                del self.ids[id(array)]

    def outgoing(self):
        """Before a request: (token, array) for each shared array the check changed, and the tokens it let go."""
        dropped = [token for token in self.dead if token in self.entries]
        self.dead = []
        for token in dropped:
            self.forget(token)
        changed = []
        for token, entry in self.entries.items():
            array = entry[0]()
            if array is not None and (now := _bytes(array)) != entry[1]:
                entry[1] = now
                changed.append((token, array))
        return changed, dropped


class Generator:
    """numpy's global RandomState on this side: a cheap fingerprint of its state, and the state as plain data."""

    def __init__(self):
        self.rand = np.random.mtrand._rand
        self.read = (None, None)  # (the bit generator, a view of its state's memory) that fingerprint() reads

    def fingerprint(self):
        # The Mersenne Twister's key and position, read in place: get_state() costs ~60 us, ctypes.string_at ~2 us,
        # a copy through a view of that memory, made once per bit generator (held, so that its memory stays), 0.3 us.
        bit_generator, state = self.read
        if self.rand._bit_generator is not bit_generator:
            bit_generator = self.rand._bit_generator
            state = memoryview((ctypes.c_char * (624 * 4 + 4)).from_address(bit_generator.ctypes.state_address))
            self.read = (bit_generator, state)
        return state.tobytes()

    def state(self, packer):
        _, key, pos, has_gauss, gauss = self.rand.get_state()
        return [{"a": packer.array(key)}, pos, has_gauss, gauss]

    def set(self, unpacker, node):
        """Set the state node describes; ValueError if it does not describe one."""
        if type(node) is not list or len(node) != 4:
            raise ValueError("bad generator state")
        key, pos, has_gauss, gauss = unpacker.value(node[0]), node[1], node[2], node[3]
        if not (isinstance(key, np.ndarray) and key.dtype == np.uint32 and key.shape == (624,)):
            raise ValueError("bad generator state")
        if type(pos) is not int or type(has_gauss) is not int or type(gauss) not in (int, float):
            raise ValueError("bad generator state")
        try:
            self.rand.set_state(("MT19937", key, pos, has_gauss, gauss))
        except TypeError:
            raise ValueError("bad generator state") from None
