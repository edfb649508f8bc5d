"""pcn_portal/core is the bottom layer: its modules import no app of the project."""

import ast

import pytest
from django.conf import settings

APPS = ("networks", "practices", "workforce", "services", "pcn_portal")
CORE = settings.BASE_DIR / "pcn_portal" / "core"


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda path: path.name)
def test_core_imports_no_app(path):
    outside = [
        module
        for module in imported_modules(path)
        if module.split(".")[0] in APPS and not module.startswith("pcn_portal.core")
    ]
    assert outside == []
