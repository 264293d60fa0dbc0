"""A TOML rubric: the points of each layer and check, and who sees each check on Gradescope, without editing tests.

    [layers]        # a layer's total; its checks are scaled to add up to it
    Affine = 30
    [checks]        # one check's points; the other checks of its layer are scaled around it
    "Affine: backward_db" = 5
    [visibility]    # Gradescope's visibility of a check, or of every check of a layer
    "TwoLayerNet: own_layers_train" = "hidden"
    Sigmoid = "after_due_date"
    [aliases]       # where a submission keeps the book's names: read by the submission loader, not here

Points are whole or half points (GRID): a rubric that gives others is refused, and a layer's checks scaled to its
total are shared out on the grid by largest remainder (on_grid), so that they add up to it exactly.

read() parses and type-checks the file; resolve() checks every name against the declared checks and works out
each check's points and visibility once; Marking.apply() puts them on a GradeResult, so every report agrees.
"""
import dataclasses
import difflib
import math
from dataclasses import dataclass, field
from fractions import Fraction

from .book import ALL_LAYERS

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, if the tomli package is installed
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
TABLES = ("layers", "checks", "visibility", "aliases")
_EPSILON = 1e-9
GRID = Fraction(1, 2)  # scaled points are whole or half points: 2.5, never 3.94737


class RubricError(Exception):
    """A rubric that cannot be used: key names the message in the instructors' catalogue, params fill it in."""

    def __init__(self, key, **params):
        super().__init__(f"{key}: {params}")
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Rubric:
    path: str
    layers: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    visibility: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def _on_the_grid(path, tables):
    """RubricError unless every number in [layers] and [checks] is whole or half points."""
    for table in ("layers", "checks"):
        for name, value in tables.get(table, {}).items():
            if Fraction(value) % GRID:  # 2.5 is on the grid, 3.94737 is not: totals add up exactly
                raise RubricError("rubric_off_grid", path=path, table=table, name=name, value=value)


def read(path):
    """The Rubric in TOML file path, its tables and value types checked (names are checked by resolve)."""
    if tomllib is None:
        raise RubricError("rubric_needs_toml")
    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RubricError("rubric_unreadable", path=path, error=str(exc)) from None
    for table, value in data.items():
        if table not in TABLES or not isinstance(value, dict):
            raise RubricError("rubric_unknown_table", path=path, table=table, tables=", ".join(f"[{t}]" for t in TABLES))
    for table in ("layers", "checks"):
        for name, value in data.get(table, {}).items():
            if not _number(value):
                raise RubricError("rubric_bad_points", path=path, table=table, name=name, value=value)
    _on_the_grid(path, data)
    for name, value in data.get("visibility", {}).items():
        if value not in VISIBILITIES:
            raise RubricError("rubric_bad_visibility", path=path, name=name, value=value, choices=", ".join(VISIBILITIES))
    return Rubric(str(path), **{table: dict(data.get(table, {})) for table in TABLES})


def _unknown(path, table, name, known):
    # Compared without case first, so that a slip of case (backward_dB) suggests the name it misspells first.
    lowered = {k.lower(): k for k in known}
    close = [lowered[k] for k in difflib.get_close_matches(name.lower(), lowered, n=3, cutoff=0.6)]
    suggestion = ", ".join(f"'{c}'" for c in close) if close else ""
    key = "rubric_unknown_name_close" if close else "rubric_unknown_name"
    return RubricError(key, path=path, table=table, name=name, suggestion=suggestion)


@dataclass(frozen=True)
class Marking:
    """Each check's points and visibility under a rubric, keyed by title ("Affine: backward_db")."""

    path: str = None
    by_title: dict = field(default_factory=dict)

    def apply(self, result):
        """result with every check's points and visibility as the rubric makes them (scores follow the points)."""
        if not self.by_title:
            return result
        results = []
        for check_result in result.results:
            points, visibility = self.by_title.get(check_result.check.title, (None, None))
            if points is not None:
                check = dataclasses.replace(check_result.check, points=points, visibility=visibility)
                check_result = dataclasses.replace(check_result, check=check)
            results.append(check_result)
        return dataclasses.replace(result, results=results)

    def layer_totals(self):
        """{layer: points} in the book's order of layers, for the layers that have checks."""
        totals = {}
        for title, (points, _) in self.by_title.items():
            layer = title.split(": ")[0]
            totals[layer] = totals.get(layer, 0.0) + points
        return {layer: totals[layer] for layer in ALL_LAYERS if layer in totals}


NO_RUBRIC = Marking()


def on_grid(total, weights, grid=GRID):
    """total shared out in proportion to weights, each share a multiple of grid, the shares adding up to total
    exactly (largest remainder: each gets the whole grid steps of its quota, then the steps left over go to the
    largest fractions of a step, ties to the larger weight, then to the earlier). total is rounded to the grid
    first; weights are non-negative with a positive sum. The shares are floats, exact in binary."""
    steps = round(Fraction(total) / grid)
    weights = [Fraction(w) for w in weights]
    whole = sum(weights)
    quotas = [steps * w / whole for w in weights]
    shares = [math.floor(q) for q in quotas]
    left = steps - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - shares[i]), -weights[i], i))
    for i in order[:left]:
        shares[i] += 1
    return [float(n * grid) for n in shares]


def resolve(rubric, declared):
    """The Marking of rubric over the declared checks (Check objects of every layer); RubricError for a name
    that is not a declared layer or check, or points that cannot add up."""
    _on_the_grid(rubric.path, {"layers": rubric.layers, "checks": rubric.checks})
    titles = [c.title for c in declared]
    layers = list(dict.fromkeys(c.layer for c in declared))
    for name in rubric.layers:
        if name not in layers:
            raise _unknown(rubric.path, "layers", name, layers)
    for name in rubric.checks:
        if name not in titles:
            raise _unknown(rubric.path, "checks", name, titles)
    for name in rubric.visibility:
        if name not in titles and name not in layers:
            raise _unknown(rubric.path, "visibility", name, titles + layers)
    points = {c.title: float(rubric.checks.get(c.title, c.points)) for c in declared}
    for layer, total in rubric.layers.items():
        mine = [c for c in declared if c.layer == layer]
        named = sum(points[c.title] for c in mine if c.title in rubric.checks)
        others = [c for c in mine if c.title not in rubric.checks]
        base = sum(c.points for c in others)
        rest = total - named
        if rest < -_EPSILON:
            raise RubricError("rubric_over_layer", path=rubric.path, layer=layer, named=f"{named:g}", total=f"{total:g}")
        if rest > _EPSILON and base == 0:
            raise RubricError(
                "rubric_nothing_to_scale", path=rubric.path, layer=layer, named=f"{named:g}", total=f"{total:g}"
            )
        shares = on_grid(Fraction(rest), [c.points for c in others]) if base else [0.0] * len(others)
        for c, share in zip(others, shares):
            points[c.title] = share
    by_title = {}
    for c in declared:
        visibility = rubric.visibility.get(c.title, rubric.visibility.get(c.layer, c.visibility))
        by_title[c.title] = (points[c.title], visibility)
    return Marking(rubric.path, by_title)
