"""The ARRS budget page, against worked examples checked by hand.

The network is the personas' Riverside PCN (U99001: practices Z99001 and Z99002). Figures
come from DOMAIN.md: the 2025/26 rate £26.631 and the 2024/25 rate £22.894 per weighted
patient (§3.4, A.2), the 2024/25 GP sum £1.303 per weighted patient (§3.3) and the GP
maximum £92,462 from 1 October 2024 (A.1). The test role's maxima are its own.
"""

import datetime
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcn_portal.core.versions import latest_change
from practices.models import NetworkWeightedPopulation
from tests.factories import (
    ARRSRoleFactory,
    ClaimFactory,
    MaximumAmountFactory,
    MembershipFactory,
    NetworkWeightedPopulationFactory,
    PostFactory,
    RoleCapFactory,
    WeightedPopulationFactory,
)
from tests.html import parse
from workforce import actions, budget
from workforce.models import ARRSRole, ClaimStatus, RingFencedSum

D = datetime.date
URL = "/networks/U99001/workforce/budget/{}/"


def weighted(practice, on, figure):
    """The practice's weighted population on the day, as the weighted-population file
    gives it."""
    return WeightedPopulationFactory(practice=practice, on=on, weighted_patients=Decimal(figure))


def test_the_worked_example_for_2025_26(year_2025):
    p = budget.budget_position(year_2025["pcn"], 2025)
    # 35,000 × £26.631
    assert p.allocation.weighted_population == Decimal("35000.00")
    assert p.allocation.amount == Decimal("932085.00")
    assert p.approved == Decimal("6900.00")
    assert p.submitted == Decimal("6950.00")
    months = {r.month: r for r in p.months}
    # June: not claimed (a draft), so expected: A £5,000 + B £2,000.
    assert months[D(2025, 6, 1)].status == "Draft"
    assert months[D(2025, 6, 1)].forecast == Decimal("7000.00")
    # October: A at the new maximum, £5,500, + B £2,000.
    assert months[D(2025, 10, 1)].forecast == Decimal("7500.00")
    # November: B holds 16 of 30 days, counting its last day.
    assert months[D(2025, 11, 1)].forecast == Decimal("6566.67")
    assert months[D(2025, 12, 1)].forecast == Decimal("5500.00")
    # Claimed 13,850 + expected June–March: A 4 × 5,000 + 6 × 5,500 = 53,000,
    # B 5 × 2,000 + 1,066.67 = 11,066.67.
    assert p.forecast == Decimal("77916.67")
    assert months[D(2026, 3, 1)].cumulative == p.forecast
    assert p.headroom == Decimal("854168.33")
    # On 10 November: claimed so far 13,850 + November to March by the posts' own dates:
    # A 5 × 5,500 = 27,500; B leaves on 16 November, 1,066.67 (not 12 × 2,000 as if held
    # all year, which read 87,000).
    assert p.committed == Decimal("42416.67")
    assert p.missing == []


def test_the_page_shows_the_worked_example(network_viewer_client, year_2025):
    page = network_viewer_client.get(URL.format(2025)).content.decode()
    for figure in ["£932,085.00", "£6,900.00", "£6,950.00", "£42,416.67", "£77,916.67"]:
        assert figure in page
    assert "£854,168.33" in page
    assert "35,000.00 weighted patients at 1 January 2025" in page
    assert "× £26.631 per weighted patient" in page
    assert "ARRS allocation rate 2025/26; " in page
    assert ">Guidance – Network Contract DES 2025/26</a> – Humberside LMC" in page
    assert "Weighted population file (practice code, date, figure), weighted.csv" in page
    assert 'id="budget-chart"' in page and "budget-chart-data" in page


def test_the_chart_reads_the_year_to_date_against_the_allocation(network_viewer_client, year_2025):
    """One scale for every figure of the chart: each month's bar is the forecast to date,
    claimed and expected, so March's bar reaches the forecast year end and is read against
    the allocation's line (monthly amounts beside it on a second scale read as overspending)."""
    position = budget.budget_position(year_2025["pcn"], 2025)
    page = parse(network_viewer_client.get(URL.format(2025)).content.decode())
    chart = json.loads(page.by_id("budget-chart-data").text)
    claimed, expected = chart["claimed"], chart["expected"]
    assert claimed[-1] == float(position.approved + position.submitted)
    assert claimed[-1] + expected[-1] == pytest.approx(float(position.forecast))
    totals = [c + e for c, e in zip(claimed, expected, strict=True)]
    assert totals == pytest.approx([float(r.cumulative) for r in position.months])
    assert chart["allocation"] == float(position.allocation.amount)
    caption = page.find("figcaption").text
    assert "the allocation for the year, £932,085.00" in caption
    assert "by March 2026 the forecast to date is £77,916.67" in caption


