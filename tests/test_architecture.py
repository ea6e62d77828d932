"""The layers import only downwards, and no module imports itself back.

docs/architecture.rst explains the layers; this test is its contract. Imports
inside functions count. A new subpackage or top-level module must be given a
row in LAYERS here and a line on that page.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sklstm"

# unit -> (sklstm units it may import, third-party packages it may import or
# None for no limit). A unit is a subpackage or a top-level module.
LAYERS = {
    "_version": (set(), set()),
    "windows": ({"series"}, {"numpy", "pandas"}),
    "datasets": (set(), None),
    "networks": (set(), {"torch", "numpy"}),
    "training": ({"networks"}, {"numpy", "torch", "skorch"}),
    "persistence": ({"_version"}, {"numpy", "torch", "safetensors"}),
    "transformers": ({"windows", "series"}, None),
    "_scoring": (set(), {"numpy", "sklearn"}),
    "estimators": (
        {
            "_version",
            "_scoring",
            "networks",
            "training",
            "persistence",
            "windows",
            "transformers",
            "target_scaling",
        },
        None,
    ),
    "plotting": (set(), None),
    "series": (set(), None),
    "target_scaling": (set(), None),
    "_forecast_frames": (set(), None),
    "_conformal": (set(), None),
    "forecasting": ({"_forecast_frames", "estimators", "transformers"}, None),
    "intervals": ({"_conformal", "_scoring", "forecasting"}, None),
    "baselines": ({"_scoring", "estimators"}, None),
    "change": ({"baselines", "estimators"}, None),
    "metrics": ({"_scoring", "baselines", "transformers"}, None),
    # The application layer and the package's front door may use everything.
    "_demo_report": (set(), {"numpy"}),
    "demo": (None, None),
    "__main__": ({"demo"}, None),
    "__init__": (None, None),
}


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _imports(path):
    """Absolute names of every module ``path`` imports, at any depth."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if not node.level:
                yield node.module
                continue
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            if node.module:
                yield f"{base}.{node.module}"
            else:
                yield from (f"{base}.{alias.name}" for alias in node.names)


def _unit(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _graph():
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    internal, external = defaultdict(set), defaultdict(set)
    for module, path in modules.items():
        for target in _imports(path):
            top = target.split(".")[0]
            if top != "sklstm":
                if top not in sys.stdlib_module_names:
                    external[module].add(top)
                continue
            # "from . import x" may name a module or an attribute of one.
            while target not in modules:
                target = target.rsplit(".", 1)[0]
            if target != module:
                internal[module].add(target)
    return modules, internal, external


MODULES, INTERNAL, EXTERNAL = _graph()


def test_every_unit_has_a_layer():
    units = {_unit(module) for module in MODULES}
    missing = sorted(units - set(LAYERS))
    assert not missing, (
        f"{missing}: give each a row in LAYERS (tests/test_architecture.py) "
        "and a line in docs/architecture.rst"
    )


@pytest.mark.parametrize("unit", sorted(LAYERS))
def test_imports_follow_the_layers(unit):
    allowed_units, allowed_packages = LAYERS[unit]
    wrong = set()
    for module in MODULES:
        if _unit(module) != unit:
            continue
        for target in INTERNAL[module]:
            other = _unit(target)  # the top-level sklstm is "__init__"
            if allowed_units is not None and other not in allowed_units | {unit}:
                wrong.add(f"{module} imports {target}")
        if allowed_packages is not None:
            wrong |= {
                f"{module} imports {package}"
                for package in EXTERNAL[module] - allowed_packages
            }
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles_between_modules():
    """Tarjan's strongly connected components over module imports."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in INTERNAL[module]:
            # A submodule may import its own package's __init__ (re-exports).
            if module.startswith(target + "."):
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = set()
            while module not in component:
                component.add(stack.pop())
            on_stack.difference_update(component)
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert not cycles, cycles


def test_the_layer_table_is_a_hierarchy():
    """The allowed imports between units have no cycle themselves."""
    # Units that may import anything (the application, the front door) sit on
    # top; the others must form layers.
    order = [u for u, (a, _) in LAYERS.items() if a is None]
    remaining = {u: set(a) for u, (a, _) in LAYERS.items() if a is not None}
    while remaining:
        ready = sorted(u for u, deps in remaining.items() if not deps - set(order))
        assert ready, f"the allowed imports of {sorted(remaining)} form a cycle"
        order += ready
        for unit in ready:
            del remaining[unit]
