"""pytest plugin: --impl, the implementation under test; --seed, the seed of numpy's global RNG; --isolate, run
the implementation's code in worker processes (backprop_grader/isolation) rather than in pytest's own.

It lives in a plugin (loaded with -p from pyproject's addopts) rather than in tests/conftest.py because pytest
reads a conftest's options only after it has picked the conftests from the command line, and the value of
`--impl student_template` would otherwise be taken for a test path.
"""
import os
from pathlib import Path

import pytest

from . import PROJECT_ROOT, REFERENCE_DIR
from .loader import load

IMPL_ENV = "BACKPROP_IMPL"
DEFAULT_SEED = 0
_SESSION = pytest.StashKey()


def pytest_addoption(parser):
    parser.addoption(
        "--impl",
        default=None,
        help=f"implementation directory to test (default: ${IMPL_ENV}, else reference/); "
        "'reference' and 'student_template' name the project's own",
    )
    parser.addoption(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="seed of numpy's global RNG, set before every check (Hypothesis itself is derandomized)",
    )
    parser.addoption(
        "--isolate",
        action="store_true",
        help="run the implementation's code in separate worker processes, as the grader does by default",
    )


def resolve_impl(option):
    """A path as given, or one of the project's own folders by name."""
    path = Path(option)
    if not path.exists() and (PROJECT_ROOT / option).is_dir():
        path = PROJECT_ROOT / option
    return path.resolve()


def impl_path(config):
    return resolve_impl(config.getoption("--impl") or os.environ.get(IMPL_ENV) or str(REFERENCE_DIR))


def pytest_report_header(config):
    return f"implementation under test: {impl_path(config)}; seed {config.getoption('--seed')}"


def implementation_under_test(config):
    """What the `impl` fixture hands out: the loaded implementation, or its proxy when --isolate is on."""
    session = config.stash.get(_SESSION, None)
    if session is None:
        return load(impl_path(config))
    from .isolation.proxies import IsolatedImplementation

    return IsolatedImplementation(session)


def pytest_configure(config):
    """With --isolate, start both workers at once: they boot (~0.2 s) while pytest collects the checks."""
    if config.getoption("--isolate", False):
        from .isolation.session import Session

        config.stash[_SESSION] = Session(impl_path(config))
        config.stash[_SESSION].start_both(REFERENCE_DIR)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Stop a worker no selected check will use."""
    session = config.stash.get(_SESSION, None)
    if session is None:
        return
    for kind, fixture, layers_dir in (("submission", "impl", None), ("net", "net_class", REFERENCE_DIR)):
        if not any(fixture in getattr(item, "fixturenames", ()) for item in items):
            session.channel(kind, layers_dir).stop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    session = item.config.stash.get(_SESSION, None)
    if session is not None:
        session.begin_check()


def pytest_runtest_teardown(item):
    session = item.config.stash.get(_SESSION, None)
    if session is not None:
        session.end_check()


def pytest_unconfigure(config):
    session = config.stash.get(_SESSION, None)
    if session is not None:
        session.close()
        del config.stash[_SESSION]
