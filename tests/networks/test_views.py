"""Clinical directors, the network team, Network Agreements, payee, footprint, partners,
and the network history that records every change to them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.actions import add_clinical_director
from networks.models import ClinicalDirector, NetworkAgreement
from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from tests.pages import date_fields, hidden_fields, open_form, opened, page_text

D = datetime.date
BASE = "/networks/U99001"


def director_data(**changes):
    data = {
        "full_name": "Dr Ada Lead",
        "profession": "gp",
        "practice": "",
        **date_fields("start_date", D(2024, 4, 1)),
        "share": "1",
    }
    return {**data, **changes}


class TestClinicalDirectors:
    def test_add_a_sole_then_a_co_director(self, network_manager_client, world):
        response = network_manager_client.post(
            f"{BASE}/clinical-directors/add/", director_data(share="0.5"), follow=True
        )
        assert "Added Dr Ada Lead as clinical director from 1 April 2024" in page_text(response)
        practice = world["practices"][1]
        co = director_data(
            full_name="Sam Pharm",
            profession="other",
            share="0.5",
            profession_detail="Clinical pharmacist",
            practice=str(practice.pk),
        )
        page = page_text(
            network_manager_client.post(f"{BASE}/clinical-directors/add/", co, follow=True)
        )
        assert "Added Sam Pharm" in page and "Other clinician (Clinical pharmacist)" in page
        assert "Test Surgery Z99002" in page
        assert "no clinical director today" not in page

    @pytest.mark.parametrize(
        "changes, message",
        [
            ({"full_name": ""}, "Enter the clinical director's full name"),
            ({"profession": ""}, "Select the clinical director's profession"),
            ({"start_date_day": ""}, "Date must include a day"),
            ({"share": "1.5"}, "at most 1"),
            ({"end_date_day": "1", "end_date_month": "1", "end_date_year": "2020"}, "on or after"),
        ],
    )
    def test_errors(self, network_manager_client, changes, message):
        page = page_text(
            network_manager_client.post(f"{BASE}/clinical-directors/add/", director_data(**changes))
        )
        assert message in page and "There is a problem" in page
        assert not ClinicalDirector.objects.exists()

    def test_shares_above_one_are_refused(self, network_manager_client, network_manager, world):
        add_clinical_director(
            pcn=world["pcn"],
            by=network_manager,
            full_name="Dr One",
            profession="gp",
            start_date=D(2020, 1, 1),
            share=0.75,
        )
        page = page_text(
            network_manager_client.post(
                f"{BASE}/clinical-directors/add/", director_data(share="0.5")
            )
        )
        assert "would share 1.25 of the role" in page

    def test_edit_and_end(self, network_manager_client, network_manager, world):
        director = add_clinical_director(
            pcn=world["pcn"],
            by=network_manager,
            full_name="Dr One",
            profession="gp",
            start_date=D(2020, 1, 1),
        )
        url = f"{BASE}/clinical-directors/{director.pk}/"
        version = network_manager_client.get(url).content.decode()
        version = version.split('name="version" value="')[1].split('"')[0]
        data = director_data(
            full_name="Dr One Renamed", version=version, **date_fields("start_date", D(2020, 1, 1))
        )
        page = page_text(network_manager_client.post(url, data, follow=True))
        assert "Saved clinical director Dr One Renamed" in page
        stale = page_text(network_manager_client.post(url, {**data, "full_name": "Dr Two"}))
        assert "after you opened it" in stale
        assert "“Dr One Renamed”" in stale and "“Dr Two”" in stale
        assert ClinicalDirector.objects.get(pk=director.pk).full_name == "Dr One Renamed"
        end = page_text(
            network_manager_client.post(
                f"{url}end/", date_fields("end_date", D(2025, 3, 31)), follow=True
            )
        )
        assert "Dr One Renamed is clinical director up to and including 31 March 2025" in end
        assert "The network has no clinical director today." in end

    def test_403_and_404(self, network_viewer_client, subicb_viewer_client, outsider_client):
        for client, status in [
            (network_viewer_client, 403),
            (subicb_viewer_client, 403),
            (outsider_client, 404),
        ]:
            assert client.post(f"{BASE}/clinical-directors/add/", director_data()).status_code == (
                status
            )
        assert not ClinicalDirector.objects.exists()


class TestTeam:
    def test_add_and_list_and_download(self, network_manager_client):
        data = {
            "full_name": "Nia Manager",
            "role": "network_manager",
            **date_fields("start_date", D(2023, 9, 1)),
        }
        page = page_text(network_manager_client.post(f"{BASE}/team/add/", data, follow=True))
        assert "Added Nia Manager (Network manager) from 1 September 2023" in page
        csv = network_manager_client.get(f"{BASE}/team/", {"format": "csv"})
        assert "Nia Manager,Network manager" in b"".join(csv.streaming_content).decode("utf-8-sig")

    def test_a_form_sent_twice_adds_once_and_says_so(self, network_manager_client, world):
        data = {
            **opened(network_manager_client, f"{BASE}/team/add/"),
            "full_name": "Nia Manager",
            "role": "network_manager",
            **date_fields("start_date", D(2023, 9, 1)),
        }
        network_manager_client.post(f"{BASE}/team/add/", data)
        page = page_text(network_manager_client.post(f"{BASE}/team/add/", data, follow=True))
        assert (
            "Added Nia Manager (Network manager) from 1 September 2023. This was already saved: "
            "the form was sent more than once, and is saved once." in page
        )
        assert world["pcn"].team.count() == 1

    def test_a_form_saved_then_changed_and_sent_again_asks_before_adding(
        self, network_manager_client, world
    ):
        """Back after saving, another name typed over the first, sent again: nothing is
        added unasked; saving the form as it comes back adds the second."""
        data = {
            **opened(network_manager_client, f"{BASE}/team/add/"),
            "full_name": "Nia Manager",
            "role": "network_manager",
            **date_fields("start_date", D(2023, 9, 1)),
        }
        network_manager_client.post(f"{BASE}/team/add/", data)
        changed = {**data, "full_name": "Omar Deputy"}
        response = network_manager_client.post(f"{BASE}/team/add/", changed)
        assert "This form was already saved once, with other details." in page_text(response)
        assert list(world["pcn"].team.values_list("full_name", flat=True)) == ["Nia Manager"]
        again = {**changed, **hidden_fields(response)}
        network_manager_client.post(f"{BASE}/team/add/", again)
        assert sorted(world["pcn"].team.values_list("full_name", flat=True)) == [
            "Nia Manager",
            "Omar Deputy",
        ]

    def test_errors(self, network_manager_client):
        page = page_text(network_manager_client.post(f"{BASE}/team/add/", {"email": "nope"}))
        for message in [
            "Enter the team member's full name",
            "Select the team member's role",
            "Enter the first day in the role",
            "Enter an email address",
        ]:
            assert message in page


class TestTwoManagersAtOnce:
    """Each edit and end form of a network's people and partners, opened by two of its
    managers, each in their own session, and saved in turn: the second is told who saved
    first, with their value beside theirs, and the first's value is kept."""

    @pytest.fixture
    def records(self, world, network_manager):
        from networks import actions

        pcn, by = world["pcn"], network_manager
        return {
            "clinical-directors": add_clinical_director(
                pcn=pcn, by=by, full_name="Dr One", profession="gp", start_date=D(2020, 1, 1)
            ),
            "team": actions.add_team_member(
                pcn=pcn, by=by, full_name="Nia Manager", role="network_manager",
                start_date=D(2020, 1, 1),
            ),
            "partners": actions.add_collaboration(
                pcn=pcn, by=by, partner_name="Riverside Council", partner_kind="social_care",
                start_date=D(2020, 1, 1),
            ),
        }  # fmt: skip

    @pytest.mark.parametrize("kind", ["clinical-directors", "team"])
    def test_ending_twice_the_second_is_told_the_first_last_day(
        self, kind, records, network_manager_client, co_manager_client
    ):
        record = records[kind]
        end = f"{BASE}/{kind}/{record.pk}/end/"
        his, hers = open_form(network_manager_client, end), open_form(co_manager_client, end)
        first = co_manager_client.post(end, {**hers, **date_fields("end_date", D(2025, 3, 31))})
        assert first.status_code == 302
        refused = network_manager_client.post(
            end, {**his, **date_fields("end_date", D(2025, 6, 30))}
        )
        assert refused.status_code == 200
        assert "Bea Test saved “31 March 2025” here; yours is “30 June 2025”." in page_text(refused)
        record.refresh_from_db()
        assert record.end_date == D(2025, 3, 31)

    @pytest.mark.parametrize(
        ("kind", "field", "hers", "his"),
        [
            ("clinical-directors", "full_name", "Dr One Jones", "Dr One Smith"),
            ("team", "full_name", "Nia Jones", "Nia Smith"),
            ("partners", "description", "Social prescribing", "Falls clinic"),
        ],
    )
    def test_editing_twice_the_second_is_told(
        self, kind, field, hers, his, records, network_manager_client, co_manager_client
    ):
        record = records[kind]
        edit = f"{BASE}/{kind}/{record.pk}/"
        his_form, her_form = (
            open_form(network_manager_client, edit),
            open_form(co_manager_client, edit),
        )
        assert co_manager_client.post(edit, {**her_form, field: hers}).status_code == 302
        refused = network_manager_client.post(edit, {**his_form, field: his})
        assert refused.status_code == 200
        assert f"Bea Test saved “{hers}” here; yours is “{his}”." in page_text(refused)
        record.refresh_from_db()
        assert getattr(record, field) == hers

    def test_footprint_notes_twice_the_second_is_told(
        self, world, network_manager_client, co_manager_client
    ):
        edit = f"{BASE}/governance/footprint/"
        his_form, her_form = (
            open_form(network_manager_client, edit),
            open_form(co_manager_client, edit),
        )
        first = {**her_form, "footprint_notes": "Approved by the ICB."}
        assert co_manager_client.post(edit, first).status_code == 302
        refused = network_manager_client.post(edit, {**his_form, "footprint_notes": "Too small."})
        text = page_text(refused)
        assert "Bea Test saved “Approved by the ICB.” here; yours is “Too small.”." in text
        world["pcn"].refresh_from_db()
        assert world["pcn"].footprint_notes == "Approved by the ICB."


