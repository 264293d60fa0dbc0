"""Which single change of the reference behaves like a submission on the input where one of its checks failed.

When a check fails (and has no hand-written hint), its body runs again on the same failing example: once on the
submission, recording every value the check compared (compared.py) and how it ended, then once per mutant of the
check's layer (table.py), the reference changed in one place, in place of the submission. A mutant reproduces
the failure when it gives every compared value the submission gave, within diagnose's tolerance, and ends the
same way (the same failure, or the same exception and message: runs.py). If the mutants that reproduce it all
make one change (after setting aside those that behave otherwise on the check's other inputs, or fail a check the
submission passed, and preferring those whose changed line is the one that raised), and that change is where the
failure is (_Failure.one_change), the failure's hint names it:
"Relu.forward behaves like `self.mask = x < 0`, where the reference has `self.mask = x <= 0`".

The mutants run in the grader's process: they are the reference's own code. The submission's code runs where
it always does (in its worker, isolated), on the same input and numpy seed as the mutants. Nothing here runs
unless a check failed.
"""
import linecache
import re
from dataclasses import dataclass
from functools import lru_cache

from ..counting import CountingLayers
from ..feedback import CheckFailure
from ..loader import load
from ..qualnames import qualname
from ..results import SubmissionError
from ..shipped import REFERENCE_DIR
from . import runs, table


@dataclass(frozen=True)
class Diagnosis:
    mutant: table.Mutant

    @property
    def hint(self):
        return f"hint_mutant_{self.mutant.family}"

    @property
    def params(self):
        m = self.mutant
        # The id says which change it is, for a class's count of mistakes (report/common.py mistake_of).
        return {"method": m.method, "yours": m.mutated, "reference": m.original, "mutant": m.id}


def _worth_diagnosing(exc):
    """A failure without a hand-written hint (those come first), that the submission's code can be behind: not a
    missing name or file, nor an unimplemented method."""
    if isinstance(exc, CheckFailure):
        return exc.hint is None
    return isinstance(exc, Exception) and not isinstance(exc, (NotImplementedError, SubmissionError))


@lru_cache(maxsize=None)
def _net_layers():
    """The reference's layers a mutant of the net runs on, counting their calls as the `net_layers` fixture's do."""
    return CountingLayers(_reference())


def _fixtures_for(layer, fixtures, mutant=None, called=None):
    """The check's fixtures with the mutant (None: the reference itself) standing in for the code under test,
    or, given the set called, the reference adding to it the qualname of each of its functions that runs. None
    for a check of the net on the submission's own layers, where no mutant of the net stands for both."""
    if layer != "TwoLayerNet":
        module = table.layers_module(mutant)
        return {**fixtures, "impl": table.Layers(module if called is None else table.traced(module, called))}
    if "impl" in fixtures:
        return None
    net_layers = _net_layers()
    module = table.net_module(mutant, net_layers)
    net = (module if called is None else table.traced(module, called)).TwoLayerNet
    stand_ins = {"net_class": net, "layer_calls": net_layers.calls}
    return {**fixtures, **{name: value for name, value in stand_ins.items() if name in fixtures}}


def _reference_run(test, layer, fixtures, kwargs, seed):
    """(the qualnames of the reference's functions a check runs, how many numbers it compares) when the
    reference stands in for the submission."""
    called, compared = set(), []
    runs.run(test, _fixtures_for(layer, fixtures, called=called), kwargs, seed, lambda value: compared.append(runs.snapshot(value)))
    return called, runs.size(tuple(compared))


