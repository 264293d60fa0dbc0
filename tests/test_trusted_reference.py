"""The reference never shares a process with the learner's code (issue #21): TwoLayerNet is graded on the
reference's layers and numerical_gradient, which stay in the grader (backprop_grader/isolation/trusted.py); the
net worker holds stand-ins that call back (isolation/standins.py). Checked from inside the net worker, after the
net has run forward, backward and the reference's numerical_gradient there: no code object and no docstring of
the reference's layers.py or gradient.py is in that process. The same probe finds the code of the net it runs in,
so it would find the reference's if it were there (before this issue, copies of both files were loaded)."""
import ast
import hashlib
import shutil
import textwrap

import numpy as np
import pytest
from submissions import TEMPLATE, reference_with

from backprop_grader.counting import CountingLayers
from backprop_grader.isolation.errors import WorkerFailure
from backprop_grader.isolation.proxies import IsolatedImplementation
from backprop_grader.isolation.session import Limits, Session
from backprop_grader.loader import Stacked, load
from backprop_grader.run import grade_many
from backprop_grader.shipped import REFERENCE_DIR, reference_of

# Appended to the reference's two_layer_net.py: what the net worker holds, as plain data.
PROBE = '''
import copy as _copy
import gc as _gc
import hashlib as _hashlib
import sys as _sys
import types as _types


def _digest(text):
    return _hashlib.sha256(text if isinstance(text, bytes) else text.encode()).hexdigest()


def _codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, _types.CodeType):
            yield from _codes(const)


class TwoLayerNet(TwoLayerNet):
    def copy_slopes(self, x, t):
        """The numerical gradient of a deep copy: its layers, copied too, hold its copied params."""
        return _copy.deepcopy(self).numerical_gradient(x, t)

    def probe(self):
        """[[qualified name, digest of its bytecode]] of every function's code, and the digests of every
        docstring of a module, class or function, in this process."""
        codes, docs = set(), set()
        objects = _gc.get_objects() + list(_sys.modules.values())
        for obj in objects:
            if isinstance(obj, (_types.FunctionType, _types.MethodType)):
                obj = getattr(obj, "__func__", obj)
                codes |= {(getattr(c, "co_qualname", c.co_name), _digest(c.co_code)) for c in _codes(obj.__code__)}
            if isinstance(obj, (_types.FunctionType, type, _types.ModuleType)):
                doc = vars(obj).get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
                if isinstance(doc, str):
                    docs.add(_digest(doc))
        return {"codes": sorted(codes), "docs": sorted(docs)}
'''


def _digest(text):
    return hashlib.sha256(text if isinstance(text, bytes) else text.encode()).hexdigest()


def _compiled(path):
    """(qualified name, bytecode digest) of every code object of the file at path, and its docstrings' digests."""
    source = path.read_text()
    codes, stack = set(), [compile(source, str(path), "exec")]
    while stack:
        code = stack.pop()
        codes.add((getattr(code, "co_qualname", code.co_name), _digest(code.co_code)))
        stack += [c for c in code.co_consts if hasattr(c, "co_code")]
    tree = ast.parse(source)
    nodes = [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.ClassDef, ast.FunctionDef))]
    docs = {_digest(doc) for doc in (ast.get_docstring(n, clean=False) for n in nodes) if doc}
    return codes, docs


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    """What the net worker holds once a net on the reference's layers has run there: its forward, backward
    (gradient), a deep copy, and the reference's numerical_gradient calling the net's loss back."""
    submission = tmp_path_factory.mktemp("trusted") / "submission"
    shutil.copytree(TEMPLATE, submission, ignore=shutil.ignore_patterns("__pycache__"))
    net_file = (REFERENCE_DIR / "two_layer_net.py").read_text() + "\n\n" + textwrap.dedent(PROBE)
    (submission / "two_layer_net.py").write_text(net_file)
    session = Session(submission)
    try:
        session.begin_check()
        # The net's weights come from numpy's global generator: seeded, so that what earlier tests drew from it
        # cannot put a hidden unit at Relu's kink, where central differences and backprop rightly disagree.
        kept = np.random.get_state()
        np.random.seed(0)
        try:
            net = IsolatedImplementation(session).two_layer_net_on(CountingLayers(load(REFERENCE_DIR)))(3, 4, 2)
        finally:
            np.random.set_state(kept)
        x, t = np.random.default_rng(0).uniform(-1, 1, (5, 3)), np.array([0, 1, 1, 0, 1])
        grads, slopes, copy_slopes = net.gradient(x, t), net.numerical_gradient(x, t), net.copy_slopes(x, t)
        for key in grads:
            np.testing.assert_allclose(grads[key], slopes[key], rtol=1e-5, atol=1e-8)
            np.testing.assert_allclose(grads[key], copy_slopes[key], rtol=1e-5, atol=1e-8)
        return net.probe()
    finally:
        session.close()


