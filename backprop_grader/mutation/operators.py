"""Single changes of a function's syntax tree, one family of learner's slip each, found and applied by position.

A mutant is a Site: the function (its qualname in the file), the index of the changed node in ast.walk of that
function, and which of the node's changes (variant). Walking the same source gives the same sites in the same
order, so a Site found once applies again to a fresh parse: no mutated source is stored anywhere.
"""
import ast
from dataclasses import dataclass

# Each family is a kind of slip with its own sentence in every language (i18n/*/mutants.json: hint_mutant_FAMILY).
FAMILIES = (
    "compare", "arithmetic", "sign", "transpose", "axis", "keepdims", "sum_mean", "max_min", "exp_log",
    "drop_term", "drop_factor", "swap_args", "index", "no_copy", "no_return", "drop_statement",
)

_COMPARE = {
    ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.GtE), ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt, ast.LtE),
    ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,),
}
_ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.MatMult: ast.Mult}
_RENAMES = {
    "sum": ("sum_mean", "mean"), "mean": ("sum_mean", "sum"), "max": ("max_min", "min"), "min": ("max_min", "max"),
    "maximum": ("max_min", "minimum"), "minimum": ("max_min", "maximum"), "argmax": ("max_min", "argmin"),
    "exp": ("exp_log", "log"), "log": ("exp_log", "exp"),
}
# Functions whose two arguments commute: swapping them changes nothing.
_COMMUTATIVE = {"maximum", "minimum"}
_OTHER_INDEX = {0: (1,), 1: (0,), -1: (0,)}
_OTHER_AXIS = {0: (1,), 1: (0,), -1: (0,)}


@dataclass(frozen=True)
class Site:
    function: str  # qualname within its file: "Relu.backward", "softmax"
    position: int  # index of the node in list(ast.walk(function))
    variant: int  # which of that node's changes
    family: str


def functions(tree):
    """(qualname, FunctionDef) of each function and method at the top of the module or of its classes."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    yield f"{node.name}.{item.name}", item


def _int_constant(node):
    """The int a node spells (0, 1, -1), or None for anything else."""
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None
    return value if type(value) is int else None


def _name_of_call(call):
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def _renamed(call, new):
    call = _copy(call)
    if isinstance(call.func, ast.Attribute):
        call.func.attr = new
    else:
        call.func.id = new
    return call


def _copy(node):
    return ast.parse(ast.unparse(node), mode="eval").body if isinstance(node, ast.expr) else node


def _with(node, **fields):
    node = _copy(node)
    for name, value in fields.items():
        setattr(node, name, value)
    return node


def _call_changes(call):
    changes = []
    name = _name_of_call(call)
    if name in _RENAMES:
        family, new = _RENAMES[name]
        changes.append((family, lambda: _renamed(call, new)))
    if name == "copy" and isinstance(call.func, ast.Attribute) and not call.args and not call.keywords:
        changes.append(("no_copy", lambda: _copy(call.func.value)))
    for i, keyword in enumerate(call.keywords):
        rest = call.keywords[:i] + call.keywords[i + 1 :]
        if keyword.arg == "axis":
            for other in _OTHER_AXIS.get(_int_constant(keyword.value), ()):
                moved = ast.keyword("axis", ast.Constant(other))
                changes.append(("axis", lambda moved=moved, i=i, rest=rest: _with(call, keywords=[*rest[:i], moved, *rest[i:]])))
            changes.append(("axis", lambda rest=rest: _with(call, keywords=rest)))
        elif keyword.arg == "keepdims":
            changes.append(("keepdims", lambda rest=rest: _with(call, keywords=rest)))
    if name not in _COMMUTATIVE:
        # np.where's condition swapped with a value is no slip anyone makes: only its two values are swapped.
        for i in range(1 if name == "where" else 0, len(call.args) - 1):
            if not any(isinstance(a, ast.Starred) for a in call.args[i : i + 2]):
                swapped = [*call.args[:i], call.args[i + 1], call.args[i], *call.args[i + 2 :]]
                changes.append(("swap_args", lambda swapped=swapped: _with(call, args=swapped)))
    return changes


def _binop_changes(node):
    op = type(node.op)
    changes = []
    if op in _ARITHMETIC:
        changes.append(("arithmetic", lambda: _with(node, op=_ARITHMETIC[op]())))
    if op in (ast.Add, ast.Sub):
        changes += [("drop_term", lambda: _copy(node.left)), ("drop_term", lambda: _copy(node.right))]
    elif op in (ast.Mult, ast.MatMult):
        changes += [("drop_factor", lambda: _copy(node.left)), ("drop_factor", lambda: _copy(node.right))]
    elif op is ast.Div:
        changes.append(("drop_factor", lambda: _copy(node.left)))
    if op in (ast.Sub, ast.Div, ast.MatMult):
        changes.append(("swap_args", lambda: _with(node, left=node.right, right=node.left)))
    return changes


def _index_changes(node):
    """Constant integer subscripts, alone or in a tuple: x.shape[0] for x.shape[1], total[:, 0] for total[:, 1]."""
    parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    changes = []
    for i, part in enumerate(parts):
        for other in _OTHER_INDEX.get(_int_constant(part), ()):
            new = [*parts[:i], ast.Constant(other), *parts[i + 1 :]]
            index = ast.Tuple(new, ast.Load()) if isinstance(node.slice, ast.Tuple) else new[0]
            changes.append(("index", lambda index=index: _with(node, slice=index)))
    return changes


def _is_docstring(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _statement_changes(node):
    """Leaving a line out. Setting an attribute to None (an initialiser in __init__) is not left out: forward
    sets it before anything reads it, so no check could tell."""
    if isinstance(node, ast.Return) and node.value is not None:
        return [("no_return", None)]
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) and not _is_docstring(node):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is None:
            return []
        return [("drop_statement", None)]
    return []


def changes(node):
    """(family, build) for each single change of node: build() returns its replacement, None for a statement
    that is left out."""
    if isinstance(node, ast.stmt):
        found = _statement_changes(node)
        if isinstance(node, ast.AugAssign) and type(node.op) in _ARITHMETIC:
            found.append(("arithmetic", lambda: _with(node, op=_ARITHMETIC[type(node.op)]())))
        return found
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return [("compare", lambda new=new: _with(node, ops=[new()])) for new in _COMPARE.get(type(node.ops[0]), ())]
    if isinstance(node, ast.BinOp):
        return _binop_changes(node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and not isinstance(node.operand, ast.Constant):
        return [("sign", lambda: _copy(node.operand))]
    if isinstance(node, ast.Attribute) and node.attr == "T":
        return [("transpose", lambda: _copy(node.value))]
    if isinstance(node, ast.Call):
        return _call_changes(node)
    if isinstance(node, ast.Subscript):
        return _index_changes(node)
    return []


def sites(tree):
    """Every Site of the module's functions, in a fixed order."""
    for qualname, function in functions(tree):
        for position, node in enumerate(ast.walk(function)):
            if node is function:
                continue
            for variant, (family, _) in enumerate(changes(node)):
                yield Site(qualname, position, variant, family)