def test_a_post_ending_before_today_is_not_committed(year_2025, on_day):
    on_day(D(2025, 12, 1))
    # Claimed 13,850 + A December to March 4 × 5,500; B left on 16 November.
    assert budget.budget_position(year_2025["pcn"], 2025).committed == Decimal("35850.00")


def test_the_gp_sum_for_2024_25_only_gp_posts_draw_on(world, on_day):
    """35,000 weighted at 1 January 2024: main sum 35,000 × £22.894 = £801,290.00; GP sum
    35,000 × £1.303 = £45,605.00. A GP from 1 October 2024 costing £96,000 a year is
    capped at £92,462 ÷ 12 = £7,705.17 a month: 6 months = £46,231.02, £626.02 over the
    GP sum. A test-role post at its £60,000 maximum all year draws on the main sum."""
    on_day(D(2025, 3, 31))
    pcn = world["pcn"]
    z1, z2 = world["practices"][:2]
    weighted(z1, D(2024, 1, 1), "12500")
    weighted(z2, D(2024, 1, 1), "22500")
    gp = ARRSRole.objects.get(code="gp")
    PostFactory(
        pcn=pcn, role=gp, afc_band="", start_date=D(2024, 10, 1), annual_salary=96_000,
        annual_employer_ni=0, annual_employer_pension=0,
    )  # fmt: skip
    other = MaximumAmountFactory(period_start=D(2024, 4, 1), national=60_000).role
    PostFactory(
        pcn=pcn, role=other, start_date=D(2024, 4, 1), annual_salary=60_000,
        annual_employer_ni=0, annual_employer_pension=0,
    )  # fmt: skip
    p = budget.budget_position(pcn, 2024)
    assert p.allocation.amount == Decimal("801290.00")
    assert p.allocation.gp_sum.amount == Decimal("45605.00")
    # £92,462 a year for October to March is £46,231.00, not 6 × £7,705.17 = £46,231.02.
    assert p.gp_forecast == Decimal("46231.00")
    assert p.gp_headroom == Decimal("-626.00")
    assert p.main_forecast == Decimal("60000.00")
    assert p.headroom == Decimal("741290.00")
    # 2025/26 has no GP sum: GPs draw on the main sum.
    assert budget.budget_position(pcn, 2025).allocation.gp_sum is None


def test_the_gp_sum_is_its_own_line_on_the_page(world, on_day, network_viewer_client):
    on_day(D(2025, 3, 31))
    for practice in world["practices"][:2]:
        weighted(practice, D(2024, 1, 1), "10000")
    page = network_viewer_client.get(URL.format(2024)).content.decode()
    assert "GP sum (GP posts only)" in page
    assert "£26,060.00" in page  # 20,000 × £1.303
    assert "20,000.00 weighted patients × £1.303, for 1 October 2024 to 31 March 2025" in page
    assert ">GP ARRS Role: Funding and Reimbursement</a> – ICB slide pack, October 2024" in page
    assert "DOMAIN" not in page


def test_the_gp_sum_is_reference_data_a_national_admin_corrects(
    world, on_day, superuser, network_viewer_client
):
    """The GP sum's figures are the 2024/25 ring-fenced sum row, shown with the public
    documents it comes from; a national admin's correction in admin is what the page then
    shows, and is in the row's audit history."""
    on_day(D(2025, 3, 31))
    for practice in world["practices"][:2]:
        weighted(practice, D(2024, 1, 1), "10000")
    page = network_viewer_client.get(URL.format(2024)).content.decode()
    assert ">GP ARRS Role: Funding and Reimbursement</a> – ICB slide pack, October 2024" in page
    gp_sum = RingFencedSum.objects.get(financial_year=2024)
    gp_sum.pounds_per_weighted_patient = Decimal("1.500")
    gp_sum.last_day = D(2025, 2, 28)
    gp_sum.section = "slide 4 (test fixture)"
    actions.correct_record(record=gp_sum, by=superuser)
    page = network_viewer_client.get(URL.format(2024)).content.decode()
    assert "£30,000.00" in page  # 20,000 × £1.500
    assert "20,000.00 weighted patients × £1.500, for 1 October 2024 to 28 February 2025" in page
    assert "slide 4 (test fixture)" in page
    assert latest_change(gp_sum).pgh_label == "update"


