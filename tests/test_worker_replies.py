"""What a worker's replies carry besides a value (the attributes the checks read, sent along after a call), that
what they carry is never read stale, and that the worker's own errors are never taken for the submission's.

The attributes once never travelled: the worker had two functions named _plain, the second (from a merge) made
add_attributes raise, and an `except BaseException` hid it. Channel.carried counts what arrives."""
import shutil
import textwrap

import numpy as np
import pytest

from backprop_grader import qualnames
from backprop_grader.isolation import shared, wire, worker
from backprop_grader.isolation.errors import WorkerBug
from backprop_grader.isolation.proxies import IsolatedImplementation
from backprop_grader.isolation.session import Session
from backprop_grader.shipped import REFERENCE_DIR

# A MulLayer that also reaches into other objects and replaces the entries of a dict of its own.
LAYER = """
class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None
        self.calls = 0
        self.params = {"W": np.zeros(2)}

    def forward(self, x, y):
        self.x, self.y = x, y
        self.calls += 1
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x

    def poke(self, other, value):
        other.calls = value

    def replace(self):
        del self.params["W"]
        self.params["W"] = np.ones(2)
"""


@pytest.fixture
def session(tmp_path):
    target = tmp_path / "submission"
    shutil.copytree(REFERENCE_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    layers = target / "layers.py"
    layers.write_text(layers.read_text() + "\n\nimport numpy as np\n" + textwrap.dedent(LAYER))
    session = Session(target)
    session.begin_check()
    yield session
    session.close()


def test_attributes_arrive_with_replies_and_cost_no_round_trip(session):
    impl = IsolatedImplementation(session)
    channel = session.channel("submission")
    layer = impl.Affine(np.ones((2, 3)), np.zeros(3))
    x = np.arange(4.0).reshape(2, 2)
    layer.forward(x)
    layer.backward(np.ones((2, 3)))
    first = layer.dW  # the first read of dW asks for it; from now on it goes along with every call
    layer.backward(2 * np.ones((2, 3)))
    sent = channel.epoch
    np.testing.assert_array_equal(layer.dW, 2 * first)
    assert channel.epoch == sent, "dW came with backward's reply: reading it must not cost a request"
    assert channel.carried["replies"] >= 1 and channel.carried["attributes"] >= 1


def test_an_attribute_the_submission_changes_later_is_read_fresh(session):
    impl = IsolatedImplementation(session)
    a, b = impl.MulLayer(), impl.MulLayer()
    a.forward(2.0, 3.0)
    assert a.calls == 1
    a.forward(2.0, 3.0)
    assert a.calls == 2  # sent along with forward's reply
    b.poke(a, 7)  # another object's method changes a.calls: the reply describes b, not a
    assert a.calls == 7
    a.forward(1.0, 1.0)
    impl.MulLayer()  # a construction whose reply is read later: the request alone makes what came before old
    assert a.calls == 8
    assert session.channel("submission").carried["replies"] >= 2


def test_a_dict_entry_the_submission_replaces_is_read_fresh(session):
    impl = IsolatedImplementation(session)
    layer = impl.MulLayer()
    np.testing.assert_array_equal(layer.params["W"], np.zeros(2))
    layer.params["W"] += 1  # in place, as `net.params[key] -= step`
    np.testing.assert_array_equal(layer.params["W"], np.ones(2))
    layer.replace()
    layer.params["W"] += 1
    np.testing.assert_array_equal(layer.params["W"], 2 * np.ones(2))
    layer.replace()
    np.testing.assert_array_equal(layer.params["W"], np.ones(2))


def test_a_failure_of_the_workers_own_code_is_a_worker_bug(session):
    """Not the submission's error, not a failed check of its own: a bug of the grader's, raised in the grader."""
    channel = session.channel("submission")
    with pytest.raises(WorkerBug, match="op_no_such_operation"):
        channel.request("no_such_operation", {}, label="test")
    impl = IsolatedImplementation(session)
    assert impl.Relu().forward(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]  # a new worker serves the next call


# --- the worker's description of an exception, in this process ---------------------------------------------------


class _SubmissionError(Exception):
    pass


def _server(tmp_path):
    """A Server with just what failure() and run() read (no submission is loaded)."""
    server = worker.Server.__new__(worker.Server)
    server.root = tmp_path
    server.wrapper_files = {tmp_path / "names.py"}
    server.qualname = qualnames.qualname
    server.loader = type("Loader", (), {"SubmissionError": _SubmissionError})
    server.arrays = shared.WorkerArrays()
    server.wire = wire
    server.standins_module = None  # not the net worker: no stand-ins, no callbacks under way
    server.depth = 0
    server.callback_mark = 0
    return server


def test_describing_an_exception_does_not_swallow_the_graders_own_errors(tmp_path, monkeypatch):
    server = _server(tmp_path)

    def broken(exc):
        return undefined_name  # noqa: F821 (the grader's own bug)

    monkeypatch.setattr(worker, "_frames", broken)
    with pytest.raises(NameError):
        server.failure(ValueError("the submission's"))


def test_an_exception_built_to_break_its_description_is_described(tmp_path):
    class Meta(type):
        @property
        def __name__(cls):
            raise RuntimeError("metaclass")

        @property
        def __mro__(cls):
            raise RuntimeError("metaclass")

    class Nasty(ImportError, metaclass=Meta):
        def __str__(self):
            raise SystemExit("str")

        @property
        def name(self):
            raise KeyboardInterrupt

        @property
        def __traceback__(self):
            raise RuntimeError("traceback")

    try:
        raise Nasty()
    except Nasty as exc:
        caught = exc
    described = _server(tmp_path).failure(caught)["raised"]
    assert described["type"] == "Nasty" and described["base"] == "ImportError"
    assert described["message"] == "" and described["module"] is None
    assert described["frames"] == [[None, described["frames"][0][1], described["frames"][0][2], "test_worker_replies.py"]]


def test_the_submissions_errors_are_replies_and_the_workers_own_propagate(tmp_path):
    server = _server(tmp_path)
    unpacker = wire.Unpacker(wire.Packer().frame({})[8:])

    def theirs():
        def method():
            raise KeyboardInterrupt  # the submission's: its own, ending nothing
        return worker._theirs(method)

    server.op_theirs = theirs
    assert server.run({"op": "theirs"}, unpacker, wire.Packer())["raised"]["type"] == "KeyboardInterrupt"

    def ours():
        return len(5)  # the worker's own TypeError

    server.op_ours = ours
    with pytest.raises(TypeError):
        server.run({"op": "ours"}, unpacker, wire.Packer())


@pytest.mark.parametrize("header, node", [
    (b"[1, 2]", None),
    (b'{"#": [8], "v": {"a": [["<f8"], [1], 0, 0]}}', "v"),
])
def test_a_frame_of_another_form_is_a_garbled_frame_not_an_error_of_the_grader(header, node):
    """A worker writes what it likes into its pipe. A header that is a JSON list, or an array whose dtype is a
    list, made the decoder raise TypeError: the grader's own bug, where a garbled frame loses the worker alone."""
    body = wire._HEADER.pack(len(header)) + header + bytes(8)
    with pytest.raises(wire.WireError):
        unpacker = wire.Unpacker(body)
        unpacker.value(unpacker.message[node])


def test_an_array_the_worker_lets_go_of_while_a_later_request_names_it_is_still_there(session):
    """A layer made without waiting (its reply read with the next request's) and the previous layer released
    with it: the worker let go of x, which only that layer held, while the forward sent with it named x by
    its token, and the worker failed on its own lookup ("no shared array")."""
    impl = IsolatedImplementation(session)
    W, b, x = np.ones((3, 2)), np.zeros(2), np.ones((4, 3))

    def forward_of_a_new_layer():
        return impl.Affine(W, b).forward(x)

    for _ in range(3):
        np.testing.assert_array_equal(forward_of_a_new_layer(), x @ W + b)
