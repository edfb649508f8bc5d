"""Commissioner's notes on a network: the area's staff read and add them and mark their
follow-ups done, in the audit history; the network's own staff, other areas and the public
never see them.

The personas' world (tests/conftest.py): U99001 Riverside PCN is led by Sub-ICB location
Z01, U99002 Hilltop PCN by Z02, both in ICB QZ1."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from networks import actions
from networks.models import CommissionerNote
from pcn_portal.core.dates import today
from pcn_portal.core.versions import event_model
from tests.factories import CommissionerNoteFactory

D = datetime.date
NOTES = "/areas/Z01/networks/U99001/notes/"
SECRET = "Concerned about the clinical director workload"


def date_boxes(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


NOTE_DAY = D(2025, 6, 2)


def note_form(text=SECRET, written_on=NOTE_DAY, follow_up="", due=None):
    data = {"text": text, "follow_up": follow_up, **date_boxes("written_on", written_on)}
    if due:
        data.update(date_boxes("follow_up_due", due))
    return data


@pytest.fixture
def note(world, subicb_viewer):
    return CommissionerNoteFactory(
        pcn=world["pcn"],
        written_by=subicb_viewer,
        written_on=D(2025, 6, 2),
        text=SECRET,
        follow_up="Offer a meeting with the ICB's primary care lead",
        follow_up_due=D(2025, 6, 30),
    )


class TestWhoSeesThem:
    @pytest.mark.parametrize(
        ("persona", "url"),
        [
            ("subicb_viewer", NOTES),
            ("icb_viewer", "/areas/QZ1/networks/U99001/notes/"),
            ("approver", "/areas/QZ1/networks/U99001/notes/"),
            ("national_admin", "/areas/england/networks/U99001/notes/"),
        ],
    )
    def test_the_area_staff_read_them(self, request, note, persona, url):
        response = request.getfixturevalue(f"{persona}_client").get(url)
        assert response.status_code == 200
        assert SECRET in response.content.decode()

    @pytest.mark.parametrize(
        "persona", ["network_manager", "network_viewer", "other_manager", "outsider"]
    )
    def test_nobody_else_reaches_them(self, request, note, persona):
        client = request.getfixturevalue(f"{persona}_client")
        for url in (NOTES, "/areas/QZ1/networks/U99001/notes/"):
            assert client.get(url).status_code == 404
            assert client.post(url, note_form(text="Written by the network")).status_code == 404
        assert not CommissionerNote.objects.filter(text="Written by the network").exists()

    def test_the_public_is_asked_to_log_in(self, anonymous_client, note):
        response = anonymous_client.get(NOTES)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_only_a_network_of_the_area(self, subicb_viewer_client, world):
        # U99002 is led by Z02: not one of Z01's networks, and Z02 is not the viewer's.
        assert subicb_viewer_client.get("/areas/Z01/networks/U99002/notes/").status_code == 404
        assert subicb_viewer_client.get("/areas/Z02/networks/U99002/notes/").status_code == 404

    def test_the_action_refuses_a_network_manager(self, world, network_manager):
        with pytest.raises(PermissionDenied):
            actions.add_commissioner_note(
                pcn=world["pcn"], by=network_manager, written_on=D(2025, 6, 2), text="Mine"
            )

    def test_never_on_the_networks_own_pages_nor_in_public(
        self, note, network_manager_client, anonymous_client
    ):
        for url in (
            reverse("workspace:network_detail", args=["U99001"]),
            reverse("networks:governance", args=["U99001"]),
            reverse("history:network", args=["U99001"]),
        ):
            page = network_manager_client.get(url)
            assert page.status_code == 200
            assert SECRET not in page.content.decode()
            assert "Offer a meeting" not in page.content.decode()
        for url in (
            reverse("directory:network", args=["U99001"]),
            reverse("api:network", args=["U99001"]),
        ):
            page = anonymous_client.get(url)
            assert page.status_code == 200
            assert SECRET not in page.content.decode()


def test_the_network_overview_links_them_for_area_staff_only(
    icb_viewer_client, network_manager_client, world
):
    overview = reverse("workspace:network_detail", args=["U99001"])
    # Under the lowest area over the network the viewer may open: its Sub-ICB location.
    notes = reverse("areas:network_notes", args=["Z01", "U99001"])
    assert f'href="{notes}"' in icb_viewer_client.get(overview).content.decode()
    assert "/notes/" not in network_manager_client.get(overview).content.decode()


class TestAddingANote:
    def test_area_staff_add_one_with_a_follow_up(self, subicb_viewer_client, world, subicb_viewer):
        response = subicb_viewer_client.post(
            NOTES,
            note_form(follow_up="Ask for the signed agreement", due=D(2025, 6, 30)),
        )
        note = CommissionerNote.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{NOTES}#note-{note.pk}"
        assert (note.pcn, note.written_by, note.written_on) == (
            world["pcn"],
            subicb_viewer,
            D(2025, 6, 2),
        )
        assert (note.follow_up, note.follow_up_due, note.done) == (
            "Ask for the signed agreement",
            D(2025, 6, 30),
            False,
        )
        page = subicb_viewer_client.get(NOTES).content.decode()
        assert "Added the note of 2 June 2025" in page
        assert f'id="note-{note.pk}"' in page and "30 June 2025" in page
        # In the history, written by them.
        event = event_model(CommissionerNote).objects.get(pgh_obj_id=note.pk)
        assert event.pgh_label == "insert"
        assert event.pgh_context.metadata["name"] == "Sue Test"

    def test_sent_twice_it_is_saved_once(self, subicb_viewer_client, world):
        form = subicb_viewer_client.get(NOTES).context["form"]
        data = {**note_form(), "submission": form.initial["submission"]}
        subicb_viewer_client.post(NOTES, data)
        subicb_viewer_client.post(NOTES, data)
        assert CommissionerNote.objects.count() == 1

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (note_form(text=""), "Enter the note"),
            (
                note_form(written_on=today() + datetime.timedelta(days=1)),
                "The date of the note must be today or in the past",
            ),
            (
                note_form(due=D(2025, 6, 30)),
                "Enter the follow-up action that is due, or clear its date",
            ),
            (
                note_form(follow_up="Call", due=D(2025, 6, 1)),
                "The follow-up must be due on or after the date of the note",
            ),
        ],
        ids=["no text", "future", "due without action", "due before the note"],
    )
    def test_what_is_wrong_is_said_nhs_style(self, subicb_viewer_client, world, data, message):
        response = subicb_viewer_client.post(NOTES, data)
        page = response.content.decode()
        assert response.status_code == 200
        assert "nhsuk-error-summary" in page and message in page
        assert "<title>Error: " in page
        assert not CommissionerNote.objects.exists()


class TestFollowUpDone:
    def test_area_staff_mark_it_done_and_the_history_says_who(self, icb_viewer_client, note):
        url = "/areas/QZ1/networks/U99001/notes/"
        response = icb_viewer_client.post(url, {"done": note.pk})
        assert response.status_code == 302
        note.refresh_from_db()
        assert note.done
        page = icb_viewer_client.get(url).content.decode()
        assert "Marked the follow-up done: Offer a meeting" in page
        assert f"marked by Ian Test on {today().day} {today():%B %Y}" in page
        assert 'data-follow-up="done"' in page

    def test_a_note_of_another_network_is_not_found(self, icb_viewer_client, world, note):
        other = CommissionerNoteFactory(pcn=world["other_pcn"], follow_up="Call them")
        url = "/areas/QZ1/networks/U99001/notes/"
        assert icb_viewer_client.post(url, {"done": other.pk}).status_code == 404
        assert icb_viewer_client.post(url, {"done": "x"}).status_code == 404
        other.refresh_from_db()
        assert not other.done

    def test_a_note_without_a_follow_up_has_nothing_to_mark(self, world, subicb_viewer):
        plain = CommissionerNoteFactory(pcn=world["pcn"], written_by=subicb_viewer)
        with pytest.raises(ValidationError):
            actions.mark_follow_up_done(note=plain, by=subicb_viewer)

    def test_a_follow_up_is_done_only_with_its_action(self, world, subicb_viewer):
        note = CommissionerNote(
            pcn=world["pcn"],
            written_by=subicb_viewer,
            written_on=D(2025, 6, 2),
            text="A note",
            done=True,
        )
        with pytest.raises(ValidationError, match="needs the follow-up action itself"):
            note.full_clean()
