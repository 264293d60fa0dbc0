"""Chapter 6's optimizers: update(params, grads) changes the arrays of params in place, by the book's steps, with
the state (velocity, history, moments) an optimizer keeps from one call to the next and never shares."""
import numpy as np

from backprop_grader.diagnose import RTOL, expect_close, likely_mistake
from backprop_grader.feedback import CheckFailure

from .marks import check_each

# Adam's eps may sit outside the square root's bias correction (the paper's form): up to ~1e-4 of a step where a
# gradient is small. A step with the bias correction of another step is off by a third or more.
STEP_RTOL = {"Adam": 1e-3}
STEPS = 3
EPS = 1e-7


def _problem(seed):
    """Two parameters, a matrix and a vector, and the gradients of STEPS updates, all fixed."""
    rng = np.random.default_rng(seed)
    params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    grads = [{key: rng.standard_normal(value.shape) for key, value in params.items()} for _ in range(STEPS)]
    return params, grads


def _copy(params):
    return {key: value.copy() for key, value in params.items()}


class _Forgetful:
    """What an optimizer that makes its state anew at every call does: each step a fresh one's first."""

    def __init__(self, ref, layer):
        self.ref, self.layer = ref, layer

    def update(self, params, grads):
        getattr(self.ref, self.layer)().update(params, grads)


class _AdamCorrectedAt:
    """Adam with its bias correction at step iter + shift (or none at all: shift None)."""

    def __init__(self, shift, lr=0.001, beta1=0.9, beta2=0.999):
        self.shift, self.lr, self.beta1, self.beta2 = shift, lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(value) for key, value in params.items()}
            self.v = {key: np.zeros_like(value) for key, value in params.items()}
        self.iter += 1
        t = self.iter + (self.shift or 0)
        with np.errstate(all="ignore"):  # corrected at step 0: 0 / 0, a step no submission's matches
            lr_t = self.lr if self.shift is None else self.lr * np.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + EPS)


def _mistakes(ref, layer):
    """(hint key, an optimizer making that mistake), for the steps a wrong optimizer's may match."""
    known = [("hint_optimizer_forgets_state", _Forgetful(ref, layer))]
    if layer == "Nesterov":
        known.append(("hint_nesterov_is_momentum", ref.Momentum()))
    if layer == "Adam":
        known += [("hint_adam_no_bias_correction", _AdamCorrectedAt(None)),
                  ("hint_adam_bias_correction", _AdamCorrectedAt(1)),
                  ("hint_adam_bias_correction", _AdamCorrectedAt(-1))]
    return known


@check_each({"SGD": 4, "Momentum": 4, "Nesterov": 4, "AdaGrad": 4, "RMSprop": 4, "Adam": 4})
def test_update_in_place(impl, layer):
    """update changes the very arrays params holds, in place (params[key] -= ...), as the network's layers hold them too."""
    params, grads = _problem(0)
    held, before = dict(params), _copy(params)
    getattr(impl, layer)().update(params, grads[0])
    for key, array in held.items():
        # Isolated, a rebound params[key] stays in the worker's copy of the dict: here the array is just unchanged.
        unchanged = np.array_equal(array, before[key])
        if unchanged or params[key] is not array:
            hint = "hint_optimizer_not_in_place" if unchanged else None
            raise CheckFailure("params_not_changed_in_place", hint=hint, what=f"{layer}.update(params, grads)",
                               name=key)


@check_each({"SGD": 4, "Momentum": 6, "Nesterov": 6, "AdaGrad": 6, "RMSprop": 6, "Adam": 8})
def test_steps(impl, ref, layer):
    """three updates in a row take the book's steps, the state kept from call to call, and a second optimizer starts afresh."""
    params, grads = _problem(1)
    # Two new optimizers take the same first step from the same params: unless state lives in the class (or the
    # module), where earlier checks' optimizers left theirs too, so that even the first run below starts from it.
    alike = [_copy(params), _copy(params)]
    for moved in alike:
        getattr(impl, layer)().update(moved, grads[0])
    shared = any(not np.array_equal(alike[0][key], alike[1][key]) for key in params)
    for run, updates in (("first", STEPS), ("second", 1)):
        mine, expected, mistakes = getattr(impl, layer)(), getattr(ref, layer)(), _mistakes(ref, layer)
        right = _copy(params)
        for step in range(updates):
            # Each step from where the right one left, told by the step taken: a mistake does not drift.
            before = _copy(right)
            theirs = _copy(right)
            held = dict(theirs)
            mine.update(theirs, grads[step])
            expected.update(right, grads[step])
            predicted = []
            for hint_key, model in mistakes:
                moved = _copy(before)
                model.update(moved, grads[step])
                predicted.append((hint_key, moved))
            for key in params:
                taken = held[key] - before[key]
                hint = likely_mistake(taken, [(k, moved[key] - before[key]) for k, moved in predicted])
                if not np.any(taken):
                    hint = "hint_optimizer_not_in_place"
                elif run == "second" or shared:
                    hint = "hint_optimizer_shared_state"
                expect_close(taken, right[key] - before[key], f"{layer}.update(params, grads) #{step + 1}",
                             inputs={f"params['{key}']": before[key], f"grads['{key}']": grads[step][key]},
                             hint=hint, rtol=STEP_RTOL.get(layer, RTOL))
