"""The pytest plugin (entry point pytest11 `backprop_grader`): the implementation under test and how its code
runs, for the graded checks in backprop_grader/checks.

--backprop-impl names the implementation (a folder, a file, a study repository, a notebook); the other options
are GradeOptions' (options.py) under the same prefix: --backprop-alias and --backprop-use say where its names
are, --backprop-seed seeds numpy's global RNG, --backprop-isolate runs its code in worker processes
(backprop_grader/isolation). The prefix keeps these out of the way of every other pytest run of an environment
the grader is installed in; without --backprop-impl nothing here does anything there.

An implementation already in memory (a notebook's namespace, for check()) is handed to pytest.main as a
ProvidedImplementation plugin instead of a path: the `impl` fixture takes it from there.
"""
import os
from pathlib import Path

import pytest

from .book import ALL_LAYERS, MARKERS, layers_of
from .options import PLUGIN_FIELDS, PLUGIN_PREFIX, GradeOptions, declare
from .shipped import REFERENCE_DIR, reference_of, resolve

IMPL_ENV = "BACKPROP_IMPL"
IMPL_OPTION = f"--{PLUGIN_PREFIX}impl"
_LOADED = pytest.StashKey()
_SESSION = pytest.StashKey()
_PRINTED = pytest.StashKey()


def pytest_addoption(parser):
    group = parser.getgroup("backprop-grader", "backprop-grader: the implementation under the graded checks")
    group.addoption(
        IMPL_OPTION,
        dest="backprop_impl",
        default=None,
        help=f"implementation to check (default: ${IMPL_ENV}, else the reference); 'reference' and "
        "'student_template' name the package's own",
    )
    declare(group.addoption, prefix=PLUGIN_PREFIX, fields=PLUGIN_FIELDS)


def grade_options(config):
    """The GradeOptions this run was given; by default the code runs in pytest's own process, for a debugger."""
    return GradeOptions.from_namespace(config.option, PLUGIN_PREFIX, PLUGIN_FIELDS, isolate=False)


def seed(config):
    return grade_options(config).seed


def impl_path(config):
    chapter = grade_options(config).chapter
    return resolve(config.getoption("backprop_impl") or os.environ.get(IMPL_ENV) or str(reference_of(chapter)), chapter)


class ProvidedImplementation:
    """A pytest plugin that hands the suite an implementation object instead of a path to load."""

    def __init__(self, impl):
        self.impl = impl


def _provided(config):
    return next((p for p in config.pluginmanager.get_plugins() if isinstance(p, ProvidedImplementation)), None)


class StartedWorkers:
    """A pytest plugin that hands the suite an isolation Session whose workers the command line started before it
    imported pytest (cli.py), for its submission graded with options."""

    def __init__(self, session, options):
        self.session, self.options = session, options

    def serve(self, path, options):
        """Whether these workers are the ones a grade of path with options starts: the same submission, names
        looked up the same way, the same sandbox."""
        return (self.session.submission == Path(path).resolve()
                and self.options.where_names_are() == options.where_names_are()
                and self.options.sandbox == options.sandbox)


def _workers_for(config, options):
    """The Session of this grade: the one started for it (StartedWorkers), else one started now."""
    from .isolation.session import Session

    path = impl_path(config)
    started = next((p for p in config.pluginmanager.get_plugins() if isinstance(p, StartedWorkers)), None)
    if started is not None and started.serve(path, options):
        return started.session
    session = Session(path, options=options)
    session.start_both(REFERENCE_DIR)
    return session


def implementation(config):
    """The implementation under test: the one provided in memory, else the one --backprop-impl names, loaded
    once per session (and kept, so that the grading plugin can read the notes it made: loaded_implementation)."""
    from .loader import load  # the loader (and numpy) only once a check needs it

    provided = _provided(config)
    if provided is not None:
        return provided.impl
    if _LOADED not in config.stash:
        session = config.stash.get(_SESSION, None)
        if session is not None:  # isolated: proxies of what a worker loads
            from .isolation.proxies import IsolatedImplementation

            config.stash[_LOADED] = IsolatedImplementation(session)
        else:
            options = grade_options(config)
            config.stash[_LOADED] = load(impl_path(config), aliases=options.aliases, use=options.use)
    return config.stash[_LOADED]


def loaded_implementation(config):
    """The implementation this session's checks used, or None if none asked for it."""
    provided = _provided(config)
    return provided.impl if provided is not None else config.stash.get(_LOADED, None)


def sandbox_status(config):
    """What held of the workers' sandbox (isolation.sandbox_plan), or None when the code ran in this process."""
    session = config.stash.get(_SESSION, None)
    return session.sandbox() if session is not None else None


def pytest_report_header(config):
    if config.getoption("backprop_impl") or os.environ.get(IMPL_ENV):
        return f"implementation under test: {impl_path(config)}; seed {seed(config)}"
    return None


def pytest_configure(config):
    """Declare the checks' markers (from the book's table), and, isolated, take the grade's workers: those the
    command line started before it imported pytest, else both started now, at once: they boot (~0.12 s) while
    pytest collects the checks."""
    for layer in ALL_LAYERS:
        config.addinivalue_line("markers", f"{layer}: a check of {layer}")
    for marker, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{marker}: {meaning}")
    options = grade_options(config)
    if options.isolate and _provided(config) is None:
        config.stash[_SESSION] = _workers_for(config, options)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Leave out the checks of the chapters not graded (a plain `pytest` of the checks grades chapter 5), and
    stop a worker no selected check will use."""
    graded = set(layers_of(grade_options(config).chapter))
    other = [item for item in items if {m.name for m in item.iter_markers()} & (set(ALL_LAYERS) - graded)]
    if other:
        config.hook.pytest_deselected(items=other)
        left_out = set(map(id, other))
        items[:] = [item for item in items if id(item) not in left_out]
    session = config.stash.get(_SESSION, None)
    if session is None:
        return
    for kind, fixtures, layers_dir in (("submission", {"impl"}, None), ("net", {"net_class", "on_ref"}, REFERENCE_DIR)):
        if not any(fixtures & set(getattr(item, "fixturenames", ())) for item in items):
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


def printed_by_workers(config):
    """What the workers of this (finished) run printed: (its last bytes as text, bytes in all) of each; [] when
    none ran."""
    return config.stash.get(_PRINTED, []) if config is not None else []


def pytest_unconfigure(config):
    session = config.stash.get(_SESSION, None)
    if session is not None:
        session.close()
        config.stash[_PRINTED] = session.printed
        del config.stash[_SESSION]
