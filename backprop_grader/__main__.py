"""python -m backprop_grader [SUBMISSION] [options]: the grader's command line, as `backprop-grader`."""
from .blas import one_thread

one_thread()  # before cli imports numpy

from .cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
