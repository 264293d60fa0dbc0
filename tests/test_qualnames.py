"""On Python 3.10, which has no co_qualname, a function's qualified name (Relu.forward) is read from its source
(backprop_grader/qualnames.py): feedback names the method by it, and the mutants' hints find the function they
changed by it. Run on 3.11 and later, these tests hold that reading to the names Python itself gives."""
import sys
import types
from types import SimpleNamespace

import pytest
from submissions import PROJECT_ROOT

from backprop_grader import qualnames
from backprop_grader.mutation import table

NESTED = '''
import functools


class Outer:
    class Inner:
        def method(self):
            def helper():
                return 1
            return helper

    @staticmethod
    @functools.lru_cache
    def decorated(x):
        return x

    async def later(self):
        pass


def top():
    class Local:
        def m(self):
            pass
    return Local
'''


def _sources(tmp_path):
    nested = tmp_path / "nested.py"
    nested.write_text(NESTED, encoding="utf-8")
    return [PROJECT_ROOT / "reference" / "layers.py", PROJECT_ROOT / "reference" / "two_layer_net.py",
            PROJECT_ROOT / "student_template" / "layers.py", PROJECT_ROOT / "reference" / "chapter7" / "layers.py",
            nested]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="compares with co_qualname, which Python 3.11 added")
def test_a_name_read_from_the_source_is_the_one_python_gives(tmp_path):
    """A function of a class, of a class in a class, nested in a method, decorated, or a class in a function:
    named from its source as Python 3.11 names it (on 3.10 a learner read "forward is not implemented yet")."""
    for path in _sources(tmp_path):
        source = path.read_text(encoding="utf-8")
        waiting = [compile(source, str(path), "exec")]  # the module's code, then each code object inside one
        while waiting:
            code = waiting.pop()
            waiting += [constant for constant in code.co_consts if isinstance(constant, types.CodeType)]
            if not code.co_name.startswith("<"):  # the module, comprehensions, lambdas: named by co_name alike
                assert qualnames._defined(str(path), source)[(code.co_firstlineno, code.co_name)] == code.co_qualname


def test_without_co_qualname_the_name_comes_from_the_source(tmp_path):
    """What qualname does on Python 3.10: a code object with no co_qualname is named from its file."""
    path = tmp_path / "layers.py"
    path.write_text("class Relu:\n    def forward(self, x):\n        raise NotImplementedError\n", encoding="utf-8")
    code = SimpleNamespace(co_filename=str(path), co_firstlineno=2, co_name="forward")
    assert qualnames.qualname(code) == "Relu.forward"
    missing = SimpleNamespace(co_filename=str(tmp_path / "gone.py"), co_firstlineno=2, co_name="forward")
    assert qualnames.qualname(missing) == "forward"


def test_the_mutants_copies_of_the_reference_keep_each_functions_qualified_name():
    """The mutants' copies of the reference are made of new function objects, which Python 3.10 names by their
    name alone ("forward"): no mutant's function ("Sigmoid.forward") was among those a check ran, and on 3.10 no
    mutant's hint was ever shown. A copy keeps the name the function has, whatever its code says."""
    module = types.ModuleType("layers")
    exec("class Sigmoid:\n    def forward(self, x):\n        return x\n", module.__dict__)
    module.Sigmoid.forward.__qualname__ = "Sigmoid.forward (as named)"  # differs from its code's, as on 3.10
    called = set()
    table.traced(module, called).Sigmoid().forward(1.0)
    assert called == {"Sigmoid.forward (as named)"}
