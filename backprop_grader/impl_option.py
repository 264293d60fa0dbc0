"""pytest plugin: --impl, the implementation under test (with --alias and --use to say where its names are);
--seed, the seed of numpy's global RNG; --isolate, run the implementation's code in worker processes
(backprop_grader/isolation) rather than in pytest's own.

An implementation already in memory (a notebook's namespace, for check()) is handed to pytest.main as a
ProvidedImplementation plugin instead of a path: the `impl` fixture takes it from there.

It lives in a plugin (loaded with -p from pyproject's addopts) rather than in tests/conftest.py because pytest
reads a conftest's options only after it has picked the conftests from the command line, and the value of
`--impl student_template` would otherwise be taken for a test path.
"""
import os
from pathlib import Path

import pytest

from . import PROJECT_ROOT, REFERENCE_DIR

IMPL_ENV = "BACKPROP_IMPL"
DEFAULT_SEED = 0
_LOADED = pytest.StashKey()
_SESSION = pytest.StashKey()


def pytest_addoption(parser):
    parser.addoption(
        "--impl",
        default=None,
        help=f"implementation directory to test (default: ${IMPL_ENV}, else reference/); "
        "'reference' and 'student_template' name the project's own",
    )
    parser.addoption(
        "--alias",
        action="append",
        default=[],
        metavar="BOOK=THEIRS",
        help="grade the submission's THEIRS as the book's BOOK (Relu=ReLU; Affine.dW=dw for a member); repeatable",
    )
    parser.addoption(
        "--rubric",
        default=None,
        metavar="FILE",
        help="a TOML rubric file; its [aliases] table adds BOOK = \"THEIRS\" aliases (--alias wins over it)",
    )
    parser.addoption(
        "--use",
        action="append",
        default=[],
        metavar="BOOK=FILE",
        help="where a name is defined in several files, grade the one in FILE (Relu=ch05/relu.py); repeatable",
    )
    parser.addoption(
        "--isolate",
        action="store_true",
        help="run the implementation's code in separate worker processes, as the grader does by default",
    )
    parser.addoption(
        "--sandbox",
        default="auto",
        choices=("require", "auto", "off"),
        help="with --isolate: the workers' sandbox (backprop_grader/isolation/sandbox_plan.py)",
    )
    parser.addoption(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="seed of numpy's global RNG, set before every check (the grader passes it on as --hypothesis-seed)",
    )


def resolve_impl(option):
    """A path as given, or one of the project's own folders by name."""
    path = Path(option)
    if not path.exists() and (PROJECT_ROOT / option).is_dir():
        path = PROJECT_ROOT / option
    return path.resolve()


def impl_path(config):
    return resolve_impl(config.getoption("--impl") or os.environ.get(IMPL_ENV) or str(REFERENCE_DIR))


class ProvidedImplementation:
    """A pytest plugin that hands the suite an implementation object instead of a path to load."""

    def __init__(self, impl):
        self.impl = impl


def _provided(config):
    return next((p for p in config.pluginmanager.get_plugins() if isinstance(p, ProvidedImplementation)), None)


def implementation(config):
    """The implementation under test: the one provided in memory, else the one --impl names, loaded once per
    session (and kept, so that the grading plugin can read the notes it made: loaded_implementation)."""
    from .loader import load  # the loader (and numpy) only once a check needs it

    provided = _provided(config)
    if provided is not None:
        return provided.impl
    if _LOADED not in config.stash:
        session = config.stash.get(_SESSION, None)
        if session is not None:  # --isolate: proxies of what a worker loads
            from .isolation.proxies import IsolatedImplementation

            config.stash[_LOADED] = IsolatedImplementation(session)
        else:
            config.stash[_LOADED] = load(impl_path(config), aliases=aliases(config), use=config.getoption("--use"))
    return config.stash[_LOADED]


def loaded_implementation(config):
    """The implementation this session's checks used, or None if none asked for it."""
    provided = _provided(config)
    return provided.impl if provided is not None else config.stash.get(_LOADED, None)


def aliases(config):
    """The aliases of --rubric's [aliases] table, overridden by the --alias flags."""
    from .names import Aliases

    flags = Aliases.parse(config.getoption("--alias"))
    rubric = config.getoption("--rubric")
    return Aliases.from_rubric(rubric).merged(flags) if rubric else flags


def sandbox_status(config):
    """What held of the workers' sandbox (isolation.sandbox_plan), or None when the code ran in this process."""
    session = config.stash.get(_SESSION, None)
    return session.sandbox() if session is not None else None


def pytest_report_header(config):
    provided = _provided(config)
    under_test = provided.impl.label if provided is not None else impl_path(config)
    return f"implementation under test: {under_test}; seed {config.getoption('--seed')}"


def pytest_configure(config):
    """With --isolate, start both workers at once: they boot (~0.2 s) while pytest collects the checks."""
    if config.getoption("--isolate", False) and _provided(config) is None:
        from .isolation.session import Session

        load_options = {"aliases": aliases(config).specs(), "use": config.getoption("--use")}
        sandbox = config.getoption("--sandbox")
        config.stash[_SESSION] = Session(impl_path(config), load_options=load_options, sandbox=sandbox)
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
