"""Held lines and supplementary claims (issue 25, item 4), and claiming a month only once it
has ended (item 11).

A line whose maximum amount no source gives is held: it claims £0 with its reason, and when
the claim is submitted it moves to a draft supplementary claim for the month while the rest
is submitted, so no submitted or approved claim has a line without a maximum. Once the
figure is known, the supplementary claim's held lines are worked out again and claimed. The
figures, by hand:

- Clinical pharmacist 2025/26, national £66,972 a year (A.1): £5,581.00 a month for 1.0
  WTE. Cost prefilled 48,000 ÷ 12 + 5,500 ÷ 12 + 6,700 ÷ 12 = 4,000.00 + 458.33 + 558.33 =
  £5,016.66 (each part to the penny), below it: £5,016.66 claimed.
- Social prescribing link worker 2025/26: A.1 gives only the outer-London amount, so outside
  London the line is held. Cost (27,000 + 2,700 + 3,300) ÷ 12 = £2,750.00, claimed £0.
- Once a national amount of £36,000 is entered: £3,000.00 a month, and the supplementary
  claim claims the whole £2,750.00. June 2025 in all: £5,016.66 + £2,750.00 = £7,766.66.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.pages import page_text
from workforce import actions, budget
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


def supplementary(pcn, number=1):
    return Claim.objects.get(pcn=pcn, month=JUNE, supplement=number)


def test_a_held_line_moves_to_a_supplementary_claim_and_the_rest_is_submitted(
    june, pcn, network_manager
):
    # Before: the held link worker's line was submitted with the claim at £0, so a submitted
    # (and later approved) claim carried a line without a maximum.
    # After: submitted, claiming £5,016.66, with the pharmacist's line alone; the held line
    # is in a draft supplementary claim for June, with its costs and reason, naming June's
    # claim as the one it was held out of.
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    june.refresh_from_db()
    assert june.status == "submitted"
    assert actions.claim_total(june) == Decimal("5016.66")
    assert list(june.lines.values_list("post__staff_member__full_name", flat=True)) == [
        "Priya Pharmacist"
    ]
    later = supplementary(pcn)
    assert (later.status, later.title) == ("draft", "Supplementary claim for June 2025 (1)")
    held = later.lines.get()
    assert held.post.staff_member.full_name == "Sam Social"
    assert held.held_from == june
    assert (held.maximum_amount, held.reimbursable_amount) == (None, Decimal("0.00"))
    assert held.total_cost == Decimal("2750.00")
    assert (
        "No maximum amount is known for Social prescribing link worker (Outside London) "
        "from 1 April 2025" in held.held_reason
    )
    assert june.status_changes.last().note == (
        "Declaration made. 1 line without a known maximum amount was held out of it, to the "
        "supplementary claim for June 2025 (1), to be claimed once the figure is published."
    )
    assert "1 line held out of the claim for June 2025 at its submission" in (
        later.status_changes.last().note
    )
    assert not ClaimLine.objects.filter(
        claim__status__in=["submitted", "approved"], maximum_amount__isnull=True
    ).exists()


def test_the_claim_page_says_which_lines_are_held_and_where_they_went(
    june, network_manager, network_manager_client
):
    page = page_text(network_manager_client.get(url("workforce:claim_detail", "2025-06")))
    assert "1 line of this claim is held at £0" in page
    assert "it moves to a supplementary claim for June 2025" in page
    assert "Held lines: 1, claimed at £0" in page
    assert "No maximum amount is known for Social prescribing link worker (Outside London)" in page
    assert "Check and submit" in page  # the pharmacist's line can be claimed

    submit_page = page_text(network_manager_client.get(url("workforce:claim_submit", "2025-06")))
    # The declaration covers the £5,016.66 claimed; the held line is not submitted.
    assert "The amounts declared are the lines claimed above, £5,016.66 in all" in submit_page
    assert (
        "The 1 held line listed apart is not submitted: it moves, each with the reason given, "
        "to a supplementary claim for June 2025" in submit_page
    )

    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    page = page_text(network_manager_client.get(url("workforce:claim_detail", "2025-06")))
    assert "Held lines:" not in page
    assert "Lines held out of this claim: 1" in page
    assert "Sam Social" in page and "£2,750.00" in page
    assert "Supplementary claim for June 2025 (1) (draft)" in page
    later = page_text(
        network_manager_client.get(url("workforce:claim_detail", "2025-06-supplementary-1"))
    )
    assert "ARRS supplementary claim for June 2025 (1)" in later
    assert "Held lines: 1, claimed at £0" in later
    assert (
        "Every line of the supplementary claim for June 2025 (1) is held, as no maximum "
        "amount is known for any of them, so there is nothing to claim yet." in later
    )
    assert "Check and submit" not in later and "Claim held lines" not in later


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
    assert Claim.objects.filter(pcn=pcn, month=JUNE).count() == 1


def test_the_approver_sees_what_was_held_out_and_never_counts_it(
    june, network_manager, approver, approver_client, allocation
):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    queue = page_text(approver_client.get(reverse("areas:claim_queue", args=["Z01"])))
    assert "Lines held out" in queue
    decide = page_text(approver_client.get(url("workforce:claim_decide", "2025-06")))
    assert "Lines held out of this claim: 1" in decide
    assert "Nothing in this claim's total or its approval counts it" in decide
    assert "Lines for June 2025" in decide
    actions.decide_claim(claim=june, by=approver, approve=True)
    # The approval counted the pharmacist's £5,016.66, every line it approved has a maximum.
    approved = ClaimLine.objects.filter(claim__status="approved")
    assert [line.maximum_amount is not None for line in approved] == [True]
    assert sum(line.reimbursable_amount for line in approved) == Decimal("5016.66")


def test_the_queue_counts_the_lines_each_claim_held_out(june, network_manager, approver_client):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    response = approver_client.get(reverse("areas:claim_queue", args=["Z01"]), {"format": "csv"})
    today = timezone.localdate().isoformat()
    assert f'filename="arrs-claims-waiting-Z01-{today}.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    about, blank, table = text.partition("\r\n\r\n")
    assert blank and dict(csv.reader(io.StringIO(about)))["As of"] == today
    row = next(csv.DictReader(io.StringIO(table)))
    assert (row["Lines"], row["Lines held out"], row["Amount claimed"]) == ("1", "1", "5016.66")


def test_the_supplementary_claim_claims_the_held_lines_once_the_figure_exists(
    june, june_posts, pcn, network_manager, approver, allocation
):
    link_worker = june_posts[1]
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    actions.decide_claim(claim=june, by=approver, approve=True)
    later = supplementary(pcn)
    with pytest.raises(ValidationError, match="No maximum amount is known yet for the held"):
        actions.work_out_held_lines(claim=later, by=network_manager)

    publish_link_worker_amount()
    actions.work_out_held_lines(claim=later, by=network_manager)
    line = later.lines.get()
    # Exactly the held line, re-worked: 36,000 ÷ 12 = £3,000.00; its cost £2,750.00 claimed.
    assert line.post == link_worker
    assert (line.maximum_amount, line.reimbursable_amount, line.held_reason) == (
        Decimal("3000.00"),
        Decimal("2750.00"),
        "",
    )
    actions.submit_claim(claim=later, by=network_manager, declaration=True)
    actions.decide_claim(claim=later, by=approver, approve=True)
    # June 2025 is now claimed in full: £5,016.66 + £2,750.00 = £7,766.66.
    approved = ClaimLine.objects.filter(claim__month=JUNE, claim__status="approved")
    assert sum(line.reimbursable_amount for line in approved) == Decimal("7766.66")
    # Nothing was held at its submission, so no further supplementary claim.
    assert Claim.objects.filter(pcn=pcn, month=JUNE).count() == 2


def test_lines_still_held_at_a_supplementary_claims_submission_move_on_again(
    june_posts, pcn, make_post, network_manager
):
    # A second held line, a care coordinator outside London (A.1 gives 2025/26's
    # outer-London amount only): both move to the first supplementary claim; the link
    # worker's figure comes, the coordinator's not; submitting the first supplementary claim
    # moves the coordinator's line to a second one.
    make_post("care-coordinator", D(2025, 4, 1), full_name="Cai Coordinator", afc_band="4")
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=JUNE)
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    first = supplementary(pcn)
    assert first.lines.count() == 2
    publish_link_worker_amount()
    actions.work_out_held_lines(claim=first, by=network_manager)
    actions.submit_claim(claim=first, by=network_manager, declaration=True)
    second = supplementary(pcn, 2)
    moved = second.lines.get()
    assert moved.post.staff_member.full_name == "Cai Coordinator"
    assert moved.held_from == claim  # still names the claim it was first held out of
    assert first.lines.get().post.staff_member.full_name == "Sam Social"


def test_held_lines_of_a_draft_are_claimed_with_it_once_the_figure_exists(june, network_manager):
    # The figure arrives before the claim is submitted: the held line is worked out again in
    # June's own claim, and nothing is held out at submission.
    publish_link_worker_amount()
    actions.work_out_held_lines(claim=june, by=network_manager)
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    assert actions.claim_total(june) == Decimal("7766.66")
    assert Claim.objects.filter(pcn=june.pcn, month=JUNE).count() == 1


def test_a_second_main_claim_for_the_month_is_still_refused(june, pcn, network_manager):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    with pytest.raises(ValidationError, match="already has a claim for June 2025: open it"):
        actions.start_claim(pcn=pcn, by=network_manager, month=JUNE)
    assert Claim.objects.filter(pcn=pcn, month=JUNE).count() == 2


def line_of(claim, post, maximum="3000.00", held_from=None):
    """A counted line written straight to the database, as an import or a bulk load might."""
    return ClaimLine(
        claim=claim,
        post=post,
        salary=Decimal("2250.00"),
        weekly_hours=Decimal("37.5"),
        maximum_amount=Decimal(maximum),
        reimbursable_amount=Decimal("2250.00"),
        held_from=held_from,
    )


def test_the_database_claims_a_post_once_a_month(june, june_posts, make_post, pcn, network_manager):
    pharmacist, link_worker = june_posts
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    extra = supplementary(pcn)
    extra.lines.all().delete()  # the held line moved there: written again below, by hand
    # The pharmacist was claimed in June's claim: not again in the month.
    with (
        pytest.raises(IntegrityError, match="is already claimed for the month of June 2025"),
        transaction.atomic(),
    ):
        line_of(extra, pharmacist, "5581.00", held_from=june).save()
    # A line no earlier claim held out: a supplementary claim cannot add it.
    late = make_post("clinical-pharmacist", D(2025, 6, 1), full_name="Lee Late")
    with (
        pytest.raises(IntegrityError, match="a supplementary claim claims only held lines"),
        transaction.atomic(),
    ):
        line_of(extra, late, "5581.00").save()
    # The held link worker may be claimed there once; a second counted line is refused.
    line_of(extra, link_worker, held_from=june).save()
    second = Claim.objects.create(pcn=pcn, month=JUNE, supplement=2)
    with (
        pytest.raises(IntegrityError, match="is already claimed for the month of June 2025"),
        transaction.atomic(),
    ):
        line_of(second, link_worker, held_from=june).save()


def test_the_database_never_submits_a_claim_with_a_held_line(june):
    # From a plain SQL session, as a script or import might: the status change is refused.
    with (
        pytest.raises(IntegrityError, match="still has lines without a maximum amount"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE workforce_claim SET status = 'submitted', submitted_at = now() WHERE id = %s",
            [june.pk],
        )
    june.refresh_from_db()
    assert june.status == "draft"


def test_a_held_line_claims_nothing_in_the_database(june):
    held = june.lines.get(maximum_amount__isnull=True)
    held.reimbursable_amount = Decimal("100.00")
    with (
        pytest.raises(IntegrityError, match="held_claim_line_claims_nothing"),
        transaction.atomic(),
    ):
        held.save()


def test_claim_held_lines_from_the_page(june, pcn, network_manager, network_manager_client):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    later_url = url("workforce:claim_detail", "2025-06-supplementary-1")
    assert "Claim held lines" not in page_text(network_manager_client.get(later_url))  # no figure
    publish_link_worker_amount()
    page = page_text(network_manager_client.get(later_url))
    assert "Claim held lines" in page
    response = network_manager_client.post(
        url("workforce:claim_held_work_out", "2025-06-supplementary-1"), {}
    )
    assert response["Location"] == later_url
    page = page_text(network_manager_client.get(later_url))
    assert "Worked out 1 held line again with the maximum amounts now known" in page
    assert "Sam Social" in page and "£2,750.00" in page and "Priya Pharmacist" not in page
    assert "Check and submit" in page
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


def test_the_budget_counts_a_held_out_line_as_awaiting_then_as_expected(
    june, pcn, network_manager, on_day
):
    # June 2025 submitted: its month is claimed at £5,016.66 and the link worker's £2,750.00
    # held out of it is cost awaiting a maximum amount, not forecast at £0 nor lost. Once
    # the figure exists and the supplementary claim claims it (still a draft), June's
    # forecast is £5,016.66 + £2,750.00 = £7,766.66 and nothing of June awaits a maximum.
    on_day(D(2025, 7, 10))
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    row = next(r for r in budget.budget_position(pcn, 2025).months if r.month == JUNE)
    assert (row.status, row.submitted, row.forecast) == (
        "Submitted",
        Decimal("5016.66"),
        Decimal("5016.66"),
    )
    assert row.awaiting == Decimal("2750.00")

    publish_link_worker_amount()
    actions.work_out_held_lines(claim=supplementary(pcn), by=network_manager)
    row = next(r for r in budget.budget_position(pcn, 2025).months if r.month == JUNE)
    assert (row.status, row.forecast, row.awaiting) == (
        "Submitted",
        Decimal("7766.66"),
        Decimal("0.00"),
    )


def test_when_a_national_admin_enters_the_figure_the_held_lines_are_claimed_and_managers_told(
    june, pcn, network_manager, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    # June's claim is submitted with the link worker's line held out; a national admin then
    # enters the 2025/26 national amount (£36,000) in admin. The draft supplementary claim's
    # line is claimed at once: maximum £3,000.00, its £2,750.00 cost claimed, and the
    # network's managers are e-mailed that the claim is ready to check and submit.
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    mailoutbox.clear()
    row = MaximumAmount.objects.get(
        role__code="social-prescribing-link-worker", period_start=D(2025, 4, 1)
    )
    row.national = Decimal(36000)
    with django_capture_on_commit_callbacks(execute=True):
        actions.correct_record(record=row, by=superuser)
    line = supplementary(pcn).lines.get()
    assert (line.maximum_amount, line.reimbursable_amount) == (
        Decimal("3000.00"),
        Decimal("2750.00"),
    )
    assert "1 line worked out again when the maximum amounts were published" in (
        supplementary(pcn).status_changes.last().note
    )
    (message,) = [m for m in mailoutbox if "held lines" in m.subject]
    assert message.to == [network_manager.email]
    assert message.subject == "ARRS held lines can now be claimed: Riverside PCN (U99001)"
    assert "Supplementary claim for June 2025 (1): 1 line now claimed" in message.body
    assert "/networks/U99001/workforce/claims/2025-06-supplementary-1/" in message.body


def test_the_claims_page_says_which_held_lines_are_ready_to_claim(
    june, pcn, network_manager, network_manager_client
):
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    listing = page_text(network_manager_client.get(url("workforce:claim_list")))
    assert "Held lines can now be claimed" not in listing  # no figure yet
    publish_link_worker_amount()
    actions.work_out_held_lines(claim=supplementary(pcn), by=network_manager)
    listing = page_text(network_manager_client.get(url("workforce:claim_list")))
    assert (
        "Held lines can now be claimed: Supplementary claim for June 2025 (1) is ready to "
        "check and submit." in listing
    )
