"""An area's pages as of a date: every figure is as it stood that day wherever the records
say when it changed (an agreement from the day it was signed, a claim as submitted from
the day it was submitted and as approved or rejected from the day it was decided, a post
from its first day); the figures kept only as they are today say so beside them.

The hand-counted area (tests/factories/worlds.py) with 2025/26 events for Riverside
(U99001) on known days, all in British Summer Time:
- its Network Agreement 2025/26 signed on 10 June 2025, with its data-sharing agreement;
- its allocation 2025/26: £100,000;
- its claim for April 2025 (£1,000) submitted on 12 May 2025, approved on 20 June 2025;
- its claim for May 2025 (£400) submitted at 00:30 on 15 June 2025 (23:30 on 14 June in
  UTC), rejected on 1 July 2025;
- its claim for February 2026 (£300) submitted on 5 March 2026, still waiting;
- a full-time ARRS post from 1 June 2025.
"""

import datetime
from decimal import Decimal

import pytest

from pcn_portal.core.dates import financial_year_of, today
from tests.areas.test_views import csv_rows, figure_map, queries_as_networks_grow
from tests.factories import (
    ARRSAllocationFactory,
    ClaimFactory,
    NetworkAgreementFactory,
    PostFactory,
)
from tests.factories.worlds import line_values
from tests.html import parse
from workforce import budget
from workforce.models import ClaimStatus, EmployerType

D = datetime.date
UTC = datetime.UTC


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def events(area):
    riverside, role = area["pcn"], area["roles"][0]
    NetworkAgreementFactory(
        pcn=riverside,
        financial_year=2025,
        signed_on=D(2025, 6, 10),
        data_sharing_agreement_in_place=True,
    )
    ARRSAllocationFactory(
        pcn=riverside,
        financial_year=2025,
        weighted_population=Decimal("1000"),
        population_date=D(2025, 1, 1),
        rate=Decimal("1"),
        amount=Decimal("100000.00"),
    )
    post = PostFactory(
        pcn=riverside,
        staff_member__full_name="D Starter",
        role=role,
        employer_type=EmployerType.LEAD_PROVIDER,
        start_date=D(2025, 6, 1),
        weekly_hours=Decimal("37.5"),
        annual_salary=Decimal("40000"),
        bare=True,
    )

    def claim(month, status, amount, submitted_at, decided_at=None):
        ClaimFactory(
            pcn=riverside,
            month=month,
            status=status,
            lines=[line_values(post, amount)],
            submitted_at=submitted_at,
            decided_at=decided_at,
        )

    claim(D(2025, 4, 1), ClaimStatus.APPROVED, "1000.00", at(2025, 5, 12, 9), at(2025, 6, 20, 14))
    claim(D(2025, 5, 1), ClaimStatus.REJECTED, "400.00", at(2025, 6, 14, 23, 30), at(2025, 7, 1, 9))
    claim(D(2026, 2, 1), ClaimStatus.SUBMITTED, "300.00", at(2026, 3, 5, 11))
    budget.refresh_forecasts()
    return area


def overview(client, on):
    return figure_map(client.get("/areas/QZ1/", {"on": on.isoformat()}))


def arrs_row(client, on, code="U99001"):
    rows = csv_rows(client.get("/areas/QZ1/arrs/", {"on": on.isoformat(), "format": "csv"}))
    return next(r for r in rows if r["ODS code"] == code)


def money(amount):
    return f"£{Decimal(amount):,.2f}"


# (day, approved, submitted and waiting, claims waiting) on the overview: each event's day
# and the day before it.
CLAIM_DAYS = [
    (D(2025, 5, 11), "0", "0", "0"),
    (D(2025, 5, 12), "0", "1000", "1"),  # April's submitted
    (D(2025, 6, 14), "0", "1000", "1"),  # May's is submitted at 00:30 on 15 June, London time
    (D(2025, 6, 15), "0", "1400", "2"),
    (D(2025, 6, 19), "0", "1400", "2"),
    (D(2025, 6, 20), "1000", "400", "1"),  # April's approved
    (D(2025, 6, 30), "1000", "400", "1"),
    (D(2025, 7, 1), "1000", "0", "0"),  # May's rejected
    (D(2026, 3, 4), "1000", "0", "0"),
    (D(2026, 3, 5), "1000", "300", "1"),  # February 2026's submitted
    (D(2026, 3, 31), "1000", "300", "1"),
]


@pytest.mark.parametrize("on, approved, submitted, waiting", CLAIM_DAYS)
def test_the_overview_counts_claims_as_they_stood(icb_viewer_client, events, on, approved,
                                                  submitted, waiting):  # fmt: skip
    shown = overview(icb_viewer_client, on)
    assert shown["approved"] == money(approved)
    assert shown["submitted"] == money(submitted)
    assert shown["claims-waiting"] == waiting
    # Left: Riverside's allocation, the only one of 2025/26, less what is on it that day.
    assert shown["left"] == money(Decimal(100000) - Decimal(approved) - Decimal(submitted))


@pytest.mark.parametrize("on, approved, submitted, waiting", CLAIM_DAYS)
def test_the_arrs_section_and_its_download_count_claims_as_they_stood(
    icb_viewer_client, events, on, approved, submitted, waiting
):
    row = arrs_row(icb_viewer_client, on)
    assert (row["Approved"], row["Submitted, waiting"], row["Claims waiting"]) == (
        f"{Decimal(approved):.2f}",
        f"{Decimal(submitted):.2f}",
        waiting,
    )
    waiting_only = icb_viewer_client.get("/areas/QZ1/arrs/", {"on": on, "show": "waiting"})
    listed = "U99001" in waiting_only.content.decode()
    assert listed == (waiting != "0")


