"""Every URL pattern declares who it is for (pcn_portal/access.py), and every persona gets
what that declaration says: outsiders 404 on scoped pages, read-only users 403 on writes,
anonymous users the login page (public pages excepted), nobody a server error."""

import pytest
from django.urls import path

from tests.access_grid import (
    EXPECTED,
    RECORD_RULES,
    REDIRECTS,
    meets,
    rule_arguments,
    site_patterns,
    undeclared,
    url_of,
)
from tests.conftest import PERSONAS

PATTERNS = site_patterns()


def test_every_pattern_declares_its_access():
    assert undeclared() == [], "declare these in pcn_portal/access.py"


def view(request):  # pragma: no cover - never requested
    raise AssertionError


urlpatterns = [path("undeclared/", view, name="nobody_declared_me")]


def test_a_pattern_without_a_declaration_is_caught():
    assert [p.name for p in undeclared(__name__)] == ["nobody_declared_me"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_pattern_answers_each_persona_as_it_declares(persona, request, arrs_world):
    client = request.getfixturevalue(f"{persona}_client")
    records = {"post_id": arrs_world["post"].pk}
    wrong = []
    for pattern in PATTERNS:
        if pattern.access is None:
            continue  # reported by test_every_pattern_declares_its_access
        url = url_of(pattern, records)
        expected = EXPECTED[pattern.access][persona]
        if pattern.name in REDIRECTS and expected == 200:
            expected = 302
        methods = ["get"] if pattern.name.startswith("admin") else ["get", "post"]
        for method in methods:
            response = getattr(client, method)(url)
            if method == "post" and response.status_code == 405 and expected != "login":
                continue  # the page takes no POST: refused the same for everyone
            if not meets(response, expected):
                wrong.append(f"{method.upper()} {url}: {response.status_code}, expected {expected}")
            if persona != "anonymous" and not response.wsgi_request.user.is_authenticated:
                client.force_login(request.getfixturevalue(persona))  # after a logout
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def test_each_rule_on_a_record_keeps_to_its_pages_declared_access():
    declared = {p.name: p.access for p in PATTERNS}
    for name, _, expected in RECORD_RULES:
        allowed = EXPECTED[declared[name]]
        # A rule only narrows the page's access: nobody gets more than it declares.
        assert all(expected[p] == allowed[p] or expected[p] == 403 for p in PERSONAS), name


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_rules_on_a_record_answer_each_persona(persona, request, moved_home, partners):
    client = request.getfixturevalue(f"{persona}_client")
    by_name = {p.name: p for p in PATTERNS}
    arguments = rule_arguments(moved_home, partners)
    wrong = []
    for name, record, expected in RECORD_RULES:
        url = by_name[name].url(arguments[record])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if not meets(response, expected[persona]):
                wrong.append(
                    f"{method.upper()} {url} ({record}): {response.status_code}, "
                    f"expected {expected[persona]}"
                )
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
