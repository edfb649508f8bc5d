"""An overview reads its networks' figures grouped by network (England's over whole
tables; pcn_portal.areas.figures.grouped_query), the section tables network by network
(network_figures): on the same networks the two give the same figures, closed networks
left out of both, in queries that do not grow with the networks."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from pcn_portal.areas import figures
from pcn_portal.core.dates import financial_year_bounds, financial_year_of, today
from tests.areas.test_views import figure_map, queries_as_networks_grow
from tests.factories.worlds import add_network, align_home, arrs_post, claimed, director
from workforce.models import ClaimStatus

D = datetime.date


@pytest.fixture
def closed(area):
    """A network in Z01 closed yesterday, with a clinical director, an ARRS post, claims
    approved and waiting, and a care home: none of it counts on any overview today."""
    pcn = add_network("U99005", "CLOSED PCN", area["sub_icb"], [("Z99007", 5_000)])
    pcn.close_date = today() - datetime.timedelta(days=1)
    pcn.save()
    director(pcn, "Dr Closed")
    full = arrs_post(pcn, area["roles"][0], "37.5", "C Closed")
    start, _ = financial_year_bounds(financial_year_of(today()))
    for month, status in ((start, ClaimStatus.APPROVED), (start.replace(month=5), "submitted")):
        claimed(pcn, month, status, full, "700.00")
    align_home(pcn, "1-999", 40)
    return pcn


def test_england_shows_what_its_only_icb_shows(national_admin_client, area, closed):
    england = figure_map(national_admin_client.get("/areas/england/"))
    assert england == figure_map(national_admin_client.get("/areas/QZ1/"))
    # As hand-counted in test_views.py (test_the_icb_page): the closed network's
    # director, post, claims and care home left out.
    assert {k: england[k] for k in ("networks", "wte", "claims-waiting", "no-director")} == {
        "networks": "4",
        "wte": "1.50",
        "claims-waiting": "1",
        "no-director": "2",
    }
    assert (england["approved"], england["submitted"]) == ("£1,000.00", "£500.00")
    assert (england["care-homes"], england["no-care-home"]) == ("4", "2")


# The figures of a network's row of the overview, as the section tables read them.
ROW_FIGURES = [
    "directors",
    "agreement_signed_on",
    "data_sharing",
    "allocation",
    "approved",
    "submitted",
    "forecast",
    "forecast_gaps",
    "gp_sum",
    "gp_approved",
    "gp_submitted",
    "gp_forecast",
    "awaiting",
    "left",
    "headroom",
    "gp_left",
    "gp_headroom",
    "claims_waiting",
    "arrs_hours",
    "care_home_count",
    "beds",
]


def section_rows(networks, on, group):
    found = figures.network_figures(networks, on, only=ROW_FIGURES)
    return {
        pk: {"pk": pk, "group": group_id, **dict(zip(ROW_FIGURES, values, strict=True))}
        for pk, group_id, *values in found.values_list("pk", group, *ROW_FIGURES)
    }


@pytest.mark.parametrize(
    "code, group, every_network",
    [
        ("england", "lead_commissioner__icb__region", True),
        ("QZ1", "lead_commissioner", False),
    ],
)
def test_the_overview_gives_each_network_the_section_tables_row(
    national_admin, area, closed, code, group, every_network
):
    on = today()
    where = figures.ENGLAND if code == "england" else area["icb"]
    networks = figures.networks_in(national_admin, where)
    query = figures.grouped_query(networks, on, group, every_network=every_network)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        rows = [dict(zip(query.names, values, strict=True)) for values in cursor.fetchall()]
    grouped = {row["pk"]: row for row in rows}
    assert grouped == section_rows(networks, on, group)
    assert closed.pk not in grouped
    riverside = grouped[area["pcn"].pk]
    assert (riverside["arrs_hours"], riverside["beds"]) == (Decimal("56.25"), 80)
    assert {type(riverside[k]) for k in ("directors", "claims_waiting", "beds")} == {int}


def test_englands_queries_do_not_grow_with_the_networks(national_admin_client, area):
    small, large = queries_as_networks_grow(national_admin_client, "/areas/england/", area)
    assert large == small
    assert small <= 12, small
