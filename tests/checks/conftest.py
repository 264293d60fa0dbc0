"""Which implementation is under test, and how Hypothesis runs.

The grader runs these checks on a submission; `pytest` in a clone checks reference/, and
`pytest --backprop-impl student_template` (or a path: a folder, a file, a study repository, a notebook; see
backprop_grader/intake.py) another one. Tests reach it only through the `impl` fixture (and `net_class` for
TwoLayerNet), never by importing it, so a submission that fails to import fails just the checks that need what
it lacks.
"""
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, settings

from backprop_grader.book import BUILT_ON, DEFAULT_CHAPTER, chapter_of
from backprop_grader.counting import CountingLayers
from backprop_grader.loader import Stacked, load
from backprop_grader.options import PROFILE as GRADING
from backprop_grader.pytest_plugin import grade_options, implementation, seed
from backprop_grader.shipped import REFERENCE_DIR, reference_of

# grading: the same examples on every run and machine (derandomize), no example database to carry state
# between runs (nor a .hypothesis folder left where the grader runs), no deadline since a slow submission is
# graded on correctness, not speed. The explain phase is left out: it imports libcst (~2 s) to annotate a
# failure, and the shrunk input is all a student needs. One failure per check, the simplest: several distinct
# ones would come as an ExceptionGroup, which carries no single diagnosis to report.
settings.register_profile(
    GRADING,
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=20,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    print_blob=False,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", parent=settings.get_profile(GRADING), max_examples=5)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", GRADING)
settings.load_profile(PROFILE)


def pytest_configure(config):
    """Given --hypothesis-seed (the grader passes its seed on), every test draws its examples from that seed
    instead of from a hash of its source: as fixed, and derandomizing cost 0.11 s of an in-process grade's 0.79 s
    of CPU (Hypothesis reads and tokenizes the source of every test, twice, in every run)."""
    if config.getoption("hypothesis_seed", None) is not None:
        settings.register_profile(f"{PROFILE}+seed", parent=settings.get_profile(PROFILE), derandomize=False)
        settings.load_profile(f"{PROFILE}+seed")


@pytest.fixture(scope="session")
def impl(request):
    """The implementation under test: impl.Relu, impl.Affine, impl.softmax, ... (isolated: proxies of the
    implementation's objects in a worker process, backprop_grader/isolation)."""
    return implementation(request.config)


@pytest.fixture(scope="session")
def ref(request):
    """The reference implementation of the chapter graded, the source of expected values. Chapter 7's stands on
    chapter 5's, as its SimpleConvNet does: ref.Affine is there too."""
    chapter = grade_options(request.config).chapter
    if chapter == DEFAULT_CHAPTER or not any(chapter_of(name) == chapter for name in BUILT_ON):
        return load(reference_of(chapter))
    return Stacked(load(REFERENCE_DIR), load(reference_of(chapter)))


@pytest.fixture(scope="session")
def net_layers(ref):
    """The reference's layers as the network under test gets them: each class counts its calls (counting.py)."""
    return CountingLayers(ref)


@pytest.fixture(scope="session")
def net_class(impl, net_layers):
    """The submission's TwoLayerNet on the reference layers, so only the network's own code is graded."""
    return impl.two_layer_net_on(net_layers)


class _OnReference:
    """The submission's names built on the reference (book.BUILT_ON) by attribute, each loaded once."""

    def __init__(self, impl, layers_impl):
        self._impl = impl
        self._layers_impl = layers_impl
        self._found = {}

    def __getattr__(self, name):
        if name not in BUILT_ON:
            raise AttributeError(name)
        if name not in self._found:
            self._found[name] = self._impl.on_reference(name, self._layers_impl)
        return self._found[name]


@pytest.fixture(scope="session")
def on_ref(impl, ref):
    """The submission's Convolution and Pooling on the reference's im2col and col2im, its SimpleConvNet on the
    reference's layers (on_ref.Convolution, ...): a bug in its own im2col costs im2col alone. Isolated, they live
    in the net worker, whose stand-ins call the reference back here (backprop_grader/isolation/trusted.py)."""
    return _OnReference(impl, ref)


@pytest.fixture(scope="session")
def layer_calls(net_layers):
    """A function: {layer class: [forward calls, backward calls]} made so far on the layers of net_class's nets.
    Counted here in both modes: isolated, the net's worker holds only stand-ins, whose calls run these layers in
    the grader (backprop_grader/isolation/trusted.py)."""
    return net_layers.calls


@pytest.fixture(autouse=True)
def _seed_numpy(request):
    """Code that draws from np.random (TwoLayerNet's weight init) sees the same numbers on every run."""
    np.random.seed(seed(request.config))
