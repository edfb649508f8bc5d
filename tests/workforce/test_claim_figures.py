"""Claim lines worked out by hand, each against DOMAIN.md Appendix A: the maximum is the
annual amount for 1 WTE ÷ 12 × WTE reimbursed (hours ÷ 37.5, at most 1.0) × days in post ÷
days in the month, at the rate in force each day, for the post's zone (A.3 rules 2, 3);
the amount claimed is the lesser of the cost (× the role's share, rule 4) and the maximum.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ARRSRoleFactory, MaximumAmountFactory
from workforce import actions, budget, presenters
from workforce.models import ARRSRole, MaximumAmount

D = datetime.date


def only_line(claim):
    return claim.lines.get()


def test_a_part_month_counts_the_last_day(make_post, pcn, network_manager):
    # Clinical pharmacist 2025/26, national £66,972 (A.1). Last day 16 November 2025:
    # 16 of November's 30 days. Maximum 66,972 ÷ 12 × 16 ÷ 30 = 5,581 × 0.5333… = £2,976.53.
    # Cost prefilled pro rata: (48,000 + 5,500 + 6,700) ÷ 12 × 16 ÷ 30 = 2,133.33 + 244.44
    # + 297.78 = £2,675.55, below the maximum, so all of it is claimed.
    make_post("clinical-pharmacist", D(2025, 4, 1), end_date=D(2025, 11, 16))
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 11, 1))
    line = only_line(claim)
    assert line.maximum_amount == Decimal("2976.53")
    assert (line.salary, line.employer_ni, line.employer_pension) == (
        Decimal("2133.33"),
        Decimal("244.44"),
        Decimal("297.78"),
    )
    assert line.reimbursable_amount == Decimal("2675.55")


def test_a_rate_change_inside_the_year(make_post, pcn, network_manager):
    # Clinical pharmacist 2022/23: £57,318 to 30 September 2022, £59,312 from 1 October
    # (A.1). September: 57,318 ÷ 12 = £4,776.50; October: 59,312 ÷ 12 = £4,942.67.
    make_post("clinical-pharmacist", D(2022, 4, 1), annual_salary=Decimal(80000))
    september = actions.start_claim(pcn=pcn, by=network_manager, month=D(2022, 9, 1))
    october = actions.start_claim(pcn=pcn, by=network_manager, month=D(2022, 10, 1))
    assert only_line(september).maximum_amount == Decimal("4776.50")
    assert only_line(october).maximum_amount == Decimal("4942.67")
    # The cost ((80,000 + 5,500 + 6,700) ÷ 12 = £7,683.33) is above both: the maximum is claimed.
    assert only_line(october).reimbursable_amount == Decimal("4942.67")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        # Clinical pharmacist 2025/26 (A.1): 66,972 / 74,392 / 77,545 a year, ÷ 12.
        ("national", "5581.00"),
        ("outer", "6199.33"),
        ("inner", "6462.08"),
    ],
)
def test_london_zones(make_post, pcn, network_manager, zone, expected):
    make_post("clinical-pharmacist", D(2025, 4, 1), london_zone=zone, annual_salary=Decimal(90000))
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    assert only_line(claim).maximum_amount == Decimal(expected)


def test_hours_worked_drive_the_maximum(make_post, pcn, network_manager):
    # A 37.5-hour post that worked 30 hours a week in June 2025: 0.8 WTE, so the maximum
    # is 66,972 ÷ 12 × 0.8 = £4,464.80; the cost entered, £4,700, is capped at it.
    make_post("clinical-pharmacist", D(2025, 4, 1))
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    line = actions.change_line(
        line=only_line(claim),
        by=network_manager,
        changes={
            "salary": Decimal(3800),
            "employer_ni": Decimal(400),
            "employer_pension": Decimal(500),
            "weekly_hours": Decimal(30),
        },
    )
    assert line.maximum_amount == Decimal("4464.80")
    assert line.reimbursable_amount == Decimal("4464.80")


def test_over_37_and_a_half_hours_is_reimbursed_as_one_wte(make_post, pcn, network_manager):
    # 45 hours is 1.2 WTE, reimbursed as 1.0: the maximum stays 66,972 ÷ 12 = £5,581.00.
    post = make_post("clinical-pharmacist", D(2025, 4, 1), weekly_hours=Decimal(45),
                     annual_salary=Decimal(90000))  # fmt: skip
    assert any("at most as 1.0 WTE" in w for w in post.warnings)
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    assert only_line(claim).maximum_amount == Decimal("5581.00")


def test_mental_health_practitioners_half_of_costs(make_post, pcn, network_manager, superuser):
    # A.3 rule 4: from April 2021 to March 2024 the network reclaims 50% of an MHP's
    # costs. DOMAIN.md has no MHP maximum for 2023/24, so this test enters one as a national
    # admin would (£48,000 a year: £4,000 a month). Cost £6,000 → half £3,000, under the
    # maximum → £3,000 claimed; cost £10,000 → half £5,000, capped at £4,000.
    row = MaximumAmount.objects.get(
        role__code="mental-health-practitioner", afc_band="", period_start=D(2023, 7, 1)
    )
    row.unknown, row.national = False, Decimal(48000)
    row.save()
    make_post("mental-health-practitioner", D(2023, 7, 1), afc_band="5",
              employer_type="nhs_trust")  # fmt: skip
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2023, 9, 1))
    line = only_line(claim)
    for cost, claimed in [(6000, "3000.00"), (10000, "4000.00")]:
        line = actions.change_line(
            line=line, by=network_manager, changes={"salary": Decimal(cost),
            "employer_ni": Decimal(0), "employer_pension": Decimal(0),
            "weekly_hours": Decimal("37.5")},
        )  # fmt: skip
        assert line.reimbursable_amount == Decimal(claimed)


def test_mental_health_practitioners_in_full_from_2024(make_post, pcn, network_manager):
    # From 2024/25 an MHP may be 100% ARRS-funded (A.3 rule 4); 2025/26 band 5 outer London
    # £49,967 (A.S27): ÷ 12 = £4,163.92; a cost of £4,000 is claimed in full.
    make_post("mental-health-practitioner", D(2025, 4, 1), afc_band="5", london_zone="outer",
              employer_type="nhs_trust")  # fmt: skip
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    line = actions.change_line(
        line=only_line(claim), by=network_manager, changes={"salary": Decimal(4000),
        "employer_ni": Decimal(0), "employer_pension": Decimal(0),
        "weekly_hours": Decimal("37.5")},
    )  # fmt: skip
    assert line.maximum_amount == Decimal("4163.92")
    assert line.reimbursable_amount == Decimal("4000.00")


def test_a_claim_whose_only_line_is_held_is_refused_naming_the_figure(
    make_post, pcn, network_manager
):
    # A social prescribing link worker outside London in 2025/26: A.1 gives only the
    # outer-London amount, so the national maximum is unknown and the line is held; with
    # nothing else on the claim there is nothing to submit.
    make_post("social-prescribing-link-worker", D(2025, 4, 1), afc_band="5")
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    assert only_line(claim).maximum_amount is None
    with pytest.raises(ValidationError) as refused:
        actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    message = " ".join(refused.value.messages)
    assert "Social prescribing link worker" in message
    assert "national amount" in message and "1 April 2025" in message
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_the_stored_line_the_claim_page_and_the_budget_agree_on_a_banded_role(
    make_post, pcn, network_manager, network_viewer_client, on_day
):
    """One rule chooses a post's maximum amount rows, whoever asks. A role with no-band
    amounts (£60,000 a year: £5,000 a month) and, from 1 October 2025, band 8a amounts of
    its own (£72,000: £6,000 a month). A band 8a post is capped at £5,000 in June and £6,000
    in October; a band 7 post, with no rows of its band, at £5,000 in both. Both cost
    (90,000 + 5,500 + 6,700) ÷ 12 = £8,516.67 a month, over either maximum."""
    role = ARRSRoleFactory(code="banded-practitioner", name="Banded practitioner",
                           afc_bands="7–8a")  # fmt: skip
    MaximumAmountFactory(role=role, period_start=D(2025, 4, 1), national=60_000)
    MaximumAmountFactory(role=role, afc_band="8a", period_start=D(2025, 10, 1), national=72_000)
    posts = {
        band: make_post(
            "banded-practitioner",
            D(2025, 4, 1),
            afc_band=band,
            full_name=f"Band {band}",
            annual_salary=Decimal(90000),
        )
        for band in ("7", "8a")
    }
    expected = {
        (D(2025, 6, 1), "7"): Decimal("5000.00"),
        (D(2025, 6, 1), "8a"): Decimal("5000.00"),
        (D(2025, 10, 1), "7"): Decimal("5000.00"),
        (D(2025, 10, 1), "8a"): Decimal("6000.00"),
    }
    on_day(D(2025, 12, 15))
    maxima = budget.MaximaTable(D(2025, 4, 1), D(2026, 3, 31))
    rules = []
    for (month, band), amount in expected.items():
        # The budget's expected claim for the month (claims drafts only: nothing claimed).
        assert budget.expected_claim(posts[band], month, maxima, rules).amount == amount
    for month in (D(2025, 6, 1), D(2025, 10, 1)):
        claim = actions.start_claim(pcn=pcn, by=network_manager, month=month)
        lines = list(claim.lines.select_related("post__role", "post__staff_member"))
        for line, row in zip(lines, presenters.line_rows(claim, lines), strict=True):
            amount = expected[(month, line.post.afc_band)]
            assert line.maximum_amount == amount  # the stored line
            assert line.reimbursable_amount == amount
            assert row.maximum.amount == amount  # the claim page's row
    months = {m.month: m for m in budget.budget_position(pcn, 2025).months}
    assert months[D(2025, 6, 1)].expected == Decimal("10000.00")
    assert months[D(2025, 10, 1)].expected == Decimal("11000.00")
    october = network_viewer_client.get(
        reverse("workforce:claim_detail", args=[pcn.code, "2025-10"])
    ).content.decode()
    assert "Rate row used: Banded practitioner band 8a from 1 Oct 2025: £72,000 a year" in october
    assert "Rate row used: Banded practitioner from 1 Apr 2025: £60,000 a year" in october


class TestAllocationCeiling:
    def test_approval_past_the_allocation_is_refused_with_the_figures(
        self, make_post, pcn, network_manager, approver, allocation
    ):
        # Allocation £26,631 (1,000 × £26.631). Two full-time pharmacists at the maximum,
        # £5,581.00 each a month: April, May and June claims of £11,162.00 each. April and
        # May approved: £22,324.00; June would take it to £33,486.00, £6,855.00 past.
        for name in ("A", "B"):
            make_post("clinical-pharmacist", D(2025, 4, 1), full_name=name,
                      annual_salary=Decimal(90000))  # fmt: skip
        claims = []
        for month in (4, 5, 6):
            claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, month, 1))
            actions.submit_claim(claim=claim, by=network_manager, declaration=True)
            claims.append(claim)
        for claim in claims[:2]:
            actions.decide_claim(claim=claim, by=approver, approve=True)
        with pytest.raises(ValidationError) as refused:
            actions.decide_claim(claim=claims[2], by=approver, approve=True)
        message = refused.value.messages[0]
        for figure in ("£11,162.00", "£22,324.00", "£33,486.00", "£26,631.00", "£6,855.00"):
            assert figure in message
        claims[2].refresh_from_db()
        assert claims[2].status == "submitted"

    def test_no_allocation_recorded_is_refused(self, make_post, pcn, network_manager, approver):
        make_post("clinical-pharmacist", D(2025, 4, 1))
        claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 4, 1))
        actions.submit_claim(claim=claim, by=network_manager, declaration=True)
        with pytest.raises(ValidationError, match="No ARRS allocation is recorded"):
            actions.decide_claim(claim=claim, by=approver, approve=True)


class TestEachSumByItsOwnRule:
    """2024/25: GP lines draw on the ring-fenced GP sum alone, every other line on the main
    sum (DOMAIN.md §3.3 "GP ARRS 2024/25"). Weighted population 1,000: main sum
    1,000 × £22.894 = £22,894.00, GP sum 1,000 × £1.303 = £1,303.00."""

    @pytest.fixture
    def sums_2024(self, pcn):
        from tests.factories import ARRSAllocationFactory

        return ARRSAllocationFactory(
            pcn=pcn, financial_year=2024, weighted_population=Decimal(1000),
            population_date=D(2024, 1, 1), rate=Decimal("22.894"), amount=Decimal("22894.00"),
        )  # fmt: skip

    @staticmethod
    def holder(pcn, role, start, name):
        from tests.factories import PostFactory

        return PostFactory(
            pcn=pcn, role=ARRSRole.objects.get(code=role), start_date=start, afc_band="",
            staff_member__full_name=name,
        )  # fmt: skip

    @staticmethod
    def claimed(pcn, month, status, *lines):
        from tests.factories import ClaimFactory
        from tests.factories.worlds import line_values

        return ClaimFactory(
            pcn=pcn,
            month=month,
            status=status,
            lines=[line_values(post, amount) for post, amount in lines],
        )

    def test_a_gp_line_does_not_use_the_main_sum(self, pcn, approver, sums_2024):
        # £17,359.50 approved on the main sum before; January 2025: a clinical pharmacist
        # £5,486.50 and a GP £300. Main: 17,359.50 + 5,486.50 = 22,846.00 ≤ 22,894.00;
        # GP: 300 ≤ 1,303. Before, the GP line was put against the main sum: 23,146.00,
        # refused "past allocation by £252.00".
        pharmacist = self.holder(pcn, "clinical-pharmacist", D(2024, 4, 1), "Cara Pharmacist")
        gp = self.holder(pcn, "gp", D(2024, 10, 1), "Dr Green")
        self.claimed(pcn, D(2024, 4, 1), "approved", (pharmacist, "17359.50"))
        claim = self.claimed(pcn, D(2025, 1, 1), "submitted", (pharmacist, "5486.50"), (gp, "300"))
        actions.decide_claim(claim=claim, by=approver, approve=True)
        claim.refresh_from_db()
        assert claim.status == "approved"

    def test_gp_lines_cannot_pass_the_gp_sum(self, pcn, approver, sums_2024):
        # A GP-only network's October 2024 claim of £7,000: past its £1,303.00 GP sum by
        # £5,697.00, though far below the main sum (before, it was approved and the budget
        # then showed a GP headroom below zero).
        gp = self.holder(pcn, "gp", D(2024, 10, 1), "Dr Green")
        claim = self.claimed(pcn, D(2024, 10, 1), "submitted", (gp, "7000"))
        with pytest.raises(ValidationError) as refused:
            actions.decide_claim(claim=claim, by=approver, approve=True)
        message = refused.value.messages[0]
        assert "Riverside PCN's claim for October 2024" in message
        assert "past the network's GP sum of £1,303.00 by £5,697.00" in (message)
        assert "ring-fenced for GP posts" in message
        claim.refresh_from_db()
        assert claim.status == "submitted"

    def test_the_budget_shows_each_sums_left(self, pcn, sums_2024, on_day):
        from tests.factories import NetworkWeightedPopulationFactory

        on_day(D(2025, 3, 31))
        NetworkWeightedPopulationFactory(
            pcn=pcn, financial_year=2024, weighted_patients=Decimal("1000"), source="test"
        )
        pharmacist = self.holder(pcn, "clinical-pharmacist", D(2024, 4, 1), "Cara Pharmacist")
        gp = self.holder(pcn, "gp", D(2024, 10, 1), "Dr Green")
        self.claimed(pcn, D(2024, 10, 1), "approved", (pharmacist, "5000"), (gp, "1000"))
        self.claimed(pcn, D(2024, 11, 1), "submitted", (pharmacist, "5000"), (gp, "200"))
        p = budget.budget_position(pcn, 2024)
        assert p.left == Decimal("12894.00")  # 22,894 − 5,000 − 5,000
        assert p.gp_left == Decimal("103.00")  # 1,303 − 1,000 − 200
