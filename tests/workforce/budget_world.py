"""The budget page's worked example: a network, its weighted populations, posts and claims
for 2025/26 (tests/workforce/test_budget.py and the browser journey share it)."""

import datetime
from decimal import Decimal

import pytest

from practices.models import WeightedPopulation, WeightedSource
from tests.factories import (
    ARRSRoleFactory,
    ClaimFactory,
    ClaimLineFactory,
    MaximumAmountFactory,
    PostFactory,
)
from workforce import budget
from workforce.models import ClaimStatus

D = datetime.date


def weighted(practice, on, figure):
    return WeightedPopulation.objects.create(
        practice=practice,
        on=on,
        weighted_patients=Decimal(figure),
        source=WeightedSource.WEIGHTED_CSV,
        file_name="weighted.csv",
    )


@pytest.fixture
def on_day(monkeypatch):
    def set_today(day):
        monkeypatch.setattr(budget, "today", lambda: day)

    return set_today


@pytest.fixture
def year_2025(world, on_day):
    """Weighted populations 12,500 + 22,500 = 35,000 at 1 January 2025. A test role whose
    maximum rises inside the year: £60,000 to 30 September 2025, £66,000 from 1 October.

    Post A: full time, costs £72,000 a year (£6,000 a month), so capped every month:
    £5,000 a month April–September, £5,500 October–March.
    Post B: 18.75 hours (0.5 WTE), costs £24,000 a year (£2,000 a month), last day
    16 November 2025: under its cap (£2,500, then £2,750) every whole month; November is
    16 of 30 days: cost £1,066.67, cap £1,466.67, so £1,066.67.
    April's claim is approved (A £4,900, B £2,000), May's submitted (A £5,000, B £1,950),
    June's a draft (so June counts as not claimed).
    """
    pcn = world["pcn"]
    z1, z2 = world["practices"][:2]
    weighted(z1, D(2025, 1, 1), "12500.00")
    weighted(z2, D(2025, 1, 1), "22500.00")
    role = ARRSRoleFactory(name="Test practitioner", reimbursable_from=D(2020, 4, 1))
    MaximumAmountFactory(
        role=role, period_start=D(2025, 4, 1), period_end=D(2025, 9, 30), national=60_000
    )
    MaximumAmountFactory(role=role, period_start=D(2025, 10, 1), national=66_000)
    a = PostFactory(
        pcn=pcn,
        role=role,
        start_date=D(2025, 4, 1),
        annual_salary=60_000,
        annual_employer_ni=6_000,
        annual_employer_pension=6_000,
    )
    b = PostFactory(
        pcn=pcn,
        role=role,
        start_date=D(2025, 4, 1),
        end_date=D(2025, 11, 16),
        weekly_hours=Decimal("18.75"),
        annual_salary=20_000,
        annual_employer_ni=2_000,
        annual_employer_pension=2_000,
    )
    for month, status, amounts in [
        (D(2025, 4, 1), ClaimStatus.APPROVED, (4_900, 2_000)),
        (D(2025, 5, 1), ClaimStatus.SUBMITTED, (5_000, 1_950)),
        (D(2025, 6, 1), ClaimStatus.DRAFT, (1, 1)),
    ]:
        claim = ClaimFactory(pcn=pcn, month=month, status=status)
        for post, amount in zip((a, b), amounts, strict=True):
            ClaimLineFactory(claim=claim, post=post, reimbursable_amount=Decimal(amount))
    on_day(D(2025, 11, 10))
    return {"pcn": pcn, "role": role, "a": a, "b": b}
