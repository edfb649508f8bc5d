"""The year's specifications, a specification's page, one requirement updated at a time,
and evidence: notes, links and files, served only within the network's scope."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from pcn_portal.core.dates import financial_year_of, today
from services.evidence import MAX_SIZE
from services.models import Evidence, RequirementProgress
from tests.html import parse
from tests.services.conftest import PDF, PNG, office_file

D = datetime.date


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def progress_data(status, note="", due=None, completed=None):
    data = {"status": status, "note": note}
    for name, value in (("due_on", due), ("completed_on", completed)):
        data[f"{name}_day"] = value.day if value else ""
        data[f"{name}_month"] = value.month if value else ""
        data[f"{name}_year"] = value.year if value else ""
    return data


class TestYearPage:
    def test_the_current_year_shows_the_four_functions_and_enhanced_access(
        self, network_viewer_client
    ):
        text = page(network_viewer_client, "/networks/U99001/services/")
        year = financial_year_of(today())
        assert f"Service specifications {year}/{(year + 1) % 100:02d}" in text
        for name in [
            "Coordinating shared resources for resilience and care delivery",
            "Collaborating in an Integrated Neighbourhood Team",
            "Improving health outcomes and reducing health inequalities",
            "Targeting resource effectively, including proactive care",
            "Enhanced Access",
        ]:
            assert name in text, name
        assert "Enhanced Health in Care Homes" not in text

    def test_a_past_year_shows_the_specifications_then_in_force(
        self, network_viewer_client, network_manager, world
    ):
        from services import actions
        from services.models import ServiceSpecification

        ehch = ServiceSpecification.objects.get(code="enhanced-health-in-care-homes")
        actions.record_delivery(
            pcn=world["pcn"],
            specification=ehch,
            financial_year=2023,
            by=network_manager,
            status="in_progress",
            lead_name="Dr Nia Lead",
        )
        text = page(network_viewer_client, "/networks/U99001/services/", year=2023)
        assert "Service specifications 2023/24" in text
        assert "Anticipatory Care" in text and "Enhanced Health in Care Homes" in text
        assert "Coordinating shared resources" not in text
        assert "Dr Nia Lead" in text and "In progress" in text
        assert "0 of 7 delivered" in text

    def test_the_list_downloads(self, icb_viewer_client):
        response = icb_viewer_client.get(
            "/networks/U99001/services/", {"year": 2021, "format": "csv"}
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert text.splitlines()[0].startswith(
            "Specification or function,Kind,Delivery status,Named lead"
        )
        assert "Cardiovascular Disease Prevention and Diagnosis" in text
        assert (
            "Cardiovascular disease prevention and diagnosis service – Pulse Intelligence" in text
        )
        assert "DOMAIN" not in text and "S116" not in text
        xlsx = icb_viewer_client.get("/networks/U99001/services/", {"format": "xlsx"})
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        assert b"".join(xlsx.streaming_content)[:2] == b"PK"
        xlsx.close()

    def test_a_year_outside_the_contract_is_not_found(self, network_viewer_client):
        url = "/networks/U99001/services/2015/enhanced-access/"
        assert network_viewer_client.get(url).status_code == 404
        # Enhanced Health in Care Homes was merged after 2023/24.
        url = "/networks/U99001/services/2024/enhanced-health-in-care-homes/"
        assert network_viewer_client.get(url).status_code == 404

    def test_other_networks_and_outsiders_get_not_found(self, other_manager_client, ehch_2023):
        assert other_manager_client.get("/networks/U99001/services/").status_code == 404
        assert other_manager_client.get(ehch_2023).status_code == 404


class TestRequirementUpdates:
    def test_a_manager_updates_a_requirement(self, network_manager_client, ehch_2023, world):
        url = ehch_2023 + "requirements/EHCH-2/"
        done = today() - datetime.timedelta(days=3)
        response = network_manager_client.post(
            url, progress_data("delivered", "Every home has a named GP.", completed=done)
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"{ehch_2023}#requirement-EHCH-2")
        text = page(network_manager_client, ehch_2023)
        assert "EHCH-2 saved: delivered." in text
        assert "Every home has a named GP." in text
        assert "1 of 7 requirements delivered" in text
        assert f"Completed on {done.day} {done:%B %Y}" in text
        shown_today = f"{today().day} {today():%B %Y}"
        assert re.search(r"Last update</dt>\s*<dd[^>]*>" + shown_today, text)
        year_page = page(network_manager_client, "/networks/U99001/services/", year=2023)
        assert shown_today in year_page

    def test_validation_names_the_field_and_saves_nothing(self, network_manager_client, ehch_2023):
        url = ehch_2023 + "requirements/EHCH-3/"
        before = RequirementProgress.objects.count()
        text = network_manager_client.post(url, progress_data("delivered")).content.decode()
        assert "There is a problem" in text
        assert "Enter the date the requirement was delivered" in text
        future = today() + datetime.timedelta(days=10)
        text = network_manager_client.post(
            url, progress_data("delivered", completed=future)
        ).content.decode()
        assert "The completion date cannot be in the future" in text
        text = network_manager_client.post(
            url, progress_data("in_progress", completed=D(2024, 1, 5))
        ).content.decode()
        assert "Choose Delivered, or clear the completion date" in text
        assert RequirementProgress.objects.count() == before

    def test_htmx_saves_in_place(self, network_manager_client, ehch_2023):
        url = ehch_2023 + "requirements/EHCH-4/"
        form = network_manager_client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert "<html" not in form and 'id="requirement-EHCH-4"' in form
        assert "Save EHCH-4" in form
        response = network_manager_client.post(
            url,
            progress_data("in_progress", "Assessments booked.", due=D(2024, 3, 1)),
            headers={"HX-Request": "true"},
        )
        text = response.content.decode()
        assert response.status_code == 200 and "<html" not in text
        assert "EHCH-4 saved: in progress." in text
        assert "Due 1 March 2024" in text and "Assessments booked." in text

    def test_each_label_on_a_requirement_page_is_for_a_field_of_its_own_form(
        self, network_manager_client, ehch_2023
    ):
        """The progress form and the evidence form each have a note: one id for both made
        the evidence form's label focus the progress form's note."""
        root = parse(page(network_manager_client, ehch_2023 + "requirements/EHCH-2/"))
        ids = [e.attrs["id"] for e in root.iter() if e.attrs.get("id")]
        assert sorted({i for i in ids if ids.count(i) > 1}) == []
        forms = [f for f in root.find_all("form") if "/requirements/EHCH-2/" in f.attrs["action"]]
        assert len(forms) == 2
        for form in forms:
            for label in form.find_all("label"):
                assert root.by_id(label.attrs["for"]).ancestor("form") is form

    def test_forms_opened_in_place_have_ids_of_their_own(self, network_manager_client, ehch_2023):
        """On the specification's page several requirements may be open for update at
        once, each form with a note."""
        opened = [
            parse(
                network_manager_client.get(
                    ehch_2023 + f"requirements/{code}/", headers={"HX-Request": "true"}
                ).content.decode()
            )
            for code in ("EHCH-2", "EHCH-3")
        ]
        first, second = ({e.attrs["id"] for e in o.iter() if e.attrs.get("id")} for o in opened)
        assert first & second == set()

    def test_a_requirement_saved_in_place_updates_the_delivery_summary(
        self, network_manager_client, ehch_2023
    ):
        """The summary above the requirements counts the one just delivered, not the
        count from before the save."""
        assert "0 of 7 requirements delivered" in page(network_manager_client, ehch_2023)
        done = today() - datetime.timedelta(days=1)
        response = network_manager_client.post(
            ehch_2023 + "requirements/EHCH-4/",
            progress_data("delivered", "Every home assessed.", completed=done),
            headers={"HX-Request": "true"},
        )
        root = parse(response.content.decode())
        summary = root.by_id("delivery-summary")
        assert summary.attrs["hx-swap-oob"] == "true"
        assert "1 of 7 requirements delivered" in summary.text
        assert f"Last update {today().day} {today():%B %Y}" in summary.text
        assert "EHCH-4 saved: delivered." in root.by_id("requirement-EHCH-4").text

    def test_a_requirement_not_of_the_year_is_not_found(self, network_manager_client):
        # Structured medication reviews' SMR-3 applied from 2021/22.
        url = "/networks/U99001/services/2020/structured-medication-reviews/requirements/"
        assert network_manager_client.get(url + "SMR-3/").status_code == 404
        assert network_manager_client.get(url + "SMR-2/").status_code == 200

    def test_a_commissioner_reads_but_cannot_change(self, subicb_viewer_client, ehch_2023):
        text = page(subicb_viewer_client, ehch_2023)
        assert "Enhanced Health in Care Homes" in text
        assert "/requirements/EHCH-1/" not in text  # no update links
        url = ehch_2023 + "requirements/EHCH-1/"
        assert subicb_viewer_client.post(url, progress_data("delivered")).status_code == 403

    def test_the_delivery_status_and_lead(self, network_manager_client, ehch_2023):
        response = network_manager_client.post(
            ehch_2023 + "delivery/",
            {"status": "at_risk", "lead_name": "Dr Nia Lead", "evidence_notes": "Two homes late."},
        )
        assert response.status_code == 302
        text = page(network_manager_client, ehch_2023)
        assert "Delivery of Enhanced Health in Care Homes in 2023/24 saved: at risk." in text
        assert "Dr Nia Lead" in text and "Two homes late." in text
        assert "At risk" in text

    def test_a_concurrent_change_is_refused(self, network_manager_client, ehch_2023, world):
        url = ehch_2023 + "delivery/"
        network_manager_client.post(url, {"status": "in_progress", "lead_name": "A"})
        form = network_manager_client.get(url).content.decode()
        version = form.split('name="version" value="')[1].split('"')[0]
        network_manager_client.post(
            url, {"status": "delivered", "lead_name": "B", "version": version}
        )
        text = network_manager_client.post(
            url, {"status": "not_delivered", "lead_name": "C", "version": version}
        ).content.decode()
        assert "after you opened it" in text
        delivery = world["pcn"].service_deliveries.get(financial_year=2023)
        assert delivery.lead_name == "B"

    def test_every_change_is_in_the_audit_history_with_the_user(
        self, network_manager_client, network_manager, ehch_2023
    ):
        network_manager_client.post(
            ehch_2023 + "requirements/EHCH-5/", progress_data("in_progress", "MDT set up.")
        )
        event = RequirementProgress.pgh_event_model.objects.filter(note="MDT set up.").get()
        assert event.pgh_context.metadata["username"] == network_manager.username
        assert event.pgh_context.metadata["pcn"] == "U99001"


def upload(client, url, name, content, **data):
    return client.post(url, {"file": SimpleUploadedFile(name, content), **data})


class TestEvidence:
    @pytest.fixture
    def evidence_url(self, ehch_2023):
        return ehch_2023 + "requirements/EHCH-6/evidence/"

    def test_a_file_is_stored_under_a_name_the_portal_chooses(
        self, network_manager_client, evidence_url, ehch_2023
    ):
        response = upload(network_manager_client, evidence_url, "../../Sharing protocol.pdf", PDF)
        assert response.status_code == 302
        evidence = Evidence.objects.get(file_name__endswith="Sharing protocol.pdf")
        assert evidence.file.name.startswith("evidence/U99001/")
        assert evidence.file.name.endswith(".pdf") and ".." not in evidence.file.name
        assert "Sharing" not in evidence.file.name
        assert default_storage.open(evidence.file.name).read() == PDF
        text = page(network_manager_client, ehch_2023)
        assert "Sharing protocol.pdf" in text

    def test_notes_and_links(self, network_manager_client, evidence_url, ehch_2023):
        network_manager_client.post(
            evidence_url, {"note": "Protocol agreed at the MDT.", "link": "example.nhs.uk/doc"}
        )
        text = page(network_manager_client, ehch_2023)
        assert "Protocol agreed at the MDT." in text
        assert "https://example.nhs.uk/doc" in text

    def test_nothing_given_is_refused(self, network_manager_client, evidence_url):
        text = network_manager_client.post(evidence_url, {}).content.decode()
        assert "Give a note, a link or a file as evidence" in text

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("tool.exe", b"MZ\x90\x00", "tool.exe is not a file the portal accepts as evidence"),
            ("notes.txt", b"plain", "notes.txt is not a file the portal accepts"),
            ("letter.pdf", b"<html>not a pdf</html>", "letter.pdf is named as a PDF"),
            ("photo.png", PDF, "photo.png is named as a PNG image"),
            ("plan.docx", b"PK\x03\x04 broken zip", "plan.docx is named as a Word document"),
            (
                "macros.docx",
                office_file("word/document.xml", "word/vbaProject.bin"),
                "macros.docx is named as a Word document",
            ),
            ("empty.pdf", b"", "The selected file is empty"),
        ],
    )
    def test_a_wrong_type_is_refused_with_a_message(
        self, network_manager_client, evidence_url, name, content, message
    ):
        before = Evidence.objects.count(), RequirementProgress.objects.count()
        response = upload(network_manager_client, evidence_url, name, content)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert (Evidence.objects.count(), RequirementProgress.objects.count()) == before

    def test_a_file_too_large_is_refused(self, network_manager_client, evidence_url):
        before = Evidence.objects.count()
        big = PDF + b"0" * (MAX_SIZE - len(PDF) + 1)
        text = upload(network_manager_client, evidence_url, "big.pdf", big).content.decode()
        assert "big.pdf is 10.0 MB; the largest file accepted is 10 MB." in text
        assert Evidence.objects.count() == before

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("minutes.docx", office_file("word/document.xml")),
            ("beds.xlsx", office_file("xl/workbook.xml")),
            ("round.png", PNG),
        ],
    )
    def test_office_documents_and_images_are_accepted(
        self, network_manager_client, evidence_url, name, content
    ):
        assert upload(network_manager_client, evidence_url, name, content).status_code == 302
        assert Evidence.objects.filter(file_name=name).exists()

    def test_a_file_is_served_only_within_the_networks_scope(
        self, network_viewer_client, subicb_viewer_client, other_manager_client, client, world
    ):
        url = "/networks/U99001/services/evidence/990001/"
        response = network_viewer_client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == (
            b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        )
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert subicb_viewer_client.get(url).status_code == 200
        # Network B's manager: neither through A's address nor through B's own.
        assert other_manager_client.get(url).status_code == 404
        assert (
            other_manager_client.get("/networks/U99002/services/evidence/990001/").status_code
            == 404
        )
        # The public: the login page, never the file.
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_files_are_never_public_static(self, client, settings, world):
        assert not getattr(settings, "MEDIA_URL", "").strip("/")
        evidence = Evidence.objects.get(pk=990001)
        assert client.get("/" + evidence.file.name).status_code in (302, 404)
        assert client.get("/media/" + evidence.file.name).status_code in (302, 404)

    def test_removing_evidence_asks_first(
        self, network_manager_client, django_capture_on_commit_callbacks
    ):
        url = "/networks/U99001/services/evidence/990001/remove/"
        name = Evidence.objects.get(pk=990001).file.name
        assert "Remove this evidence?" in page(network_manager_client, url)
        assert network_manager_client.post(url).status_code == 200
        assert Evidence.objects.filter(pk=990001).exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = network_manager_client.post(url, {"confirm": "yes"})
        assert response.status_code == 302
        assert not Evidence.objects.filter(pk=990001).exists()
        assert not default_storage.exists(name)


def test_a_file_is_not_kept_when_its_record_cannot_be_saved(network_manager, world):
    from django.core.exceptions import ValidationError

    from services import actions
    from services.evidence import check_upload

    progress = RequirementProgress.objects.get(delivery__pcn=world["pcn"])
    upload = check_upload(SimpleUploadedFile("plan.pdf", PDF))
    with pytest.raises(ValidationError):
        actions.add_evidence(
            progress=progress, by=network_manager, link="https://x.nhs.uk/" + "a" * 600,
            upload=upload,
        )  # fmt: skip
    assert default_storage.listdir("evidence/U99001")[1] == ["0" * 32 + ".pdf"]


def test_the_page_cites_every_requirement_in_a_fixed_number_of_queries(
    network_viewer_client, ehch_2023
):
    """Each requirement shows the public documents it comes from; reading them costs the
    page no query per requirement (it did: 17 queries for the care homes specification)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from services.models import Requirement, ServiceSpecification
    from tests.factories import SourceFactory

    spec = ServiceSpecification.objects.get(code="enhanced-health-in-care-homes")

    def count():
        with CaptureQueriesContext(connection) as queries:
            text = page(network_viewer_client, ehch_2023)
        return len(queries), text

    network_viewer_client.get(ehch_2023)
    before, _ = count()
    extra = SourceFactory(title="A further guidance note", issuer="NHS England")
    for requirement in spec.requirements.all():
        requirement.sources.add(extra)
    assert Requirement.objects.filter(specification=spec).count() > 3
    after, text = count()
    assert text.count("A further guidance note") >= 3
    assert after == before <= 12
