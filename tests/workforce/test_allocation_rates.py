"""A year's allocation rate and ring-fenced sum set on their own admin form, and every
network's ARRS sum for the year recorded again from them. The rate is made up for the
test (the worked example's network has 35,000 weighted patients at 1 January 2025)."""

import datetime
from decimal import Decimal

import pytest

from tests.conftest import make_user
from tests.factories.networks import SourceFactory
from workforce.models import AllocationRate, ARRSAllocation, ARRSForecast, RingFencedSum

D = datetime.date
URL = "/admin/workforce/allocationrate/set/"


@pytest.fixture
def source(db):
    return SourceFactory(title="Made-up network contract 2025/26")


def form(source, **extra):
    return {
        "financial_year": "2025",
        "pounds_per_weighted_patient": "30.000",
        "population_basis": "Made-up weighted population at 1 January 2025",
        "sources": [source.pk],
        "section": "Table 9",
        **extra,
    }


def test_the_rate_is_saved_and_every_network_sum_recorded_again(
    login, superuser, year_2025, source, django_capture_on_commit_callbacks
):
    client = login(superuser)
    changelist = client.get("/admin/workforce/allocationrate/").text
    assert "Set a year's allocation rate" in changelist
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(source), follow=True)
    assert "The ARRS allocation rate for 2025/26 is saved." in response.text
    rate = AllocationRate.objects.get(financial_year=2025)
    assert rate.pounds_per_weighted_patient == Decimal("30.000")
    assert rate.citation() == (
        "Made-up network contract 2025/26 – NHS England, April 2024, Table 9"
    )
    allocation = ARRSAllocation.objects.get(pcn=year_2025["pcn"], financial_year=2025)
    assert (allocation.rate, allocation.amount) == (Decimal("30.000"), Decimal("1050000.00"))
    assert ARRSForecast.objects.filter(pcn=year_2025["pcn"], financial_year=2025).exists()


def test_a_ring_fenced_sum_is_saved_with_the_same_source(login, superuser, year_2025, source):
    client = login(superuser)
    role = year_2025["a"].role
    client.post(URL, form(source, fenced_role=role.pk, fenced_rate="2.000",
                          fenced_first_day="2025-10-01", fenced_last_day="2026-03-31"))  # fmt: skip
    fenced = RingFencedSum.objects.get(financial_year=2025)
    assert (fenced.role, fenced.pounds_per_weighted_patient, fenced.first_day) == (
        role, Decimal("2.000"), D(2025, 10, 1),
    )  # fmt: skip
    assert list(fenced.sources.all()) == [source]


def test_a_ring_fenced_sum_needs_all_four_fields(login, superuser, year_2025, source):
    client = login(superuser)
    response = client.post(URL, form(source, fenced_rate="2.000"))
    assert response.status_code == 200
    assert "Give all four ring-fenced fields, or none." in response.text
    assert AllocationRate.objects.get(financial_year=2025).pounds_per_weighted_patient != 30


def test_it_needs_the_permission(login, db):
    client = login(make_user("sam.staff", is_staff=True))
    assert client.get(URL).status_code == 403
