"""The isolation layer's own promises, each checked directly on a small submission: what crosses the process
boundary is plain data and behaves as in-process objects would, the worker is locked down, and limits hold.
(tests/test_redteam.py grades whole hostile submissions; test_catalogue.py compares both modes on every entry.)"""
import collections
import json
import os
import platform
import shutil
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from submissions import processes_naming

from backprop_grader.isolation import sandbox, wire
from backprop_grader.isolation.errors import WorkerFailure
from backprop_grader.isolation.proxies import IsolatedImplementation
from backprop_grader.isolation.session import Limits, Session
from backprop_grader.loader import load
from backprop_grader.qualnames import qualname
from backprop_grader.results import SubmissionError
from backprop_grader.shipped import REFERENCE_DIR


def _submission(tmp_path, layers_code="", files=None):
    """The reference with layers_code appended to layers.py, and other files as given."""
    target = tmp_path / "submission"
    shutil.copytree(REFERENCE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    layers = target / "layers.py"
    layers.write_text(layers.read_text() + "\n\n" + textwrap.dedent(layers_code))
    for name, text in (files or {}).items():
        (target / name).write_text(textwrap.dedent(text))
    return target


@pytest.fixture
def isolated(tmp_path):
    """isolated(layers_code, limits=...) -> an IsolatedImplementation of such a submission, in a fresh check."""
    sessions = []

    def make(layers_code="", limits=Limits(), files=None):
        session = Session(_submission(tmp_path, layers_code, files), limits)
        sessions.append(session)
        session.begin_check()
        return IsolatedImplementation(session)

    yield make
    for session in sessions:
        session.close()


# --- the wire ------------------------------------------------------------------------------------------------


def _round_trip(value):
    packer = wire.Packer()
    frame = packer.frame({"v": packer.value(value)})
    unpacker = wire.Unpacker(frame[8:])
    return unpacker.value(unpacker.message["v"])


@pytest.mark.parametrize(
    "value",
    [None, True, 3, -2**80, 1.5, float("inf"), 2 + 3j, "é", [1, (2, 3)], {"a": [1.0], 4: None, (1, 2): "t"},
     np.arange(6.0).reshape(2, 3), np.array([1, 2], dtype=np.int32), np.array(True), np.float32(1.5), np.int64(7),
     np.zeros((0, 3)), np.array([1 + 2j], dtype=np.complex64)],
    ids=repr,
)
def test_plain_data_crosses_unchanged(value):
    back = _round_trip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
        assert back.flags.writeable
    else:
        assert back == value


def test_subclasses_arrive_as_their_plain_base():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return True

    class Half(float):
        def __float__(self):
            return 0.5

    Point = collections.namedtuple("Point", "x y")
    sent = [np.zeros(2).view(Liar), collections.OrderedDict(a=1), Point(1, 2), Half(3.0)]
    back = _round_trip(sent)
    assert [type(v) for v in back] == [np.ndarray, dict, tuple, float]
    assert back[3] == 3.0


def test_arrays_of_other_dtypes_arrive_as_object_placeholders():
    back = _round_trip(np.array([object(), None]))
    assert back.dtype == object and back.shape == (2,) and all(v is None for v in back)


def _frame(header, blobs=b""):
    head = json.dumps(header).encode()
    body = wire._HEADER.pack(len(head)) + head + blobs
    return wire._LENGTH.pack(len(body)) + body


@pytest.mark.parametrize(
    "frame",
    [
        _frame({"v": {"a": ["|O", [1], 0, 0]}, "#": [8]}, b"\0" * 8),  # pickled objects are not an array dtype here
        _frame({"v": {"a": ["<f8", [2], 0, 0]}, "#": [8]}, b"\0" * 8),  # bytes that do not fill the shape
        _frame({"v": {"a": ["<f8", [-1], 0, 0]}, "#": [8]}, b"\0" * 8),
        _frame({"v": {"a": ["<f8", [1], 3, 0]}, "#": [8]}, b"\0" * 8),  # a blob that is not there
        _frame({"v": {"zz": 1}, "#": []}),
        _frame({"v": {"c": ["1", 2]}, "#": []}),
        _frame({"v": 1, "#": [4]}, b"\0" * 8),  # trailing bytes
        wire._LENGTH.pack(2**40) + b"x",  # a length beyond any frame
        _frame({"v": 1}),  # no array lengths
        wire._LENGTH.pack(8) + wire._HEADER.pack(4) + b"{{{{",
    ],
)
def test_what_is_not_plain_data_is_refused(frame):
    with pytest.raises(wire.WireError):
        wire.frame_length(frame[:8])
        unpacker = wire.Unpacker(frame[8:])
        unpacker.value(unpacker.message["v"])


# --- the sandbox -----------------------------------------------------------------------------------------------

PROBE = r"""
import errno, json, os, resource, sys, threading, importlib.util
spec = importlib.util.spec_from_file_location("sandbox", sys.argv[1])
sandbox = importlib.util.module_from_spec(spec); spec.loader.exec_module(sandbox)
filtered = sandbox.lock_down(os.getppid(), 256, 20)
outcome = {"filtered": filtered}
def attempt(name, action):
    try:
        action()
        outcome[name] = "ok"
    except OSError as exc:
        outcome[name] = errno.errorcode.get(exc.errno, str(exc.errno))
    except ValueError:  # how Python reports EPERM from setrlimit
        outcome[name] = "EPERM"
def fork():
    if os.fork() == 0:
        os._exit(0)
attempt("fork", fork)
attempt("exec", lambda: os.execv("/bin/true", ["true"]))
attempt("signal_grader", lambda: os.kill(os.getppid(), 0))
attempt("signal_everyone", lambda: os.kill(-1, 0))
attempt("signal_self", lambda: os.kill(os.getpid(), 0))
attempt("write_file", lambda: open(sys.argv[2], "w"))
attempt("make_dir", lambda: os.mkdir(sys.argv[2] + ".d"))
attempt("read_file", lambda: open(sys.argv[1]).read())
attempt("raise_limit", lambda: resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2))
attempt("read_limit", lambda: resource.getrlimit(resource.RLIMIT_AS))
thread = threading.Thread(target=lambda: None)
attempt("thread", lambda: (thread.start(), thread.join()))
try:
    bytearray(512 * 2**20)
    outcome["memory"] = "ok"
except MemoryError:
    outcome["memory"] = "MemoryError"
print(json.dumps(outcome))
"""


@pytest.mark.skipif(platform.system() != "Linux" or platform.machine().lower() not in ("x86_64", "aarch64"),
                    reason="the seccomp filter covers Linux on x86_64 and aarch64")
def test_a_locked_down_worker_cannot_reach_outside_itself(tmp_path):
    """No processes, programs, signals to others, raised limits or file writes; reading and threads still work."""
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", PROBE, sandbox.__file__, str(tmp_path / "forged.json")],
        capture_output=True, text=True, timeout=60,
    )
    outcome = json.loads(done.stdout)
    assert outcome == {
        "filtered": True, "fork": "EAGAIN", "exec": "EPERM", "signal_grader": "EPERM", "signal_everyone": "EPERM",
        "signal_self": "ok", "write_file": "EROFS", "make_dir": "EROFS", "read_file": "ok", "raise_limit": "EPERM",
        "read_limit": "ok", "thread": "ok", "memory": "MemoryError",
    }
    assert not (tmp_path / "forged.json").exists()


