"""England's overview reads its networks' figures grouped by network over whole tables
(pcn_portal.area_figures.grouped_query), an area's overview network by network
(summary_query): on the same networks the two show the same figures, closed networks left
out of both, in queries that do not grow with the networks."""

import datetime
from decimal import Decimal

import pytest

from networks.models import ClinicalDirector
from pcn_portal import area_figures as figures
from pcn_portal.core.dates import financial_year_bounds, financial_year_of, today
from tests.site import test_area_pages as pages
from tests.site.test_area_pages import (
    add_network,
    align_home,
    figure_map,
    post,
    queries_as_networks_grow,
)
from workforce.models import Claim, ClaimLine, ClaimStatus

D = datetime.date
area = pages.area  # the hand-counted world of the area pages' tests


@pytest.fixture
def closed(area):
    """A network in Z01 closed yesterday, with a clinical director, an ARRS post, claims
    approved and waiting, and a care home: none of it counts on any overview today."""
    pcn = add_network("U99005", "CLOSED PCN", area["sub_icb"], [("Z99007", 5_000)])
    pcn.close_date = today() - datetime.timedelta(days=1)
    pcn.save()
    ClinicalDirector.objects.create(
        pcn=pcn, full_name="Dr Closed", profession="gp", start_date=D(2020, 1, 1)
    )
    full = post(pcn, area["roles"][0], "37.5", "C Closed")
    start, _ = financial_year_bounds(financial_year_of(today()))
    for month, status in ((start, ClaimStatus.APPROVED), (start.replace(month=5), "submitted")):
        claim = Claim.objects.create(pcn=pcn, month=month, status=status)
        ClaimLine.objects.create(
            claim=claim,
            post=full,
            salary=Decimal("700.00"),
            weekly_hours=Decimal("37.5"),
            reimbursable_amount=Decimal("700.00"),
        )
    align_home(pcn, "1-999", 40)
    return pcn


def test_england_shows_what_its_only_icb_shows(national_admin_client, area, closed):
    england = figure_map(national_admin_client.get("/areas/england/"))
    assert england == figure_map(national_admin_client.get("/areas/QZ1/"))
    # As hand-counted in test_area_pages.py (test_the_icb_page): the closed network's
    # director, post, claims and care home left out.
    assert {k: england[k] for k in ("networks", "wte", "claims-waiting", "no-director")} == {
        "networks": "4",
        "wte": "1.50",
        "claims-waiting": "1",
        "no-director": "2",
    }
    assert (england["approved"], england["submitted"]) == ("£1,000.00", "£500.00")
    assert (england["care-homes"], england["no-care-home"]) == ("4", "2")


def test_the_two_ways_give_each_network_the_same_row(national_admin, area, closed):
    on = today()
    networks = figures.networks_in(national_admin, figures.ENGLAND)
    group = "lead_commissioner__icb__region"
    grouped = figures.network_rows(figures.grouped_query(networks, on, group))
    one_by_one = figures.network_rows(figures.summary_query(networks, on, group))
    grouped = {row.pk: vars(row) for row in grouped}
    one_by_one = {row.pk: vars(row) for row in one_by_one}
    assert grouped == one_by_one
    assert closed.pk not in grouped
    riverside = grouped[area["pcn"].pk]
    assert (riverside["arrs_hours"], riverside["beds"]) == (Decimal("56.25"), 80)
    assert {type(riverside[k]) for k in ("directors", "claims_waiting", "beds")} == {int}


def test_englands_queries_do_not_grow_with_the_networks(national_admin_client, area):
    small, large = queries_as_networks_grow(national_admin_client, "/areas/england/", area)
    assert large == small
    assert small <= 12, small