class TestAgreement:
    def year(self):
        return financial_year_of(today())

    def test_record_this_years_agreement_with_two_schedules(self, network_manager_client):
        year = self.year()
        data = {
            **date_fields("signed_on", D(year, 6, 30)),
            "data_sharing_agreement_in_place": "on",
            "schedule_1": "signed",
            "schedule_4": "agreed",
            "notes": "All six signed.",
        }
        url = f"{BASE}/governance/agreement/{year}/"
        data.update(opened(network_manager_client, url))
        page = page_text(network_manager_client.post(url, data, follow=True))
        label = financial_year_label(year)
        assert f"Saved the Network Agreement for {label}: signed on 30 June {year}" in page
        assert "2 schedules recorded" in page and "1: Signed; 4: Agreed" in page
        agreement = NetworkAgreement.objects.get()
        assert agreement.data_sharing_agreement_in_place
        history = page_text(network_manager_client.get(f"{BASE}/history/"))
        assert f"Network Agreement {label} schedule 4: Financial arrangements" in history
        overview = page_text(network_manager_client.get(f"{BASE}/"))
        assert f"Signed on 30 June {year}" in overview

    def test_a_future_signing_date_is_refused(self, network_manager_client):
        year = self.year()
        url = f"{BASE}/governance/agreement/{year}/"
        data = date_fields("signed_on", today() + datetime.timedelta(days=2))
        page = page_text(network_manager_client.post(url, data))
        assert "sent without the version" in page  # not from the page: nothing saved
        data.update(opened(network_manager_client, url))
        page = page_text(network_manager_client.post(url, data))
        assert "today or in the past" in page and not NetworkAgreement.objects.exists()

    def test_a_schedule_changed_meanwhile_is_refused(
        self, network_manager_client, network_manager, world
    ):
        from networks.actions import record_network_agreement

        year = self.year()
        url = f"{BASE}/governance/agreement/{year}/"
        record_network_agreement(pcn=world["pcn"], by=network_manager, financial_year=year)
        form = network_manager_client.get(url).content.decode()
        opened = {
            n: re.search(rf'name="{n}"(?: value="([^"]*)")?', form).group(1) or ""
            for n in ["version", "opened_schedules"]
        }
        record_network_agreement(
            pcn=world["pcn"], by=network_manager, financial_year=year, schedules={3: "signed"}
        )
        page = page_text(network_manager_client.post(url, {**opened, "schedule_3": "agreed"}))
        assert "“Signed” here after you opened the page; yours is “Agreed”" in page

    def test_signed_with_a_schedule_in_progress_is_refused(self, network_manager_client, world):
        """A 2026/27 agreement dated as signed while a schedule is in progress was accepted
        and the overview's "not signed" warning went away; it is refused, naming the
        schedule, and nothing is saved."""
        year = self.year()
        url = f"{BASE}/governance/agreement/{year}/"
        data = {
            **date_fields("signed_on", today()),
            "schedule_1": "signed",
            "schedule_3": "in_progress",
            "schedule_6": "not_started",
            **opened(network_manager_client, url),
        }
        page = page_text(network_manager_client.post(url, data))
        assert (
            "Schedule 3: Activities is in progress; Schedule 6 is not started. An agreement is "
            "signed once every schedule in it is agreed or signed" in page
        )
        assert not NetworkAgreement.objects.exists()
        overview = page_text(network_manager_client.get(f"{BASE}/"))
        assert "Signed on" not in overview
        data.update({"schedule_3": "agreed", "schedule_6": "signed"})
        data.update(opened(network_manager_client, url))
        saved = page_text(network_manager_client.post(url, data, follow=True))
        assert f"signed on {today().day} {today():%B %Y}" in saved

    def test_schedule_6_is_named_once(self, network_manager_client):
        """No public source gives schedule 6's title: it reads "Schedule 6", not
        "Schedule 6: Schedule 6"."""
        page = page_text(network_manager_client.get(f"{BASE}/governance/agreement/{self.year()}/"))
        assert "Schedule 6" in page and "Schedule 6: Schedule 6" not in page
        assert "Schedule 3: Activities" in page

    def test_a_long_note_is_folded_on_the_page_and_whole_in_the_download(
        self, network_viewer_client, world
    ):
        """A 5,000-character note (the most the form takes) shown whole made the governance
        page thousands of pixels tall: its first words show, the rest under "Read all"."""
        note = "Signed at the board meeting after a long discussion. " * 95
        NetworkAgreement.objects.create(pcn=world["pcn"], financial_year=2024, notes=note)
        response = network_viewer_client.get(f"{BASE}/governance/")
        html = response.content.decode()
        cell = re.search(r"Signed at the board.*?</details>", html, re.S).group(0)
        assert "Read all 5,035 characters" in cell
        assert cell.index("…<details") < 170  # the first words, then the fold
        download = network_viewer_client.get(f"{BASE}/governance/?format=csv")
        assert note.strip() in b"".join(download.streaming_content).decode()

    @pytest.mark.parametrize("tampered", ["abc", "1:signed,x", "1:nonsense", ":", "1:signed:2"])
    def test_a_tampered_record_of_the_schedules_is_refused(
        self, network_manager_client, network_manager, world, tampered
    ):
        from networks.actions import record_network_agreement

        year = self.year()
        url = f"{BASE}/governance/agreement/{year}/"
        record_network_agreement(
            pcn=world["pcn"], by=network_manager, financial_year=year, schedules={1: "signed"}
        )
        data = {**opened(network_manager_client, url), "opened_schedules": tampered}
        response = network_manager_client.post(url, {**data, "schedule_2": "agreed"})
        assert response.status_code == 200
        assert "changed on the way. Nothing has been saved" in page_text(response)
        assert not NetworkAgreement.objects.get().schedules.filter(number=2).exists()


