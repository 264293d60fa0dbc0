"""A function's qualified name (Relu.forward, not forward) from its code object, on every Python the grader
supports: Python 3.11's co_qualname, or on 3.10, which has none, the same name read from the source the code was
compiled from. Feedback names the method that failed and the mutants' hints find the function they changed by it.

Standard library only: the workers load it by its path (isolation/worker.py).
"""
import ast
import linecache
from functools import lru_cache


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
