"""An area's exceptions page: each exception appears on a hand-counted world, says since
when and links to where it is put right, and goes once it is put right; the page keeps to
the area the user may see, downloads what it shows, and costs the same few queries
however many networks the area has.

The world (tests/factories/worlds.py: personas_world), seen as of 16 June 2025 (2025/26):
ICB QZ1 > Z01: U99001 Riverside PCN (33,000 registered patients), Z02: U99002 Hilltop PCN
(9,000), both open since 1 July 2019 with no clinical director and no Network Agreement.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from practices.models import Membership
from tests.factories import (
    ARRSAllocationFactory,
    ClaimFactory,
    ClaimLineFactory,
    ClinicalDirectorFactory,
    CommissionerNoteFactory,
    ListSizeFactory,
    MembershipFactory,
    NetworkAgreementFactory,
    PracticeFactory,
)
from tests.factories.worlds import add_network, director
from workforce.models import ARRSForecast, ClaimStatus

D = datetime.date
ON = D(2025, 6, 16)
URL = "/areas/QZ1/exceptions/"

# What the world shows as of 16 June 2025, before anything is put right: (exception, ODS
# code, since, what that day is).
OPENED = "Network opened (no clinical director recorded)"
FOOTPRINT = "Footprint outside 30,000 to 50,000 without a note"
BASELINE = [
    ("No clinical director", "U99001", "2019-07-01", OPENED),
    ("No clinical director", "U99002", "2019-07-01", OPENED),
    (FOOTPRINT, "U99002", "2024-01-01", "Date of the list sizes counted"),
    ("Network Agreement not signed", "U99001", "2025-04-01", "First day of 2025/26"),
    ("Network Agreement not signed", "U99002", "2025-04-01", "First day of 2025/26"),
]


def download(client, on=ON, url=URL, **query):
    """The page's CSV: its first rows ({label: value}) and its rows."""
    response = client.get(url, {"on": on.isoformat(), "format": "csv", **query})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    about, _, table = text.partition("\r\n\r\n")
    return dict(csv.reader(io.StringIO(about))), list(csv.DictReader(io.StringIO(table)))


def shown(client, on=ON, **query):
    """(exception, code, since, what that day is) of each row, in the page's order."""
    _, rows = download(client, on, **query)
    return [(r["Exception"], r["ODS code"], r["Since"], r["Since: what that day is"]) for r in rows]


def of_kind(client, kind, on=ON):
    return [row for row in shown(client, on) if row[0] == kind]