def test_payee_and_footprint(network_manager_client, world):
    practice = world["practices"][0]
    payee = f"{BASE}/governance/payee/"
    form = opened(network_manager_client, payee)
    page = page_text(
        network_manager_client.post(payee, {"nominated_payee": practice.pk, **form}, follow=True)
    )
    assert "Nominated payee: Test Surgery Z99001" in page
    outsider_practice = world["practices"][2]
    refused = page_text(
        network_manager_client.post(
            payee,
            {"nominated_payee": outsider_practice.pk, **opened(network_manager_client, payee)},
        )
    )
    assert "Select nominated payee from the list" in refused
    notes = "Below 30,000: approved by the Sub-ICB on 1 May 2024."
    page = page_text(
        network_manager_client.post(
            f"{BASE}/governance/footprint/",
            {
                "footprint_notes": notes,
                **opened(network_manager_client, f"{BASE}/governance/footprint/"),
            },
            follow=True,
        )
    )
    assert "Saved the footprint notes" in page and notes in page


def test_partners(network_manager_client):
    data = {
        "partner_name": "Riverside Community Trust",
        "partner_kind": "community",
        "description": "Frailty MDT",
        **date_fields("start_date", D(2024, 4, 1)),
    }
    page = page_text(network_manager_client.post(f"{BASE}/partners/add/", data, follow=True))
    assert "Added the collaboration with Riverside Community Trust from 1 April 2024" in page
    missing = page_text(network_manager_client.post(f"{BASE}/partners/add/", {"partner_name": "X"}))
    assert "Select the new partner's kind" in missing
    assert "Enter the first day of the collaboration" in missing
    none = page_text(network_manager_client.post(f"{BASE}/partners/add/", {}))
    assert "Select a partner organisation, or name a new one below" in none


