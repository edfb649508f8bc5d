"""Member practices: on a date, their history, joining and leaving, the practice page."""

import datetime

import pytest

from practices.models import Membership, MembershipSource
from tests.factories import ListSizeFactory, PracticeFactory
from tests.html import parse
from tests.pages import date_fields, page_text

D = datetime.date


@pytest.fixture
def abbey(world):
    return PracticeFactory(code="Z99009", name="ABBEY SURGERY", bare=True)


def test_members_today_with_list_size_and_join_date(network_viewer_client):
    page = page_text(network_viewer_client.get("/networks/U99001/practices/"))
    assert "Test Surgery Z99001" in page and "12,000" in page and "1 July 2019" in page
    assert "Z99003" not in page
    assert "Record a practice joining" not in page  # a viewer cannot


def test_members_on_a_date(network_viewer_client, world):
    spell = Membership.objects.get(practice__code="Z99002")
    spell.end_date = D(2023, 3, 31)
    spell.save()
    on = network_viewer_client.get("/networks/U99001/practices/", date_fields("on", D(2023, 4, 1)))
    assert "Z99002" not in page_text(on) and "The members on 1 April 2023" in page_text(on)
    before = network_viewer_client.get(
        "/networks/U99001/practices/", date_fields("on", D(2023, 3, 31))
    )
    assert "Z99002" in page_text(before)


