"""Benchmarks: plain tests under `python -m pytest` (each benchmarked function runs once), timed under
`pytest --benchmark-only` (or --benchmark-enable, --benchmark-json, ...).

pytest-benchmark refuses --benchmark-only together with --benchmark-disable, so the disabling cannot sit in
pyproject's addopts. It is decided here instead, before pytest-benchmark reads its options (its
pytest_configure is trylast): benchmarking stays off unless an option asks for timings.
"""
import pytest

from backprop_grader.loader import load
from backprop_grader.pytest_plugin import implementation
from backprop_grader.shipped import REFERENCE_DIR

# Options that make no sense without timings: any of them turns benchmarking on.
TIMING_OPTIONS = ("benchmark_only", "benchmark_enable", "benchmark_json", "benchmark_save", "benchmark_autosave", "benchmark_compare", "benchmark_histogram")


def pytest_configure(config):
    if not any(config.getoption(name, None) for name in TIMING_OPTIONS):
        config.option.benchmark_disable = True


@pytest.fixture(scope="session")
def impl(request):
    """The implementation whose speed is measured (--backprop-impl, -alias and -use, as for the suite)."""
    return implementation(request.config)


@pytest.fixture(scope="session")
def ref():
    return load(REFERENCE_DIR)
