"""python -m backprop_grader [SUBMISSION] [options]: the grader's command line, as `backprop-grader`."""
from .cli import main

raise SystemExit(main())
