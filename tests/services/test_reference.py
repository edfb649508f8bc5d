"""Every specification and key function of DOMAIN.md §4 (and the access requirements of §7)
is there for the years it was in force, with its source; the Care Home Premium rates of
§5.1 likewise."""

import importlib
from decimal import Decimal

import pytest

from services import reference_data
from services.migrations import _reference_data_0002 as frozen
from services.models import CareHomePremiumRate, ServiceSpecification

pytestmark = pytest.mark.usefixtures("reference_data")

SMR = "Structured Medication Reviews and Medicines Optimisation"
EHCH = "Enhanced Health in Care Homes"
ECD = "Supporting Early Cancer Diagnosis"
CVD = "Cardiovascular Disease Prevention and Diagnosis"
TNHI = "Tackling Neighbourhood Health Inequalities"
PC = "Personalised Care"
AC = "Anticipatory Care"
EH = "Extended Hours Access"
EA = "Enhanced Access"
FUNCTIONS = {
    "Coordinating shared resources for resilience and care delivery",
    "Collaborating in an Integrated Neighbourhood Team",
    "Improving health outcomes and reducing health inequalities",
    "Targeting resource effectively, including proactive care",
}

# DOMAIN.md §4: SMR, EHCH and cancer from 2020/21; personalised care phased from 2021/22;
# CVD and inequalities from 1 October 2021; anticipatory care ICS-led from 2023/24; all
# merged into four key functions in 2024/25. §7: Extended Hours July 2019 – September
# 2022, Enhanced Access from 1 October 2022, separate from the functions.
IN_FORCE = {
    2019: {EH},
    2020: {SMR, EHCH, ECD, EH},
    2021: {SMR, EHCH, ECD, CVD, TNHI, PC, EH},
    2022: {SMR, EHCH, ECD, CVD, TNHI, PC, EH, EA},
    2023: {SMR, EHCH, ECD, CVD, TNHI, PC, AC, EA},
    2024: FUNCTIONS | {EA},
    2025: FUNCTIONS | {EA},
    2026: FUNCTIONS | {EA},
}


@pytest.mark.parametrize("year", IN_FORCE)
def test_what_was_in_force_each_year(year):
    names = set(ServiceSpecification.objects.in_year(year).values_list("name", flat=True))
    assert names == IN_FORCE[year]


def test_each_names_its_source_and_kind():
    kinds = dict(ServiceSpecification.objects.values_list("name", "kind"))
    assert {kinds[name] for name in FUNCTIONS} == {"function"}
    assert kinds[EH] == kinds[EA] == "access"
    assert kinds[SMR] == "specification"
    for spec in ServiceSpecification.objects.prefetch_related("requirements"):
        assert spec.sources.exists(), spec
        assert all(r.sources.exists() for r in spec.requirements.all()), spec
    for name in FUNCTIONS:
        cited = ServiceSpecification.objects.get(name=name).citation()
        assert "The four key functions – West Midlands Digital Hub" in cited


def test_care_home_premium_rates():
    rates = {r.financial_year: r for r in CareHomePremiumRate.objects.all()}
    # DOMAIN.md §5.1: £60 (1 Aug 2020 – 31 Mar 2021, £7.50 a month), £120 to 2023/24,
    # £127.20 after the September 2024 uplift, £130.253 in 2025/26; none given for 2026/27.
    assert rates[2020].per_bed_per_month == Decimal("7.5")
    assert rates[2020].months_paid == 8
    assert [rates[y].per_bed_for_year for y in (2021, 2022, 2023)] == [Decimal(120)] * 3
    assert rates[2021].per_bed_per_month == Decimal(10)
    assert rates[2024].per_bed_for_year == Decimal("127.2")
    assert rates[2025].per_bed_for_year == Decimal("130.253")
    assert 2026 not in rates
    assert all("Primary care network funding – BMA" in r.citation() for r in rates.values())


def test_the_migration_loaded_what_the_data_module_says():
    assert frozen.SPECIFICATIONS == reference_data.SPECIFICATIONS
    notes = importlib.import_module("services.migrations.0004_notes_cite_documents")
    revised = [
        {**rate, "note": notes.revised(rate["note"])} for rate in frozen.CARE_HOME_PREMIUM_RATES
    ]
    assert revised == reference_data.CARE_HOME_PREMIUM_RATES
