"""Views enter through the user's scope: the network or area loaders, or a `for_user`
queryset. A view module that reaches a scoped model's manager directly (Post.objects,
Membership.objects, Claim.objects, …) or looks one up with a bare get_object_or_404 fails
here, naming the line (after breast-screening's lint of model usage in views)."""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
APPS = ["networks", "practices", "workforce", "services", "pcn_portal"]
# Models a user may see only within their scope; reaching them needs the scope.
UNSCOPED = {"User", "Group", "ARRSRole", "MaximumAmount", "RoleCap", "AllocationRate",
            "ServiceSpecification", "Requirement", "PartnerOrganisation", "ImportedExtract",
            "SignInIdentity", "Assignment"}  # fmt: skip
ENTRY_POINTS = {"for_user", "none"}  # PrimaryCareNetwork.objects.for_user(user), areas alike


def scoped_models():
    return {
        m.__name__
        for label in ("networks", "practices", "workforce", "services")
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.endswith("Event") and m.__name__ not in UNSCOPED
    }


def view_modules(root=ROOT):
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if path.name == "views.py" or path.name.endswith("_views.py") or "views" in path.parts:
                yield path


def unscoped_uses(paths, models, root=ROOT):
    found = []
    for path in paths:
        tree = ast.parse(path.read_text())
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            where = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in models
            ):
                after = parents.get(node)
                if isinstance(after, ast.Attribute) and after.attr in ENTRY_POINTS:
                    continue
                found.append(f"{where}: {node.value.id}.objects (enter through the scope)")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "get_object_or_404"
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in models
            ):
                found.append(f"{where}: get_object_or_404({node.args[0].id}, …) (use a loader)")
    return sorted(found, key=lambda w: (w.split(":")[0], int(w.split(":")[1])))


def test_views_enter_through_the_scope():
    assert unscoped_uses(view_modules(), scoped_models()) == []


def test_a_view_using_a_scoped_manager_is_caught(tmp_path):
    (tmp_path / "views.py").write_text(
        "from workforce.models import Post\n\n"
        "def posts(request):\n"
        "    return Post.objects.all()\n\n"
        "def post(request, pk):\n"
        "    return get_object_or_404(Post, pk=pk)\n\n"
        "def networks(request):\n"
        "    return PrimaryCareNetwork.objects.for_user(request.user)\n"
    )
    assert unscoped_uses([tmp_path / "views.py"], scoped_models(), tmp_path) == [
        "views.py:4: Post.objects (enter through the scope)",
        "views.py:7: get_object_or_404(Post, …) (use a loader)",
    ]