def test_a_collaborations_partner_is_corrected_on_its_change_page(
    network_manager_client, network_manager, world
):
    from networks.actions import add_collaboration, add_partner_organisation

    collaboration = add_collaboration(
        pcn=world["pcn"],
        by=network_manager,
        partner_name="Wrong Community Trust",
        partner_kind="community",
        start_date=D(2024, 4, 1),
    )
    right = add_partner_organisation(by=network_manager, name="Right Trust", kind="community")
    url = f"{BASE}/partners/{collaboration.pk}/"
    data = {
        **opened(network_manager_client, url),
        "partner": right.pk,
        "description": "Frailty MDT",
        **date_fields("start_date", D(2024, 4, 1)),
    }
    page = page_text(network_manager_client.post(url, data, follow=True))
    assert "Saved the collaboration with Right Trust" in page
    collaboration.refresh_from_db()
    assert (collaboration.partner, collaboration.description) == (right, "Frailty MDT")


def test_history_filters(network_manager_client, network_manager, world, superuser):
    add_clinical_director(
        pcn=world["pcn"],
        by=network_manager,
        full_name="Dr Filter",
        profession="gp",
        start_date=D(2020, 1, 1),
    )
    from networks.actions import update_pcn

    update_pcn(pcn=world["pcn"], by=superuser, changes={"footprint_notes": "Approved."})
    page = page_text(network_manager_client.get(f"{BASE}/history/"))
    assert "Clinical director Dr Filter" in page and "Footprint notes: blank → Approved." in page
    # "Changed by" lists people by name; the choice is the person, not their login.
    form = network_manager_client.get(f"{BASE}/history/").content.decode()
    assert f'<option value="{network_manager.pk}">Mo Test</option>' in form
    assert "mo.manager" not in form
    only = page_text(network_manager_client.get(f"{BASE}/history/", {"who": network_manager.pk}))
    assert "Dr Filter" in only and "Approved." not in only
    kind = page_text(network_manager_client.get(f"{BASE}/history/", {"kind": "network"}))
    assert "Dr Filter" not in kind and "Approved." in kind
    later = page_text(
        network_manager_client.get(
            f"{BASE}/history/", date_fields("since", today() + datetime.timedelta(days=1))
        )
    )
    assert "No change matches these filters" in later
    csv = network_manager_client.get(f"{BASE}/history/", {"format": "csv"})
    assert "Footprint notes: blank → Approved." in b"".join(csv.streaming_content).decode(
        "utf-8-sig"
    )