def page(client, on=ON, url=URL):
    response = client.get(url, {"on": on.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def riverside(world):
    return world["pcn"]


@pytest.fixture
def hilltop(world):
    return world["other_pcn"]


def test_the_hand_counted_world(icb_viewer_client):
    assert shown(icb_viewer_client) == BASELINE


def test_the_download_says_which_area_and_date(icb_viewer_client):
    about, _ = download(icb_viewer_client)
    assert about == {
        "Area": "NHS Test ICB (QZ1)",
        "As of": "2025-06-16",
        "Financial year": "2025/26",
    }


def test_the_overview_links_to_the_exceptions_on_its_date(icb_viewer_client, world):
    html = icb_viewer_client.get("/areas/QZ1/", {"on": "2025-06-16"}).content.decode()
    assert 'href="/areas/QZ1/exceptions/?on=2025-06-16"' in html


def test_the_page_has_the_area_frame(icb_viewer_client, world):
    html = page(icb_viewer_client)
    assert "<h1>Exceptions</h1>" in html
    assert "As it was on 16 June 2025" in html
    assert 'href="/areas/QZ1/"' in html  # the breadcrumbs lead back to the area
    # Each row links to the page that puts it right.
    assert f'href="{reverse("networks:director_list", args=["U99001"])}"' in html
    assert f'href="{reverse("networks:governance", args=["U99002"])}"' in html


@pytest.mark.parametrize("query", [{"show": "nonsense"}, {"on": "9999-04-01"}, {"sort": "what"}])
def test_a_query_that_is_not_one_is_answered(icb_viewer_client, world, query):
    response = icb_viewer_client.get(URL, query)
    assert response.status_code == 200


def test_filtered_by_kind(icb_viewer_client, world):
    rows = shown(icb_viewer_client, show="unsigned")
    assert [code for _, code, _, _ in rows] == ["U99001", "U99002"]


class TestClinicalDirector:
    def test_since_the_day_after_the_last_one_left(self, icb_viewer_client, riverside):
        director(riverside, "Dr Former", end_date=D(2025, 3, 31))
        assert of_kind(icb_viewer_client, "No clinical director")[1] == (
            "No clinical director",
            "U99001",
            "2025-04-01",
            "Day after the last clinical director's last day",
        )

    def test_goes_once_one_is_in_post(self, icb_viewer_client, riverside):
        director(riverside, "Dr Former", end_date=D(2025, 3, 31))
        ClinicalDirectorFactory(
            pcn=riverside, full_name="Dr New", profession="gp", start_date=D(2025, 6, 1)
        )
        codes = [code for _, code, _, _ in of_kind(icb_viewer_client, "No clinical director")]
        assert codes == ["U99002"]
        # Before the new one's first day, it was there.
        before = of_kind(icb_viewer_client, "No clinical director", on=D(2025, 5, 31))
        assert [code for _, code, _, _ in before] == ["U99002", "U99001"]


def test_an_agreement_signed_puts_it_right(icb_viewer_client, riverside):
    NetworkAgreementFactory(pcn=riverside, financial_year=2025, signed_on=D(2025, 5, 1))
    rows = of_kind(icb_viewer_client, "Network Agreement not signed")
    assert [code for _, code, _, _ in rows] == ["U99002"]


def test_footprint_notes_put_it_right(icb_viewer_client, hilltop):
    hilltop.footprint_notes = "Rural: the Sub-ICB location approved 9,000 patients in 2019."
    hilltop.save()
    assert of_kind(icb_viewer_client, FOOTPRINT) == []


def test_footprint_since_the_latest_list_sizes(icb_viewer_client, world):
    for practice in world["practices"]:
        ListSizeFactory(
            practice=practice, extract_date=D(2025, 4, 1), registered_patients=20_000, bare=True
        )
    # Riverside is now 40,000 (within), Hilltop 20,000, counted from 1 April 2025's sizes.
    assert of_kind(icb_viewer_client, "Footprint outside 30,000 to 50,000 without a note") == [
        (
            "Footprint outside 30,000 to 50,000 without a note",
            "U99002",
            "2025-04-01",
            "Date of the list sizes counted",
        )
    ]


class TestForecastOverAllocation:
    @pytest.fixture
    def over(self, riverside):
        allocation = ARRSAllocationFactory(pcn=riverside, amount=Decimal("100000"))
        ARRSForecast.objects.create(
            pcn=riverside,
            financial_year=2025,
            approved=Decimal("0"),
            submitted=Decimal("0"),
            forecast=Decimal("120000"),
            main_forecast=Decimal("120000"),
            worked_out_at=timezone.make_aware(datetime.datetime(2025, 6, 10, 9, 30)),
        )
        return allocation

    def test_as_recorded_when_the_forecast_was_worked_out(self, icb_viewer_client, over):
        assert of_kind(icb_viewer_client, "Forecast over the allocation") == [
            (
                "Forecast over the allocation",
                "U99001",
                "2025-06-10",
                "As recorded on this day (the forecast last worked out)",
            )
        ]
        html = page(icb_viewer_client)
        assert f'href="{reverse("workforce:budget_detail", args=["U99001", 2025])}"' in html

    def test_a_larger_allocation_puts_it_right(self, icb_viewer_client, over):
        over.amount = Decimal("130000")
        over.save()
        assert of_kind(icb_viewer_client, "Forecast over the allocation") == []


class TestHeldLines:
    @pytest.fixture
    def held(self, riverside):
        claim = ClaimFactory(pcn=riverside, month=D(2025, 5, 1))
        return ClaimLineFactory(
            claim=claim, maximum_amount=None, reimbursable_amount=Decimal("0"), bare=False
        )

    def test_since_the_month_of_the_claim(self, icb_viewer_client, held):
        assert of_kind(icb_viewer_client, "Held claim lines") == [
            (
                "Held claim lines",
                "U99001",
                "2025-05-01",
                "Month of the earliest claim holding lines",
            )
        ]
        html = page(icb_viewer_client)
        assert f'href="{reverse("workforce:claim_list", args=["U99001"])}"' in html

    def test_not_before_its_month(self, icb_viewer_client, held):
        assert of_kind(icb_viewer_client, "Held claim lines", on=D(2025, 4, 30)) == []

    def test_a_maximum_puts_it_right(self, icb_viewer_client, held):
        held.maximum_amount = held.reimbursable_amount = Decimal("4000")
        held.save()
        assert of_kind(icb_viewer_client, "Held claim lines") == []

    def test_a_forecast_leaving_out_maxima(self, icb_viewer_client, riverside):
        ARRSForecast.objects.create(
            pcn=riverside,
            financial_year=2025,
            approved=Decimal("0"),
            submitted=Decimal("0"),
            forecast=Decimal("1000"),
            main_forecast=Decimal("1000"),
            missing_maxima=3,
            worked_out_at=timezone.make_aware(datetime.datetime(2025, 6, 12, 9, 0)),
        )
        assert of_kind(icb_viewer_client, "Held claim lines") == [
            (
                "Held claim lines",
                "U99001",
                "2025-06-12",
                "As recorded on this day (the forecast last worked out)",
            )
        ]


class TestClaimsWaiting:
    @pytest.fixture
    def waiting(self, riverside):
        return ClaimFactory(
            pcn=riverside,
            month=D(2025, 4, 1),
            status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.make_aware(datetime.datetime(2025, 5, 20, 14, 0)),
        )

    def test_since_the_day_submitted(self, icb_viewer_client, waiting):
        rows = of_kind(icb_viewer_client, "Claim waiting for a decision")
        assert rows == [("Claim waiting for a decision", "U99001", "2025-05-20", "Day submitted")]
        _, found = download(icb_viewer_client, show="claim_waiting")
        assert found[0]["What"] == "Claim for April 2025 waiting 27 days for a decision"

    def test_not_until_it_has_waited_the_days_set(self, icb_viewer_client, waiting, settings):
        # 1 June is 12 days after it was submitted: within 14, not within 10.
        assert of_kind(icb_viewer_client, "Claim waiting for a decision", on=D(2025, 6, 1)) == []
        settings.CLAIM_WAITING_DAYS = 10
        rows = of_kind(icb_viewer_client, "Claim waiting for a decision", on=D(2025, 6, 1))
        assert len(rows) == 1

    def test_a_decision_puts_it_right_from_its_day(self, icb_viewer_client, waiting, approver):
        type(waiting).objects.filter(pk=waiting.pk).update(
            status=ClaimStatus.APPROVED,
            decided_by=approver,
            decided_at=timezone.make_aware(datetime.datetime(2025, 6, 20, 11, 0)),
        )
        assert len(of_kind(icb_viewer_client, "Claim waiting for a decision")) == 1
        after = of_kind(icb_viewer_client, "Claim waiting for a decision", on=D(2025, 6, 21))
        assert after == []

    def test_approvers_are_linked_to_the_decision_viewers_to_the_claim(
        self, icb_viewer_client, approver_client, waiting
    ):
        decide = reverse("workforce:claim_decide", args=["U99001", "2025-04"])
        read = reverse("workforce:claim_detail", args=["U99001", "2025-04"])
        assert f'href="{decide}"' in page(approver_client)
        viewer_page = page(icb_viewer_client)
        assert f'href="{read}"' in viewer_page and f'href="{decide}"' not in viewer_page


class TestPracticesInNoNetwork:
    def test_one_that_never_joined(self, icb_viewer_client, world):
        PracticeFactory(code="Z99009", commissioner=world["sub_icb"], open_date=D(2021, 4, 1))
        assert of_kind(icb_viewer_client, "Practice in no network") == [
            (
                "Practice in no network",
                "Z99009",
                "2021-04-01",
                "Not in a network since joining the list",
            )
        ]
        html = page(icb_viewer_client)
        assert 'href="/areas/QZ1/practices/?show=not&amp;on=2025-06-16"' in html

    def test_one_that_left_until_it_joins_again(self, icb_viewer_client, world, riverside):
        practice = world["practices"][0]
        Membership.objects.filter(practice=practice).update(end_date=D(2025, 3, 31))
        left = "Day after its last membership ended"
        assert of_kind(icb_viewer_client, "Practice in no network") == [
            ("Practice in no network", "Z99001", "2025-04-01", left)
        ]
        MembershipFactory(practice=practice, pcn=riverside, start_date=D(2025, 6, 1))
        assert of_kind(icb_viewer_client, "Practice in no network") == []


class TestFollowUps:
    @pytest.fixture
    def note(self, riverside, icb_viewer):
        return CommissionerNoteFactory(
            pcn=riverside,
            written_by=icb_viewer,
            written_on=D(2025, 6, 2),
            follow_up="Ask for the signed agreement",
            follow_up_due=D(2025, 6, 10),
        )

    def test_open_since_the_note_then_overdue_since_the_day_after_due(
        self, icb_viewer_client, note
    ):
        kind = "Commissioner's follow-up"
        early = of_kind(icb_viewer_client, kind, on=D(2025, 6, 5))
        assert early == [(kind, "U99001", "2025-06-02", "Day of the note")]
        assert of_kind(icb_viewer_client, kind) == [
            (kind, "U99001", "2025-06-11", "Day after it was due")
        ]
        _, rows = download(icb_viewer_client, show="follow_up")
        assert rows[0]["What"] == ("Overdue: Ask for the signed agreement, due by 10 June 2025")
        # Not before the note was written.
        assert of_kind(icb_viewer_client, kind, on=D(2025, 6, 1)) == []

    def test_links_to_the_note_and_goes_once_done(self, icb_viewer_client, note):
        notes = reverse("areas:network_notes", args=["QZ1", "U99001"])
        assert f'href="{notes}#note-{note.pk}"' in page(icb_viewer_client)
        note.done = True
        note.save()
        assert of_kind(icb_viewer_client, "Commissioner's follow-up") == []


class TestScope:
    def test_a_sub_icb_sees_its_own_networks(self, subicb_viewer_client, world):
        rows = shown(subicb_viewer_client, url="/areas/Z01/exceptions/")
        assert {code for _, code, _, _ in rows} == {"U99001"}
        assert subicb_viewer_client.get("/areas/Z02/exceptions/").status_code == 404

    @pytest.mark.parametrize("persona", ["network_manager", "network_viewer", "outsider"])
    def test_nobody_else(self, request, persona):
        client = request.getfixturevalue(f"{persona}_client")
        assert client.get(URL).status_code == 404

    def test_england_for_national_staff(self, national_admin_client, world):
        rows = shown(national_admin_client, url="/areas/england/exceptions/")
        assert rows == BASELINE


def test_queries_do_not_grow_with_the_networks(
    icb_viewer_client, world, django_assert_max_num_queries
):
    """Every kind of exception on two networks, then on six: the same queries."""

    def every_kind(pcn, n):
        ClaimFactory(
            pcn=pcn,
            month=D(2025, 4, 1),
            status=ClaimStatus.SUBMITTED,
            submitted_at=timezone.make_aware(datetime.datetime(2025, 5, 20, 14, 0)),
        )
        claim = ClaimFactory(pcn=pcn, month=D(2025, 5, 1))
        ClaimLineFactory(claim=claim, maximum_amount=None, reimbursable_amount=0, bare=False)
        CommissionerNoteFactory(pcn=pcn, follow_up="Call the manager", written_on=D(2025, 6, 1))
        PracticeFactory(code=f"Z9{n:04d}", commissioner=pcn.lead_commissioner)

    for n, pcn in enumerate((world["pcn"], world["other_pcn"])):
        every_kind(pcn, 100 + n)
    page(icb_viewer_client)  # the first request of a session does more (the session)
    with django_assert_max_num_queries(12) as few:
        page(icb_viewer_client)
    for n in range(4):
        pcn = add_network(f"U9901{n}", f"NEW PCN {n}", world["sub_icb"], [(f"Z9901{n}", 8000)])
        every_kind(pcn, 200 + n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(icb_viewer_client)
    assert "U99013" in html
