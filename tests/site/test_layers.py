"""Imports run one way, from the ground up, and never in a circle.

    pcn_portal.core  →  networks  →  practices  →  workforce, services  →  the site

A module imports only from its own layer or a lower one. A lazy import inside a function
counts the same as one at the top: it is a circle all the same.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAYERS = [
    ("shared helpers", ["pcn_portal.core"]),
    ("networks", ["networks"]),
    ("practices", ["practices"]),
    ("workforce and services", ["workforce", "services"]),
    ("site", ["pcn_portal"]),
]
PACKAGES = ["pcn_portal", "networks", "practices", "workforce", "services"]


def layer_of(module):
    """The index of a project module's layer (the most specific prefix wins), or None."""
    best = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            inside = module == prefix or module.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    return best[0] if best else None


def module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root=ROOT, packages=PACKAGES):
    """{module name: path} of every project module (migrations left out: they are frozen
    history and may name any model)."""
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path, root)] = path
    return modules


def imports_of(path, module, known):
    """(line, imported project module) for every import in a file, wherever it stands."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            # The longest known module the name starts with: a module, not its attribute.
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.append((node.lineno, name))
                break
    return found


def graph(root=ROOT, packages=PACKAGES):
    modules = project_modules(root, packages)
    return modules, {m: imports_of(p, m, modules) for m, p in modules.items()}


def upward_imports(root=ROOT, packages=PACKAGES):
    """'path:line: a imports b (layer x above layer y)' for each import from a higher layer."""
    modules, edges = graph(root, packages)
    wrong = []
    for module, imported in edges.items():
        here = layer_of(module)
        for line, target in imported:
            there = layer_of(target)
            if here is not None and there is not None and there > here:
                wrong.append(
                    f"{modules[module].relative_to(root)}:{line}: {module} ({LAYERS[here][0]}) "
                    f"imports {target} ({LAYERS[there][0]}), a higher layer"
                )
    return wrong


def circles(root=ROOT, packages=PACKAGES):
    """Every import circle, as a list of modules (Tarjan's strongly connected components)."""
    _, edges = graph(root, packages)
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for _, target in edges.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_from_a_higher_layer():
    assert upward_imports() == []


def test_no_import_circles():
    assert circles() == []


def test_the_shared_helpers_import_no_app():
    _, edges = graph()
    helpers = [m for m in edges if layer_of(m) == 0]
    assert helpers, "pcn_portal.core holds the shared helpers"
    assert [(m, t) for m in helpers for _, t in edges[m] if layer_of(t) != 0] == []


@pytest.fixture
def tree(tmp_path):
    """A small project of the same shape, to show the checks catch what they should."""
    for package in [*PACKAGES, "pcn_portal/core"]:
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("")
    return tmp_path


def test_an_upward_import_is_named_with_its_line(tree):
    (tree / "networks" / "models.py").write_text(
        '"""x"""\n\nfrom practices.models import Practice\n'
    )
    (tree / "practices" / "models.py").write_text("")
    assert upward_imports(tree) == [
        "networks/models.py:3: networks.models (networks) imports practices.models "
        "(practices), a higher layer"
    ]


def test_a_lazy_import_in_a_function_is_a_circle_all_the_same(tree):
    (tree / "workforce" / "models.py").write_text(
        "def wte():\n    from workforce.calculations import wte\n"
    )
    (tree / "workforce" / "calculations.py").write_text("from workforce.models import Post\n")
    assert circles(tree) == [["workforce.calculations", "workforce.models"]]
