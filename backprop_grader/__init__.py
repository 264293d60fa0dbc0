"""backprop-grader: grade hand-written chapter-5 layers (Deep Learning from Scratch) against a verified reference.

`from backprop_grader import check` in a notebook runs a layer's checks on the learner's own objects
(notebook.py); it is imported on first use, so importing the package stays cheap.
"""
__version__ = "0.2.0"


def __getattr__(name):
    if name == "check":
        from .notebook import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