def _parents(function):
    return {child: parent for parent in ast.walk(function) for child in ast.iter_child_nodes(parent)}


def _parent(function, node):
    return next(p for p in ast.walk(function) if any(c is node for c in ast.iter_child_nodes(p)))


def _replace(parent, old, new):
    for field, value in ast.iter_fields(parent):
        if value is old:
            setattr(parent, field, new)
            return
        if isinstance(value, list) and any(v is old for v in value):
            index = next(i for i, v in enumerate(value) if v is old)
            if new is None:
                del value[index]
                if not value and field == "body":
                    value.append(ast.copy_location(ast.Pass(), old))
            else:
                value[index] = new
            return
    raise ValueError("node not found in its parent")


def _shown(node, parents):
    """What a learner reads of the change: the statement holding node, or a compound statement's header line."""
    while not isinstance(node, ast.stmt):
        node = parents[node]
    if isinstance(node, ast.If):
        return f"if {ast.unparse(node.test)}:"
    if isinstance(node, ast.For):
        return f"for {ast.unparse(node.target)} in {ast.unparse(node.iter)}:"
    return ast.unparse(node)


def _located(new, old):
    """new, and every node in it, at old's place in the file (its lines are those a traceback shows)."""
    for node in ast.walk(new):
        ast.copy_location(node, old)
    return new


def _change(tree, site):
    function = dict(functions(tree))[site.function]
    node = list(ast.walk(function))[site.position]
    family, build = changes(node)[site.variant]
    if family != site.family:
        raise ValueError(f"{site} does not fit this source: its change there is {family}")
    return function, node, build


def _place(function, node, build, parent=None):
    """Put build()'s replacement of node where node is (or leave node out); return the replacement."""
    new = build() if build is not None else None
    if new is not None and not isinstance(new, ast.stmt):
        new = _located(new, node)
    _replace(parent or _parent(function, node), node, new)
    return new


def apply(tree, site):
    """Apply site to tree, in place."""
    _place(*_change(tree, site))


def describe(tree, site):
    """Apply site to tree, in place; return (original, mutated): the changed statement before and after
    (mutated is "" where the statement is left out)."""
    function, node, build = _change(tree, site)
    parents = _parents(function)
    original = _shown(node, parents)
    new = _place(function, node, build, parents[node])
    return original, "" if new is None else _shown(new, _parents(function))