def test_only_the_ring_fenced_role_draws_on_the_sum(world, on_day):
    """The ring-fenced sum names the role whose posts draw on it: were it another role's,
    GP posts would count on the main sum and that role's on the ring-fenced one."""
    on_day(D(2025, 3, 31))
    pcn = world["pcn"]
    for practice in world["practices"][:2]:
        weighted(practice, D(2024, 1, 1), "10000")
    other = MaximumAmountFactory(period_start=D(2024, 4, 1), national=60_000).role
    PostFactory(
        pcn=pcn, role=other, start_date=D(2024, 4, 1), annual_salary=60_000,
        annual_employer_ni=0, annual_employer_pension=0,
    )  # fmt: skip
    RingFencedSum.objects.filter(financial_year=2024).update(role=other)
    p = budget.budget_position(pcn, 2024)
    assert p.gp_forecast == Decimal("60000.00")
    assert p.main_forecast == Decimal("0.00")


def test_an_unknown_maximum_is_named_not_counted(world, on_day, network_viewer_client):
    on_day(D(2025, 6, 15))
    role = ARRSRoleFactory(name="Unpriced role")
    MaximumAmountFactory(
        role=role, period_start=D(2025, 4, 1), unknown=True, national=None,
        outer_london=None, inner_london=None,
    )  # fmt: skip
    PostFactory(pcn=world["pcn"], role=role, start_date=D(2025, 4, 1))
    p = budget.budget_position(world["pcn"], 2025)
    assert p.forecast == 0 and p.committed == 0
    assert p.missing == [
        "No maximum amount is known for Unpriced role (Outside London) from 1 April 2025: a "
        "national admin must enter its national amount under ARRS maximum amounts before "
        "this line can be claimed."
    ]
    page = network_viewer_client.get(URL.format(2025)).content.decode()
    assert "No maximum amount is known for Unpriced role (Outside London) from 1 April 2025" in page
    assert "A national admin must enter this maximum" in page


def test_members_without_a_figure_or_with_a_stale_one_are_named(world, network_viewer_client):
    weighted(world["practices"][0], D(2023, 1, 1), "12500")  # two years before 1 Jan 2025
    page = network_viewer_client.get(URL.format(2025)).content.decode()
    assert (
        "Z99002 Test Surgery Z99002 has no weighted population on or before 1 January 2025" in page
    )
    assert "Z99001 Test Surgery Z99001&#x27;s weighted figure is from 1 January 2023" in page
    assert "12,500.00 weighted patients at 1 January 2025" in page  # Z99002 left out, and said


