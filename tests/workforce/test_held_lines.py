"""Held lines and supplementary claims (issue 25, item 4), and claiming a month only once it
has ended (item 11).

A line whose maximum amount no source gives is held: it stays on the claim at £0 with its
reason, and the rest of the claim is submitted. Once the figure is known, the network claims
the held lines with a supplementary claim for the month. The figures, by hand:

- Clinical pharmacist 2025/26, national £66,972 a year (A.1): £5,581.00 a month for 1.0
  WTE. Cost prefilled 48,000 ÷ 12 + 5,500 ÷ 12 + 6,700 ÷ 12 = 4,000.00 + 458.33 + 558.33 =
  £5,016.66 (each part to the penny), below it: £5,016.66 claimed.
- Social prescribing link worker 2025/26: A.1 gives only the outer-London amount, so outside
  London the line is held. Cost (27,000 + 2,700 + 3,300) ÷ 12 = £2,750.00, claimed £0.
- Once a national amount of £36,000 is entered: £3,000.00 a month, and the supplementary
  claim claims the whole £2,750.00.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.pages import page_text
from workforce import actions
from workforce.models import Claim, ClaimLine, MaximumAmount

D = datetime.date
JUNE = D(2025, 6, 1)


def url(name, *args):
    return reverse(name, args=["U99001", *args])


@pytest.fixture
def june_posts(make_post):
    pharmacist = make_post("clinical-pharmacist", D(2025, 4, 1), full_name="Priya Pharmacist")
    link_worker = make_post(
        "social-prescribing-link-worker",
        D(2025, 4, 1),
        full_name="Sam Social",
        afc_band="5",
        annual_salary=Decimal(27000),
        annual_employer_ni=Decimal(2700),
        annual_employer_pension=Decimal(3300),
    )
    return pharmacist, link_worker


@pytest.fixture
def june(june_posts, pcn, network_manager):
    return actions.start_claim(pcn=pcn, by=network_manager, month=JUNE)


def publish_link_worker_amount():
    """A national admin enters the 2025/26 national amount no source gave before."""
    row = MaximumAmount.objects.get(
        role__code="social-prescribing-link-worker", period_start=D(2025, 4, 1)
    )
    row.national = Decimal(36000)
    row.save()


def test_a_held_line_stays_on_the_claim_and_the_rest_is_submitted(june, network_manager):
    # Before: the held link worker's line refused the whole claim (nothing submitted).
    # After: submitted, claiming £5,016.66; the held line is kept at £0 with its reason.
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    june.refresh_from_db()
    assert june.status == "submitted"
    assert actions.claim_total(june) == Decimal("5016.66")
    held = june.lines.get(post__staff_member__full_name="Sam Social")
    assert (held.maximum_amount, held.reimbursable_amount) == (None, Decimal("0.00"))
    assert held.total_cost == Decimal("2750.00")
    assert (
        "No maximum amount is known for Social prescribing link worker (Outside London) "
        "from 1 April 2025" in held.held_reason
    )
    assert "1 line is held at £0" in june.status_changes.last().note


def test_the_claim_page_says_which_lines_are_held_and_why_before_and_after_submission(
    june, network_manager, network_manager_client
):
    page = page_text(network_manager_client.get(url("workforce:claim_detail", "2025-06")))
    assert "1 line of this claim is held at £0" in page
    assert "Held lines: 1, claimed at £0" in page
    assert "No maximum amount is known for Social prescribing link worker (Outside London)" in page
    assert "Check and submit" in page  # the pharmacist's line can be claimed

    submit_page = page_text(network_manager_client.get(url("workforce:claim_submit", "2025-06")))
    # The declaration covers the £5,016.66 claimed; the held line is apart, at £0.
    assert "The amounts declared are the lines claimed above, £5,016.66 in all" in submit_page
    assert "The 1 held line listed apart is claimed at £0" in submit_page

    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    page = page_text(network_manager_client.get(url("workforce:claim_detail", "2025-06")))
    assert "Held lines: 1, claimed at £0" in page
    assert "No maximum amount is known for Social prescribing link worker (Outside London)" in page


def test_the_claim_download_shows_held_lines_at_nothing_with_the_reason(
    june, network_viewer_client
):
    response = network_viewer_client.get(
        url("workforce:claim_detail", "2025-06"), {"format": "csv"}
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    by_person = {row["Person"]: row for row in rows}
    assert by_person["Priya Pharmacist"]["Claimed"] == "5016.66"
    assert by_person["Priya Pharmacist"]["Held"] == "No"
    held = by_person["Sam Social"]
    assert (held["Held"], held["Claimed"], held["Maximum"]) == ("Yes", "0.00", "")
    assert "No maximum amount is known for Social prescribing link worker" in held["Why held"]


def test_a_claim_with_only_held_lines_cannot_be_submitted(make_post, pcn, network_manager):
    make_post("social-prescribing-link-worker", D(2025, 4, 1), afc_band="5")
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=JUNE)
    with pytest.raises(ValidationError) as refused:
        actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    assert refused.value.messages[0] == (
        "Every line of the claim for June 2025 is held, as no maximum amount is known for any "
        "of them, so there is nothing to claim yet."
    )
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_the_approver_sees_held_lines_apart_and_never_counts_them(
    june, network_manager, approver, approver_client, allocation
):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    queue = page_text(approver_client.get(reverse("areas:claim_queue", args=["Z01"])))
    assert "Held lines" in queue
    assert "Held: £0, not counted" in queue
    decide = page_text(approver_client.get(url("workforce:claim_decide", "2025-06")))
    assert "Held lines: 1, claimed at £0" in decide
    assert "Lines claimed for June 2025" in decide
    actions.decide_claim(claim=june, by=approver, approve=True)
    # The approval counted the pharmacist's £5,016.66 only.
    approved = ClaimLine.objects.filter(claim__status="approved", maximum_amount__isnull=False)
    assert sum(line.reimbursable_amount for line in approved) == Decimal("5016.66")


def test_the_queue_counts_each_claims_held_lines(june, network_manager, approver_client):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    response = approver_client.get(reverse("areas:claim_queue", args=["Z01"]), {"format": "csv"})
    row = next(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert (row["Lines"], row["Held lines"], row["Amount claimed"]) == ("2", "1", "5016.66")


def test_a_supplementary_claim_claims_the_held_lines_once_the_figure_exists(
    june, june_posts, network_manager, approver, allocation
):
    link_worker = june_posts[1]
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    actions.decide_claim(claim=june, by=approver, approve=True)
    with pytest.raises(ValidationError, match="No maximum amount is known yet for the held"):
        actions.start_supplementary_claim(claim=june, by=network_manager)

    publish_link_worker_amount()
    extra = actions.start_supplementary_claim(claim=june, by=network_manager)
    assert (extra.month, extra.supplement) == (JUNE, 1)
    assert extra.title == "Supplementary claim for June 2025 (1)"
    line = extra.lines.get()
    # Exactly the held line, re-worked: 36,000 ÷ 12 = £3,000.00; its cost £2,750.00 claimed.
    assert line.post == link_worker
    assert (line.maximum_amount, line.reimbursable_amount) == (
        Decimal("3000.00"),
        Decimal("2750.00"),
    )
    actions.submit_claim(claim=extra, by=network_manager, declaration=True)
    actions.decide_claim(claim=extra, by=approver, approve=True)
    # June 2025 is now claimed in full: £5,016.66 + £2,750.00 = £7,766.66.
    approved = ClaimLine.objects.filter(claim__month=JUNE, claim__status="approved")
    assert sum(line.reimbursable_amount for line in approved) == Decimal("7766.66")
    # Nothing is held any more, so no further supplementary claim.
    with pytest.raises(ValidationError, match="No line of June 2025 is held"):
        actions.start_supplementary_claim(claim=extra, by=network_manager)


def test_a_supplementary_claim_waits_for_the_months_claim_to_be_submitted(june, network_manager):
    publish_link_worker_amount()
    with pytest.raises(ValidationError, match="The claim for June 2025 is draft: submit it"):
        actions.start_supplementary_claim(claim=june, by=network_manager)


def test_a_second_main_claim_for_the_month_is_still_refused(june, pcn, network_manager):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    publish_link_worker_amount()
    actions.start_supplementary_claim(claim=june, by=network_manager)
    with pytest.raises(ValidationError, match="already has a claim for June 2025: open it"):
        actions.start_claim(pcn=pcn, by=network_manager, month=JUNE)
    assert Claim.objects.filter(pcn=pcn, month=JUNE).count() == 2


def line_of(claim, post, maximum="3000.00"):
    """A counted line written straight to the database, as an import or a bulk load might."""
    return ClaimLine(
        claim=claim,
        post=post,
        salary=Decimal("2250.00"),
        weekly_hours=Decimal("37.5"),
        maximum_amount=Decimal(maximum),
        reimbursable_amount=Decimal("2250.00"),
    )


def test_the_database_claims_a_post_once_a_month(june, june_posts, make_post, pcn, network_manager):
    pharmacist, link_worker = june_posts
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    extra = Claim.objects.create(pcn=pcn, month=JUNE, supplement=1)
    # The pharmacist was claimed (not held) in June's claim: not again in the month.
    with (
        pytest.raises(IntegrityError, match="is already claimed for the month of June 2025"),
        transaction.atomic(),
    ):
        line_of(extra, pharmacist, "5581.00").save()
    # A post June's claim has no line for was never held: a supplementary claim cannot add it.
    late = make_post("clinical-pharmacist", D(2025, 6, 1), full_name="Lee Late")
    with (
        pytest.raises(IntegrityError, match="a supplementary claim claims only held lines"),
        transaction.atomic(),
    ):
        line_of(extra, late, "5581.00").save()
    # The held link worker may be claimed there once; a second counted line is refused.
    line_of(extra, link_worker).save()
    second = Claim.objects.create(pcn=pcn, month=JUNE, supplement=2)
    with (
        pytest.raises(IntegrityError, match="is already claimed for the month of June 2025"),
        transaction.atomic(),
    ):
        line_of(second, link_worker).save()


def test_a_held_line_claims_nothing_in_the_database(june):
    held = june.lines.get(maximum_amount__isnull=True)
    held.reimbursable_amount = Decimal("100.00")
    with (
        pytest.raises(IntegrityError, match="held_claim_line_claims_nothing"),
        transaction.atomic(),
    ):
        held.save()


def test_claim_held_lines_from_the_page(
    june, network_manager, network_manager_client, approver, allocation
):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    assert "Claim held lines" not in page_text(
        network_manager_client.get(url("workforce:claim_detail", "2025-06"))
    )  # no figure yet
    publish_link_worker_amount()
    page = page_text(network_manager_client.get(url("workforce:claim_detail", "2025-06")))
    assert "Claim held lines" in page
    response = network_manager_client.post(url("workforce:claim_held_start", "2025-06"), {})
    assert response["Location"] == url("workforce:claim_detail", "2025-06-supplementary-1")
    page = page_text(network_manager_client.get(response["Location"]))
    assert "Started the supplementary claim for June 2025 (1) with 1 held line" in page
    assert "ARRS supplementary claim for June 2025 (1)" in page
    assert "Sam Social" in page and "£2,750.00" in page and "Priya Pharmacist" not in page
    listing = page_text(network_manager_client.get(url("workforce:claim_list")))
    assert "June 2025: supplementary claim (1)" in listing


# --- 2026/27: no maximum amounts published ----------------------------------------------


def test_a_2026_27_claim_starts_with_every_line_held_and_says_nothing_can_be_claimed(
    make_post, pcn, network_manager, network_manager_client
):
    # Before: the page offered "Check and submit" for a claim that could never be submitted.
    make_post("clinical-pharmacist", D(2026, 4, 1), full_name="Priya Pharmacist")
    listing = page_text(network_manager_client.get(url("workforce:claim_list")))
    assert "NHS England has not published the 2026/27 maximum amounts yet" in listing
    response = network_manager_client.post(url("workforce:claim_start"), {"month": "2026-11"})
    assert response.status_code == 302
    claim = Claim.objects.get(pcn=pcn, month=D(2026, 11, 1))
    line = claim.lines.get()
    assert (line.maximum_amount, line.reimbursable_amount) == (None, Decimal("0.00"))
    assert "Clinical pharmacist (Outside London) from 1 April 2026" in line.held_reason
    page = page_text(network_manager_client.get(response["Location"]))
    assert (
        "Nothing can be claimed for November 2026 until NHS England publishes the 2026/27 "
        "maximum amounts" in page
    )
    assert "Check and submit" not in page
    assert "Held lines: 1, claimed at £0" in page
    with pytest.raises(ValidationError, match="until NHS England publishes the 2026/27"):
        actions.submit_claim(claim=claim, by=network_manager, declaration=True)


# --- item 11: a month is claimed once it has ended --------------------------------------


def test_a_month_is_claimed_from_the_day_after_its_last_day(
    make_post, pcn, network_manager, monkeypatch
):
    # Before: on 6 December 2026 December 2026 could be claimed, its last days not worked.
    make_post("clinical-pharmacist", D(2026, 4, 1))
    monkeypatch.setattr(actions, "today", lambda: D(2026, 12, 6))
    with pytest.raises(ValidationError) as refused:
        actions.start_claim(pcn=pcn, by=network_manager, month=D(2026, 12, 1))
    assert refused.value.message_dict["month"] == [
        "December 2026 can be claimed from 1 January 2027, the day after its last day: a "
        "month is claimed once all its days have been worked."
    ]
    assert not pcn.claims.filter(month=D(2026, 12, 1)).exists()
    monkeypatch.setattr(actions, "today", lambda: D(2026, 11, 30))
    with pytest.raises(ValidationError, match="November 2026 can be claimed from 1 December"):
        actions.start_claim(pcn=pcn, by=network_manager, month=D(2026, 11, 1))
    monkeypatch.setattr(actions, "today", lambda: D(2026, 12, 1))
    assert actions.start_claim(pcn=pcn, by=network_manager, month=D(2026, 11, 1)).pk


def test_the_start_form_offers_months_that_have_ended_and_explains_the_rest(
    pcn, network_manager_client, monkeypatch
):
    from workforce import forms

    monkeypatch.setattr(forms, "today", lambda: D(2026, 12, 7))
    monkeypatch.setattr(actions, "today", lambda: D(2026, 12, 7))
    page = network_manager_client.get(url("workforce:claim_list")).content.decode()
    assert 'value="2026-11"' in page and 'value="2026-12"' not in page
    response = network_manager_client.post(url("workforce:claim_start"), {"month": "2026-12"})
    assert "December 2026 can be claimed from 1 January 2027" in page_text(response)
