"""The only things that cross between the grader and a worker: frames of plain data.

A frame is an 8-byte little-endian length, then a 4-byte header length, a JSON header (the message, and the
lengths of the arrays' bytes under "#"), then those bytes. A value is None, a bool, int, float, complex or str,
a list, tuple or dict of values, a numpy array or scalar of bool, integer, float or complex dtype, or a handle:
the name of an object that stays in the worker (a layer, a net's `layers` dict) and that the grader reaches
only through a proxy.

An array may also carry a token, which makes it shared: each side keeps its own copy under the token, sends
the other side what changed in it after every request (`sync`), and sends a reference ("r") instead of a copy
when that array is passed again. That keeps what in-process code relies on: a backward that writes into the
dout it was given writes into the check's dout, a layer that kept W sees the check change it in place, and an
array passed back and forth stays one object. Which arrays are shared is each side's business (shared.py).

Both sides run this module: the worker to encode what the submission returned, the grader to decode it. The grader
trusts nothing it decodes: every node is checked for its exact form, an array's dtype must be one of ALLOWED_DTYPES
and its bytes must fill its shape, and what comes out is built by the decoder from JSON and bytes, so the grader
never holds an object the submission made (no pickle, no subclass, no __eq__ or __array_ufunc__ of its own).

Arrays travel as raw bytes with their dtype and shape rather than as .npy files: np.load parses a header per
array (~30 us), and a grade makes thousands of calls. Nothing here imports the rest of the grader, so the worker
loads it by file path without the grader's package on its path.
"""
import json
import struct

import numpy as np

# How much a read of a pipe asks for, unless a frame still misses more: os.read(fd, n) allocates n bytes first, and
# a megabyte is mapped and unmapped each time (~10 us on each side of every round trip, a fifth of a small call's).
READ_SIZE = 1 << 16
MAX_FRAME = 64 * 2**20  # a result larger than this is refused: the grader must never be made to hold much
# The JSON part carries no array data: a large one could only be a flood of small Python objects to build.
MAX_HEADER = 2**20
MAX_DEPTH = 32
# Elements of the arrays stood in for by Nones (object arrays...), in all in one frame: 8 bytes each for the
# grader to fill. Placeholders cost no bytes on the wire, so without this bound a 1 MB header of 35,000 of them
# would ask the grader for 280 GB.
MAX_PLACEHOLDER = 2**20
MAX_PLACEHOLDERS = 4096  # placeholder nodes in one frame
PLACEHOLDERS_TOO_LARGE = "placeholders too large"  # what Unsendable says when the bounds above are passed
CALL_TOO_LARGE = "call too large"  # a reply's unsendable: arguments for the reference that could not travel

_LENGTH = struct.Struct("<Q")
_HEADER = struct.Struct("<I")
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)
# JSONEncoder.encode makes a C encoder afresh for each message (~2 us, a fifth of encoding a small one): this one is
# made once, with the same settings.
_C_ENCODER = json.encoder.c_make_encoder and json.encoder.c_make_encoder(
    None, _ENCODER.default, json.encoder.encode_basestring_ascii, _ENCODER.indent, _ENCODER.key_separator,
    _ENCODER.item_separator, _ENCODER.sort_keys, _ENCODER.skipkeys, _ENCODER.allow_nan,
)
_ENCODE = (lambda message: "".join(_C_ENCODER(message, 0))) if _C_ENCODER else _ENCODER.encode
_SCAN = json.scanner.make_scanner(json.JSONDecoder())
_SPACE = json.decoder.WHITESPACE.match


def _decode(text):
    """JSONDecoder().decode(text), without its ~3 us of Python around the scanner (whitespace is matched only
    where there is some)."""
    try:
        value, end = _SCAN(text, _SPACE(text, 0).end() if text[:1] in " \t\n\r" else 0)
    except StopIteration:
        raise ValueError("expecting a value") from None
    if end != len(text) and _SPACE(text, end).end() != len(text):
        raise ValueError("extra data")
    return value


