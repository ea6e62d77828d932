"""Every public class, function and method of the user-facing API (top level,
datasets, plotting) has a numpydoc docstring whose Parameters section names
each parameter, with a type."""

import inspect

import pytest

import sklstm
import sklstm.datasets
import sklstm.plotting

validate = pytest.importorskip("numpydoc.validate").validate

# GL08: no docstring; PR01: a parameter not documented; PR02: a documented
# parameter that does not exist; PR04: a parameter without a type.
CHECKED = {"GL08", "PR01", "PR02", "PR04"}
MODULES = [sklstm, sklstm.datasets, sklstm.plotting]


def _public_names():
    for module in MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if name.startswith("_") or not callable(obj):
                continue
            yield f"{module.__name__}.{name}"
            if not inspect.isclass(obj):
                continue
            for attr, member in vars(obj).items():
                if callable(member) and not attr.startswith("_"):
                    yield f"{module.__name__}.{name}.{attr}"


@pytest.mark.parametrize("name", sorted(set(_public_names())))
def test_numpydoc_parameters(name):
    errors = [
        f"{code}: {message}"
        for code, message in validate(name)["errors"]
        if code in CHECKED
    ]
    assert not errors, "\n".join(errors)
