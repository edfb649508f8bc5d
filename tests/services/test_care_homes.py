"""Care homes aligned to a network, their beds by month, the Care Home Premium estimate,
and one network at a time."""

import csv
import datetime
import io

import pytest
from django.db import IntegrityError, transaction

from networks.pages import day
from pcn_portal.core.dates import today
from services.models import CareHome, CareHomeAlignment, CareHomeBeds
from tests.pages import date_fields, form_data, open_form, page_text

D = datetime.date
HOMES = "/networks/U99001/services/care-homes/"


def home_data(**changes):
    data = {
        "cqc_location_id": "1-222333444",
        "name": "Willow Court",
        "address": "1 River Lane\nRiverside",
        "postcode": "rv1 2ab",
        "home_type": "with_nursing",
        "beds": "40",
        "clinical_lead": "Dr Ola Green",
        "round_day": "3",
        "start_date_day": "1",
        "start_date_month": "4",
        "start_date_year": "2025",
    }
    return {**data, **changes}


def text_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_list_and_the_premium_estimate(network_viewer_client):
    # Riverside Lodge (tests/factories/worlds.py): 30 beds from October 2020.
    text = text_of(network_viewer_client.get(HOMES, {"year": 2025}))
    assert "RIVERSIDE LODGE" in text and "1-000000001" in text
    # 2025/26: £130.253 a bed for the year (DOMAIN.md §5.1) × 30 beds = £3,907.59.
    assert "£3,907.59" in text
    assert ">Primary care network funding</a> – BMA" in text and "DOMAIN" not in text
    assert "360 bed-months" in text


def test_2020_21_was_paid_from_august(network_viewer_client):
    text = text_of(network_viewer_client.get(HOMES, {"year": 2020}))
    # £60 a bed over the eight months from 1 August 2020: 30 beds in October to March
    # (the home was aligned from 1 October 2020) = 6 × 30 × £7.50 = £1,350.00.
    assert "£1,350.00" in text
    assert "£7.50 a bed a month" in text


def test_a_year_without_a_rate_says_so(network_viewer_client):
    text = text_of(network_viewer_client.get(HOMES, {"year": 2026}))
    assert "No Care Home Premium rate is recorded for this year" in text


def test_a_manager_adds_a_home_and_the_estimate_grows(network_manager_client, world):
    response = network_manager_client.post(HOMES + "add/", home_data())
    assert response.status_code == 302
    text = text_of(network_manager_client.get(HOMES, {"year": 2025}))
    assert "Willow Court is aligned to Riverside PCN from 1 April 2025, with 40 beds." in text
    # (30 + 40) beds × £130.253 = £9,117.71
    assert "£9,117.71" in text
    alignment = CareHomeAlignment.objects.get(home__cqc_location_id="1-222333444")
    assert alignment.pcn == world["pcn"] and alignment.get_round_day_display() == "Wednesday"
    assert alignment.home.postcode == "RV1 2AB"
    assert alignment.home.get_home_type_display() == "Care home with nursing"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cqc_location_id": "ABC"}, "Enter the CQC location ID as CQC publishes it"),
        ({"name": ""}, "Enter name"),
        ({"beds": "-1"}, "Registered beds must be 0 or more"),
        ({"start_date_month": "13"}, "Enter a real date"),
        ({"home_type": "hospital"}, "Select type from the list"),
    ],
)
def test_validation_names_what_is_wrong(network_manager_client, changes, message):
    text = text_of(network_manager_client.post(HOMES + "add/", home_data(**changes)))
    assert "There is a problem" in text and message in text
    assert not CareHome.objects.filter(cqc_location_id="1-222333444").exists()


def test_a_home_aligned_to_another_network_is_refused(network_manager_client, other_manager_client):
    assert network_manager_client.post(HOMES + "add/", home_data()).status_code == 302
    other = "/networks/U99002/services/care-homes/add/"
    text = page_text(
        other_manager_client.post(
            other, home_data(name="Willow Court (renamed)", start_date_year="2026")
        )
    )
    assert (
        "Willow Court is aligned to Riverside PCN from 1 April 2025 with no last day recorded. "
        "A care home is aligned to one network on any day: choose days before 1 April 2025, or "
        "Riverside PCN's network managers record the day its alignment ends" in text
    )
    assert CareHomeAlignment.objects.filter(home__cqc_location_id="1-222333444").count() == 1
    assert CareHome.objects.get(cqc_location_id="1-222333444").name == "Willow Court"


