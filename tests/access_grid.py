"""The access grid: every URL pattern of the site, as the personas meet it."""

from pcn_portal.access import Access, site_patterns
from tests.conftest import PERSONAS

# Real values from the personas' world (tests/conftest.py) for each URL argument.
NETWORK_ARGS = {
    "code": "U99001", "practice": "Z99001", "month": "2025-05",
    # The services pages: a year and specification in force then, and the records of
    # tests/factories/worlds.py.
    "year": 2023, "spec": "enhanced-health-in-care-homes", "requirement": "EHCH-1",
    "evidence": 990001, "priority": 990001, "cqc": "1-000000001",
}  # fmt: skip
# arrs_world's submitted claim (NETWORK_ARGS' month is its draft)
APPROVER_ARGS = {"code": "U99001", "month": "2025-04", "year": 2025}
AREA_ARGS = {"code": "Z01", "network": "U99001"}  # U99001 is led by Z01
ADMIN_ARGS = {
    "app_label": "networks", "object_id": "1", "content_type_id": "1", "id": "1",
    "token": "no-such-upload-token",
}  # fmt: skip
OTHER_ARGS = {
    "reason": "inactive", "url": "no-such-page/", "year": 2025, "code": "U99001",
    "sub_icb": "Z01", "path": "no-such-address/",
}  # fmt: skip
# Pages that only send the user on (e.g. to the current financial year): where the grid
# expects a page, a redirect (not to the login page) is what they answer.
REDIRECTS = {
    "workforce:budget_current",
    "workforce:claim_held_work_out",
    "areas:claim_queue_approve",  # with no claim chosen, back to the queue
}


# URL arguments naming a record of U99001 by its id: made (once per test) when a pattern
# needs them, through the actions, as a network manager would.
RECORD_ARGS = ("director", "member", "collaboration", "partner")


def network_records():
    import datetime

    from django.contrib.auth import get_user_model

    from networks import actions
    from networks.models import PrimaryCareNetwork
    from tests.factories import UserFactory

    pcn = PrimaryCareNetwork.objects.get(code="U99001")
    director = pcn.clinical_directors.filter(full_name="Dr Grid Sample").first()
    if director is None:
        by = get_user_model().objects.filter(is_superuser=True).first() or UserFactory(
            username="grid.sample", is_staff=True, is_superuser=True
        )
        start = datetime.date(2019, 7, 1)
        last = datetime.date(2020, 3, 31)
        director = actions.add_clinical_director(
            pcn=pcn,
            by=by,
            full_name="Dr Grid Sample",
            profession="gp",
            start_date=start,
            end_date=last,
        )
        actions.add_team_member(
            pcn=pcn,
            by=by,
            full_name="Grid Sample",
            role="administrator",
            start_date=start,
            end_date=last,
        )
        actions.add_collaboration(
            pcn=pcn,
            by=by,
            partner_name="Grid Sample Trust",
            partner_kind="community",
            start_date=start,
            end_date=last,
        )
    return {
        "director": str(director.pk),
        "member": str(pcn.team.get(full_name="Grid Sample").pk),
        "collaboration": str(pcn.collaborations.get(partner__name="Grid Sample Trust").pk),
        # added by U99001 with its collaboration, and no other network works with it
        "partner": str(pcn.collaborations.get(partner__name="Grid Sample Trust").partner_id),
    }


def undeclared(urlconf=None):
    return [p for p in site_patterns(urlconf) if p.access is None]


def url_arguments(pattern, records=None):
    """Sample values for a pattern's arguments; `records` gives the ids of records the
    test made (e.g. {"post_id": …})."""
    samples = {
        Access.NETWORK_READ: NETWORK_ARGS,
        Access.NETWORK_WRITE: NETWORK_ARGS,
        Access.APPROVER: APPROVER_ARGS,
        Access.AREA_READ: AREA_ARGS,
        Access.AREA_APPROVER: AREA_ARGS,
        Access.NATIONAL_ADMIN: ADMIN_ARGS,
    }.get(pattern.access, {})
    values = {**OTHER_ARGS, **samples, **(records or {})}
    if set(pattern.kwargs) & set(RECORD_ARGS):
        values.update(network_records())
    missing = [k for k in pattern.kwargs if k not in values]
    assert not missing, f"{pattern}: no sample value for {missing} in tests/access_grid.py"
    return {k: values[k] for k in pattern.kwargs}


LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"

