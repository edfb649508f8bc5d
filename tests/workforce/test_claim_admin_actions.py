"""In admin, claims are decided and their lines changed through the same actions as on
the pages: the status history, the allocation ceiling and the read-only rule hold there
too, and the claim's change page costs the same queries for one line or ten."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workforce import actions
from workforce.models import Claim

D = datetime.date
CHANGELIST = reverse("admin:workforce_claim_changelist")


@pytest.fixture
def submitted(make_post, pcn, network_manager):
    make_post("clinical-pharmacist", D(2025, 4, 1))
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    return actions.submit_claim(claim=claim, by=network_manager, declaration=True)


def test_approve_in_admin_goes_through_the_ceiling(login, superuser, submitted, allocation):
    client = login(superuser)
    allocation.amount = Decimal(100)
    allocation.save()
    response = client.post(
        CHANGELIST, {"action": "approve_claims", "_selected_action": [submitted.pk]}, follow=True
    )
    assert "past the network&#x27;s allocation of £100.00" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    allocation.amount = Decimal(26631)
    allocation.save()
    client.post(CHANGELIST, {"action": "approve_claims", "_selected_action": [submitted.pk]})
    submitted.refresh_from_db()
    assert submitted.status == "approved"
    assert submitted.status_changes.last().by == superuser


def test_reject_in_admin_asks_for_the_reason(login, superuser, submitted):
    client = login(superuser)
    page = client.post(CHANGELIST, {"action": "reject_claims", "_selected_action": [submitted.pk]})
    assert "Reason the networks will see" in page.content.decode()
    client.post(
        CHANGELIST,
        {"action": "reject_claims", "_selected_action": [submitted.pk], "reason": "No NWRS"},
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision_note) == ("rejected", "No NWRS")


def test_a_submitted_claims_lines_cannot_be_changed_in_admin(login, superuser, submitted):
    line = submitted.lines.get()
    response = login(superuser).post(
        reverse("admin:workforce_claimline_change", args=[line.pk]),
        {
            "claim": submitted.pk,
            "post": line.post.pk,
            "salary": "1.00",
            "employer_ni": "0",
            "employer_pension": "0",
            "weekly_hours": "37.5",
        },
    )
    # The change page is read-only: a change posted anyway is refused.
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.salary != Decimal("1.00")


def test_the_claim_change_page_does_not_repeat_queries_per_line(
    login, superuser, make_post, pcn, network_manager
):
    client = login(superuser)

    def count(claim):
        url = reverse("admin:workforce_claim_change", args=[claim.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_post("clinical-pharmacist", D(2025, 4, 1))
    small = count(actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 5, 1)))
    for i in range(9):
        make_post("clinical-pharmacist", D(2025, 4, 1), full_name=f"Person {i}")
    large = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    assert large.lines.count() == 10
    assert count(large) == small
    assert Claim.objects.count() == 2


def test_a_post_in_admin_is_held_to_the_same_rules(login, superuser, make_post):
    post = make_post("gp", D(2024, 10, 1), afc_band="")
    response = login(superuser).post(
        reverse("admin:workforce_post_change", args=[post.pk]),
        {
            "pcn": post.pcn_id,
            "staff_member": post.staff_member_id,
            "role": post.role_id,
            "employer_type": "lead_provider",
            "employer_name": "",
            "start_date": "2024-04-01",
            "weekly_hours": "37.5",
            "afc_band": "",
            "annual_salary": "73113",
            "annual_employer_ni": "0",
            "annual_employer_pension": "0",
            "london_zone": "national",
            "arrs_funded": "on",
        },
    )
    assert "GP posts can be ARRS-funded from 1 October 2024" in response.content.decode()
    post.refresh_from_db()
    assert post.start_date == D(2024, 10, 1)