def test_the_database_holds_one_network_at_a_time(world):
    home = CareHome.objects.get(cqc_location_id="1-000000001")  # Riverside from Oct 2020
    with pytest.raises(IntegrityError), transaction.atomic():
        CareHomeAlignment.objects.create(
            home=home, pcn=world["other_pcn"], start_date=D(2025, 1, 1)
        )
    # Inclusive: ending on 31 March and starting elsewhere on 31 March share that day.
    CareHomeAlignment.objects.filter(home=home).update(end_date=D(2025, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        CareHomeAlignment.objects.create(
            home=home, pcn=world["other_pcn"], start_date=D(2025, 3, 31)
        )
    CareHomeAlignment.objects.create(home=home, pcn=world["other_pcn"], start_date=D(2025, 4, 1))


def test_a_move_the_day_after_the_last_day(network_manager_client, other_manager_client):
    url = HOMES + "1-000000001/end/"
    response = network_manager_client.post(
        url, {"end_date_day": "31", "end_date_month": "3", "end_date_year": "2025"}
    )
    assert response.status_code == 302
    other = "/networks/U99002/services/care-homes/add/"
    response = other_manager_client.post(
        other,
        home_data(cqc_location_id="1-000000001", name="RIVERSIDE LODGE", start_date_year="2025"),
    )
    assert response.status_code == 302
    # Riverside's 2025/26 estimate no longer counts it; Hilltop's does.
    assert "£0.00" in text_of(network_manager_client.get(HOMES, {"year": 2025}))
    hilltop = text_of(other_manager_client.get("/networks/U99002/services/care-homes/?year=2025"))
    assert "£5,210.12" in hilltop  # 40 beds × £130.253


def test_beds_by_month(network_manager_client, network_viewer_client):
    url = HOMES + "1-000000001/"
    response = network_manager_client.post(url + "beds/", {"month": "2025-10-01", "beds": "36"})
    assert response.status_code == 302
    text = text_of(network_viewer_client.get(url))
    assert "October 2025" in text and "36" in text and "October 2020" in text
    assert "Record a month" not in text  # a viewer cannot
    # April–September at 30 beds, October–March at 36: (6 × 30 + 6 × 36) × £130.253 / 12
    assert "£4,298.35" in text_of(network_viewer_client.get(HOMES, {"year": 2025}))
    assert CareHomeBeds.objects.filter(home__cqc_location_id="1-000000001").count() == 2
    csv = network_viewer_client.get(url, {"format": "csv"})
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0] == "From,Month,Registered beds"
    assert rows[1] == "October 2025,2025-10-01,36"


def test_beds_outside_the_alignment_are_refused(network_manager_client):
    url = HOMES + "1-000000001/beds/"
    text = text_of(network_manager_client.post(url, {"month": "2019-01-01", "beds": "36"}))
    assert "Select a month in which the home is aligned to this network" in text


def test_changing_the_details(network_manager_client):
    url = HOMES + "1-000000001/edit/"
    form = text_of(network_manager_client.get(url))
    assert "Named clinical lead" in form
    response = network_manager_client.post(
        url,
        {
            "home-name": "Riverside Lodge",
            "home-address": "",
            "home-postcode": "",
            "home-home_type": "without_nursing",
            "alignment-clinical_lead": "Dr Sam Ray",
            "alignment-round_day": "2",
        },
    )
    assert response.status_code == 302
    text = text_of(network_manager_client.get(HOMES + "1-000000001/"))
    assert "Dr Sam Ray" in text and "Tuesday" in text


def test_other_networks_homes_do_not_exist(other_manager_client, network_viewer_client):
    assert (
        other_manager_client.get("/networks/U99002/services/care-homes/1-000000001/").status_code
        == 404
    )
    assert network_viewer_client.get(HOMES + "1-999999999/").status_code == 404


def test_the_list_downloads(icb_viewer_client):
    response = icb_viewer_client.get(HOMES, {"year": 2025, "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Care home,CQC location ID,Type,Address,Postcode")
    assert "RIVERSIDE LODGE,1-000000001,Care home without nursing" in text


def test_the_premium_by_month_downloads(network_viewer_client):
    # 2020/21: nothing paid before August; 30 beds × £7.50 a month from October 2020.
    response = network_viewer_client.get(HOMES, {"year": 2020, "table": "months", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Beds", "Premium"]
    assert ["April 2020", "0", "Not paid"] in rows
    assert ["October 2020", "30", "£225.00"] in rows
    assert len(rows) == 13


def test_ending_an_alignment_twice_the_second_is_told_the_first_last_day(
    network_manager_client, co_manager_client
):
    """Two managers ending the same alignment on different future days: the second is told
    the first's day (an alignment that has already ended can no longer be changed at all)."""
    hers_day, his_day = today() + datetime.timedelta(days=30), today() + datetime.timedelta(days=60)
    end = HOMES + "1-000000001/end/"
    his, hers = open_form(network_manager_client, end), open_form(co_manager_client, end)
    first = co_manager_client.post(end, {**hers, **date_fields("end_date", hers_day)})
    assert first.status_code == 302
    refused = network_manager_client.post(end, {**his, **date_fields("end_date", his_day)})
    assert refused.status_code == 200
    assert f"Bea Test saved “{day(hers_day)}” here; yours is “{day(his_day)}”." in page_text(
        refused
    )
    alignment = CareHomeAlignment.objects.get(home__cqc_location_id="1-000000001")
    assert alignment.end_date == hers_day
    # Having seen hers, saving again keeps his, knowingly.
    again = network_manager_client.post(end, form_data(refused.content.decode()))
    assert again.status_code == 302
    alignment.refresh_from_db()
    assert alignment.end_date == his_day


def test_changing_the_home_and_its_alignment_at_once_names_each_change(
    network_manager_client, co_manager_client
):
    """The page edits two records, the home (its name) and the alignment (the lead): a
    change to either after the page was opened is shown beside its field."""
    edit = HOMES + "1-000000001/edit/"
    his, hers = open_form(network_manager_client, edit), open_form(co_manager_client, edit)
    changed = {**hers, "home-name": "Riverside Lodge", "alignment-clinical_lead": "Dr Sam Ray"}
    assert co_manager_client.post(edit, changed).status_code == 302
    refused = network_manager_client.post(
        edit, {**his, "home-name": "Riverside Court", "alignment-clinical_lead": "Dr Ola Green"}
    )
    text = page_text(refused)
    assert "Bea Test saved “Riverside Lodge” here; yours is “Riverside Court”." in text
    assert "Bea Test saved “Dr Sam Ray” here; yours is “Dr Ola Green”." in text
    alignment = CareHomeAlignment.objects.select_related("home").get(
        home__cqc_location_id="1-000000001"
    )
    assert (alignment.home.name, alignment.clinical_lead) == ("Riverside Lodge", "Dr Sam Ray")


# --- a home that moved: Meadow View, Riverside's up to 31 March 2026, Hilltop's since ----

MOVED = HOMES + "1-000000002/"
HILLTOP_MOVED = "/networks/U99002/services/care-homes/1-000000002/"


def edit_data(**changes):
    return {
        "home-name": "Meadow View",
        "home-address": "2 Meadow Lane",
        "home-postcode": "ZZ2 2ZZ",
        "home-home_type": "with_nursing",
        "alignment-clinical_lead": "Dr Rhea Rivers",
        "alignment-round_day": "",
        **changes,
    }


def test_after_its_alignment_ended_a_network_reads_only_its_own_months(
    network_manager_client, moved_home
):
    text = page_text(network_manager_client.get(MOVED))
    assert (
        "The home's alignment to Riverside PCN ended on 31 March 2026. It is aligned to "
        "another network now." in text
    )
    assert "Hilltop" not in text and "Dr Hal Hills" not in text  # never to whom
    assert "From 1 October 2020 up to and including 31 March 2026" in text
    # Riverside's own counts, and none of Hilltop's
    assert "January 2026 32" in text and "October 2020 30" in text
    assert "October 2026" not in text and "45" not in text
    # Read-only: nothing offered to change
    assert "Change details" not in text and "End the alignment" not in text
    assert "Record a month's beds" not in text
    csv = network_manager_client.get(MOVED, {"format": "csv"})
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert rows == [
        "From,Month,Registered beds",
        "January 2026,2026-01-01,32",
        "October 2020,2020-10-01,30",
    ]


def test_a_network_whose_alignment_ended_cannot_change_the_home(
    network_manager_client, national_admin_client, moved_home
):
    response = network_manager_client.post(
        MOVED + "edit/", edit_data(**{"home-name": "Riverside's Meadow"})
    )
    assert response.status_code == 403
    assert (
        "MEADOW VIEW was aligned to Riverside PCN up to and including 31 March 2026. The "
        "network can read its records for the months it was aligned, but no longer change "
        "them." in page_text(response)
    )
    moved_home.refresh_from_db()
    assert moved_home.name == "MEADOW VIEW"
    for page in ("edit/", "beds/", "end/"):
        assert network_manager_client.get(MOVED + page).status_code == 403
    beds = network_manager_client.post(MOVED + "beds/", {"month": "2026-03-01", "beds": "90"})
    assert beds.status_code == 403
    assert not CareHomeBeds.objects.filter(home=moved_home, beds=90).exists()
    # A national admin may still correct it.
    response = national_admin_client.post(
        MOVED + "edit/", edit_data(**{"alignment-clinical_lead": "Dr Rhea Rivers-Smith"})
    )
    assert response.status_code == 302
    assert "Dr Rhea Rivers-Smith" in page_text(network_manager_client.get(MOVED))


def test_the_network_aligned_now_reads_its_months_and_changes_the_home(
    other_manager_client, moved_home
):
    text = page_text(other_manager_client.get(HILLTOP_MOVED))
    assert "ended on" not in text and "Dr Hal Hills" in text
    # Its own count, and the count it began with (Riverside's January count, which holds
    # from April 2026 for Hilltop); none of Riverside's earlier months
    assert "October 2026 45" in text and "April 2026 32" in text
    assert "October 2020" not in text and "January 2026" not in text
    response = other_manager_client.post(
        HILLTOP_MOVED + "edit/",
        edit_data(**{"home-name": "Meadow View Nursing Home", "alignment-clinical_lead": ""}),
    )
    assert response.status_code == 302
    moved_home.refresh_from_db()
    assert moved_home.name == "Meadow View Nursing Home"


def test_the_list_counts_beds_up_to_the_alignments_last_day(
    network_manager_client, other_pcn_manager_world
):
    # Willow Court: Riverside's up to 30 September 2025 (20 beds), Hilltop's from
    # 1 October 2025, which counted 50 beds from November 2025.
    text = page_text(network_manager_client.get(HOMES, {"year": 2025}))
    assert "WILLOW COURT" in text
    row = text.split("WILLOW COURT")[1]
    assert row.split()[:6] == ["1-300000001", "Without", "nursing", "20", "Not", "named"]


@pytest.fixture
def other_pcn_manager_world(world):
    from tests.factories import CareHomeAlignmentFactory, CareHomeBedsFactory, CareHomeFactory

    home = CareHomeFactory(cqc_location_id="1-300000001", name="WILLOW COURT")
    CareHomeAlignmentFactory(
        home=home, pcn=world["pcn"], start_date=D(2025, 4, 1), end_date=D(2025, 9, 30)
    )
    CareHomeAlignmentFactory(home=home, pcn=world["other_pcn"], start_date=D(2025, 10, 1))
    CareHomeBedsFactory(home=home, pcn=world["pcn"], month=D(2025, 4, 1), beds=20)
    CareHomeBedsFactory(home=home, pcn=world["other_pcn"], month=D(2025, 11, 1), beds=50)
    return home