# What each persona gets, by the pattern's declared access. "login" is the redirect to the
# login page; "admin login" the admin's; "ok" any answer below 400 (a page or a redirect).
EXPECTED = {
    # anything but a server error: e.g. single sign-on is 404 while it is off
    Access.PUBLIC: dict.fromkeys(PERSONAS, "any"),
    Access.ANY_LOGIN: {
        "anonymous": "login",
        "outsider": 200,
        "network_viewer": 200,
        "network_manager": 200,
        "other_manager": 200,
        "subicb_viewer": 200,
        "icb_viewer": 200,
        "approver": 200,
        "national_admin": 200,
    },
    Access.NETWORK_READ: {
        "anonymous": "login",
        "outsider": 404,
        "network_viewer": 200,
        "network_manager": 200,
        "other_manager": 404,
        "subicb_viewer": 200,
        "icb_viewer": 200,
        "approver": 200,
        "national_admin": 200,
    },
    Access.NETWORK_WRITE: {
        "anonymous": "login",
        "outsider": 404,
        "network_viewer": 403,
        "network_manager": 200,
        "other_manager": 404,
        "subicb_viewer": 403,
        "icb_viewer": 403,
        "approver": 403,
        "national_admin": 200,
    },
    Access.AREA_READ: {
        "anonymous": "login",
        "outsider": 404,
        "network_viewer": 404,
        "network_manager": 404,
        "other_manager": 404,
        "subicb_viewer": 200,
        "icb_viewer": 200,
        "approver": 200,
        "national_admin": 200,
    },
    Access.APPROVER: {
        "anonymous": "login",
        "outsider": 404,
        "network_viewer": 403,
        "network_manager": 403,
        "other_manager": 404,
        "subicb_viewer": 403,
        "icb_viewer": 403,
        "approver": 200,
        "national_admin": 200,
    },
    # The area's staff see it (404 for others); its viewers are refused approving.
    Access.AREA_APPROVER: {
        "anonymous": "login",
        "outsider": 404,
        "network_viewer": 404,
        "network_manager": 404,
        "other_manager": 404,
        "subicb_viewer": 403,
        "icb_viewer": 403,
        "approver": 200,
        "national_admin": 200,
    },
    Access.NATIONAL_ADMIN: {
        "anonymous": "admin login",
        "outsider": "admin login",
        "network_viewer": "admin login",
        "network_manager": "admin login",
        "other_manager": "admin login",
        "subicb_viewer": "admin login",
        "icb_viewer": "admin login",
        "approver": "admin login",
        # Admin's own answers to the grid's sample ids (a 404 for a record that does not
        # exist, a 403 for an autocomplete without its parameters); tests/site/test_admin.py
        # opens every admin page on real records.
        "national_admin": "any",
    },
}


def meets(response, expected):
    """Whether a response is what the grid expects; never a server error."""
    status = response.status_code
    if status >= 500:
        return False
    if expected == "any":
        return True
    if expected == "ok":
        return status < 400 or status == 405
    if expected in ("login", "admin login"):
        # The site asks anyone not logged in to log in; admin sends logged-in users who
        # are not staff to its own login page.
        targets = (LOGIN,) if expected == "login" else (LOGIN, ADMIN_LOGIN)
        return status == 302 and response["Location"].startswith(targets)
    return status == expected


def url_of(pattern, records=None):
    """The pattern's URL with the grid's sample arguments."""
    return pattern.url(url_arguments(pattern, records))


# Rules that hang on the record a URL names, within its page's declared access: a care home
# whose alignment to U99001 has ended (tests/factories/worlds.py: moved_home) U99001's
# managers read but no longer change, and a partner organisation another network works
# with too (partners_world: "shared") only national admins change. Each rule: the URL
# name, the record (its arguments from rule_arguments) and what each persona gets.
REFUSED_TO_MANAGERS = {**EXPECTED[Access.NETWORK_WRITE], "network_manager": 403}
RECORD_RULES = [
    ("services:care_home", "ended alignment", EXPECTED[Access.NETWORK_READ]),
    ("services:care_home_edit", "ended alignment", REFUSED_TO_MANAGERS),
    ("services:care_home_beds", "ended alignment", REFUSED_TO_MANAGERS),
    ("services:care_home_end", "ended alignment", REFUSED_TO_MANAGERS),
    ("networks:partner_edit", "shared partner", REFUSED_TO_MANAGERS),
]


def rule_arguments(moved_home, partners):
    """The URL arguments naming each rule's record (the fixtures' records)."""
    return {
        "ended alignment": {**NETWORK_ARGS, "cqc": moved_home.cqc_location_id},
        "shared partner": {**NETWORK_ARGS, "partner": str(partners["shared"].pk)},
    }