@pytest.mark.parametrize("file", ["layers.py", "gradient.py"])
def test_the_net_worker_holds_no_code_of_the_reference(probed, file):
    """A code object of the reference's file was found in the process running the learner's net: the learner
    could read it (gc, sys.modules, __code__), marshal it and paste it into their own layers."""
    codes, _ = _compiled(REFERENCE_DIR / file)
    found = {tuple(pair) for pair in probed["codes"]}
    assert sorted(name for name, _ in codes & found) == []


@pytest.mark.parametrize("file", ["layers.py", "gradient.py"])
def test_the_net_worker_holds_no_docstring_of_the_reference(probed, file):
    """A docstring of the reference's file was found in the process running the learner's net."""
    _, docs = _compiled(REFERENCE_DIR / file)
    assert docs & set(probed["docs"]) == set()


def test_the_probe_finds_the_code_it_runs_in(probed):
    """The probe sees the code of the net it runs in, the reference's two_layer_net.py copied into the submission:
    so it would see the reference's layers' code as well, were it there."""
    codes, docs = _compiled(REFERENCE_DIR / "two_layer_net.py")
    found = {tuple(pair) for pair in probed["codes"]}
    assert {"predict", "gradient", "numerical_gradient"} <= {name.split(".")[-1] for name, _ in codes & found}
    assert docs & set(probed["docs"])


# The learner's loss fails when the reference's numerical_gradient calls it back (through the net's
# numerical_gradient, never through loss called directly): the error travels out of the grader's numerical_gradient
# and back into the learner's code, which must read exactly as in-process.
FAILS_INSIDE_NUMERICAL_GRADIENT = """
class TwoLayerNet(TwoLayerNet):
    def numerical_gradient(self, x, t):
        self.inside = True
        try:
            return super().numerical_gradient(x, t)
        finally:
            self.inside = False

    def loss(self, x, t):
        if getattr(self, "inside", False):
            raise ValueError("loss called from numerical_gradient")
        return super().loss(x, t)
"""


def test_an_error_of_the_learners_f_inside_numerical_gradient_reads_as_in_process(tmp_path):
    """The learner's f raises inside the reference's numerical_gradient, which runs in the grader: the report
    must be the in-process one (the same error, located at the same line of the learner's loss)."""
    path = reference_with(tmp_path / "net", append=FAILS_INSIDE_NUMERICAL_GRADIENT, file="two_layer_net.py")
    outcomes = []
    for isolate in (False, True):
        (result,) = grade_many([path], layers=["TwoLayerNet"], isolate=isolate)
        outcomes.append({r.check.title: r.failure for r in result.results if r.failure is not None})
    assert outcomes[1] == outcomes[0]
    failure = outcomes[1]["TwoLayerNet: numerical_gradient_matches_reference"]
    assert failure.key == "raised" and "loss called from numerical_gradient" in failure.params["error"], failure


def test_arguments_too_large_for_the_reference_fail_the_call(tmp_path):
    """A net that hands a layer more than a frame's worth of array fails its call with its own message, instead
    of the grader holding it (the reference computes in the grader, on what arrives)."""
    submission = tmp_path / "submission"
    shutil.copytree(TEMPLATE, submission, ignore=shutil.ignore_patterns("__pycache__"))
    net_file = (REFERENCE_DIR / "two_layer_net.py").read_text() + textwrap.dedent("""

        class TwoLayerNet(TwoLayerNet):
            def predict(self, x):
                return self.layers["Relu1"].forward(np.zeros(9_000_000))
    """)
    (submission / "two_layer_net.py").write_text(net_file)
    session = Session(submission)
    try:
        session.begin_check()
        net = IsolatedImplementation(session).two_layer_net_on(load(REFERENCE_DIR))(3, 4, 2)
        with pytest.raises(WorkerFailure) as caught:
            net.predict(np.ones((1, 3)))
        assert caught.value.key == "call_unsendable" and caught.value.params["call"] == "TwoLayerNet.predict"
    finally:
        session.close()


# The learner's loss, called back by the reference's numerical_gradient in the grader, ends the worker or hangs.
ENDS_INSIDE_NUMERICAL_GRADIENT = {
    "exited": "import sys\n\n\ndef _stop():\n    sys.exit(3)\n",
    "timeout": "def _stop():\n    while True:\n        pass\n",
}


