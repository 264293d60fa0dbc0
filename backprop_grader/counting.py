"""The reference's layers as the graded TwoLayerNet gets them: each class counts the calls of its forward and of its
backward (all its instances together), so that a check can tell backpropagation from a numerical gradient. One
gradient(x, t) by backpropagation runs each layer's forward once and its backward once; a numerical gradient
runs the forward passes twice per param entry (hundreds of times on a small net) and no backward at all.

Counted by class, not by object: a net that differentiates copies of itself, or layers it builds on the side,
is counted as well. Counted where the reference's layers run, which is always this process: in-process, the
`net_class` fixture's net calls them directly; isolated, its worker holds stand-ins whose calls come back here
(isolation/trusted.py). It imports nothing.
"""
import functools
import types

COUNTED = ("forward", "backward")  # the methods counted, in the order of their counts


def _counted(method, counts, index):
    """method, counting its calls in counts[index]. Its frame is left out of the locations a failure reports
    (plugin.py, worker.py), as the submission's call of the layer is the frame to name."""

    @functools.wraps(method)
    def counted(self, *args, **kwargs):
        counts[index] += 1
        return method(self, *args, **kwargs)

    return counted


class CountingLayers:
    """layers_impl (a loaded reference: layers.py and gradient.py) with every layer class replaced by a subclass of
    the same name that counts its calls. Serves what a net is built on: _module("layers") and _module("gradient")
    for a template-shaped submission (loader.py), the book's names as attributes for any other (intake.py), and
    the directory for an isolated grade, whose worker counts on its own copy."""

    def __init__(self, layers_impl):
        self._layers = layers_impl
        self.directory = layers_impl.directory
        self.label = layers_impl.label
        self._counts = {}  # class name -> [forward calls, backward calls]
        self._classes = {}  # id of a class -> (that class, its counting subclass)
        self._modules = {}

    def calls(self):
        """{class name: [forward calls, backward calls]} since these layers were loaded."""
        return {name: list(counts) for name, counts in self._counts.items()}

    def _module(self, name):
        """The module of layers_impl, copied with its layer classes counting."""
        if name not in self._modules:
            module = self._layers._module(name)
            copy = types.ModuleType(module.__name__, module.__doc__)
            copy.__dict__.update(vars(module))
            for key, value in vars(module).items():
                if isinstance(value, type) and value.__module__ == module.__name__:
                    setattr(copy, key, self._counting(value))
            self._modules[name] = copy
        return self._modules[name]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._layers, name)
        return self._counting(value) if isinstance(value, type) else value

    def _counting(self, cls):
        """cls's counting subclass (the same one each time), or cls itself when it has neither forward nor backward."""
        if id(cls) not in self._classes:
            methods = {m: getattr(cls, m, None) for m in COUNTED}
            if not any(callable(method) for method in methods.values()):
                self._classes[id(cls)] = (cls, cls)
            else:
                counts = self._counts.setdefault(cls.__name__, [0] * len(COUNTED))
                namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__, "__doc__": cls.__doc__}
                for index, (name, method) in enumerate(methods.items()):
                    if callable(method):
                        namespace[name] = _counted(method, counts, index)
                self._classes[id(cls)] = (cls, type(cls)(cls.__name__, (cls,), namespace))
        return self._classes[id(cls)][1]