# --- objects and arrays as in-process ------------------------------------------------------------------------


def test_a_backward_that_writes_into_dout_writes_into_the_checks_dout(isolated):
    impl = isolated("""
        class Relu(Relu):
            def backward(self, dout):
                dout[self.mask] = 0
                return dout
    """)
    layer = impl.Relu()
    layer.forward(np.array([-1.0, 2.0]))
    dout = np.array([5.0, 6.0])
    returned = layer.backward(dout)
    assert dout.tolist() == [0.0, 6.0]
    assert returned is dout


def test_an_array_the_submission_kept_sees_the_checks_later_changes(isolated):
    impl = isolated()
    W, b = np.ones((2, 2)), np.zeros(2)
    layer = impl.Affine(W, b)
    W[...] = 2.0
    assert layer.forward(np.ones((1, 2))).tolist() == [[4.0, 4.0]]
    layer.backward(np.ones((1, 2)))
    assert layer.dW is layer.dW, "an attribute read twice is one object, as in-process"


def test_a_reply_too_large_to_send_shares_none_of_its_arrays(isolated):
    """The arrays a reply too large to send had begun to share are let go of with it, every one: when the worker kept
    the first of them, it later sent that array as a reference the grader never had, which lost the worker."""
    impl = isolated("""
        KEPT = np.ones(2)

        class Relu(Relu):
            def forward(self, x):
                return (KEPT, np.zeros(wire_limit // 8 + 1)) if x.size == 1 else KEPT
    """.replace("wire_limit", str(wire.MAX_FRAME)))
    layer = impl.Relu()
    with pytest.raises(WorkerFailure) as caught:
        layer.forward(np.ones(1))
    assert caught.value.key == "unsendable"
    assert layer.forward(np.ones(2)).tolist() == [1.0, 1.0]


