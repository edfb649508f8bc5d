"""Derived figures, each on cases worked out by hand (the sums are in the comments).

The ARRS amounts here are round test figures, not NHS rates: the rules are what is tested.
"""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import (
    ARRSRoleFactory,
    MaximumAmountFactory,
    NetworkWeightedPopulationFactory,
    PostFactory,
    RoleCapFactory,
)
from tests.factories.worlds import claimed, lone_network
from workforce import budget
from workforce.calculations import (
    allocation_amount,
    choose_maximum_rows,
    monthly_maximum,
    months_of,
    reimbursed_wte,
    reimbursement_share,
    wte,
)
from workforce.models import (
    ARRSRole,
    CapKind,
    ClaimStatus,
    LondonZone,
    MaximumAmount,
    Post,
    RoleCap,
)

D = datetime.date


@pytest.fixture
def pcn(db):
    return lone_network()


@pytest.mark.parametrize(
    ("hours", "expected"),
    [("37.5", "1.0000"), ("22.5", "0.6000"), ("7.5", "0.2000"), ("30", "0.8000")],
)
def test_wte_on_a_37_and_a_half_hour_week(hours, expected):
    assert wte(Decimal(hours)) == Decimal(expected)


@pytest.fixture
def role(db):
    role = ARRSRoleFactory(
        code="test-role",
        name="Test role",
        reimbursable_from=D(2020, 4, 1),
        section="test",
        bare=True,
    )
    # No London weighting before 2021/22: the national figure applies in London too.
    MaximumAmountFactory(
        role=role,
        period_start=D(2020, 4, 1),
        period_end=D(2021, 3, 31),
        national=Decimal(50_000),
        section="test",
        bare=True,
    )
    MaximumAmountFactory(
        role=role,
        period_start=D(2021, 4, 1),
        period_end=D(2024, 3, 31),
        unknown=True,
        section="t",
        bare=True,
    )
    MaximumAmountFactory(
        role=role,
        period_start=D(2024, 4, 1),
        period_end=D(2024, 9, 30),
        national=Decimal(60_000),
        outer_london=Decimal(66_000),
        inner_london=Decimal(69_000),
        section="test",
    )
    MaximumAmountFactory(
        role=role,
        period_start=D(2024, 10, 1),
        national=Decimal(63_000),
        section="test",
        bare=True,
    )
    return role


def post(
    pcn,
    role,
    start,
    end=None,
    hours="37.5",
    zone=LondonZone.NATIONAL,
    salary=48_000,
    on_costs=12_000,  # split as NI 5,000 and pension 7,000
):
    return PostFactory(
        pcn=pcn,
        staff_member__full_name="Test Person",
        role=role,
        employer_type="lead_provider",
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(hours),
        annual_salary=Decimal(salary),
        annual_employer_ni=Decimal(5_000),
        annual_employer_pension=Decimal(on_costs - 5_000),
        london_zone=zone,
    )