def _dtype_strings():
    kinds = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
    kinds += [np.float16, np.float32, np.float64, np.longdouble, np.complex64, np.complex128, np.clongdouble]
    found = set()
    for kind in kinds:
        dtype = np.dtype(kind)
        found |= {dtype.str, dtype.newbyteorder("<").str, dtype.newbyteorder(">").str}
    return frozenset(found)


ALLOWED_DTYPES = _dtype_strings()
_DTYPES = {name: np.dtype(name) for name in ALLOWED_DTYPES}  # made once: np.dtype(name) parses name each time


class WireError(Exception):
    """A frame or value that is not what the protocol allows."""


class Unsendable(Exception):
    """A value the worker cannot express as plain data (raised only on the encoding side)."""


class TooLarge(WireError):
    """A frame that would make the decoder build more than a frame's worth: more placeholder elements than
    MAX_PLACEHOLDER, more than MAX_PLACEHOLDERS of them, or the same array bytes decoded twice."""


class Packer:
    """Encodes values into one frame. to_handle(obj) names an object that cannot travel (None: refuse it)."""

    def __init__(self, to_handle=None, share=None):
        self.to_handle = to_handle
        self.share = share  # share(array) -> (token, copy?): the array's token, 0 for none, and whether to copy it
        self.blobs = []
        self.size = 0
        self.placeholders = [0, 0]  # placeholder nodes, and their elements, in this frame

    def value(self, v, depth=0):
        if depth > MAX_DEPTH:
            raise Unsendable("nested too deeply")
        kind = type(v)
        if v is None or kind is bool or kind is str:
            return v
        if kind is int:
            # Python's JSON reader refuses integers of more than 4300 digits: keep well inside that.
            if v.bit_length() > 4096:
                raise Unsendable("an integer too large to send")
            return v
        if kind is float:
            return v
        if kind is complex:
            return {"c": [v.real, v.imag]}
        if kind is list:
            return [self.value(x, depth + 1) for x in v]
        if kind is tuple:
            return {"t": [self.value(x, depth + 1) for x in v]}
        if kind is dict:
            return {"d": [[self.value(k, depth + 1), self.value(x, depth + 1)] for k, x in v.items()]}
        # Classes are told by type(v), not isinstance(v, ...), which asks v for its __class__: in a worker, that
        # could run the submission's code (a __getattribute__ of its own) while the worker's own code runs.
        if issubclass(kind, np.generic):
            plain = np.asarray(v)  # a plain 0-d array, read without the subclass's dtype or __array__
            if plain.dtype.str in ALLOWED_DTYPES:
                return {"s": self.array(plain)}
        if issubclass(kind, np.ndarray):
            # A subclass is reduced to the plain array it views: whatever it overrides (view too) stays here.
            plain = v if kind is np.ndarray else np.ndarray.view(v, np.ndarray)
            if plain.dtype.str not in ALLOWED_DTYPES:
                self.placeholders[0] += 1
                self.placeholders[1] += plain.size
                if self.placeholders[0] > MAX_PLACEHOLDERS or self.placeholders[1] > MAX_PLACEHOLDER:
                    raise Unsendable(PLACEHOLDERS_TOO_LARGE)
                return {"x": [str(plain.dtype), list(plain.shape)]}
            token, copy = self.share(v) if self.share is not None else (0, True)
            return {"a": self.array(plain, token)} if copy else {"r": token}
        # Subclasses of the plain types (an OrderedDict, a namedtuple, a float that overrides __eq__) travel as
        # their base type, read through the base type's own methods so no override runs.
        if issubclass(kind, dict):
            return {"d": [[self.value(k, depth + 1), self.value(x, depth + 1)] for k, x in dict.items(v)]}
        if issubclass(kind, list):
            return [self.value(x, depth + 1) for x in list.__iter__(v)]
        if issubclass(kind, tuple):
            return {"t": [self.value(x, depth + 1) for x in tuple.__iter__(v)]}
        if issubclass(kind, str):
            return str.__str__(v)
        if issubclass(kind, float):
            return float.__float__(v)
        if issubclass(kind, int) and not issubclass(kind, bool):
            return self.value(int.__int__(v), depth)
        if self.to_handle is None:
            raise Unsendable(f"a {kind.__name__} cannot be sent")
        return {"h": self.to_handle(v)}

    def array(self, array, token=0):
        """The node of a plain ndarray (its bytes go into the frame), shared under token unless it is 0."""
        data = array.tobytes()
        self.size += len(data)
        if self.size > MAX_FRAME:
            raise Unsendable("too large")
        self.blobs.append(data)
        return [array.dtype.str, list(array.shape), len(self.blobs) - 1, token]

    def frame(self, message):
        """The bytes of one frame carrying message (a dict of JSON values and encoded values)."""
        message["#"] = [len(b) for b in self.blobs]
        header = _ENCODE(message).encode()
        body_size = _HEADER.size + len(header) + self.size
        if body_size > MAX_FRAME or len(header) > MAX_HEADER:
            raise Unsendable("too large")
        return b"".join([_LENGTH.pack(body_size), _HEADER.pack(len(header)), header, *self.blobs])


