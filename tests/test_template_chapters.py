"""The chapter-6 and chapter-7 templates as committed: the book's API, in which every method a learner fills in
raises the template's friendly NotImplementedError, naming itself and the file to fill in."""
import importlib
import inspect
import sys
import types

import numpy as np
import pytest
from submissions import TEMPLATE

X4 = np.ones((2, 1, 6, 6))
# What each class is made with, and what each of its methods is called with.
CALLS = {
    "chapter6.optimizer": {name: ((), {"update": ({"w": np.ones(2)}, {"w": np.ones(2)})})
                           for name in ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")},
    "chapter6.layers": {
        "Dropout": ((), {"forward": (np.ones((2, 3)),), "backward": (np.ones((2, 3)),)}),
        "BatchNormalization": ((np.ones(3), np.zeros(3)), {"forward": (np.ones((2, 3)),),
                                                           "backward": (np.ones((2, 3)),)}),
    },
    "chapter7.layers": {
        "Convolution": ((np.ones((2, 1, 3, 3)), np.zeros(2)), {"forward": (X4,), "backward": (np.ones((2, 2, 4, 4)),)}),
        "Pooling": ((2, 2), {"forward": (X4,), "backward": (np.ones((2, 1, 3, 3)),)}),
    },
}
FUNCTIONS = {"chapter7.util": {"im2col": (X4, 3, 3), "col2im": (np.ones((32, 9)), X4.shape, 3, 3)}}
NET_METHODS = {"predict": (X4,), "loss": (X4, np.zeros(2, dtype=int)), "accuracy": (X4, np.zeros(2, dtype=int)),
               "gradient": (X4, np.zeros(2, dtype=int))}


@pytest.fixture(scope="module")
def template():
    """The committed template imported as a package: its chapters' relative imports reach its chapter 5."""
    name = "_chapters_template"
    package = types.ModuleType(name)
    package.__path__ = [str(TEMPLATE)]
    sys.modules[name] = package
    yield lambda module: importlib.import_module(f"{name}.{module}")
    for loaded in [n for n in sys.modules if n == name or n.startswith(name + ".")]:
        del sys.modules[loaded]


def raises_todo(call, what, file):
    with pytest.raises(NotImplementedError) as raised:
        call()
    assert str(raised.value) == (f"{what} is not implemented yet: fill it in in {file} (see its docstring).")


def cases():
    for module, classes in CALLS.items():
        for cls, (made_with, methods) in classes.items():
            for method, args in methods.items():
                yield pytest.param(module, cls, made_with, method, args, id=f"{cls}.{method}")


@pytest.mark.parametrize("module,cls,made_with,method,args", list(cases()))
def test_every_layer_and_optimizer_method_says_not_implemented(template, module, cls, made_with, method, args):
    """A learner who runs an empty method is told which one, and in which file to fill it in, not a traceback."""
    instance = getattr(template(module), cls)(*made_with)
    raises_todo(lambda: getattr(instance, method)(*args), f"{cls}.{method}", module.replace(".", "/") + ".py")


@pytest.mark.parametrize("function", sorted(FUNCTIONS["chapter7.util"]))
def test_im2col_and_col2im_say_not_implemented(template, function):
    """As the methods do: the function's name and chapter7/util.py."""
    util = template("chapter7.util")
    raises_todo(lambda: getattr(util, function)(*FUNCTIONS["chapter7.util"][function]), function, "chapter7/util.py")


def test_simple_convnet_says_not_implemented_from_its_constructor_on(template):
    """The constructor first, then each method of a net made without it (numerical_gradient is given)."""
    net_class = template("chapter7.simple_convnet").SimpleConvNet
    raises_todo(net_class, "SimpleConvNet.__init__", "chapter7/simple_convnet.py")
    net = net_class.__new__(net_class)
    for method, args in NET_METHODS.items():
        raises_todo(lambda m=method, a=args: getattr(net, m)(*a), f"SimpleConvNet.{method}", "chapter7/simple_convnet.py")


def test_the_table_covers_every_method_the_template_declares(template):
    """A method added to a template file without a row above would go untested."""
    declared = {}
    for module in list(CALLS) + ["chapter7.simple_convnet"]:
        for name, cls in inspect.getmembers(template(module), inspect.isclass):
            if cls.__module__.endswith(module):
                declared[name] = {m for m in vars(cls) if inspect.isfunction(vars(cls)[m]) and m != "__init__"}
    covered = {cls: set(methods) for classes in CALLS.values() for cls, (_, methods) in classes.items()}
    covered["SimpleConvNet"] = set(NET_METHODS) | {"numerical_gradient"}  # given, not filled in
    assert declared == covered
