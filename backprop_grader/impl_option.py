"""pytest plugin: --impl, the implementation under test, and --seed, the seed of numpy's global RNG.

It lives in a plugin (loaded with -p from pyproject's addopts) rather than in tests/conftest.py because pytest
reads a conftest's options only after it has picked the conftests from the command line, and the value of
`--impl student_template` would otherwise be taken for a test path.
"""
import os
from pathlib import Path

from . import PROJECT_ROOT, REFERENCE_DIR

IMPL_ENV = "BACKPROP_IMPL"
DEFAULT_SEED = 0


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
