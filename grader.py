"""Grade your chapter-5 layers: `python grader.py [SUBMISSION]` (see `python grader.py --help`)."""
from backprop_grader.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