def grow(world, by, n):
    from networks.actions import add_collaboration, add_team_member, record_network_agreement
    from practices.actions import add_membership
    from practices.models import Practice
    from tests.factories import ListSizeFactory, PracticeFactory

    pcn = world["pcn"]
    for i in range(n):
        add_clinical_director(
            pcn=pcn,
            by=by,
            full_name=f"Dr {i}",
            profession="gp",
            start_date=D(2010 + i % 9, 1, 1),
            end_date=D(2010 + i % 9, 1, 2),
        )
        add_team_member(pcn=pcn, by=by, full_name=f"T {i}", role="other", start_date=D(2020, 1, 1))
        add_collaboration(
            pcn=pcn, by=by, partner_name=f"P {i}", partner_kind="other", start_date=D(2020, 1, 1)
        )
        practice = PracticeFactory(
            code=f"X{len(Practice.objects.all()):05d}", name="GROWN", bare=True
        )
        add_membership(practice=practice, pcn=pcn, by=by, start_date=D(2020, 1, 1))
        ListSizeFactory(
            practice=practice, extract_date=D(2024, 1, 1), registered_patients=9, bare=True
        )
        record_network_agreement(pcn=pcn, by=by, financial_year=2000 + i, schedules={1: "signed"})


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "practices/",
        "practices/history/",
        "practices/Z99001/",
        "clinical-directors/",
        "team/",
        "governance/",
        "partners/",
        "history/",
        "clinical-directors/add/",
        "governance/agreement/2025/",
        "governance/payee/",
    ],
)
def test_queries_do_not_grow_with_the_data(path, network_manager_client, network_manager, world):
    url = f"{BASE}/{path}".replace("//", "/")

    def count():
        network_manager_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert network_manager_client.get(url).status_code == 200
        return len(queries)

    grow(world, network_manager, 2)
    small = count()
    grow(world, network_manager, 20)
    assert count() == small
    if path == "history/":
        # Whatever kinds of record its page holds (tests/history/test_views.py).
        assert small <= 12


