"""TwoLayerNet.gradient is graded as backpropagation (issue #16): the reference layers the net runs on count their
calls (backprop_grader/counting.py), in this process and in the isolation worker alike, and the check
TwoLayerNet: gradient_backpropagates fails a gradient that differentiates numerically (however it hides it) and
passes the book's, without the counting changing anything else a check sees."""
import copy
from pathlib import Path

import numpy as np
import pytest
from submissions import line_of, reference_with

from backprop_grader.counting import CountingLayers
from backprop_grader.run import grade_many

CHECK = "TwoLayerNet: gradient_backpropagates"

NUMERICAL = '''
class TwoLayerNet(TwoLayerNet):
    def gradient(self, x, t):
        return self.numerical_gradient(x, t)
'''

# The numerical gradient of a copy, then one backward pass through its own layers so that they were "used".
COPY_THEN_ONE_PASS = '''
import copy


class TwoLayerNet(TwoLayerNet):
    def gradient(self, x, t):
        grads = copy.deepcopy(self).numerical_gradient(x, t)
        super().gradient(x, t)
        return grads
'''

# A loss per param entry, by hand (self.loss, not numerical_gradient), then one backward pass.
LOSS_PER_ENTRY = '''
class TwoLayerNet(TwoLayerNet):
    def gradient(self, x, t):
        grads = {}
        for key, param in self.params.items():
            grad = np.zeros_like(param)
            for i in np.ndindex(param.shape):
                kept = param[i]
                param[i] = kept + 1e-4
                up = self.loss(x, t)
                param[i] = kept - 1e-4
                down = self.loss(x, t)
                param[i] = kept
                grad[i] = (up - down) / 2e-4
            grads[key] = grad
        super().gradient(x, t)
        return grads
'''

# Right: backpropagation written out, checking itself against nothing; and layers called with a wrong argument,
# whose error must be located in the submission, not in the counter between it and the layer.
BACKPROP_BY_NAME = '''
class TwoLayerNet(TwoLayerNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward()
        for name in ("Affine2", "Relu1", "Affine1"):
            dout = self.layers[name].backward(dout=dout)
        first, second = self.layers["Affine1"], self.layers["Affine2"]
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}
'''

WRONG_CALL = '''
class TwoLayerNet(TwoLayerNet):
    def predict(self, x):
        return self.layers["Affine2"].forward(self.layers["Relu1"].forward(self.layers["Affine1"].forward(x), 0))
'''


def test_counting_layers_count_every_instance_and_look_like_the_reference(ref):
    layers = CountingLayers(ref)
    module = layers._module("layers")
    Affine = module.Affine
    assert Affine.__name__ == "Affine" and Affine.__qualname__ == "Affine" and issubclass(Affine, ref._module("layers").Affine)
    assert Affine.forward.__doc__ == ref._module("layers").Affine.forward.__doc__
    assert layers._module("layers") is module and module.softmax is ref._module("layers").softmax
    assert layers._module("gradient").numerical_gradient is ref._module("gradient").numerical_gradient
    first, second = Affine(np.ones((2, 3)), np.zeros(3)), copy.deepcopy(Affine(np.ones((2, 3)), np.zeros(3)))
    x = np.ones((4, 2))
    np.testing.assert_array_equal(first.forward(x), ref.Affine(np.ones((2, 3)), np.zeros(3)).forward(x))
    second.forward(x)
    second.backward(np.ones((4, 3)))
    assert layers.calls()["Affine"] == [2, 1]
    assert layers.calls()["Relu"] == [0, 0]
    # As intake.py reaches them: by name, counting too, the same class each time.
    assert layers.Relu is layers.Relu and layers.Relu.__name__ == "Relu"
    relu = layers.Relu()
    relu.forward(np.array([1.0, -1.0]))
    assert layers.calls()["Relu"] == [1, 0]
    assert layers.softmax is ref.softmax
    with pytest.raises(AttributeError):
        layers._nothing  # noqa: B018


@pytest.fixture(scope="module")
def graded_nets(tmp_path_factory):
    """The nets above on the reference's layers, TwoLayerNet's checks only, in this process and isolated."""
    root = tmp_path_factory.mktemp("backprop")
    nets = {"numerical": NUMERICAL, "copy_then_one_pass": COPY_THEN_ONE_PASS, "loss_per_entry": LOSS_PER_ENTRY,
            "backprop_by_name": BACKPROP_BY_NAME, "wrong_call": WRONG_CALL, "reference": None}
    paths = {name: reference_with(root / name, append=code, file="two_layer_net.py") for name, code in nets.items()}
    graded = {}
    for isolate in (False, True):
        results = grade_many(list(paths.values()), layers=["TwoLayerNet"], isolate=isolate)
        graded |= {(name, isolate): result for name, result in zip(paths, results)}
    return graded


def _outcome(result):
    return {r.check.title: r for r in result.results}[CHECK]


@pytest.mark.parametrize("isolate", [False, True], ids=["in_process", "isolated"])
@pytest.mark.parametrize("name", ["numerical", "copy_then_one_pass", "loss_per_entry"])
def test_a_numerical_gradient_fails_the_check_and_is_told_why(graded_nets, name, isolate):
    outcome = _outcome(graded_nets[(name, isolate)])
    assert outcome.failure is not None and outcome.failure.key == "net_gradient_not_backprop", outcome.failure
    assert outcome.failure.hint == "hint_net_backprop"
    assert outcome.check.points > 0
    text = outcome.failure.render("en")
    assert "chapter 5 exists to replace the numerical gradient with backpropagation" in text
    if name == "numerical":
        assert "Affine.forward: 172, Affine.backward: 0, Relu.forward: 86, Relu.backward: 0" in text


@pytest.mark.parametrize("isolate", [False, True], ids=["in_process", "isolated"])
def test_the_numerical_gradient_loses_that_check_only(graded_nets, isolate):
    result = graded_nets[("numerical", isolate)]
    assert {r.check.title for r in result.results if r.failure is not None} == {CHECK}


@pytest.mark.parametrize("isolate", [False, True], ids=["in_process", "isolated"])
@pytest.mark.parametrize("name", ["reference", "backprop_by_name"])
def test_backpropagation_keeps_full_marks(graded_nets, name, isolate):
    result = graded_nets[(name, isolate)]
    assert result.score == result.max_score == 16, [r.failure for r in result.results if r.failure]


@pytest.mark.parametrize("isolate", [False, True], ids=["in_process", "isolated"])
def test_an_error_in_a_counted_layer_is_located_in_the_submission(graded_nets, isolate):
    result = graded_nets[("wrong_call", isolate)]
    failure = _outcome(result).failure
    line = line_of(Path(result.submission) / "two_layer_net.py", ".forward(x), 0)")
    assert failure.key == "raised", failure
    assert failure.render("en").endswith(f"(two_layer_net.py, line {line})"), failure.render("en")