def diagnose(item, exc, layer, seed, suspects, passed=()):
    """The Diagnosis of a failed check (item, the exception it raised, its layer), or None when no one change of
    the layer's mutants reproduces it. suspects: the grade's Suspects; passed: the items of the layer's checks
    the submission passed so far."""
    if not _worth_diagnosing(exc):
        return None
    test = item.obj
    handle = getattr(test, "hypothesis", None)
    kwargs = {}
    if handle is not None:
        kwargs = runs.falsifying_kwargs(exc, set(handle._given_kwargs))
        if kwargs is None:
            return None
        test = handle.inner_test
    fixtures = {name: value for name, value in item.funcargs.items() if name not in kwargs and name in runs.parameters(test)}
    if _fixtures_for(layer, fixtures) is None:
        return None
    replayed = runs.submissions_run(test, fixtures, kwargs, seed)
    if replayed is None:
        return None
    theirs, outcome = replayed
    if not runs.same_outcome(outcome, runs.outcome_of(exc), bool(theirs)):
        return None

    raised_at = {}  # mutant -> where its run raised (_where_raised), of those that reproduce the failure

    def reproduces(mutant):
        raised = []
        if not runs.reproduces(test, _fixtures_for(layer, fixtures, mutant), kwargs, seed, theirs, outcome, raised):
            return False
        if raised:
            raised_at[mutant] = _where_raised(raised[0], layer)
        return True

    elsewhere = _Elsewhere(item.obj, kwargs, fixtures, layer, seed)
    failure = _Failure(exc, layer, raised_at, elsewhere.everywhere)

    def named(found):
        """The Diagnosis of the mutants found that reproduce the failure: ties broken on the check's other inputs,
        and no change named that fails a check the submission passed."""
        if _changes(failure.on_the_line_if_several(found)) > 1:
            found = elsewhere.agreeing(found)
        found = failure.on_the_line_if_several(found)
        return failure.one_change(_passing_what_it_passed(found, passed, item.funcargs, layer, seed, suspects.verdicts))

    found, large = suspects.search(layer, reproduces, lambda: _reference_run(test, layer, fixtures, kwargs, seed))
    diagnosis = named(found)
    if diagnosis is None and large:
        suspects.wait(layer, item.nodeid, lambda pool: named([m for m in pool if reproduces(m)]))
    return diagnosis


class _Failure:
    """Where a failure happened, as the mutants that reproduce it are judged by: the function its message names
    (its `what`: "Relu.backward(dout)", or "accuracy(x, t)" for the net's), or the function and statement that
    raised (_where_raised); raised_at, where each mutant that reproduces it raised; everywhere(mutant), whether
    a mutant behaves as the submission on each of the check's other inputs (_Elsewhere.everywhere)."""

    def __init__(self, exc, layer, raised_at, everywhere):
        self.where = _where_raised(exc, layer)
        self.what = str(getattr(exc, "params", {}).get("what", ""))
        self.raised_at = raised_at
        self.everywhere = everywhere

    def in_failing(self, mutant):
        """Whether mutant changes the function the failure names, or the one that raised."""
        return _names(self.what, mutant.function) or bool(self.where) and mutant.function == self.where[0]

    def on_the_line(self, mutant):
        """Whether mutant's changed statement is the very line that raised."""
        return bool(self.where) and self.where[1] is not None and table.statement_structure(mutant.mutated) == self.where[1]

    def upstream(self, mutant):
        """Whether mutant, a change of another function, raised where the submission raised: in the same
        function, at the same statement, which is then the reference's own, unchanged (Sigmoid.backward's
        `dx = 1.0 - self.out`). That line is right as the submission wrote it: what it read is not, and the
        mutant's function is where that went wrong (`self.out = out` left out of forward)."""
        return bool(self.where) and self.where[1] is not None and self.raised_at.get(mutant) == self.where

    def on_the_line_if_several(self, found):
        """found, or where it makes several changes and some of them are on the line that raised, those."""
        if _changes(found) > 1:
            return [m for m in found if self.on_the_line(m)] or found
        return found

    def one_change(self, found):
        """The Diagnosis if the mutants found all make one change, or those of them whose changed statement is the
        very line that raised do (the submission has that line as the mutant has it); None where several changes
        remain: which of them the learner made is not known (a mask inverted in Relu.forward and the arguments of
        np.where swapped in Relu.backward fail every check alike).

        Where the failure names the function that went wrong, the change must be of that very function; or, where
        it raised, upstream of it; or, where it compared a value, of a function whose change gives every value the
        submission gives on each of the check's other inputs too (`e /= total` left out of SoftmaxWithLoss.forward
        for a wrong backward). A changed forward can give the same numbers as a learner's wrong backward on one
        input, and naming the forward would send them to fix what is right."""
        found = self.on_the_line_if_several(found)
        if _changes(found) != 1:
            return None
        chosen = found[0]
        named = bool(self.where) or "(" in self.what
        if not named or self.in_failing(chosen) or self.upstream(chosen) or self.where is None and self.everywhere(chosen):
            return Diagnosis(chosen)
        return None


def _names(what, function):
    """Whether a failure's `what` names function: "Relu.backward(dout)" names Relu.backward; a method called
    without its class, "accuracy(x, t)" (the net's), names it too, but "numerical_gradient(x, t)" does not name
    gradient, nor "SoftmaxWithLoss.forward(x, t)" softmax."""
    method = function.rpartition(".")[2]
    return any(re.search(rf"(?<![\w.]){re.escape(name)}\(", what) for name in {function, method})


