"""A pytest plugin for the timing run of benchmark.py: what each benchmark timed, written the moment it is done.

pytest-benchmark writes its JSON only when the whole run ends, so a run stopped from outside (benchmark.py's
--timeout) used to leave nothing to report. With --benchmark-stream=FILE, each benchmark of
benchmarks/test_layer_speed.py adds JSON lines to FILE as it goes:
- {"start": INFO} before it runs, INFO being its parameters (layer, label, phase, who): the last start without
  an end names what was running when the run was stopped;
- {"timed": {"extra_info": INFO, "stats": {"min": SECONDS}}} once timed, as pytest-benchmark's JSON has it;
- {"too_slow": INFO, "seconds": LIMIT} when it ran longer than --benchmark-limit=LIMIT seconds and was stopped
  there (SIGALRM), so that one far too slow layer does not use up the whole run's time;
- {"failed": INFO} when it raised (the submission's code: missing, not implemented yet, wrong).
"""
import json
import signal

import pytest

STREAM_OPTION = "--benchmark-stream"
LIMIT_OPTION = "--benchmark-limit"


class TooSlow(BaseException):
    """Raised in a benchmark past its time limit. Not an Exception: code of the submission's that catches every
    Exception must not take it for its own error and keep going."""


def pytest_addoption(parser):
    group = parser.getgroup("backprop-grader-benchmark")
    group.addoption(STREAM_OPTION, dest="benchmark_stream", metavar="FILE", help="append each benchmark's result to FILE as it is done")
    group.addoption(LIMIT_OPTION, dest="benchmark_limit", type=float, metavar="SECONDS", help="stop a benchmark that runs longer")


def info_of(item):
    """A benchmark's parameters that say what it times (layer, label, phase, who), from its test's parameters."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    return {key: value for key, value in params.items() if key in ("layer", "label", "phase", "who") and isinstance(value, str)}


def _write(config, record):
    path = config.getoption("benchmark_stream", None)
    if path:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(record) + "\n")


def _too_slow(signum, frame):
    raise TooSlow


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    config = item.config
    _write(config, {"start": info_of(item)})
    limit = config.getoption("benchmark_limit", None)
    if not limit or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pytest_runtest_makereport(item, call):
    if call.when != "call":
        return
    config, info = item.config, info_of(item)
    fixture = getattr(item, "funcargs", {}).get("benchmark")
    if call.excinfo is not None:
        if call.excinfo.errisinstance(TooSlow):
            _write(config, {"too_slow": info, "seconds": config.getoption("benchmark_limit")})
        else:
            _write(config, {"failed": info})
    elif fixture is not None and fixture.stats is not None:
        _write(config, {"timed": {"extra_info": dict(fixture.extra_info), "stats": {"min": fixture.stats.stats.min}}})