def test_history_with_a_bad_filter_says_what_is_wrong(network_manager_client):
    response = network_manager_client.get(
        f"{BASE}/history/", {"since_day": "40", "since_month": "1", "since_year": "2024"}
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "Enter a real date" in page and "No change matches these filters" in page


def test_history_has_the_networks_arrs_and_service_records(
    network_manager_client, network_manager, world, reference_data
):
    from decimal import Decimal

    from services import actions as service_actions
    from workforce import actions as workforce_actions
    from workforce.models import ARRSRole

    post = workforce_actions.add_post(
        pcn=world["pcn"],
        by=network_manager,
        full_name="Priya History",
        role=ARRSRole.objects.get(code="clinical-pharmacist"),
        employer_type="lead_provider",
        start_date=D(2025, 4, 1),
        weekly_hours=Decimal("37.5"),
        afc_band="7",
        annual_salary=Decimal(48000),
    )
    workforce_actions.end_post(post=post, by=network_manager, end_date=D(2025, 9, 30))
    service_actions.align_care_home(
        pcn=world["pcn"],
        by=network_manager,
        cqc_location_id="1-424242",
        name="WILLOW HISTORY COURT",
        start_date=D(2025, 4, 1),
        beds=40,
    )
    page = page_text(network_manager_client.get(f"{BASE}/history/"))
    assert "Post of Priya History" in page
    assert "30 September 2025" in page  # the post's last day, old → new
    assert "Alignment of Willow History Court" in page
    assert "Beds at Willow History Court in April 2025" in page
    posts_only = page_text(network_manager_client.get(f"{BASE}/history/", {"kind": "posts"}))
    assert "Post of Priya History" in posts_only and "Willow" not in posts_only


# --- partner organisations: whose each is, and who changes it -----------------------------


def test_the_partners_list_says_whose_each_organisation_is(network_viewer_client, partners):
    page = page_text(network_viewer_client.get(f"{BASE}/partners/"))
    assert "Added by" in page and "Other networks work with it" in page
    assert "Riverside Community Trust Community services Riverside PCN No" in page
    assert "Valley Mental Health Trust Mental health Riverside PCN Yes" in page
    assert "Shire Council Adult Social Care Social care National record No" in page
    csv = network_viewer_client.get(f"{BASE}/partners/", {"format": "csv"})
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Partner organisation,Kind,Added by,Other networks work with it,")


def test_a_partner_named_in_capitals_reads_in_title_case(network_viewer_client, partners):
    partners["national"].name = "SHIRE COUNCIL ADULT SOCIAL CARE"
    partners["national"].save()
    page = page_text(network_viewer_client.get(f"{BASE}/partners/"))
    assert "Shire Council Adult Social Care" in page and "SHIRE" not in page


def test_every_networks_choice_of_partners_says_whose_each_is(other_manager_client, partners):
    page = other_manager_client.get("/networks/U99002/partners/add/").content.decode()
    assert "Riverside Community Trust (Community services, added by Riverside PCN)" in page
    assert "Shire Council Adult Social Care (Social care, national)" in page


def test_a_network_changes_a_partner_it_added_while_it_alone_works_with_it(
    network_manager_client, other_manager_client, partners
):
    url = f"{BASE}/partners/organisations/{partners['own'].pk}/"
    data = {**opened(network_manager_client, url), "name": "Riverside Community NHS Trust",
            "kind": "community", "ods_code": "RX1"}  # fmt: skip
    page = page_text(network_manager_client.post(url, data, follow=True))
    assert "Saved Riverside Community NHS Trust" in page
    partners["own"].refresh_from_db()
    assert (partners["own"].name, partners["own"].ods_code) == (
        "Riverside Community NHS Trust",
        "RX1",
    )
    # A partner Hilltop neither added nor works with does not exist for its managers.
    hilltop = f"/networks/U99002/partners/organisations/{partners['own'].pk}/"
    assert other_manager_client.get(hilltop).status_code == 404


@pytest.mark.parametrize(
    ("partner", "message"),
    [
        (
            "shared",
            "Valley Mental Health Trust works with other networks too, so only a national "
            "administrator can change its details. Each network changes its own "
            "collaboration with it.",
        ),
        (
            "national",
            "Shire Council Adult Social Care is a national record: only a national "
            "administrator can change it.",
        ),
    ],
)
def test_only_a_national_admin_changes_a_shared_or_national_partner(
    network_manager_client, national_admin_client, partners, partner, message
):
    partner = partners[partner]
    url = f"{BASE}/partners/organisations/{partner.pk}/"
    response = network_manager_client.post(url, {"name": "Renamed", "kind": "other"})
    assert response.status_code == 403
    assert message in page_text(response)
    partner.refresh_from_db()
    assert partner.name != "Renamed"
    # The collaboration stays the network's own to change, and its page says why not the
    # partner's details.
    collaboration = partner.collaborations.get(pcn__code="U99001")
    edit = page_text(network_manager_client.get(f"{BASE}/partners/{collaboration.pk}/"))
    assert message in edit
    data = {**opened(national_admin_client, url), "name": "Renamed", "kind": "other"}
    assert national_admin_client.post(url, data).status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Renamed"


def test_a_partner_a_network_adds_is_its_own(network_manager_client, world):
    data = {
        "partner_name": "Riverside Hospice",
        "partner_kind": "voluntary",
        **date_fields("start_date", D(2024, 4, 1)),
    }
    network_manager_client.post(f"{BASE}/partners/add/", data)
    collaboration = world["pcn"].collaborations.get(partner__name="Riverside Hospice")
    assert collaboration.partner.added_by_pcn == world["pcn"]
    edit = page_text(network_manager_client.get(f"{BASE}/partners/{collaboration.pk}/"))
    assert "Change the details of Riverside Hospice" in edit


class TestShareFromADay:
    """A co-clinical director's share changes from a day; earlier days keep theirs."""

    def test_a_new_share_starts_a_new_period(self, network_manager_client, network_manager, world):
        director = add_clinical_director(
            pcn=world["pcn"],
            by=network_manager,
            full_name="Dr Ada Lead",
            profession="gp",
            start_date=D(2022, 4, 1),
            share=1,
        )
        url = f"{BASE}/clinical-directors/{director.pk}/"
        data = {**open_form(network_manager_client, url), "share": "0.5"}
        data.update(date_fields("share_from", D(2026, 4, 1)))
        page = page_text(network_manager_client.post(url, data, follow=True))
        assert "Saved clinical director Dr Ada Lead (0.5 of the role)" in page
        periods = list(
            ClinicalDirector.objects.filter(full_name="Dr Ada Lead")
            .order_by("start_date")
            .values_list("start_date", "end_date", "share")
        )
        assert periods == [
            (D(2022, 4, 1), D(2026, 3, 31), 1),
            (D(2026, 4, 1), None, 0.5),
        ]

    def test_without_a_day_the_share_is_corrected_from_the_start(
        self, network_manager_client, network_manager, world
    ):
        director = add_clinical_director(
            pcn=world["pcn"],
            by=network_manager,
            full_name="Dr Ada Lead",
            profession="gp",
            start_date=D(2022, 4, 1),
            share=1,
        )
        url = f"{BASE}/clinical-directors/{director.pk}/"
        data = {**open_form(network_manager_client, url), "share": "0.5"}
        network_manager_client.post(url, data)
        director.refresh_from_db()
        assert (director.start_date, director.share) == (D(2022, 4, 1), 0.5)
        assert ClinicalDirector.objects.count() == 1