def test_the_commissioners_figure_takes_precedence(
    world, approver_client, subicb_viewer_client, network_viewer_client
):
    weighted(world["practices"][0], D(2025, 1, 1), "12500")
    url = URL.format(2025) + "weighted-population/"
    response = approver_client.post(url, {"weighted_patients": "40000.50", "source": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not NetworkWeightedPopulation.objects.exists()
    response = approver_client.post(
        url, {"weighted_patients": "40000.50", "source": "NHS England letter of 3 Feb 2025"}
    )
    assert response.status_code == 302
    entry = NetworkWeightedPopulation.objects.get()
    assert entry.weighted_patients == Decimal("40000.50")
    page = network_viewer_client.get(URL.format(2025)).content.decode()
    # 40,000.50 × £26.631 = £1,065,253.32
    assert "£1,065,253.32" in page
    assert "the commissioner entered for the network" in page
    assert "NHS England letter of 3 Feb 2025" in page
    # The network's own staff and the commissioner's viewers cannot enter it; the change
    # is in the audit history.
    for client in (network_viewer_client, subicb_viewer_client):
        refused = client.post(url, {"weighted_patients": "1", "source": "x"})
        assert refused.status_code == 403
        assert "Only the commissioner&#x27;s approvers can enter" in refused.content.decode()
    assert NetworkWeightedPopulation.objects.get().weighted_patients == Decimal("40000.50")
    change = latest_change(entry)
    assert change.pgh_label == "insert"
    assert change.pgh_context.metadata["username"] == "ada.approver"


def test_a_concurrent_change_to_the_commissioners_figure_is_refused(
    world, approver_client, national_admin_client
):
    url = URL.format(2025) + "weighted-population/"
    approver_client.post(url, {"weighted_patients": "100", "source": "first"})
    page = approver_client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    national_admin_client.post(
        url, {"weighted_patients": "200", "source": "second", "version": version}
    )
    response = approver_client.post(
        url, {"weighted_patients": "300", "source": "third", "version": version}
    )
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert NetworkWeightedPopulation.objects.get().weighted_patients == Decimal("200")


def test_a_figure_changed_meanwhile_is_not_removed_unseen(
    world, approver_client, national_admin_client
):
    url = URL.format(2025) + "weighted-population/"
    approver_client.post(url, {"weighted_patients": "100", "source": "first"})
    page = approver_client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    national_admin_client.post(
        url, {"weighted_patients": "200", "source": "second", "version": version}
    )
    response = approver_client.post(
        url,
        {"weighted_patients": "100", "source": "first", "version": version, "remove": "1"},
    )
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert NetworkWeightedPopulation.objects.get().weighted_patients == Decimal("200")
    # Opened afresh, it is removed.
    page = approver_client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = approver_client.post(
        url,
        {"weighted_patients": "200", "source": "second", "version": version, "remove": "1"},
    )
    assert response.status_code == 302
    assert not NetworkWeightedPopulation.objects.exists()


def test_no_year_goes_to_the_current_financial_year(network_viewer_client, monkeypatch):
    from workforce.views import budget as budget_views

    monkeypatch.setattr(budget_views, "today", lambda: D(2026, 2, 3))
    response = network_viewer_client.get("/networks/U99001/workforce/budget/")
    assert response.status_code == 302
    assert response["Location"] == URL.format(2025)


def test_a_year_outside_the_scheme_is_not_found(network_viewer_client):
    assert network_viewer_client.get(URL.format(2018)).status_code == 404
    assert network_viewer_client.get(URL.format(2099)).status_code == 404


def test_every_table_downloads(year_2025, network_viewer_client):
    url = URL.format(2025)
    response = network_viewer_client.get(url, {"table": "months", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Month,Claim,Approved (£),Submitted (£)")
    assert "April 2025,Approved,6900.00,0.00" in text
    assert "November 2025,No claim,0.00,0.00,6566.67,6566.67" in text
    for key, heading in [
        ("summary", "Figure"),
        ("members", "Practice"),
        ("roles", "Role"),
    ]:
        response = network_viewer_client.get(url, {"table": key, "format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == heading and len(rows) > 1
    roles = network_viewer_client.get(url, {"table": "roles", "format": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(roles.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][0] == "Test practitioner" and rows[1][3] == 42416.67


def grow(pcn, practices, role, posts, start):
    # Each call claims in months of 2025/26 no earlier call claimed: an approved claim
    # takes no more lines.
    claimed = set(pcn.claims.values_list("month", flat=True))
    free = [m for m in (D(2025 + (4 + k) // 13, (3 + k) % 12 + 1, 1) for k in range(12))
            if m not in claimed][:6]  # fmt: skip
    by_month = {}
    for i in range(posts):
        post = PostFactory(pcn=pcn, role=role, start_date=D(2025, 4, 1))
        by_month.setdefault(free[i % len(free)], []).append({"post": post})
    for month, lines in by_month.items():
        ClaimFactory(pcn=pcn, month=month, status=ClaimStatus.APPROVED, lines=lines)
    for n, practice in enumerate(practices):
        weighted(practice, D(2025, 1, 1), 1000 + n)


def test_queries_do_not_grow_with_the_data(world, network_viewer_client):
    from tests.factories import PracticeFactory

    pcn = world["pcn"]
    role = MaximumAmountFactory(period_start=D(2025, 4, 1)).role
    other = MaximumAmountFactory(period_start=D(2025, 4, 1)).role

    def count():
        network_viewer_client.get(URL.format(2025))
        with CaptureQueriesContext(connection) as queries:
            assert network_viewer_client.get(URL.format(2025)).status_code == 200
        return len(queries)

    grow(pcn, world["practices"][:2], role, 3, 0)
    small = count()
    extra = [PracticeFactory(commissioner=world["sub_icb"]) for _ in range(20)]
    for practice in extra:
        MembershipFactory(practice=practice, pcn=pcn, start_date=D(2019, 7, 1))
    grow(pcn, extra, role, 30, 3)
    grow(pcn, [], other, 10, 0)
    assert pcn.posts.count() == 43
    assert count() == small


def test_the_page_keeps_to_the_query_budget(world, network_viewer_client):
    """The page budget: at most 12 queries on a portal page, with posts, claims, members,
    the commissioner's figure and the public documents the maximum amounts and the
    allocation rate cite all present."""
    pcn = world["pcn"]
    role = MaximumAmountFactory(period_start=D(2025, 4, 1)).role
    grow(pcn, world["practices"][:2], role, 5, 0)
    NetworkWeightedPopulationFactory(
        pcn=pcn, financial_year=2025, weighted_patients=Decimal("9000"), source="Letter"
    )
    network_viewer_client.get(URL.format(2025))
    with CaptureQueriesContext(connection) as queries:
        page = network_viewer_client.get(URL.format(2025))
    assert page.status_code == 200
    assert "Letter" in page.content.decode()
    assert len(queries) <= 12


def test_a_london_post_and_a_half_share_role(world, on_day):
    """An outer-London post of the test role (outer maximum £66,000 a year, £5,500 a
    month) costing £7,000 a month is capped at £5,500. A role reimbursing half its costs
    (as mental health practitioners did to 2023/24, DOMAIN.md A.3 rule 4) costing £4,000 a
    month claims £2,000, under its £5,000 cap."""
    from workforce.models import CapKind, LondonZone

    on_day(D(2025, 4, 15))
    pcn = world["pcn"]
    london = MaximumAmountFactory(period_start=D(2025, 4, 1), outer_london=66_000).role
    PostFactory(
        pcn=pcn, role=london, start_date=D(2025, 4, 1), london_zone=LondonZone.OUTER,
        annual_salary=84_000, annual_employer_ni=0, annual_employer_pension=0,
    )  # fmt: skip
    half = MaximumAmountFactory(period_start=D(2025, 4, 1), national=60_000).role
    RoleCapFactory(
        role=half, valid_from=D(2025, 4, 1), kind=CapKind.REIMBURSEMENT_SHARE,
        share=Decimal("0.5"), rule="Half the costs (test fixture).",
    )  # fmt: skip
    PostFactory(
        pcn=pcn, role=half, start_date=D(2025, 4, 1),
        annual_salary=48_000, annual_employer_ni=0, annual_employer_pension=0,
    )  # fmt: skip
    p = budget.budget_position(pcn, 2025)
    april = p.months[0]
    assert april.forecast == Decimal("7500.00")  # 5,500 + 2,000
    roles = {r.role: r for r in p.roles}
    assert roles[london].committed == Decimal("66000.00")
    assert roles[half].committed == Decimal("24000.00")


def test_a_year_without_a_rate_says_so(world, network_viewer_client):
    """DOMAIN.md A.2 has no 2026/27 rate: the allocation and headroom are not known."""
    weighted(world["practices"][0], D(2026, 1, 1), "10000")
    page = network_viewer_client.get(URL.format(2026)).content.decode()
    assert "No ARRS rate per weighted patient is recorded for 2026/27" in page
    assert "the allocation and headroom cannot be worked out" in page
    assert "Not known" in page


def test_the_page_names_the_maximum_amounts_it_used(year_2025, network_viewer_client):
    page = network_viewer_client.get(URL.format(2025)).content.decode()
    assert "Maximum amounts used" in page
    assert "£60,000.00" in page and "£66,000.00" in page
    assert "30 September 2025" in page  # the last day of the first rate


def test_a_commissioners_figure_is_the_sum_approvals_are_checked_against(
    world, on_day, approver_client
):
    """The commissioner's weighted population re-records the year's ARRS sum, so the
    ceiling on approvals is the allocation the budget page shows."""
    from workforce.models import ARRSAllocation

    on_day(D(2025, 6, 15))
    url = URL.format(2025) + "weighted-population/"
    form = approver_client.get(url).context["form"]
    response = approver_client.post(
        url,
        {
            "weighted_patients": "40000",
            "source": "ICB allocation letter, May 2025",
            "version": form["version"].value() or "",
        },
    )
    assert response.status_code == 302
    recorded = ARRSAllocation.objects.get(pcn=world["pcn"], financial_year=2025)
    # 40,000 weighted patients × £26.631 (2025/26, DOMAIN.md §3.4) = £1,065,240.00
    assert (recorded.weighted_population, recorded.amount) == (
        Decimal("40000.00"),
        Decimal("1065240.00"),
    )
    page = approver_client.get(URL.format(2025)).content.decode()
    assert "£1,065,240.00" in page


def test_committed_follows_each_posts_own_dates(world, on_day):
    """A pharmacist leaving on 31 July and a technician starting on 1 September, seen on
    1 April 2025. Before, committed was the posts in place that day as if held all year:
    the pharmacist 12 × £5,000 = £60,000. Now: 4 × £5,000 + 7 × £3,000 = £41,000."""
    on_day(D(2025, 4, 1))
    pcn = world["pcn"]
    pharmacist = MaximumAmountFactory(period_start=D(2024, 4, 1), national=60_000).role
    technician = MaximumAmountFactory(period_start=D(2024, 4, 1), national=40_000).role
    PostFactory(
        pcn=pcn, role=pharmacist, start_date=D(2024, 4, 1), end_date=D(2025, 7, 31),
        annual_salary=60_000, annual_employer_ni=0, annual_employer_pension=0,
    )  # fmt: skip
    PostFactory(
        pcn=pcn, role=technician, start_date=D(2025, 9, 1), annual_salary=36_000,
        annual_employer_ni=0, annual_employer_pension=0,
    )  # fmt: skip
    p = budget.budget_position(pcn, 2025)
    assert p.committed == Decimal("41000.00")
    assert {r.role: r.committed for r in p.roles} == {
        pharmacist: Decimal("20000.00"),
        technician: Decimal("21000.00"),
    }


def test_committed_is_labelled_on_the_page(network_viewer_client, year_2025):
    page = network_viewer_client.get(URL.format(2025)).content.decode()
    assert "Committed (claimed so far + posts&#x27; known dates to the year end)" in page
    assert "starters from their first day, leavers to their last" in page


def test_no_missing_maximum_before_a_role_is_reimbursable(world, on_day):
    """A GP from 1 October 2024 (the role is reimbursable from then, DOMAIN.md §3.1): no
    note for April to September 2024, when the post did not exist and no GP could be
    reimbursed (before, six notes, one per month)."""
    on_day(D(2024, 11, 1))
    PostFactory(
        pcn=world["pcn"], role=ARRSRole.objects.get(code="gp"), afc_band="",
        start_date=D(2024, 10, 1), annual_salary=80_000,
    )  # fmt: skip
    p = budget.budget_position(world["pcn"], 2024)
    assert p.missing == []
    assert all(not r.missing for r in p.months)


def test_the_cost_awaiting_maxima_is_its_own_figure(network_viewer_client, world, on_day):
    """2026/27 has no national maximum amounts yet (DOMAIN.md A.1). A clinical pharmacist
    from 1 April 2026 costing £48,000 + £5,500 + £6,700 = £60,200 a year, £5,016.67 a
    month: before, Committed £0.00 and Forecast £0.00 and nothing else. Now the cost of the
    months, 12 × £5,016.67 = £60,200.04, is shown as cost awaiting maximum amounts (a claim
    for one of them would hold its line: nothing can be submitted)."""
    on_day(D(2026, 12, 7))
    pcn = world["pcn"]
    PostFactory(
        pcn=pcn, role=ARRSRole.objects.get(code="clinical-pharmacist"), afc_band="7",
        start_date=D(2026, 4, 1), annual_salary=48_000, annual_employer_ni=5_500,
        annual_employer_pension=6_700,
    )  # fmt: skip
    p = budget.budget_position(pcn, 2026)
    assert (p.committed, p.forecast) == (Decimal("0.00"), Decimal("0.00"))
    assert p.awaiting == Decimal("60200.04")
    # Committed: December to March, 4 × £5,016.67 = £20,066.68.
    assert p.committed_awaiting == Decimal("20066.68")
    page = network_viewer_client.get(URL.format(2026)).content.decode()
    assert "£60,200.04 of cost awaits national maximum amounts" in page
    assert "Cost awaiting national maximum amounts" in page