def test_net_params_update_reaches_the_layers_holding_them(isolated):
    impl = isolated()
    net = impl.two_layer_net_on(load(REFERENCE_DIR))(2, 3, 2, weight_init_std=1.0)
    x, t = np.array([[1.0, -2.0]]), np.array([1])
    before = net.loss(x, t)
    net.params["W2"] -= np.array([[1.0, -1.0]] * 3)
    assert net.layers["Affine2"].W.tolist() == net.params["W2"].tolist()
    assert net.loss(x, t) != before
    assert list(net.params) == ["W1", "b1", "W2", "b2"] and list(net.layers) == ["Affine1", "Relu1", "Affine2"]


def test_numpy_global_generator_is_the_same_on_both_sides(isolated):
    """A net built in the worker draws the weights it would draw in-process, and the stream continues here."""
    impl = isolated()
    ref = load(REFERENCE_DIR)
    np.random.seed(5)
    in_process = ref.TwoLayerNet(3, 4, 2).params["W1"]
    after_in_process = np.random.rand()
    np.random.seed(5)
    remote = impl.two_layer_net_on(ref)(3, 4, 2).params["W1"]
    assert np.array_equal(remote, in_process)
    assert np.random.rand() == after_in_process


def test_an_exception_keeps_its_kind_message_and_place(isolated):
    impl = isolated("""
        class Sigmoid(Sigmoid):
            def forward(self, x):
                raise NotImplementedError("Sigmoid.forward is not implemented yet")
    """)
    with pytest.raises(NotImplementedError, match="not implemented yet") as caught:
        impl.Sigmoid().forward(np.ones(2))
    innermost = caught.traceback[-1]
    assert os.path.basename(str(innermost.path)) == "layers.py"
    assert qualname(innermost.frame.code.raw) == "Sigmoid.forward"
    assert type(caught.value).__name__ == "NotImplementedError" and type(caught.value) is not NotImplementedError


def test_a_missing_name_fails_as_in_process(isolated):
    impl = isolated(files={"two_layer_net.py": "x = 1\n"})
    with pytest.raises(SubmissionError) as caught:
        _ = impl.TwoLayerNet
    assert caught.value.key == "missing_name"


def test_the_worker_sees_only_numpy_and_the_submission(isolated):
    impl = isolated("""
        import importlib, os
        def softmax(x):
            found = []
            for name in ("reference", "backprop_grader", "pytest", "hypothesis", "tests", "conftest"):
                try:
                    importlib.import_module(name)
                    found.append(name)
                except ImportError:
                    pass
            return [found, sorted(os.environ), os.getcwd()]
    """)
    os.environ["BACKPROP_SECRET"] = "token"
    try:
        found, environment, cwd = impl.softmax(np.zeros(1))
    finally:
        del os.environ["BACKPROP_SECRET"]
    assert found == []
    assert "BACKPROP_SECRET" not in environment
    assert not os.listdir(cwd)


def test_importing_the_reference_says_so(isolated):
    impl = isolated("""
        class Relu(Relu):
            def forward(self, x):
                from reference.layers import Relu as Theirs
                return Theirs().forward(x)
    """)
    with pytest.raises(SubmissionError) as caught:
        impl.Relu().forward(np.ones(2))
    assert caught.value.key == "call_import_forbidden" and caught.value.params["module"] == "reference"


# --- limits --------------------------------------------------------------------------------------------------

SHORT = Limits(call_seconds=0.5, check_seconds=2.0, grade_seconds=4.0)


def test_a_hang_fails_the_call_and_the_next_check_gets_a_fresh_worker(isolated):
    impl = isolated("""
        import signal
        class Relu(Relu):
            def forward(self, x):
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                while x.sum() > 0:
                    pass
                return super().forward(x)
    """, SHORT)
    start = time.monotonic()
    with pytest.raises(WorkerFailure) as caught:
        impl.Relu().forward(np.ones(2))
    assert caught.value.key == "timeout" and caught.value.params["call"] == "Relu.forward"
    assert time.monotonic() - start < 2.0
    impl._session.begin_check()
    assert impl.Relu().forward(-np.ones(2)).tolist() == [0.0, 0.0]


def test_a_check_and_a_grade_have_time_budgets(isolated):
    impl = isolated("""
        import time
        def softmax(x):
            time.sleep(0.4)
            return x
    """, Limits(call_seconds=0.5, check_seconds=2.0, grade_seconds=5.0))
    keys = []
    for _ in range(4):
        impl._session.begin_check()
        with pytest.raises(WorkerFailure) as caught:
            for _ in range(10):
                impl.softmax(np.ones(1))
        keys.append(caught.value.key)
    assert keys == ["check_timeout", "check_timeout", "grade_timeout", "grade_timeout"]


def test_an_import_that_hangs_costs_one_time_limit(isolated):
    impl = isolated("while True:\n    pass\n", SHORT)
    for expected_seconds in (1.5, 0.2):
        start = time.monotonic()
        with pytest.raises(SubmissionError) as caught:
            _ = impl.Relu
        assert caught.value.key == "import_timeout"
        assert time.monotonic() - start < expected_seconds
    with pytest.raises(SubmissionError):
        _ = impl.Sigmoid