def _change(mutant):
    """What a Diagnosis of mutant says: two mutants that say the same are one change."""
    return mutant.family, mutant.function, mutant.original, mutant.mutated


def _changes(found):
    return len({_change(m) for m in found})


class _Elsewhere:
    """The check's other inputs: its explicit examples (the inputs it always tries) other than the failing one, and
    its diagnosis examples (tests/checks/marks.py, tried only here). The submission is run on each at most once."""

    def __init__(self, test, failing, fixtures, layer, seed):
        handle = getattr(test, "hypothesis", None)
        self.body = test if handle is None else handle.inner_test
        explicit = [e.kwargs for e in getattr(test, "hypothesis_explicit_examples", ())]
        self.inputs = [kwargs for kwargs in explicit if kwargs != failing] + list(getattr(test, "diagnosis_examples", ()))
        self.fixtures, self.layer, self.seed = fixtures, layer, seed
        self.theirs = {}

    def _agrees(self, mutant, index):
        """Whether mutant behaves as the submission on input index (None: the submission ran out of time)."""
        if index not in self.theirs:
            self.theirs[index] = runs.submissions_run(self.body, self.fixtures, self.inputs[index], self.seed)
        if self.theirs[index] is None:
            return None
        theirs, outcome = self.theirs[index]
        mutants = _fixtures_for(self.layer, self.fixtures, mutant)
        return runs.reproduces(self.body, mutants, self.inputs[index], self.seed, theirs, outcome)

    def agreeing(self, found):
        """Of the mutants found, those that also behave as the submission on the other inputs: where the failing
        example leaves several kinds of change, another input may not."""
        for index in range(len(self.inputs)):
            agreeing = [m for m in found if self._agrees(m, index)]
            found = agreeing or found
            if _changes(found) == 1:
                break
        return found

    def everywhere(self, mutant):
        """Whether mutant behaves as the submission on every other input, of which there is one at least."""
        return bool(self.inputs) and all(self._agrees(mutant, index) for index in range(len(self.inputs)))


def _passing_what_it_passed(found, passed, available, layer, seed, verdicts):
    """Of the mutants found, those that pass the checks of the layer the submission passed (the items passed),
    on the inputs those checks are known to have tried: their explicit examples, or the whole of a check that
    draws none. A change that fails a check the submission passed is not the submission's mistake (predict
    without its layers behaves in gradient as a loss that skips predict does, but fails predict's check); where
    each of them does, none is. available: the fixtures at hand (the failed check's); verdicts: the grade's
    {(change, check, input): whether the change passes}, each tried once a grade, on one mutant of the change."""

    def passes(mutant, other, body, kwargs, fixtures):
        key = (_change(mutant), other.nodeid, repr(kwargs))
        if key not in verdicts:
            verdicts[key] = runs.run(body, _fixtures_for(layer, fixtures, mutant), kwargs, seed, _ignore) is None
        return verdicts[key]

    for other in passed:
        if not found:
            break
        handle = getattr(other.obj, "hypothesis", None)
        body = other.obj if handle is None else handle.inner_test
        examples = [{}] if handle is None else [e.kwargs for e in getattr(other.obj, "hypothesis_explicit_examples", ())]
        for kwargs in examples:
            needed = [name for name in runs.parameters(body) if name not in kwargs]
            fixtures = {name: available[name] if name in available else _reference() for name in needed if name in available or name == "ref"}
            if len(fixtures) < len(needed) or _fixtures_for(layer, fixtures) is None:
                continue
            found = [m for m in found if passes(m, other, body, kwargs, fixtures)]
    return found


def _ignore(value):
    pass


@lru_cache(maxsize=None)
def _reference():
    """The reference, as the checks' `ref` fixture gives it (chapter 5's: the mutants are of it)."""
    return load(REFERENCE_DIR)


def _where_raised(exc, layer):
    """(qualname, statement) of the innermost frame of exc in a function layer's mutants change (Affine.backward,
    not NumPy's code it called; TwoLayerNet.predict, not the reference's layers it runs on), the statement as its
    syntax tree (table.statement_structure: None for a line that does not parse alone), which compares with a
    mutant's; None for a CheckFailure, which the check raised, not the code under it."""
    if isinstance(exc, CheckFailure):
        return None
    functions = {m.function for m in table.of_layer(layer)}
    frames, tb = [], exc.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame.f_code, tb.tb_lineno))
        tb = tb.tb_next
    for code, line in reversed(frames):
        name = qualname(code)
        if name in functions:
            return name, table.statement_structure(linecache.getline(code.co_filename, line).strip())
    return None


