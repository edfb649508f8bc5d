"""Fixtures for the ARRS pages: the personas' world with the national reference data, and
posts made through the actions as a network manager would."""

import datetime
from decimal import Decimal

import pytest

from workforce import actions
from workforce.models import ARRSRole

D = datetime.date


@pytest.fixture
def pcn(world, reference_data):
    return world["pcn"]


@pytest.fixture
def make_post(pcn, network_manager):
    """make_post(role_code, start, **fields): a post added through the action."""

    def _make(role, start, **fields):
        values = {
            "full_name": "Priya Pharmacist",
            "employer_type": "lead_provider",
            "weekly_hours": Decimal("37.5"),
            "afc_band": "7",
            "annual_salary": Decimal(48000),
            "annual_employer_ni": Decimal(5500),
            "annual_employer_pension": Decimal(6700),
            **fields,
        }
        return actions.add_post(
            pcn=fields.pop("pcn", pcn),
            by=network_manager,
            role=ARRSRole.objects.get(code=role),
            start_date=start,
            **values,
        )

    return _make


@pytest.fixture
def allocation(pcn, superuser):
    """An ARRS allocation for 2025/26 set by hand: 1,000 weighted patients × £26.631
    (DOMAIN.md §3.4) = £26,631."""
    from tests.factories import ARRSAllocationFactory

    return ARRSAllocationFactory(
        pcn=pcn,
        financial_year=2025,
        weighted_population=Decimal(1000),
        population_date=D(2025, 1, 1),
        rate=Decimal("26.631"),
        amount=Decimal("26631.00"),
    )


@pytest.fixture
def approved(make_post, allocation, network_manager, approver):
    """Riverside PCN's April 2025 claim, approved: one full-time clinical pharmacist,
    Priya Pharmacist, costing £48,000 + £5,500 + £6,700 a year, a month £4,000 + £458.33 +
    £558.33 = £5,016.66 (under the £66,972 ÷ 12 = £5,581.00 maximum)."""
    make_post("clinical-pharmacist", D(2025, 4, 1))
    claim = actions.start_claim(pcn=allocation.pcn, by=network_manager, month=D(2025, 4, 1))
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    return actions.decide_claim(claim=claim, by=approver, approve=True)