@pytest.mark.parametrize(
    "on, unsigned, signed_on",
    [
        (D(2025, 6, 9), "4", ""),
        (D(2025, 6, 10), "3", "2025-06-10"),
        (D(2026, 3, 31), "3", "2025-06-10"),
    ],
)
def test_an_agreement_counts_as_signed_from_its_day(icb_viewer_client, events, on, unsigned,
                                                    signed_on):  # fmt: skip
    assert overview(icb_viewer_client, on)["unsigned"] == unsigned
    query = {"on": on.isoformat(), "format": "csv"}
    rows = csv_rows(icb_viewer_client.get("/areas/QZ1/governance/", query))
    riverside = next(r for r in rows if r["ODS code"] == "U99001")
    assert riverside["Network Agreement signed on"] == signed_on
    unsigned_rows = csv_rows(
        icb_viewer_client.get("/areas/QZ1/governance/", {**query, "show": "unsigned"})
    )
    assert len(unsigned_rows) == int(unsigned)


@pytest.mark.parametrize("on, wte, role_wte", [(D(2025, 5, 31), "1.50", "1.00"),
                                               (D(2025, 6, 1), "2.50", "2.00")])  # fmt: skip
def test_a_post_counts_from_its_first_day(icb_viewer_client, events, on, wte, role_wte):
    assert overview(icb_viewer_client, on)["wte"] == wte
    assert arrs_row(icb_viewer_client, on)["ARRS WTE in post"] == wte
    roles = csv_rows(icb_viewer_client.get("/areas/QZ1/roles/", {"on": on, "format": "csv"}))
    assert {r["ARRS role"]: r["WTE"] for r in roles}[events["roles"][0].name] == role_wte


def test_on_the_year_s_last_day_the_claims_add_up_to_the_budget_page_s(icb_viewer_client, events):
    """Nothing of 2025/26 was decided after 31 March 2026: its figures that day are the
    network's budget position of today (workforce.budget, kept as ARRSForecast)."""
    kept = events["pcn"].arrs_forecasts.get(financial_year=2025)
    row = arrs_row(icb_viewer_client, D(2026, 3, 31))
    assert (row["Approved"], row["Submitted, waiting"]) == (str(kept.approved), str(kept.submitted))


def test_today_s_figures_are_as_before(icb_viewer_client, events):
    """Today (2026/27) the hand-counted figures; the February 2026 claim still waits."""
    shown = figure_map(icb_viewer_client.get("/areas/QZ1/"))
    assert (shown["approved"], shown["submitted"]) == ("£1,000.00", "£500.00")
    assert shown["claims-waiting"] == "2"
    row = arrs_row(icb_viewer_client, today())
    kept = events["pcn"].arrs_forecasts.get(financial_year=financial_year_of(today()))
    assert (row["Approved"], row["Submitted, waiting"]) == (str(kept.approved), str(kept.submitted))


def text_of(element):
    return " ".join(element.text.split())


def test_figures_kept_only_as_today_say_so_on_another_date(icb_viewer_client, events):
    def recorded_today(response):
        root = parse(response.content.decode())
        rows = {
            text_of(row.find("dt")): text_of(row.find("dd"))
            for row in root.iter()
            if "nhsuk-summary-list__row" in getattr(row, "attrs", {}).get("class", "")
        }
        return {key for key, value in rows.items() if "(as recorded today)" in value}

    marked = {
        "No data-sharing agreement",
        "Allocation",
        "Forecast year-end",
        "Headroom (allocation − forecast on it)",
        "Cost awaiting national maximum amounts",
    }
    assert recorded_today(icb_viewer_client.get("/areas/QZ1/", {"on": "2025-06-20"})) == marked
    assert recorded_today(icb_viewer_client.get("/areas/QZ1/")) == set()

    def headings(slug, on):
        query = {"format": "csv"} | ({"on": on} if on else {})
        rows = csv_rows(icb_viewer_client.get(f"/areas/QZ1/{slug}/", query))
        return {key for key in rows[0] if key.endswith("(as recorded today)")}

    assert headings("arrs", "2025-06-20") == {
        "Allocation (as recorded today)",
        "Forecast year-end (as recorded today)",
        "Headroom (as recorded today)",
        "GP sum headroom (as recorded today)",
        "Cost awaiting maximum amounts (as recorded today)",
        "Arrears claimed (as recorded today)",
        "Arrears owed, not claimed (as recorded today)",
        "Maxima left out of the forecast (as recorded today)",
    }
    assert headings("governance", "2025-06-20") == {
        "Data-sharing agreement in place (as recorded today)"
    }
    assert headings("footprints", "2025-06-20") == {"Footprint notes (as recorded today)"}
    assert headings("arrs", None) == set()
    page = icb_viewer_client.get("/areas/QZ1/services/", {"on": "2026-06-20"}).content.decode()
    assert f"{events['spec'].name} (as recorded today)" in page
    assert "Delivery statuses are as recorded today" in page
    # Today's page says nothing of it.
    page = icb_viewer_client.get("/areas/QZ1/services/").content.decode()
    assert "as recorded today" not in page


@pytest.mark.parametrize("slug", ["", "arrs/", "governance/"])
def test_a_past_date_s_queries_do_not_grow_with_the_networks(icb_viewer_client, events, slug):
    url = f"/areas/QZ1/{slug}?on=2025-06-20"
    small, large = queries_as_networks_grow(icb_viewer_client, url, events)
    assert large == small
    assert small <= 12, small
