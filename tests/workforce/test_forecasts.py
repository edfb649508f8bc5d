"""Each network's ARRS forecast on the area pages: the figure its budget page shows, kept
(workforce.models.ARRSForecast) and worked out again whenever what it depends on changes.

The network is the budget page's worked example (budget_year_2025 in
tests/factories/worlds.py): its 2025/26 forecast is £77,916.67 and its allocation 35,000 ×
£26.631 = £932,085.00, so its headroom is £854,168.33 (tests/workforce/test_budget.py
checks those by hand).
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.html import parse
from workforce import actions, budget
from workforce.models import ARRSForecast, ClaimStatus, MaximumAmount, RingFencedSum

D = datetime.date
ARRS = "/areas/QZ1/arrs/?on=2025-11-10"


@pytest.fixture
def kept(year_2025, superuser):
    """The worked example with its allocation recorded and its forecasts worked out (its
    records were made directly, as `manage.py refresh_arrs_forecasts` is there for). The
    posts get the band their role requires, which the actions check (its maxima are not
    banded, so the figures stay the same)."""
    for post in (year_2025["a"], year_2025["b"]):
        post.afc_band = "7"
        post.save()
    actions.set_allocation(pcn=year_2025["pcn"], by=superuser, financial_year=2025)
    budget.refresh_forecasts(years=[2025])
    return year_2025


def riverside_row(client):
    page = parse(client.get(ARRS).content.decode())
    for row in page.find_all("tr"):
        cells = [cell.text.strip() for cell in row.find_all("td")]
        if cells and "U99001" in row.text:
            return cells
    raise AssertionError("Riverside is not in the ARRS table")


def test_the_area_shows_the_budget_page_forecast_and_headroom(icb_viewer_client, kept):
    row = riverside_row(icb_viewer_client)
    assert "£932,085.00" in row  # allocation
    assert "£77,916.67" in row  # forecast year-end
    assert "£854,168.33" in row  # headroom


def forecast_of(pcn, year=2025):
    return ARRSForecast.objects.get(pcn=pcn, financial_year=year).main_forecast


def test_ending_a_post_works_the_forecast_out_again(kept, network_manager, icb_viewer_client):
    # Post A ends on 31 December 2025: January to March (3 × £5,500) are no longer expected.
    actions.end_post(post=kept["a"], by=network_manager, end_date=D(2025, 12, 31))
    assert forecast_of(kept["pcn"]) == Decimal("61416.67")
    assert forecast_of(kept["pcn"]) == budget.budget_position(kept["pcn"], 2025).main_forecast
    assert "£61,416.67" in riverside_row(icb_viewer_client)


def test_a_claim_submitted_then_rejected(kept, network_manager, approver):
    # June's draft (£1 + £1) counted as not claimed (A £5,000 + B £2,000 expected); once
    # submitted, what it claims counts; once rejected, June is expected again.
    june = kept["pcn"].claims.get(month=D(2025, 6, 1))
    actions.submit_claim(claim=june, by=network_manager, declaration=True)
    assert forecast_of(kept["pcn"]) == Decimal("77916.67") - 7000 + 2
    june.refresh_from_db()
    june = actions.decide_claim(claim=june, by=approver, approve=False, note="Wrong hours")
    assert june.status == ClaimStatus.REJECTED
    assert forecast_of(kept["pcn"]) == Decimal("77916.67")


def test_a_national_maximum_corrected_in_admin(kept, superuser, django_capture_on_commit_callbacks):
    # The maximum from 1 October 2025 corrected from £66,000 to £72,000: post A (costing
    # £6,000 a month) is no longer capped, so October to March add 6 × £500; post B stays
    # under its cap. Every kept forecast is worked out again by the task worker.
    row = MaximumAmount.objects.get(role=kept["role"], period_start=D(2025, 10, 1))
    row.national = 72_000
    with django_capture_on_commit_callbacks(execute=True):
        actions.correct_record(record=row, by=superuser)
    assert forecast_of(kept["pcn"]) == Decimal("80916.67")


def test_a_ring_fenced_sum_added_in_admin(kept, superuser, django_capture_on_commit_callbacks):
    # A national admin ring-fences 2025/26 money for the test role: its posts (all of the
    # network's) then draw on that sum, so the forecast on the main sum is nothing.
    ring_fenced = RingFencedSum(
        financial_year=2025, role=kept["role"], pounds_per_weighted_patient=Decimal("1"),
        first_day=D(2025, 4, 1), last_day=D(2026, 3, 31), section="test fixture",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        actions.correct_record(record=ring_fenced, by=superuser)
    assert forecast_of(kept["pcn"]) == Decimal("0.00")


def test_a_post_corrected_in_admin(kept, superuser):
    post = kept["a"]
    post.end_date = D(2025, 12, 31)
    actions.correct_record(record=post, by=superuser)
    assert forecast_of(kept["pcn"]) == Decimal("61416.67")


def test_a_network_without_a_forecast_says_so(icb_viewer_client, year_2025):
    page = icb_viewer_client.get("/areas/QZ1/?on=2025-11-10").content.decode()
    assert "2 networks without one" in page
    shown = icb_viewer_client.get(ARRS + "&show=no_forecast").content.decode()
    assert "U99001" in shown and "U99002" in shown


def test_the_command_works_out_the_networks_given(year_2025):
    call_command("refresh_arrs_forecasts", "--year", "2025", "--network", "U99001", verbosity=0)
    assert forecast_of(year_2025["pcn"]) == Decimal("77916.67")
    assert ARRSForecast.objects.count() == 1
    with pytest.raises(CommandError, match="No network has the ODS code U00000"):
        call_command("refresh_arrs_forecasts", "--network", "U00000", verbosity=0)


def test_the_command_works_out_every_year_with_claims_by_default(year_2025, on_day):
    # A year later, 2025/26's claims (April and May) still need their year kept, or an
    # area's page as of a day in it would show nothing approved or submitted.
    on_day(D(2026, 12, 1))
    call_command("refresh_arrs_forecasts", verbosity=0)
    assert forecast_of(year_2025["pcn"]) == Decimal("77916.67")
    kept_years = ARRSForecast.objects.filter(pcn=year_2025["pcn"])
    assert sorted(kept_years.values_list("financial_year", flat=True)) == [2025, 2026]


def test_the_forecast_links_to_the_budget_page_behind_it(icb_viewer_client, kept):
    page = parse(icb_viewer_client.get(ARRS).content.decode())
    links = {a.text.strip(): a.attrs["href"] for a in page.find_all("a")}
    assert links["£77,916.67"] == "/networks/U99001/workforce/budget/2025/"
    budget_page = icb_viewer_client.get(links["£77,916.67"]).content.decode()
    assert "£77,916.67" in budget_page and "£854,168.33" in budget_page


def test_an_approval_moves_the_claim_from_submitted_to_approved(kept, approver, icb_viewer_client):
    # April approved (£6,900), May submitted (£6,950); approving May (on 9 November 2025,
    # the day before the page's date: the page counts a decision from its day) moves it
    # across.
    assert "£6,900.00" in riverside_row(icb_viewer_client)
    may = kept["pcn"].claims.get(month=D(2025, 5, 1))
    with time_machine.travel(datetime.datetime(2025, 11, 9, 12, tzinfo=datetime.UTC)):
        actions.decide_claim(claim=may, by=approver, approve=True)
    row = riverside_row(icb_viewer_client)
    assert "£13,850.00" in row  # approved
    assert "£0.00" in row  # submitted
    assert "£77,916.67" in row  # the forecast counted both months already
    kept_row = ARRSForecast.objects.get(pcn=kept["pcn"], financial_year=2025)
    assert (kept_row.approved, kept_row.submitted) == (Decimal("13850.00"), Decimal("0.00"))