def test_members_download(network_viewer_client):
    response = network_viewer_client.get("/networks/U99001/practices/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Z99001,Test Surgery Z99001,2019-07-01,,12000" in text


def test_history_shows_ods_dates_and_notes_read_only(network_manager_client, world):
    Membership.objects.filter(practice__code="Z99002").update(
        source=MembershipSource.ODS,
        published_start_date=D(2019, 6, 1),
        adjustment="ODS publishes it in two networks in June 2019.",
    )
    page = page_text(network_manager_client.get("/networks/U99001/practices/history/"))
    assert "1 June 2019" in page and "ODS publishes it in two networks" in page
    assert "Read-only (ODS)" in page and "ask your commissioner" in page
    assert "/networks/U99001/practices/Z99001/leave/" in (
        network_manager_client.get("/networks/U99001/practices/history/").content.decode()
    )
    ods = network_manager_client.post(
        "/networks/U99001/practices/Z99002/leave/", date_fields("end_date", D(2027, 3, 31))
    )
    assert "cannot be changed here" in page_text(ods)
    assert Membership.objects.get(practice__code="Z99002").end_date is None


def test_a_manager_records_a_practice_leaving_from_its_row_in_the_member_list(
    network_manager_client, network_viewer_client, world
):
    """Where a manager looks for the practice: its row among the members, not only the
    membership history."""
    Membership.objects.filter(practice__code="Z99002").update(source=MembershipSource.ODS)
    root = parse(network_manager_client.get("/networks/U99001/practices/").content.decode())
    rows = {row.find_all("a")[0].text: row for row in root.find("tbody").find_all("tr")}
    leave = rows["Z99001"].find_all("a")[-1]
    assert leave.text == "Record Test Surgery Z99001 leaving"
    assert leave.attrs["href"] == "/networks/U99001/practices/Z99001/leave/"
    assert "Read-only (ODS)" in rows["Z99002"].text
    viewer = page_text(network_viewer_client.get("/networks/U99001/practices/"))
    assert "leaving" not in viewer and "Read-only" not in viewer


def test_a_manager_records_a_practice_leaving_from_its_page(
    network_manager_client, network_viewer_client, world
):
    root = parse(network_manager_client.get("/networks/U99001/practices/Z99001/").content.decode())
    link = [a for a in root.find_all("a") if a.text.startswith("Record ")]
    assert [(a.text, a.attrs["href"]) for a in link] == [
        (
            "Record Test Surgery Z99001 leaving Riverside PCN",
            "/networks/U99001/practices/Z99001/leave/",
        )
    ]
    Membership.objects.filter(practice__code="Z99002").update(source=MembershipSource.ODS)
    ods = page_text(network_manager_client.get("/networks/U99001/practices/Z99002/"))
    assert "Record Test Surgery Z99002 leaving" not in ods
    assert "ask your commissioner" in ods
    viewer = page_text(network_viewer_client.get("/networks/U99001/practices/Z99001/"))
    assert "leaving" not in viewer


class TestLeaving:
    url = "/networks/U99001/practices/Z99001/leave/"

    def test_confirm_then_save(self, network_manager_client, network_manager):
        data = date_fields("end_date", D(2027, 3, 31))
        check = network_manager_client.post(self.url, data)
        assert (
            "Test Surgery Z99001 will be a member of Riverside PCN up to and including "
            "31 March 2027." in page_text(check)
        )
        assert Membership.objects.get(practice__code="Z99001").end_date is None
        done = network_manager_client.post(self.url, {**data, "confirm": "1"}, follow=True)
        assert "is a member of Riverside PCN up to and including 31 March 2027" in page_text(done)
        assert Membership.objects.get(practice__code="Z99001").end_date == D(2027, 3, 31)
        history = page_text(network_manager_client.get("/networks/U99001/history/"))
        assert "blank → 31 March 2027" in history
        assert "Mo Test" in history and "mo.manager" not in history

    @pytest.mark.parametrize(
        "data, message",
        [
            ({}, "Enter the last day as a member"),
            (date_fields("end_date", D(2019, 1, 1)), "must be on or after the first day"),
            ({"end_date_day": "31", "end_date_month": "2", "end_date_year": "2027"}, "real date"),
        ],
    )
    def test_errors(self, network_manager_client, data, message):
        page = page_text(network_manager_client.post(self.url, {**data, "confirm": "1"}))
        assert message in page and "There is a problem" in page
        assert Membership.objects.get(practice__code="Z99001").end_date is None

    def test_concurrent_save_is_refused_showing_both(self, network_manager_client, network_manager):
        from practices.actions import end_membership

        form = network_manager_client.get(self.url).content.decode()
        version = form.split('name="version" value="')[1].split('"')[0]
        spell = Membership.objects.get(practice__code="Z99001")
        end_membership(membership=spell, by=network_manager, end_date=D(2027, 6, 30))
        data = {**date_fields("end_date", D(2027, 3, 31)), "version": version, "confirm": "1"}
        page = page_text(network_manager_client.post(self.url, data))
        assert "30 June 2027" in page and "31 March 2027" in page and "after you opened it" in page
        assert Membership.objects.get(pk=spell.pk).end_date == D(2027, 6, 30)

    def test_viewer_and_commissioner_get_403_outsider_404(
        self, network_viewer_client, subicb_viewer_client, outsider_client
    ):
        data = {**date_fields("end_date", D(2027, 3, 31)), "confirm": "1"}
        assert network_viewer_client.post(self.url, data).status_code == 403
        assert subicb_viewer_client.post(self.url, data).status_code == 403
        assert outsider_client.post(self.url, data).status_code == 404
        assert Membership.objects.get(practice__code="Z99001").end_date is None


class TestJoining:
    url = "/networks/U99001/practices/join/"

    def test_confirm_then_save(self, network_manager_client, abbey):
        data = {"practice_code": "z99009", **date_fields("start_date", D(2027, 4, 1))}
        check = page_text(network_manager_client.post(self.url, data))
        assert "Abbey Surgery (Z99009) will be a member of Riverside PCN from 1 April 2027" in check
        assert not abbey.memberships.exists()
        done = network_manager_client.post(self.url, {**data, "confirm": "1"}, follow=True)
        assert "Abbey Surgery (Z99009) will join Riverside PCN: a member from 1 April 2027" in (
            page_text(done)
        )
        spell = abbey.memberships.get()
        assert (spell.pcn.code, spell.start_date, spell.source) == (
            "U99001",
            D(2027, 4, 1),
            "portal",
        )

    def test_a_practice_in_another_network_is_refused_naming_it(self, network_manager_client):
        data = {"practice_code": "Z99003", **date_fields("start_date", D(2027, 4, 1))}
        page = page_text(network_manager_client.post(self.url, {**data, "confirm": "1"}))
        assert "is a member of Hilltop PCN from 1 July 2019 with no last day recorded" in page
        assert Membership.objects.filter(practice__code="Z99003").count() == 1
        # Entered in the portal: the other network's managers record its last day.
        assert "Hilltop PCN's network managers record the day it leaves, under Member" in page
        assert "join here from the day after" in page
        # Imported from NHS England's list: the next import brings it.
        Membership.objects.filter(practice__code="Z99003").update(source="ods")
        page = page_text(network_manager_client.post(self.url, {**data, "confirm": "1"}))
        assert "(ePCN) records the day it leaves" in page

    def test_a_practice_leaving_another_network_later_can_join_the_day_after(
        self, network_manager_client, network_manager
    ):
        from practices.actions import end_membership

        spell = Membership.objects.get(practice__code="Z99003")
        end_membership(membership=spell, by=network_manager, end_date=D(2027, 3, 31))
        data = {"practice_code": "Z99003", **date_fields("start_date", D(2027, 3, 1))}
        page = page_text(network_manager_client.post(self.url, {**data, "confirm": "1"}))
        assert (
            "up to and including 31 March 2027. A practice is in one network on any day: "
            "choose a first day after 31 March 2027." in page
        )
        data = {"practice_code": "Z99003", **date_fields("start_date", D(2027, 4, 1))}
        done = network_manager_client.post(self.url, {**data, "confirm": "1"}, follow=True)
        assert "will join Riverside PCN: a member from 1 April 2027" in page_text(done)

    @pytest.mark.parametrize(
        "data, message",
        [
            ({}, "Enter the practice's ODS code"),
            ({"practice_code": "12345"}, "a letter and five digits"),
            ({"practice_code": "Z99888"}, "No practice has the ODS code Z99888"),
            ({"practice_code": "Z99009"}, "Enter the first day as a member"),
        ],
    )
    def test_errors(self, network_manager_client, abbey, data, message):
        page = page_text(network_manager_client.post(self.url, data))
        assert message in page and "There is a problem" in page

    def test_change_goes_back_to_the_form_with_the_values(self, network_manager_client, abbey):
        data = {
            "practice_code": "Z99009",
            **date_fields("start_date", D(2027, 4, 1)),
            "change": "1",
        }
        page = network_manager_client.post(self.url, data).content.decode()
        assert 'value="Z99009"' in page and "Record a practice joining" in page

    def test_viewer_403(self, network_viewer_client, icb_viewer_client, abbey):
        data = {"practice_code": "Z99009", **date_fields("start_date", D(2027, 4, 1)), "confirm": 1}
        assert network_viewer_client.post(self.url, data).status_code == 403
        assert icb_viewer_client.post(self.url, data).status_code == 403
        assert not abbey.memberships.exists()


def test_practice_page(network_viewer_client, world):
    practice = world["practices"][0]
    ListSizeFactory(
        practice=practice, extract_date=D(2025, 1, 1), registered_patients=12_345, bare=True
    )
    response = network_viewer_client.get("/networks/U99001/practices/Z99001/")
    page = page_text(response)
    assert "Test Surgery Z99001 (Z99001)" in page and "NHS Test ICB - Z01" in page
    assert "Riverside PCN (U99001)" in page and "12,345" in page and "12,000" in page
    html = response.content.decode()
    assert 'id="list-size-chart"' in html and "chart.umd.min.js" in html
    assert '"patients": 12345' in html
    csv = network_viewer_client.get("/networks/U99001/practices/Z99001/", {"format": "csv"})
    assert "2025-01-01,12345" in b"".join(csv.streaming_content).decode("utf-8-sig")
    spells = network_viewer_client.get(
        "/networks/U99001/practices/Z99001/", {"table": "spells", "format": "csv"}
    )
    assert "Riverside PCN (U99001),2019-07-01" in b"".join(spells.streaming_content).decode(
        "utf-8-sig"
    )


def test_practice_page_of_a_practice_never_in_the_network_is_404(network_viewer_client):
    assert network_viewer_client.get("/networks/U99001/practices/Z99003/").status_code == 404


def test_no_clinical_director_warning_on_every_network_page(network_viewer_client):
    for url in [
        "practices/",
        "practices/history/",
        "clinical-directors/",
        "team/",
        "governance/",
        "partners/",
        "history/",
        "practices/Z99001/",
    ]:
        page = page_text(network_viewer_client.get(f"/networks/U99001/{url}"))
        assert "The network has no clinical director today." in page, url


def test_the_overview_links_to_each_page_and_shows_its_state(network_viewer_client, world):
    from networks.actions import add_collaboration
    from tests.conftest import persona

    manager = persona("pat.partner", scope="pcn", role="editor", organisation=world["pcn"])
    add_collaboration(
        pcn=world["pcn"],
        by=manager,
        partner_name="Riverside Hospice",
        partner_kind="voluntary",
        start_date=D(2020, 1, 1),
    )
    html = network_viewer_client.get("/networks/U99001/").content.decode()
    for path in [
        "practices/",
        "practices/history/",
        "clinical-directors/",
        "team/",
        "governance/",
        "partners/",
        "history/",
    ]:
        assert f'href="/networks/U99001/{path}"' in html, path
    page = page_text(network_viewer_client.get("/networks/U99001/"))
    assert "1 collaboration in force" in page and "See all clinical directors" in page
