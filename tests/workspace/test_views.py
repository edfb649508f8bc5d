"""Home, the network list and a network's overview, as each persona meets them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.actions import add_clinical_director, record_network_agreement
from networks.models import PrimaryCareNetwork
from practices.models import Membership
from tests.factories import (
    ListSizeFactory,
    MembershipFactory,
    PracticeFactory,
    PrimaryCareNetworkFactory,
)
from tests.html import parse
from tests.pages import page_text

D = datetime.date
SUB_ICB = "Sub-ICB location (formerly CCG)"


def test_home_lists_a_managers_network(network_manager_client, world):
    page = network_manager_client.get("/").content.decode()
    assert "Riverside PCN" in page and "/networks/U99001/" in page
    assert "Hilltop PCN" not in page


def test_home_shows_a_commissioners_area_with_its_networks(icb_viewer_client):
    page = icb_viewer_client.get("/").content.decode()
    assert "NHS Test ICB" in page
    assert "2 open networks" in page
    assert "/networks/?icb=QZ1" in page


def test_home_tells_an_outsider_why_it_is_empty(outsider_client):
    assert "You have not been given a network or a commissioner area yet" in (
        outsider_client.get("/").content.decode()
    )


class TestNetworkList:
    def test_a_sub_icb_viewer_sees_only_their_networks(self, subicb_viewer_client):
        page = subicb_viewer_client.get("/networks/").content.decode()
        assert "U99001" in page and "U99002" not in page
        assert "33,000" in page  # 12,000 + 21,000 registered patients

    def test_search_by_a_member_practices_code(self, icb_viewer_client):
        page = icb_viewer_client.get("/networks/", {"q": "z99003"}).content.decode()
        assert "U99002" in page and "U99001" not in page

    def test_filter_by_sub_icb_location(self, icb_viewer_client):
        page = icb_viewer_client.get("/networks/", {"sub_icb": "Z02"}).content.decode()
        assert "U99002" in page and "U99001" not in page

    def test_closed_networks_only_when_asked(self, icb_viewer_client, world):
        world["other_pcn"].close_date = D(2024, 3, 31)
        world["other_pcn"].save()
        assert "U99002" not in icb_viewer_client.get("/networks/").content.decode()
        closed = icb_viewer_client.get("/networks/", {"status": "closed"}).content.decode()
        assert "U99002" in closed and "U99001" not in closed

    def test_an_empty_result_says_why(self, icb_viewer_client):
        page = icb_viewer_client.get("/networks/", {"q": "NOWHERE"}).content.decode()
        assert "No network you can see matches these filters" in page

    def test_an_outsider_is_told_they_see_no_networks(self, outsider_client, world):
        page = outsider_client.get("/networks/").content.decode()
        assert "You have not been given any networks to see yet" in page

    def test_a_bad_filter_value_is_not_an_error(self, icb_viewer_client):
        response = icb_viewer_client.get("/networks/", {"region": "Y00", "page": "x"})
        assert response.status_code == 200


class TestNetworkOverview:
    def test_the_overview_today(self, network_viewer_client, world):
        page = network_viewer_client.get("/networks/U99001/").content.decode()
        shown = ["Riverside PCN", "NHS Test ICB - Z01", "NHS Test ICB (QZ1)"]
        shown += ["Test Region (Y99)", "33,000 at 1 January 2024", "30,000 to 50,000"]
        for text in [*shown, "Z99001", "Z99002"]:
            assert text in page, text
        assert "Z99003" not in page
        assert "Z01 (Z01)" not in page  # the Sub-ICB location's name ends with its code
        assert "The network has no clinical director." in page
        assert "is not recorded as signed" in page

    def test_the_population_is_dated_by_the_latest_extract(self, network_viewer_client, world):
        practice = world["pcn"].memberships.get(practice__code="Z99001").practice
        ListSizeFactory(practice=practice, extract_date=D(2025, 1, 1), registered_patients=12_500)
        page = page_text(network_viewer_client.get("/networks/U99001/"))
        assert "33,500, each member practice's latest figure (the latest at 1 January 2025)" in page

    def test_warnings_go_when_the_records_are_there(
        self, network_manager, network_viewer_client, world
    ):
        pcn = world["pcn"]
        add_clinical_director(
            pcn=pcn,
            by=network_manager,
            full_name="Dr Ada Lead",
            profession="gp",
            start_date=D(2020, 1, 1),
        )
        today = datetime.date.today()
        year = today.year if today.month >= 4 else today.year - 1
        record_network_agreement(
            pcn=pcn, by=network_manager, financial_year=year, changes={"signed_on": D(year, 6, 30)}
        )
        page = network_viewer_client.get("/networks/U99001/").content.decode()
        assert "Dr Ada Lead" in page
        assert "Needs attention" not in page
        assert "Signed on 30 June" in page

    def test_as_of_a_date_shows_the_network_as_it_was(self, network_viewer_client, world):
        # Z99002 left on 31 March 2023 (its last day) and came back on 1 April 2024.
        spell = Membership.objects.get(practice__code="Z99002")
        spell.end_date = D(2023, 3, 31)
        spell.save()
        MembershipFactory(practice=spell.practice, pcn=world["pcn"], start_date=D(2024, 4, 1))
        ListSizeFactory(
            practice=world["practices"][0],
            extract_date=D(2023, 1, 1),
            registered_patients=11_500,
            bare=True,
        )
        last_day = network_viewer_client.get("/networks/U99001/", {"on": "2023-03-31"})
        assert "Z99002" in last_day.content.decode()
        day_after = network_viewer_client.get("/networks/U99001/", {"on": "2023-04-01"})
        page = day_after.content.decode()
        assert "As it was on 1 April 2023" in page
        assert "Z99002" not in page and "Z99001" in page
        assert "11,500" in page and "Below 30,000" in page

    @pytest.mark.parametrize(
        ("persona", "linked"),
        [
            # The areas over the network each may open: an ICB viewer its ICB and the
            # Sub-ICB location inside it, a Sub-ICB viewer their own, a network's people none.
            ("icb_viewer_client", {SUB_ICB: "/areas/Z01/", "ICB": "/areas/QZ1/"}),
            ("subicb_viewer_client", {SUB_ICB: "/areas/Z01/"}),
            ("network_viewer_client", {}),
        ],
    )
    def test_the_areas_over_the_network_link_to_their_pages(self, request, persona, linked):
        root = parse(request.getfixturevalue(persona).get("/networks/U99001/").content.decode())
        rows = root.find("dl", "nhsuk-summary-list").find_all("div", "nhsuk-summary-list__row")
        links = {}
        for row in rows:
            key = row.find("dt").text
            if key in (SUB_ICB, "ICB", "Region"):
                for a in row.find("dd", "nhsuk-summary-list__value").find_all("a"):
                    links[key] = a.attrs["href"]
        assert links == linked

    def test_a_date_that_is_not_a_date_shows_today_and_says_so(self, network_viewer_client):
        page = network_viewer_client.get("/networks/U99001/", {"on": "31/03/2023"}).content.decode()
        assert "is not a date like 2023-04-01" in page

    def test_outsiders_and_other_networks_get_not_found(
        self, outsider_client, other_manager_client
    ):
        assert outsider_client.get("/networks/U99001/").status_code == 404
        assert other_manager_client.get("/networks/U99001/").status_code == 404


def grow(world, first, times):
    """More networks in the same Sub-ICB location, each with practices and spells."""
    for n in range(first, first + times):
        pcn = PrimaryCareNetworkFactory(lead_commissioner=world["sub_icb"])
        for m in range(3):
            practice = PracticeFactory(code=f"Y{n:03d}{m:02d}", name="GROWN SURGERY", bare=True)
            MembershipFactory(
                practice=practice, pcn=pcn, start_date=D(2019, 7, 1), end_date=D(2021, 3, 31)
            )
            MembershipFactory(
                practice=practice,
                pcn=world["pcn"] if m == 0 and n < 3 else pcn,
                start_date=D(2021, 4, 1),
            )
            ListSizeFactory(
                practice=practice,
                extract_date=D(2024, 1, 1),
                registered_patients=5000,
                bare=True,
            )


@pytest.mark.parametrize("url", ["/", "/networks/", "/networks/U99001/", "/networks/?q=Z99001"])
def test_queries_do_not_grow_with_the_data(url, subicb_viewer_client, world):
    def count():
        subicb_viewer_client.get(url)  # warm: session, user
        with CaptureQueriesContext(connection) as queries:
            assert subicb_viewer_client.get(url).status_code == 200
        return len(queries)

    grow(world, 0, 2)
    small = count()
    grow(world, 2, 20)
    assert PrimaryCareNetwork.objects.count() > 20
    assert count() == small


def test_the_list_downloads_with_the_filters_on_screen(icb_viewer_client):
    import io

    import openpyxl

    response = icb_viewer_client.get("/networks/", {"sub_icb": "Z02", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ODS code,Name,Sub-ICB location (formerly CCG)")
    assert "U99002,Hilltop PCN,NHS Test ICB - Z02,Z02,NHS Test ICB,QZ1,9000" in text
    assert "U99001" not in text
    response = icb_viewer_client.get("/networks/", {"sub_icb": "Z01", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["U99001"]
    assert rows[1][6] == 33000
