"""Backdated uplifts (issue 26 item 3): when NHS England raises a maximum amount for months
already claimed, every approved line is owed the difference at the new maximum, limited by
its cost; the arrears go into one draft supplementary claim per network and year, which the
network submits and the commissioner approves like any claim. The approved lines are never
changed. A reduction is counted and never recovered.

The figures, by hand (test figures, made up here: none of them is published). Riverside
PCN's clinical pharmacists, April to September 2025 approved, at the 2025/26 maximum of
£66,972 a year (DOMAIN.md A.1), £5,581.00 a month for 1.0 WTE. The national admin raises
it, backdated to 1 April 2025, to £72,000 a year: £6,000.00 a month.

- Fiona Fulltime, 37.5 hours, costing £60,000 + £7,000 + £8,000 = £75,000 a year,
  £6,250.00 a month: claimed £5,581.00, now £6,000.00: owed £419.00 a month, six months
  £2,514.00.
- Pat Parttime, 18.75 hours (0.5 WTE) on a full-time salary of £75,000, costing £37,500 +
  £3,500 + £4,000 = £45,000 a year, £3,750.00 a month: claimed £2,790.50, now £3,000.00:
  owed £209.50 a month, six months £1,257.00.
- Leo Leaver, as Fiona, last day 15 June 2025: April and May owed £419.00 each; June, 15 of
  30 days, cost £2,500.00 + £291.67 + £333.33 = £3,125.00, claimed £2,790.50, now
  £3,000.00: owed £209.50. In all £1,047.50.
- Priya Pharmacist, costing £48,000 + £5,500 + £6,700, £5,016.66 a month: already under
  the old maximum, owed nothing.

In all £2,514.00 + £1,257.00 + £1,047.50 = £4,818.50, in one supplementary claim for
September 2025 with 6 + 6 + 3 = 15 lines.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ARRSAllocationFactory
from tests.pages import page_text
from workforce import actions, arrears, budget
from workforce.models import BackdatedChange, Claim, ClaimLine, MaximumAmount

D = datetime.date
MONTHS = [D(2025, m, 1) for m in range(4, 10)]
RAISED = Decimal(72000)


@pytest.fixture
def pharmacists(pcn, make_post):
    dear = {
        "annual_salary": Decimal(60000),
        "annual_employer_ni": Decimal(7000),
        "annual_employer_pension": Decimal(8000),
    }
    start = D(2025, 4, 1)
    return [
        make_post("clinical-pharmacist", start, full_name="Fiona Fulltime", **dear),
        make_post(
            "clinical-pharmacist",
            start,
            full_name="Pat Parttime",
            weekly_hours=Decimal("18.75"),
            annual_salary=Decimal(75000),  # full-time equivalent: £37,500 for her hours
            annual_employer_ni=Decimal(3500),
            annual_employer_pension=Decimal(4000),
        ),
        make_post(
            "clinical-pharmacist", start, full_name="Leo Leaver", end_date=D(2025, 6, 15), **dear
        ),
        make_post("clinical-pharmacist", start, full_name="Priya Pharmacist"),
    ]


@pytest.fixture
def six_months(pcn, pharmacists, network_manager, approver):
    """April to September 2025, each claimed and approved."""
    ARRSAllocationFactory(pcn=pcn, financial_year=2025, amount=Decimal(500000))
    claims = []
    for month in MONTHS:
        claim = actions.start_claim(pcn=pcn, by=network_manager, month=month)
        actions.submit_claim(claim=claim, by=network_manager, declaration=True)
        claims.append(actions.decide_claim(claim=claim, by=approver, approve=True))
    return claims


def raise_maximum(by, amount=RAISED):
    """The national admin corrects the 2025/26 clinical pharmacist maximum in admin."""
    row = MaximumAmount.objects.get(role__code="clinical-pharmacist", period_start=D(2025, 4, 1))
    row.national = amount
    return actions.correct_record(record=row, by=by)


def approved_lines():
    return list(
        ClaimLine.objects.filter(claim__status="approved", arrears=False).values_list(
            "pk", "maximum_amount", "reimbursable_amount"
        )
    )


def owed_by_person(claim):
    owed = {}
    for line in claim.lines.select_related("post__staff_member"):
        name = line.post.staff_member.full_name
        owed[name] = owed.get(name, 0) + line.reimbursable_amount
    return owed


def test_a_backdated_uplift_puts_each_lines_arrears_in_one_supplementary_claim(
    pcn, six_months, superuser, django_capture_on_commit_callbacks
):
    before = approved_lines()
    assert (
        sum(a for _, _, a in before)
        == Decimal("5581.00") * 6
        + Decimal("2790.50") * 6
        + (Decimal("5581.00") * 2 + Decimal("2790.50"))
        + Decimal("5016.66") * 6
    )

    raise_maximum(superuser)
    change = BackdatedChange.objects.get()
    assert (change.first_day, change.last_day) == (D(2025, 4, 1), D(2026, 3, 31))

    outcome = arrears.work_out_pending(by=superuser)

    claim = Claim.objects.get(pcn=pcn, month=D(2025, 9, 1), supplement=1)
    assert claim.status == "draft"
    assert claim.lines.count() == 15
    assert owed_by_person(claim) == {
        "Fiona Fulltime": Decimal("2514.00"),
        "Pat Parttime": Decimal("1257.00"),
        "Leo Leaver": Decimal("1047.50"),
    }
    assert actions.claim_total(claim) == Decimal("4818.50")
    assert (outcome.lines, outcome.total) == (15, Decimal("4818.50"))
    leo_june = claim.lines.get(
        post__staff_member__full_name="Leo Leaver", corrects__claim__month=D(2025, 6, 1)
    )
    assert (leo_june.maximum_amount, leo_june.reimbursable_amount) == (
        Decimal("3000.00"),
        Decimal("209.50"),
    )
    assert leo_june.reason == (
        "Its maximum is now £3,000.00, not £2,790.50: NHS England's maximum reimbursable "
        f"amounts were revised on {timezone.localtime(change.made_at):%-d %B %Y}."
    )
    # The approved lines are as they were: no line is changed in place.
    assert approved_lines() == before
    change.refresh_from_db()
    assert (change.networks, change.lines, change.arrears) == (1, 15, Decimal("4818.50"))
    assert change.worked_out_at is not None


def test_working_out_again_owes_nothing_more(pcn, six_months, superuser):
    raise_maximum(superuser)
    arrears.work_out_pending(by=superuser)
    BackdatedChange.objects.update(worked_out_at=None)
    again = arrears.work_out_pending(by=superuser)
    assert again.lines == 0
    assert ClaimLine.objects.filter(arrears=True).count() == 15


def test_a_second_uplift_before_submission_brings_the_same_lines_up(pcn, six_months, superuser):
    # £72,000 then £75,000 (£6,250.00 a month): Fiona's cost is £6,250.00, so she is owed
    # £669.00 a month in all, in the same line of the same claim.
    raise_maximum(superuser)
    arrears.work_out_pending(by=superuser)
    raise_maximum(superuser, Decimal(75000))
    arrears.work_out_pending(by=superuser)
    claim = Claim.objects.get(pcn=pcn, month=D(2025, 9, 1), supplement=1)
    assert claim.lines.count() == 15
    assert owed_by_person(claim)["Fiona Fulltime"] == Decimal("669.00") * 6


def test_a_reduction_is_counted_and_never_recovered(pcn, six_months, superuser):
    # £60,000 a year, £5,000.00 a month: Fiona (claimed £5,581.00) would come to £581.00 a
    # month less, Leo £581.00 in April and May and £290.50 in June; Pat (£2,790.50 at 0.5
    # WTE, now £2,500.00) £290.50 a month; Priya (£5,016.66) £16.66 a month.
    raise_maximum(superuser, Decimal(60000))
    outcome = arrears.work_out_pending(by=superuser)
    assert outcome.lines == 0
    assert not ClaimLine.objects.filter(arrears=True).exists()
    expected = Decimal("581.00") * 8 + Decimal("290.50") * 7 + Decimal("16.66") * 6
    change = BackdatedChange.objects.get()
    assert (change.reduced_lines, change.reduced_by) == (6 + 6 + 3 + 6, expected)
    assert outcome.reduced_by == expected


def test_the_arrears_claim_is_submitted_and_approved_like_any_claim(
    pcn, six_months, superuser, network_manager, approver
):
    raise_maximum(superuser)
    outcome = arrears.work_out_pending(by=superuser)
    arrears.after_work_out(outcome, by=superuser)
    position = budget.budget_position(pcn, 2025)
    assert (position.arrears_owed, position.arrears_claimed) == (Decimal("4818.50"), 0)
    forecast_before = position.forecast

    claim = Claim.objects.get(pcn=pcn, month=D(2025, 9, 1), supplement=1)
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    actions.decide_claim(claim=claim, by=approver, approve=True)

    position = budget.budget_position(pcn, 2025)
    assert (position.arrears_owed, position.arrears_claimed) == (0, Decimal("4818.50"))
    assert position.forecast == forecast_before
    kept = pcn.arrs_forecasts.get(financial_year=2025)
    assert (kept.arrears_claimed, kept.arrears_owed) == (Decimal("4818.50"), 0)


def test_a_claim_submitted_before_the_change_gets_its_arrears_when_approved(
    pcn, pharmacists, superuser, network_manager, approver
):
    ARRSAllocationFactory(pcn=pcn, financial_year=2025, amount=Decimal(500000))
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 4, 1))
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    raise_maximum(superuser)
    arrears.work_out_pending(by=superuser)  # nothing approved yet: nothing owed
    assert not ClaimLine.objects.filter(arrears=True).exists()

    actions.decide_claim(claim=claim, by=approver, approve=True)

    later = Claim.objects.get(pcn=pcn, month=D(2025, 4, 1), supplement=1)
    assert owed_by_person(later) == {
        "Fiona Fulltime": Decimal("419.00"),
        "Pat Parttime": Decimal("209.50"),
        "Leo Leaver": Decimal("419.00"),
    }


def test_a_draft_claim_is_worked_out_with_the_new_figure(
    pcn, pharmacists, superuser, network_manager
):
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 4, 1))
    raise_maximum(superuser)
    outcome = arrears.work_out_pending(by=superuser)
    assert outcome.reworked == 4  # every maximum changes; Priya, under both, claims the same
    claimed = {
        line.post.staff_member.full_name: (line.maximum_amount, line.reimbursable_amount)
        for line in claim.lines.select_related("post__staff_member")
    }
    assert claimed == {
        "Fiona Fulltime": (Decimal("6000.00"), Decimal("6000.00")),
        "Pat Parttime": (Decimal("3000.00"), Decimal("3000.00")),
        "Leo Leaver": (Decimal("6000.00"), Decimal("6000.00")),
        "Priya Pharmacist": (Decimal("6000.00"), Decimal("5016.66")),
    }
    assert "4 lines worked out again with NHS England's revised maximum amounts" in (
        claim.status_changes.last().note
    )


def test_a_change_to_months_to_come_owes_nothing(pcn, six_months, superuser):
    row = MaximumAmount.objects.create(
        role=MaximumAmount.objects.first().role,
        period_start=D(2099, 4, 1),
        period_end=D(2100, 3, 31),
        national=Decimal(1),
    )
    assert arrears.record_row_change(None, row, by=superuser, how="test") is None
    assert not BackdatedChange.objects.exists()


def test_the_claim_page_lists_each_month_and_line_of_the_arrears(
    pcn, six_months, superuser, network_manager_client
):
    raise_maximum(superuser)
    arrears.work_out_pending(by=superuser)
    claim = Claim.objects.get(pcn=pcn, month=D(2025, 9, 1), supplement=1)
    page = page_text(
        network_manager_client.get(reverse("workforce:claim_detail", args=[pcn.code, claim.key]))
    )
    assert (
        "This claim holds arrears for April 2025 to September 2025: NHS England revised the "
        "maximum reimbursable amounts for those months after they were claimed" in page
    )
    assert "(15 lines, £4,818.50). Check them, then submit the claim." in page
    assert "Arrears for April 2025 to September 2025 Post In post" in page  # the caption
    assert (
        "Arrears: Leo Leaver Clinical pharmacist: corrects the approved line for June 2025 "
        "(£2,790.50 reimbursed) Its maximum is now £3,000.00, not £2,790.50: NHS England's "
        "maximum reimbursable amounts were revised on" in page
    )


def test_the_network_is_told_and_the_budget_shows_the_arrears_apart(
    pcn, six_months, superuser, network_manager_client, mailoutbox
):
    raise_maximum(superuser)
    outcome = arrears.work_out_pending(by=superuser)
    arrears.after_work_out(outcome, by=superuser)
    claims = page_text(network_manager_client.get(reverse("workforce:claim_list", args=[pcn.code])))
    assert (
        "Arrears after NHS England revised maximum amounts: Supplementary claim for "
        "September 2025 (1) claims £4,818.50 and is ready to check and submit." in claims
    )
    budget_page = page_text(
        network_manager_client.get(reverse("workforce:budget_detail", args=[pcn.code, 2025]))
    )
    assert "Arrears claimed (in the figures above) £0.00" in budget_page
    assert "Arrears owed, not yet claimed £4,818.50 Arrears worked out into a claim" in budget_page
    (message,) = [m for m in mailoutbox if "arrears" in m.subject]
    assert message.subject == "ARRS arrears to claim: Riverside PCN (U99001)"
    assert "- Supplementary claim for September 2025 (1): 15 lines, £4,818.50" in message.body


def test_the_area_counts_arrears_claimed_and_owed_apart(
    pcn, world, six_months, superuser, network_manager, approver, icb_viewer_client
):
    from tests.areas.test_views import csv_rows

    def arrs_row():
        response = icb_viewer_client.get(
            f"/areas/{world['icb'].code}/arrs/", {"on": "2025-09-30", "format": "csv"}
        )
        (row,) = [r for r in csv_rows(response) if r["ODS code"] == pcn.code]
        # Kept with the forecast, as of today: a page of another date says so.
        today_only = " (as recorded today)"
        return row[f"Arrears claimed{today_only}"], row[f"Arrears owed, not claimed{today_only}"]

    raise_maximum(superuser)
    arrears.after_work_out(arrears.work_out_pending(by=superuser), by=superuser)
    assert arrs_row() == ("0.00", "4818.50")
    claim = Claim.objects.get(pcn=pcn, month=D(2025, 9, 1), supplement=1)
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    assert arrs_row() == ("4818.50", "0.00")


def test_a_national_admin_sees_each_change_and_what_it_came_to(pcn, six_months, superuser, login):
    raise_maximum(superuser)
    arrears.work_out_pending(by=superuser)
    page = page_text(login(superuser).get(reverse("admin:workforce_backdatedchange_changelist")))
    assert "Clinical pharmacist, 01 Apr 2025 to 31 Mar 2026" in page
    assert "changed in admin" in page
    assert "4818.50" in page


def test_a_file_raising_a_maximum_has_the_arrears_worked_out_by_the_task_worker(
    pcn, six_months, superuser, tmp_path, django_capture_on_commit_callbacks
):
    from tests.factories.figures import row, write_table
    from tests.factories.networks import SourceFactory
    from workforce import figures

    source = SourceFactory(title="Made-up revised 2025/26 table")
    path = write_table(
        tmp_path / "revised.csv",
        row("Clinical pharmacist", "2025-04-01", "2026-03-31", "72000", "74392", "77545",
            source=source.title),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        figures.apply_file(path, "revised.csv", by=superuser)
    change = BackdatedChange.objects.get()
    assert change.how == "loaded from revised.csv"
    assert (change.lines, change.arrears) == (15, Decimal("4818.50"))
    claim = Claim.objects.get(pcn=pcn, month=D(2025, 9, 1), supplement=1)
    assert actions.claim_total(claim) == Decimal("4818.50")
    assert pcn.arrs_forecasts.get(financial_year=2025).arrears_owed == Decimal("4818.50")


def test_the_arrears_claim_says_what_a_reduction_would_take_and_that_it_is_not_taken(
    pcn, make_post, superuser, network_manager, approver
):
    # April 2025: Fiona outside London, Olga in outer London, each costing £6,250.00. The
    # revised row raises the national amount to £72,000 (Fiona owed £419.00) and lowers the
    # outer London one from £74,392 (£6,199.33 a month, claimed) to £60,000 (£5,000.00):
    # Olga's line would come to £1,199.33 less.
    dear = {
        "annual_salary": Decimal(60000),
        "annual_employer_ni": Decimal(7000),
        "annual_employer_pension": Decimal(8000),
    }
    make_post("clinical-pharmacist", D(2025, 4, 1), full_name="Fiona Fulltime", **dear)
    make_post(
        "clinical-pharmacist", D(2025, 4, 1), full_name="Olga Outer", london_zone="outer", **dear
    )
    ARRSAllocationFactory(pcn=pcn, financial_year=2025, amount=Decimal(500000))
    april = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 4, 1))
    actions.submit_claim(claim=april, by=network_manager, declaration=True)
    actions.decide_claim(claim=april, by=approver, approve=True)
    row = MaximumAmount.objects.get(role__code="clinical-pharmacist", period_start=D(2025, 4, 1))
    row.national, row.outer_london = Decimal(72000), Decimal(60000)
    actions.correct_record(record=row, by=superuser)

    arrears.work_out_pending(by=superuser)

    claim = Claim.objects.get(pcn=pcn, month=D(2025, 4, 1), supplement=1)
    assert owed_by_person(claim) == {"Fiona Fulltime": Decimal("419.00")}
    assert claim.status_changes.last().note == (
        "Arrears worked out after NHS England's maximum amounts were revised: 1 line, "
        "£419.00. 1 line has a lower maximum now and would come to £1,199.33 less: that is "
        "not taken back."
    )
    olga = april.lines.get(post__staff_member__full_name="Olga Outer")
    assert olga.reimbursable_amount == Decimal("6199.33")