class TestMonthlyMaximum:
    def test_full_month_full_time(self, pcn, role):
        # 60,000 / 12
        assert monthly_maximum(post(pcn, role, D(2024, 4, 1)), D(2024, 4, 1)).amount == Decimal(
            "5000.00"
        )

    def test_wte_below_one(self, pcn, role):
        # 60,000 / 12 × 0.6
        p = post(pcn, role, D(2024, 4, 1), hours="22.5")
        assert monthly_maximum(p, D(2024, 4, 1)).amount == Decimal("3000.00")

    def test_starting_part_way_through_a_month(self, pcn, role):
        # In post 16–30 April: 15 of 30 days. 5,000 × 15 / 30
        p = post(pcn, role, D(2024, 4, 16))
        result = monthly_maximum(p, D(2024, 4, 1))
        assert (result.amount, result.days_in_post, result.days_in_month) == (
            Decimal("2500.00"),
            15,
            30,
        )

    def test_leaving_part_way_through_a_month(self, pcn, role):
        # Last day 10 April: in post 10 of 30 days. 5,000 × 10 / 30
        p = post(pcn, role, D(2024, 1, 1), end=D(2024, 4, 10))
        assert monthly_maximum(p, D(2024, 4, 1)).amount == Decimal("1666.67")

    def test_last_day_16_november_works_16_of_30_days(self, pcn, role):
        # 63,000 / 12 = 5,250 a month; 16 of 30 days: 5,250 × 16 / 30 = 2,800
        p = post(pcn, role, D(2024, 4, 1), end=D(2024, 11, 16))
        result = monthly_maximum(p, D(2024, 11, 1))
        assert (result.amount, result.days_in_post, result.days_in_month) == (
            Decimal("2800.00"),
            16,
            30,
        )
        assert monthly_maximum(p, D(2024, 12, 1)).amount == Decimal("0.00")

    def test_last_day_on_the_months_last_day_is_the_whole_month(self, pcn, role):
        p = post(pcn, role, D(2024, 4, 1), end=D(2024, 4, 30))
        assert monthly_maximum(p, D(2024, 4, 1)).amount == Decimal("5000.00")
        assert monthly_maximum(p, D(2024, 5, 1)).amount == Decimal("0.00")

    def test_a_one_day_post_is_one_day(self, pcn, role):
        # 5,000 × 1 / 30
        p = post(pcn, role, D(2024, 4, 30), end=D(2024, 4, 30))
        assert monthly_maximum(p, D(2024, 4, 1)).amount == Decimal("166.67")

    def test_month_outside_the_post_is_nothing(self, pcn, role):
        p = post(pcn, role, D(2024, 5, 1))
        assert monthly_maximum(p, D(2024, 4, 1)).amount == Decimal("0.00")

    def test_rate_change_within_a_year(self, pcn, role):
        p = post(pcn, role, D(2024, 4, 1))
        assert monthly_maximum(p, D(2024, 9, 1)).amount == Decimal("5000.00")
        assert monthly_maximum(p, D(2024, 10, 1)).amount == Decimal("5250.00")  # 63,000 / 12

    def test_rate_change_inside_a_month_is_split_by_day(self, pcn, role):
        MaximumAmount.objects.filter(period_start=D(2024, 10, 1)).update(
            period_start=D(2024, 10, 16)
        )
        MaximumAmount.objects.filter(period_start=D(2024, 4, 1)).update(period_end=D(2024, 10, 15))
        p = post(pcn, role, D(2024, 4, 1))
        # 5,000 × 15/31 + 5,250 × 16/31 = 5,129.03
        assert monthly_maximum(p, D(2024, 10, 1)).amount == Decimal("5129.03")

    @pytest.mark.parametrize(
        ("zone", "expected"),
        [
            (LondonZone.NATIONAL, "5000.00"),
            (LondonZone.OUTER, "5500.00"),  # 66,000 / 12
            (LondonZone.INNER, "5750.00"),  # 69,000 / 12
        ],
    )
    def test_london_zones(self, pcn, role, zone, expected):
        p = post(pcn, role, D(2024, 4, 1), zone=zone)
        assert monthly_maximum(p, D(2024, 5, 1)).amount == Decimal(expected)

    def test_london_before_london_weighting_uses_national(self, pcn, role):
        p = post(pcn, role, D(2020, 4, 1), zone=LondonZone.INNER)
        # 50,000 / 12 a month, rounded as a running figure: £8,333.33 to the end of May
        # less £4,166.67 for April.
        assert monthly_maximum(p, D(2020, 5, 1)).amount == Decimal("4166.66")

    def test_london_amount_missing_after_weighting_is_unknown(self, pcn, role):
        p = post(pcn, role, D(2024, 10, 1), zone=LondonZone.OUTER)
        result = monthly_maximum(p, D(2024, 11, 1))
        assert result.amount is None
        assert "Outer London" in result.reason

    def test_period_without_a_known_amount_is_unknown(self, pcn, role):
        p = post(pcn, role, D(2022, 1, 1))
        result = monthly_maximum(p, D(2022, 6, 1))
        assert result.amount is None
        assert "No maximum amount is known" in result.reason