def missing(buffer):
    """How many bytes the frame begun in buffer still misses (0 if no frame is begun)."""
    return 8 + frame_length(buffer[:8]) - len(buffer) if len(buffer) >= 8 else 0


def frame_length(prefix):
    """The body length announced by a frame's first 8 bytes; more than MAX_FRAME is a protocol violation."""
    (length,) = _LENGTH.unpack(prefix)
    if length > MAX_FRAME or length < _HEADER.size:
        raise WireError(f"frame of {length} bytes")
    return length


def pairs(entries, key_type=int):
    """entries, a message's list of [key, value] pairs, once each key is a key_type; else a WireError."""
    if type(entries) is not list or not all(type(e) is list and len(e) == 2 and type(e[0]) is key_type for e in entries):
        raise WireError("bad pairs")
    return entries


def integers(values):
    """values, a message's list of numbers (tokens, handles), once each is an int; else a WireError."""
    if type(values) is not list or not all(type(v) is int for v in values):
        raise WireError("bad numbers")
    return values


class Unpacker:
    """Reads one frame body; value() decodes encoded values, from_handle(fields) makes a handle's proxy, and
    shared (if given) keeps arrays that arrive with a token and finds those referred to by one.

    What a frame can make the decoder build is bounded by the frame itself: each array's bytes are decoded at
    most once (so arrays come to at most MAX_FRAME bytes), placeholders to MAX_PLACEHOLDER elements in all
    (8 MB) and MAX_PLACEHOLDERS nodes, and the rest to what a MAX_HEADER of JSON holds; past that, TooLarge."""

    def __init__(self, body, from_handle=None, shared=None):
        self.from_handle = from_handle
        self.shared = shared
        try:
            (size,) = _HEADER.unpack_from(body, 0)
            if size > MAX_HEADER:
                raise ValueError(f"a header of {size} bytes")
            self.message = _decode(bytes(body[_HEADER.size : _HEADER.size + size]).decode())
            if type(self.message) is not dict:
                raise ValueError("a header that is no JSON object")
            lengths = self.message.pop("#")
        except (ValueError, RecursionError, struct.error, UnicodeDecodeError, AttributeError, KeyError) as exc:
            raise WireError(f"unreadable frame: {exc}") from None
        if type(lengths) is not list:
            raise WireError("frame without array lengths")
        self.blobs = []
        offset = _HEADER.size + size
        for n in lengths:
            if type(n) is not int or n < 0 or offset + n > len(body):
                raise WireError("array bytes missing")
            self.blobs.append(memoryview(body)[offset : offset + n])
            offset += n
        if offset != len(body):
            raise WireError("trailing bytes")
        self.decoded = set()  # indexes of the blobs decoded so far
        self.placeholders = [0, 0]

    def value(self, node, depth=0):
        if depth > MAX_DEPTH:
            raise WireError("nested too deeply")
        kind = type(node)
        if node is None or kind in (bool, int, float, str):
            return node
        if kind is list:
            return [self.value(x, depth + 1) for x in node]
        if kind is not dict or len(node) != 1:
            raise WireError(f"unknown node {node!r:.80}")
        ((tag, body),) = node.items()
        # The tags in the order of how often they come (each test names its own tag).
        if tag == "a":
            array, token = self.array(body)
            if token and self.shared is not None:
                self.shared.received(token, array)
            return array
        if tag == "r" and type(body) is int and self.shared is not None:
            return self.shared.lookup(body)
        if tag == "t" and type(body) is list:
            return tuple([self.value(x, depth + 1) for x in body])
        if tag == "d" and type(body) is list:
            return self._dict(body, depth)
        if tag == "c" and type(body) is list and len(body) == 2 and all(type(x) in (int, float) for x in body):
            return complex(*body)
        if tag == "s":
            array = self.array(body)[0]
            if array.ndim:
                raise WireError("bad scalar")
            return array[()]
        if tag == "x":
            return self._placeholder(body)
        if tag == "h" and self.from_handle is not None:
            return self.from_handle(body)
        raise WireError(f"unknown node {tag!r:.20}")

    def _dict(self, pairs, depth):
        out = {}
        for pair in pairs:
            if type(pair) is not list or len(pair) != 2:
                raise WireError("bad dict entry")
            key = self.value(pair[0], depth + 1)
            try:
                out[key] = self.value(pair[1], depth + 1)
            except TypeError:
                raise WireError("unhashable dict key") from None
        return out

    def array(self, body):
        """(array, token) from an array node."""
        if type(body) is not list or len(body) != 4:
            raise WireError("bad array")
        dtype, shape, index, token = body
        dtype = _DTYPES.get(dtype) if type(dtype) is str else None
        if dtype is None or type(index) is not int or not 0 <= index < len(self.blobs):
            raise WireError("bad array")
        if type(token) is not int:
            raise WireError("bad array token")
        if index in self.decoded:  # the packer writes each array's bytes once: one blob named again and again
            raise TooLarge("array bytes decoded twice")  # would be a frame's worth of copies each time
        self.decoded.add(index)
        shape = _shape(shape)
        data = self.blobs[index]
        if len(data) != dtype.itemsize * _count(shape):
            raise WireError("array bytes do not fill its shape")
        # bytearray: the array owns a writable copy, as an array a function returned in-process would be.
        return np.frombuffer(bytearray(data), dtype=dtype).reshape(shape), token

    def _placeholder(self, body):
        """An array of a dtype that cannot travel (object, structured, ...): an object array of Nones of its shape,
        so a check reports its dtype as object rather than failing in the grader."""
        if type(body) is not list or len(body) != 2 or type(body[0]) is not str:
            raise WireError("bad placeholder")
        shape = _shape(body[1])
        self.placeholders[0] += 1
        self.placeholders[1] += _count(shape)
        if self.placeholders[0] > MAX_PLACEHOLDERS or self.placeholders[1] > MAX_PLACEHOLDER:
            raise TooLarge(PLACEHOLDERS_TOO_LARGE)
        return np.full(shape, None, dtype=object)


def _shape(shape):
    if type(shape) is not list or len(shape) > 32:
        raise WireError("bad shape")
    for n in shape:
        if type(n) is not int or n < 0:
            raise WireError("bad shape")
    return tuple(shape)


def _count(shape):
    count = 1
    for n in shape:
        count *= n
    return count
