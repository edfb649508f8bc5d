"""Claim lines corrected in admin: the amounts are worked out, never typed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    ARRSRoleFactory,
    ClaimFactory,
    ClaimLineFactory,
    MaximumAmountFactory,
    PostFactory,
)
from workforce.models import ClaimLine, ClaimStatus

D = datetime.date


@pytest.fixture
def line(db):
    """A full-time post in a role whose national maximum is £60,000 a year (£5,000 a
    month), on a claim for April 2024, with the line's stored amounts deliberately stale."""
    role = ARRSRoleFactory(reimbursable_from=D(2020, 4, 1))
    MaximumAmountFactory(role=role, period_start=D(2024, 4, 1), national=Decimal(60_000))
    claim = ClaimFactory(month=D(2024, 4, 1))
    post = PostFactory(pcn=claim.pcn, role=role, start_date=D(2024, 4, 1))
    return ClaimLineFactory(
        claim=claim, post=post, maximum_amount=Decimal(1), reimbursable_amount=Decimal(1)
    )


def change_claim(client, line, **line_values):
    claim = line.claim
    values = {
        "post": line.post.pk,
        "salary": "4000.00",
        "employer_ni": "500.00",
        "employer_pension": "700.00",
        "weekly_hours": "37.5",
        **line_values,
    }
    data = {
        "pcn": claim.pcn.pk,
        "month": claim.month.isoformat(),
        "status": claim.status,
        "decision_note": "",
        "lines-TOTAL_FORMS": 1,
        "lines-INITIAL_FORMS": 1,
        "lines-0-id": line.pk,
        "lines-0-claim": claim.pk,
        **{f"lines-0-{k}": v for k, v in values.items()},
    }
    return client.post(reverse("admin:workforce_claim_change", args=[claim.pk]), data)


def test_amounts_are_worked_out_from_the_costs(login, superuser, line):
    client = login(superuser)
    page = client.get(reverse("admin:workforce_claim_change", args=[line.claim.pk]))
    assert 'name="lines-0-reimbursable_amount"' not in page.content.decode()

    # £4,000 + £500 + £700 = £5,200 costs, above the £5,000 monthly maximum.
    assert change_claim(client, line).status_code == 302
    line.refresh_from_db()
    assert (line.maximum_amount, line.reimbursable_amount) == (Decimal(5000), Decimal(5000))
    page = client.get(reverse("admin:workforce_claim_change", args=[line.claim.pk]))
    assert page.content.decode().count("£5,000.00") == 2

    # £3,000 + £500 + £700 = £4,200, below the maximum: all of it.
    assert change_claim(client, line, salary="3000.00").status_code == 302
    line.refresh_from_db()
    assert line.reimbursable_amount == Decimal("4200.00")


def test_a_post_from_another_network_is_refused(login, superuser, line):
    stranger = PostFactory(start_date=D(2024, 4, 1))
    response = change_claim(login(superuser), line, post=stranger.pk)
    assert response.status_code == 200
    assert (
        f"This post is in {stranger.pcn.code}, not in {line.claim.pcn.code}, the PCN the "
        "claim is for."
    ) in response.content.decode()
    assert ClaimLine.objects.get(pk=line.pk).post == line.post


def test_a_post_not_in_place_that_month_is_refused(login, superuser, line):
    later = PostFactory(pcn=line.claim.pcn, role=line.post.role, start_date=D(2024, 5, 1))
    response = change_claim(login(superuser), line, post=later.pk)
    assert "This post is not in place in April 2024." in response.content.decode()


@pytest.mark.django_db
def test_a_claims_status_cannot_be_changed_in_admin(login, superuser):
    from workforce.models import Claim, ClaimStatus

    claim = ClaimFactory(status=ClaimStatus.SUBMITTED)
    url = f"/admin/workforce/claim/{claim.pk}/change/"
    page = login(superuser).get(url).content.decode()
    assert 'name="status"' not in page
    login(superuser).post(
        url,
        {
            "pcn": claim.pcn_id,
            "month": claim.month.isoformat(),
            "status": ClaimStatus.APPROVED,
            "lines-TOTAL_FORMS": 0,
            "lines-INITIAL_FORMS": 0,
        },
    )
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED


# --- a submitted or approved claim is kept as it is -------------------------------------


def claim_total(claim):
    return sum(line.reimbursable_amount for line in claim.lines.all())


def test_no_line_is_added_to_an_approved_claim(login, superuser, approved, make_post):
    """Before: the line was saved (the page said both "can no longer be changed" and
    "added successfully") and the total went from £5,016.66 to £9,616.66."""
    other = make_post("clinical-pharmacist", D(2025, 4, 1), full_name="Sam Second")
    client = login(superuser)
    response = client.post(
        reverse("admin:workforce_claimline_add"),
        {
            "claim": approved.pk,
            "post": other.pk,
            "salary": "4000.00",
            "employer_ni": "300.00",
            "employer_pension": "300.00",
            "weekly_hours": "37.5",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The claim of Riverside PCN for April 2025 is approved, so its lines can no " in page
    assert "added successfully" not in page
    assert claim_total(approved) == Decimal("5016.66")

    # Nor from the claim's own page, which shows it read-only.
    url = reverse("admin:workforce_claim_change", args=[approved.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page and 'name="lines-0-salary"' not in page
    assert client.post(url, {"lines-TOTAL_FORMS": 1}).status_code == 403
    assert claim_total(approved) == Decimal("5016.66")


def test_an_approved_claim_is_neither_deleted_nor_moved(login, superuser, approved):
    """Before: the claim was deleted (its month then claimed and paid again) or moved to
    April 2024."""
    client = login(superuser)
    delete = reverse("admin:workforce_claim_delete", args=[approved.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:workforce_claim_change", args=[approved.pk])
    data = {"pcn": approved.pcn_id, "month": "2024-04-01", "lines-TOTAL_FORMS": 0,
            "lines-INITIAL_FORMS": 0}  # fmt: skip
    assert client.post(change, data).status_code == 403
    # Nor by the list's bulk delete: Django admin asks each claim's delete permission.
    page = client.post(
        reverse("admin:workforce_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [approved.pk], "post": "yes"},
        follow=True,
    ).content.decode()
    assert "Successfully deleted" not in page
    approved.refresh_from_db()
    assert (approved.month, approved.status) == (D(2025, 4, 1), ClaimStatus.APPROVED)
    assert claim_total(approved) == Decimal("5016.66")


def test_an_approved_line_is_neither_changed_nor_deleted(login, superuser, approved):
    line = approved.lines.get()
    client = login(superuser)
    url = reverse("admin:workforce_claimline_change", args=[line.pk])
    assert 'name="_save"' not in client.get(url).content.decode()
    assert client.post(url, {"salary": "1.00"}).status_code == 403
    delete = reverse("admin:workforce_claimline_delete", args=[line.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    line.refresh_from_db()
    assert line.salary == Decimal("4000.00")
