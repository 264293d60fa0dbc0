"""While a grade runs, Hypothesis draws its inputs from the seed alone.

Since 6.131 Hypothesis mixes into what it draws the literals of every "local" module in sys.modules (any module
outside site-packages and the standard library; hypothesis issue #4627 asks for a way to turn it off, and there is
none yet). In a grade those modules are the grader's own when it is installed editable but not from a wheel, a
notebook's (check()), and the submission's own with --no-isolate: the same seed would draw other inputs in a clone
than from a wheel, in one mode than in the other, and with the literals a learner wrote. Reading them also costs
about a third of a second per grade (every such module's source parsed again, its cache being off in a grade).

The only way in is Hypothesis's internal hook (providers._get_local_constants); tests/test_seed_only.py fails if a
new version moves it, rather than letting the inputs drift again unnoticed."""
import contextlib

from hypothesis.internal.conjecture import providers
from hypothesis.internal.constants_ast import Constants


@contextlib.contextmanager
def no_local_constants():
    """Hypothesis, within, draws from its own constants and none of the local modules'."""
    original = providers._get_local_constants
    providers._get_local_constants = Constants
    # Constants already chosen for a kind of draw hold the local modules' (a test run in this process before).
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()
