"""A function's qualified name (Relu.forward, not forward) from its code object, on every Python the grader
supports: Python 3.11's co_qualname, or on 3.10, which has none, the same name read from the source the code was
compiled from. Feedback names the method that failed and the mutants' hints find the function they changed by it.
And the other way round: code_at makes a code object named as a function elsewhere, for a frame that stands for
one of its frames (a worker's, raised again in the grader; the reference's, in the net worker).

Standard library only: the workers load it by its path (isolation/worker.py).
"""
import ast
import linecache
import sys
from functools import lru_cache

MAX_LINE = 100_000  # a stand-in frame's line is clipped to this: its code is that many lines, most of them empty


def qualname(code):
    """code.co_qualname, or on Python 3.10 what it would be, from the source; code.co_name where neither says."""
    found = getattr(code, "co_qualname", None)
    if found is None:
        source = "".join(linecache.getlines(code.co_filename))
        found = _defined(code.co_filename, source).get((code.co_firstlineno, code.co_name))
    return found or code.co_name


@lru_cache(maxsize=64)
def _defined(filename, source):
    """{(first line, name): qualified name} of each function and class source defines; a function's first line
    is its first decorator's, as its code object has it."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return {}
    found = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                first = min([child.lineno, *(decorator.lineno for decorator in child.decorator_list)])
                found[(first, child.name)] = name
                visit(child, name + ("." if isinstance(child, ast.ClassDef) else ".<locals>."))
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


@lru_cache(maxsize=1024)
def code_at(statement, filename, line, name):
    """Code running statement at line (clipped to 1..MAX_LINE) of filename, named name (Relu.forward): a frame
    running it reads as one of that function's, in a traceback and to qualname()."""
    code = compile("\n" * (min(max(line, 1), MAX_LINE) - 1) + statement, filename, "exec")
    if sys.version_info >= (3, 11):
        return code.replace(co_name=name.rsplit(".", 1)[-1], co_qualname=name)
    # Python 3.10 has no co_qualname: the whole name goes in co_name, where qualname() finds it, there being no
    # source to read it from.
    return code.replace(co_name=name)