@pytest.mark.parametrize("key", sorted(ENDS_INSIDE_NUMERICAL_GRADIENT))
def test_a_worker_lost_inside_numerical_gradient_fails_the_learners_call(tmp_path, key):
    """A request nested in a callback is part of the learner's call that made the callback: an exit or a hang in
    it fails that call by its name (and within its time limit), and the next check gets a fresh worker."""
    submission = tmp_path / "submission"
    shutil.copytree(TEMPLATE, submission, ignore=shutil.ignore_patterns("__pycache__"))
    net_file = (REFERENCE_DIR / "two_layer_net.py").read_text() + "\n\n" + ENDS_INSIDE_NUMERICAL_GRADIENT[key]
    net_file += textwrap.dedent("""

        class TwoLayerNet(TwoLayerNet):
            def numerical_gradient(self, x, t):
                self.inside = True
                return super().numerical_gradient(x, t)

            def loss(self, x, t):
                if getattr(self, "inside", False):
                    _stop()
                return super().loss(x, t)
    """)
    (submission / "two_layer_net.py").write_text(net_file)
    session = Session(submission, Limits(call_seconds=1.0))
    try:
        session.begin_check()
        net_class = IsolatedImplementation(session).two_layer_net_on(load(REFERENCE_DIR))
        x, t = np.ones((2, 3)), np.array([0, 1])
        with pytest.raises(WorkerFailure) as caught:
            net_class(3, 4, 2).numerical_gradient(x, t)
        assert caught.value.key == key and caught.value.params["call"] == "TwoLayerNet.numerical_gradient"
        session.begin_check()
        assert np.isfinite(net_class(3, 4, 2).loss(x, t))
    finally:
        session.close()


CHAPTER_7_FILES = [REFERENCE_DIR / "layers.py", REFERENCE_DIR / "gradient.py", reference_of(7) / "util.py",
                   reference_of(7) / "layers.py"]
# The learner's own chapter-7 layers.py: a Convolution of the book's kind, on im2col and col2im.
LEARNERS_CONVOLUTION = """
import numpy as np
from .util import col2im, im2col


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, _, H, W = x.shape
        oh, ow = (H + 2 * self.pad - FH) // self.stride + 1, (W + 2 * self.pad - FW) // self.stride + 1
        self.x, self.col = x, im2col(x, FH, FW, self.stride, self.pad)
        out = self.col @ self.W.reshape(FN, -1).T + self.b
        return out.reshape(N, oh, ow, FN).transpose(0, 3, 1, 2)

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db, self.dW = dout.sum(axis=0), (self.col.T @ dout).T.reshape(self.W.shape)
        return col2im(dout @ self.W.reshape(FN, -1), self.x.shape, FH, FW, self.stride, self.pad)
"""


@pytest.fixture(scope="module")
def probed_chapter_7(tmp_path_factory):
    """What the net worker holds once chapter 7's Convolution and SimpleConvNet have run there on the reference's
    im2col, col2im and layers (forward, backward, gradient)."""
    submission = tmp_path_factory.mktemp("trusted7") / "chapter7"
    shutil.copytree(TEMPLATE / "chapter7", submission, ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    (submission / "layers.py").write_text(LEARNERS_CONVOLUTION)
    probe = textwrap.dedent(PROBE).replace("class TwoLayerNet(TwoLayerNet):", "class SimpleConvNet(SimpleConvNet):")
    (submission / "simple_convnet.py").write_text((reference_of(7) / "simple_convnet.py").read_text() + "\n\n" + probe)
    session = Session(submission)
    try:
        session.begin_check()
        on = IsolatedImplementation(session)
        reference = Stacked(load(REFERENCE_DIR), load(reference_of(7)))
        rng = np.random.default_rng(0)
        W, x = rng.standard_normal((2, 1, 3, 3)), rng.standard_normal((1, 1, 4, 4))
        conv = on.on_reference("Convolution", reference)(W, np.zeros(2), 1, 1)
        np.testing.assert_allclose(conv.forward(x), reference.Convolution(W, np.zeros(2), 1, 1).forward(x))
        conv.backward(np.ones((1, 2, 4, 4)))
        net = on.on_reference("SimpleConvNet", reference)((1, 6, 6), {"filter_num": 2, "filter_size": 3, "pad": 0,
                                                                      "stride": 1}, 5, 3)
        assert set(net.gradient(rng.standard_normal((2, 1, 6, 6)), np.array([0, 2]))) == {"W1", "b1", "W2", "b2",
                                                                                         "W3", "b3"}
        return net.probe()
    finally:
        session.close()


@pytest.mark.parametrize("path", CHAPTER_7_FILES, ids=lambda p: p.relative_to(REFERENCE_DIR).as_posix())
def test_chapter_7s_net_worker_holds_no_code_or_docstring_of_the_reference(probed_chapter_7, path):
    """Chapter 7's Convolution runs on the reference's im2col, its SimpleConvNet on the reference's layers: none of
    their code or docstrings may be where the learner's code runs."""
    codes, docs = _compiled(path)
    assert sorted(name for name, _ in codes & {tuple(pair) for pair in probed_chapter_7["codes"]}) == []
    assert docs & set(probed_chapter_7["docs"]) == set()