def test_allocation_is_weighted_population_times_rate():
    # 45,678.9 × £26.631 = £1,216,474.7859
    assert allocation_amount(Decimal("45678.9"), Decimal("26.631")) == Decimal("1216474.79")


def test_share_of_costs_rule(pcn, role):
    RoleCapFactory(
        role=role,
        valid_from=D(2021, 4, 1),
        kind=CapKind.REIMBURSEMENT_SHARE,
        max_count=None,
        share=Decimal("0.5"),
        rule="Half the cost",
        section="test",
    )
    assert reimbursement_share(role, D(2021, 3, 31)) == 1
    assert reimbursement_share(role, D(2024, 5, 1)) == Decimal("0.5")
    RoleCap.objects.filter(role=role).update(valid_until=D(2024, 5, 1))  # its last day
    assert reimbursement_share(role, D(2024, 5, 1)) == Decimal("0.5")
    assert reimbursement_share(role, D(2024, 5, 2)) == 1


class TestBudgetPosition:
    """The budget page's position (workforce.budget.budget_position) for 2024/25, seen on
    its last day."""

    @pytest.fixture(autouse=True)
    def last_day_of_the_year(self, monkeypatch, reference_data):
        monkeypatch.setattr(budget, "today", lambda: D(2025, 3, 31))

    def test_approved_submitted_committed_forecast_headroom(self, pcn, role):
        # The commissioner's figure: 4,000 weighted patients × £22.894 (DOMAIN.md A.2
        # 2024/25) = £91,576.00.
        NetworkWeightedPopulationFactory(
            pcn=pcn, financial_year=2024, weighted_patients=Decimal("4000"), source="test"
        )
        # Costs 60,000 a year = 5,000 a month, within the 5,000 (then 5,250) maximum.
        p = post(pcn, role, D(2024, 4, 1))
        for month, status, amount in [
            (D(2024, 4, 1), ClaimStatus.APPROVED, "5000"),
            (D(2024, 5, 1), ClaimStatus.SUBMITTED, "4900"),
            (D(2024, 6, 1), ClaimStatus.DRAFT, "5000"),
        ]:
            claimed(pcn, month, status, p, amount)

        position = budget.budget_position(pcn, 2024)

        assert position.allocation.amount == Decimal("91576.00")
        assert position.approved == Decimal("5000")  # April
        assert position.submitted == Decimal("4900")  # May
        # A past year is seen on its last day: 9,900 claimed + March's 5,000.
        assert position.committed == Decimal("14900.00")
        # 9,900 claimed + 10 months not claimed (June's claim is a draft) × 5,000.
        assert position.forecast == Decimal("59900.00")
        assert position.headroom == Decimal("31676.00")  # 91,576 − 59,900

    def test_a_post_ending_mid_year_is_forecast_for_its_months_only(self, pcn, role):
        post(pcn, role, D(2024, 4, 1), end=D(2024, 6, 30))  # April, May, June
        position = budget.budget_position(pcn, 2024)
        assert position.forecast == Decimal("15000.00")
        assert [m.forecast for m in position.months][2:4] == [Decimal("5000.00"), 0]

    def test_no_weighted_population_means_no_allocation_nor_headroom(self, pcn, role):
        position = budget.budget_position(pcn, 2024)
        assert position.allocation.amount is None
        assert position.headroom is None


