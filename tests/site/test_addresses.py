"""No address reaches a server error: every URL pattern of the site, with each of its
segments and the common query values replaced by what a person or a scanner might type —
a NUL byte, a very long value, non-ASCII text, something that looks like SQL, a number
past any column's range — answers 400 or 404 (or the page itself), never 500."""

from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch

from pcn_portal.access import Access
from tests.access_grid import site_patterns, url_arguments

BAD_TEXT = ["U99001\x00", "x" * 300, "ñ' OR '1'='1"]
BAD_NUMBER = "9" * 20
# The query values pages read themselves (filters go through forms), and what a person
# or a scanner might put in them.
QUERY_NAMES = ["on", "page", "sort", "year", "month"]
BAD_QUERY = ["x" * 300, BAD_NUMBER, "9999-04-01"]
PERSONAS = ["anonymous", "network_manager", "national_admin"]


def patterns():
    return [p for p in site_patterns() if not p.name.startswith("admin:") and p.access]


def bad_segments(records):
    """Every pattern with each argument in turn replaced by each bad value."""
    for pattern in patterns():
        good = url_arguments(pattern, records)
        for name, value in good.items():
            for bad in [BAD_NUMBER] if isinstance(value, int) else BAD_TEXT:
                try:
                    yield pattern, pattern.url({**good, name: bad})
                except NoReverseMatch:
                    continue  # the pattern's converter refuses it: nothing to request


def bad_queries(records):
    """Every page that shows records with each query value pages read set to each bad
    value (a form page's own fields are the form tests')."""
    for pattern in patterns():
        if pattern.access in (Access.NETWORK_WRITE, Access.APPROVER):
            continue
        url = pattern.url(url_arguments(pattern, records))
        for name in QUERY_NAMES:
            for bad in BAD_QUERY:
                yield pattern, f"{url}?{name}={quote(bad)}"


def server_errors(client, urls):
    client.raise_request_exception = False  # a server error is an answer to count here
    wrong = []
    for pattern, url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            wrong.append(f"GET {url[:120]}: {response.status_code} ({pattern.name})")
    return wrong


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_address_segment_answers_a_server_error(persona, request, arrs_world):
    client = request.getfixturevalue(f"{persona}_client")
    wrong = server_errors(client, bad_segments({"post_id": arrs_world["post"].pk}))
    assert not wrong, f"{persona}:\n" + "\n".join(wrong[:80])


def test_no_query_value_answers_a_server_error(national_admin_client, arrs_world):
    wrong = server_errors(national_admin_client, bad_queries({"post_id": arrs_world["post"].pk}))
    assert not wrong, "\n".join(wrong[:80])


def test_a_nul_byte_in_an_address_is_refused_with_400(client, world):
    for url in ["/networks/%00/", "/directory/%00/", "/directory/areas/%00/"]:
        assert client.get(url).status_code == 400, url
    response = client.get("/api/v1/networks/%00/")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "public" not in response.get("Cache-Control", "")
