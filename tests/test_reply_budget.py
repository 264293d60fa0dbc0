"""What a worker's reply can make the grader build, and whose time that is: a reply is bounded by its frame
(each array's bytes decoded once, placeholders for arrays that cannot travel to 8 MB in all), refused as the
submission's doing past that; and the grader's own time decoding a reply is never charged to the submission."""
import json
import struct
import subprocess
import sys
import time

import numpy as np
import pytest
from submissions import PROJECT_ROOT, reference_with

from backprop_grader.isolation import replies, wire
from backprop_grader.isolation.errors import WorkerFailure
from backprop_grader.isolation.proxies import IsolatedImplementation
from backprop_grader.isolation.session import Limits, Session
from backprop_grader.shipped import REFERENCE_DIR


def _body(message, blobs=()):
    """The body of a frame written by hand, as a submission writing into the grader's pipe could."""
    message = {**message, "#": [len(b) for b in blobs]}
    header = json.dumps(message, separators=(",", ":")).encode()
    return struct.pack("<I", len(header)) + header + b"".join(blobs)


def test_the_packer_refuses_many_references_to_one_object_array():
    """The issue's reply: 35,000 references to one object array of a million elements."""
    one = np.empty(2**20, dtype=object)
    with pytest.raises(wire.Unsendable, match=wire.PLACEHOLDERS_TOO_LARGE):
        wire.Packer().value([one] * 35_000)
    with pytest.raises(wire.Unsendable, match=wire.PLACEHOLDERS_TOO_LARGE):
        wire.Packer().value([np.empty(0, dtype=object)] * (wire.MAX_PLACEHOLDERS + 1))
    # Within the bounds, placeholders still travel: a check says "dtype object" rather than failing.
    packer = wire.Packer()
    frame = packer.frame({"ok": packer.value([np.empty((2, 3), dtype=object)] * 3)})
    value = wire.Unpacker(frame[8:]).value(wire.Unpacker(frame[8:]).message["ok"])
    assert [(v.dtype, v.shape) for v in value] == [(np.dtype(object), (2, 3))] * 3


# Decodes the frame body on stdin in a process of its own, its memory capped (a decoder without bounds would
# otherwise take the machine's: 280 GB asked for), and prints what came of it, the time and the peak memory.
DECODE = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
from backprop_grader.isolation import wire
body = sys.stdin.buffer.read()
start = time.monotonic()
try:
    unpacker = wire.Unpacker(body)
    unpacker.value(unpacker.message["ok"])
    outcome = "decoded"
except wire.TooLarge:
    outcome = "TooLarge"
except MemoryError:
    outcome = "MemoryError"
print(outcome, time.monotonic() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _decode_apart(body):
    done = subprocess.run([sys.executable, "-c", DECODE], input=body, capture_output=True, cwd=PROJECT_ROOT,
                          timeout=120)
    outcome, seconds, peak_kb = done.stdout.decode().split()
    return outcome, float(seconds), int(peak_kb)


def test_the_decoder_refuses_a_forged_flood_of_placeholders_without_building_it():
    nodes = [{"x": ["object", [2**20]]}] * 35_000
    body = _body({"ok": nodes})
    assert len(body) < wire.MAX_HEADER + 4  # a frame the pipe carries
    outcome, seconds, peak_kb = _decode_apart(body)
    assert outcome == "TooLarge" and seconds < 1.0
    # Python, numpy and 8 MB of placeholders, where the flood asked for 280 GB: the bound is an order of magnitude,
    # since the peak of the same decode has been seen to double on a busy machine (ru_maxrss counts what the
    # allocator keeps, not only what is built).
    assert peak_kb < 512 * 1024, "the decoder built more than it may"
    assert _decode_apart(_body({"ok": [{"x": ["object", [0]]}] * (wire.MAX_PLACEHOLDERS + 1)}))[0] == "TooLarge"


def test_the_decoder_reads_each_arrays_bytes_once():
    """One blob of 8 MB named by 10,000 array nodes would be 80 GB of copies."""
    blob = bytes(8 * 2**20)
    assert _decode_apart(_body({"ok": [{"a": ["<f8", [2**20], 0, 0]}] * 10_000}, [blob]))[0] == "TooLarge"
    scalar = _body({"ok": {"s": ["<f8", [2**20], 0, 0]}}, [blob])  # a "scalar" that is a whole array
    unpacker = wire.Unpacker(scalar)
    with pytest.raises(wire.WireError):
        unpacker.value(unpacker.message["ok"])


def test_a_reply_of_too_many_placeholders_fails_the_call_with_its_own_message(tmp_path):
    # Two references to a million-element object array: one more element than the bound (16 MB, were it built).
    code = "def softmax(x):\n    return [np.empty(2**20, dtype=object)] * 2\n"
    submission = reference_with(tmp_path / "submission", code)
    session = Session(submission)
    try:
        session.begin_check()
        with pytest.raises(WorkerFailure) as caught:
            IsolatedImplementation(session).softmax(np.zeros(3))
        assert caught.value.key == "unsendable_placeholders"
        assert caught.value.params["limit"] == wire.MAX_PLACEHOLDER
        # The worker lives on, and serves the next call.
        assert IsolatedImplementation(session).Relu().forward(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]
    finally:
        session.close()


def test_the_graders_own_time_on_a_reply_is_not_charged(tmp_path, monkeypatch):
    """Replies that take the grader 0.6 s each to take in (simulated) cost neither the call's 0.5 s limit, nor
    the check's or the grade's budget: what is charged is the worker's own time, well under the 0.6 s of even one
    reply (the margin is for a loaded machine, where the worker's time grows too)."""
    slow_read = replies.read
    read_count = []

    def read(channel, body, label, last=True):
        read_count.append(label)
        time.sleep(0.6)
        return slow_read(channel, body, label, last)

    session = Session(REFERENCE_DIR, limits=Limits(call_seconds=0.5, check_seconds=5.0, grade_seconds=5.0))
    try:
        session.begin_check()
        IsolatedImplementation(session).Relu()  # the worker's boot is charged to the grade alone: counted apart
        check_before, grade_before = session.check_spent, session.grade_spent
        monkeypatch.setattr(replies, "read", read)
        for _ in range(2):
            assert IsolatedImplementation(session).Relu().forward(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]
        assert len(read_count) >= 2
        charged = (session.check_spent - check_before, session.grade_spent - grade_before)
        assert max(charged) < 0.6, charged
    finally:
        session.close()