class TestChoosingTheMaximumRows:
    """Which maximum amount rows apply to a post: its band's rows in force on its days
    where the band has any there, else the rows with no band."""

    @pytest.fixture
    def rows(self, role):
        MaximumAmountFactory(
            role=role,
            afc_band="8a",
            period_start=D(2024, 10, 1),
            national=Decimal(72_000),
            section="test",
            bare=True,
        )
        return list(MaximumAmount.objects.filter(role=role))

    def test_a_band_with_rows_of_its_own_takes_them(self, rows):
        chosen = choose_maximum_rows(rows, "8a", D(2024, 11, 1), D(2024, 11, 30))
        assert [(r.afc_band, r.national) for r in chosen] == [("8a", Decimal(72_000))]

    def test_a_band_without_rows_takes_the_rows_with_no_band(self, rows):
        chosen = choose_maximum_rows(rows, "7", D(2024, 11, 1), D(2024, 11, 30))
        assert [(r.afc_band, r.national) for r in chosen] == [("", Decimal(63_000))]

    def test_before_its_band_has_rows_a_post_takes_the_rows_with_no_band(self, pcn, rows):
        chosen = choose_maximum_rows(rows, "8a", D(2024, 5, 1), D(2024, 5, 31))
        assert [(r.afc_band, r.national) for r in chosen] == [("", Decimal(60_000))]
        # The month's maximum is the same whatever span the rows were read for.
        p = post(pcn, role=rows[0].role, start=D(2024, 4, 1), salary=90_000)
        p.afc_band = "8a"
        assert monthly_maximum(p, D(2024, 5, 1), rows).amount == Decimal("5000.00")
        assert monthly_maximum(p, D(2024, 11, 1), rows).amount == Decimal("6000.00")
        assert monthly_maximum(p, D(2024, 11, 1)).amount == Decimal("6000.00")


# --- pennies (issue 25 item 10) -------------------------------------------------------
# A month's maximum rounded on its own made twelve months of a full-time pharmacy
# technician in 2025/26 £43,352.04 against the annual £43,352.00; workforce.calculations
# rounds the running figure instead (rate_share), so the last month takes the remainder.


def rate(annual, start, end=None):
    """A maximum amount row, not saved: monthly_maximum reads the rows it is given."""
    return MaximumAmount(
        role=ARRSRole(name="Test role"),
        period_start=start,
        period_end=end,
        national=Decimal(annual),
    )


def holder(start, end=None, hours="37.5"):
    return Post(
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(hours),
        london_zone=LondonZone.NATIONAL,
        afc_band="",
    )


def year_of(post, rows, year):
    return [monthly_maximum(post, month, rows).amount for month in months_of(year)]


def test_a_pharmacy_technicians_2025_26_year_is_the_annual_maximum():
    rows = [rate("43352.00", D(2025, 4, 1))]
    months = year_of(holder(D(2025, 4, 1)), rows, 2025)
    # 43,352 / 12 = 3,612.666…: the running figure rounds to 3,612.67, 7,225.33, 10,838.00…
    assert months[:3] == [Decimal("3612.67"), Decimal("3612.66"), Decimal("3612.67")]
    assert sum(months) == Decimal("43352.00")  # was 12 × 3,612.67 = 43,352.04


def test_a_gp_from_october_2024_is_half_the_annual_maximum():
    rows = [rate("92462.00", D(2024, 10, 1), D(2025, 3, 31))]
    months = year_of(holder(D(2024, 10, 1)), rows, 2024)
    assert months[:6] == [Decimal("0.00")] * 6
    # 92,462 / 12 = 7,705.1666…: October 7,705.17, November 7,705.16, …
    assert sum(months) == Decimal("46231.00")  # was 6 × 7,705.17 = 46,231.02


def test_a_rate_change_mid_year_keeps_each_periods_total():
    rows = [
        rate("40159.00", D(2024, 4, 1), D(2024, 9, 30)),
        rate("42437.00", D(2024, 10, 1), D(2025, 3, 31)),
    ]
    months = year_of(holder(D(2024, 4, 1)), rows, 2024)
    assert sum(months[:6]) == Decimal("20079.50")  # 40,159 / 2
    assert sum(months[6:]) == Decimal("21218.50")  # 42,437 / 2


DAYS = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 6, 30))


@settings(max_examples=300, deadline=None)
@given(
    annual=st.decimals(min_value=10_000, max_value=120_000, places=2),
    hours=st.decimals(min_value=Decimal("0.01"), max_value=75, places=2),
    start=DAYS,
    length=st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
)
def test_a_years_months_never_exceed_the_annual_maximum_times_wte(annual, hours, start, length):
    end = None if length is None else start + datetime.timedelta(days=length)
    rows = [rate(annual, D(2020, 4, 1))]
    months = year_of(holder(start, end, hours), rows, 2025)
    assert sum(months) <= annual * reimbursed_wte(hours)
    assert all(m >= 0 for m in months)