def test_a_crash_and_an_exit_are_told_apart(isolated):
    impl = isolated("""
        import ctypes, os
        def softmax(x):
            ctypes.string_at(8, 8)
        def cross_entropy_error(y, t):
            os._exit(3)
    """)
    with pytest.raises(WorkerFailure) as crashed:
        impl.softmax(np.ones(2))
    impl._session.begin_check()
    with pytest.raises(WorkerFailure) as exited:
        impl.cross_entropy_error(np.ones(2), np.ones(2))
    assert crashed.value.key == "crashed_with_output" and "SIGSEGV" in crashed.value.params["reason"]
    assert "layers.py" in crashed.value.params["output"]
    assert exited.value.key == "exited"


def test_output_is_drained_and_cut(isolated):
    impl = isolated("""
        import os
        def softmax(x):
            for _ in range(200):
                os.write(1, b"x" * 65536)
            return x
    """)
    assert impl.softmax(np.ones(2)).tolist() == [1.0, 1.0]
    worker = impl._session.channel("submission").worker
    assert len(worker.output()) <= 2048


def test_both_workers_start_together_and_end_with_the_session(tmp_path):
    """The net worker, forked from the submission's, is the grader's to stop: crashed, it is started again alone;
    closed, the session leaves no process behind."""
    submission = _submission(tmp_path, files={"two_layer_net.py": (REFERENCE_DIR / "two_layer_net.py").read_text()
                                              + "\nimport os\ndef crash():\n    os._exit(7)\n"})
    session = Session(submission)
    try:
        session.start_both(REFERENCE_DIR)
        session.begin_check()
        impl = IsolatedImplementation(session)
        net_class = impl.two_layer_net_on(load(REFERENCE_DIR))
        assert net_class(2, 3, 2).predict(np.ones((1, 2))).shape == (1, 2)
        assert impl.Relu().forward(np.array([-1.0, 1.0])).tolist() == [0.0, 1.0]
        net = session.channel("net", REFERENCE_DIR)
        first = net.worker.pid
        assert first is not None and os.waitpid(first, os.WNOHANG) == (0, 0), "the grader is the net worker's parent"
        net.worker.kill()
        net.worker = None
        session.begin_check()
        assert net_class(2, 3, 2).predict(np.ones((1, 2))).shape == (1, 2)
        assert net.worker.pid != first
    finally:
        session.close()
    assert processes_naming(submission) == []


# Each of tests/learners.py's shapes of the same code, with the path it is written to.
SHAPES = {
    "book_layout_repo": "work",
    "one_file_per_layer": "work",
    "training_script": "train.py",
    "notebook_with_magics": "work.ipynb",
    "misspelt_members": "net.py",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_other_shapes_graded_alike_in_both_modes(tmp_path, shape):
    """A study repository, loose files, a script that trains, a notebook, misspelt names: the same outcome of
    every check and the same notes on how the submission was read, isolated or not."""
    import learners

    from backprop_grader.run import grade

    submission = getattr(learners, shape)(tmp_path / SHAPES[shape])
    isolated, in_process = grade(submission), grade(submission, isolate=False)
    assert [(r.check.title, r.status, r.failure) for r in isolated.results] == [
        (r.check.title, r.status, r.failure) for r in in_process.results
    ]
    assert isolated.notes == in_process.notes


def test_a_net_worker_that_never_booted_is_killed_with_the_session(tmp_path):
    """The forked net worker's pid is its first frame, sent before it reads anything of the submission: a session
    that ends before it ever asked the net worker anything still kills it (and its group), and waits for it; and
    a FIFO among the sources holds up neither worker."""
    submission = _submission(tmp_path)
    os.mkfifo(submission / "zz_notes.py")  # a worker that opened it before its limits would wait here for ever
    session = Session(submission)
    try:
        session.start_both(REFERENCE_DIR)
        session.begin_check()
        # The submission's worker answers once it has forked the net worker, which is then never asked anything.
        assert IsolatedImplementation(session).Relu().forward(np.array([-1.0, 1.0])).tolist() == [0.0, 1.0]
        net = session.channel("net", REFERENCE_DIR)
        worker = net.worker
        assert worker.pid is None and not net.booted
    finally:
        session.close()
    assert not worker.alive
    assert processes_naming(submission) == [], "killed and waited for"


def test_start_up_is_charged_to_the_grade(isolated):
    impl = isolated()
    assert impl.Relu().forward(np.array([-1.0, 1.0])).tolist() == [0.0, 1.0]
    session = impl._session
    assert session.grade_spent > session.check_spent > 0
