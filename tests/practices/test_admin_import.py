"""Importing ODS files in admin: upload, see what would change, confirm."""

import datetime
import html
import io
import zipfile

import pghistory.models
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from networks.models import PrimaryCareNetwork
from practices.models import Membership, ODSUpload
from tests.conftest import make_user
from tests.practices.hostile import epcn_csv_pair, partner_line, pcn_line
from tests.practices.test_import_ods import partner_row, pcn_row, workbook

URL = "/admin/networks/primarycarenetwork/import-ods/"
CHANGELIST = "/admin/networks/primarycarenetwork/"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.ODS_UPLOAD_DIR = tmp_path / "uploads"
    return settings.ODS_UPLOAD_DIR


def epcn_upload(tmp_path, name="ePCN.xlsx", **rows):
    path = workbook(tmp_path / name, **rows)
    return SimpleUploadedFile(name, path.read_bytes())


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def upload_files(client, *files):
    """Upload files and follow to the upload's status page (the check has run: tasks run
    at once in tests)."""
    return client.post(URL, {"files": list(files)}, follow=True)


def status_page(response):
    return response.redirect_chain[-1][0]


@pytest.mark.django_db
def test_upload_shows_what_would_change_then_confirm_imports(login, superuser, tmp_path):
    client = login(superuser)
    assert "Import ODS files" in client.get(CHANGELIST).text

    response = upload_files(client, epcn_upload(tmp_path))
    assert response.status_code == 200
    here = status_page(response)
    assert here.startswith(URL)
    preview = response.text
    assert "Nothing has been changed yet. Importing <strong>ePCN.xlsx</strong>" in preview
    assert '<th scope="row">Networks' in preview
    assert "created U99001 TEST PCN" in preview
    assert not PrimaryCareNetwork.objects.exists()

    response = client.post(here, {"confirm": "1"}, follow=True)
    assert status_page(response) == here
    assert "Imported ePCN.xlsx: 4 records changed." in response.text
    assert "Confirmed by Nadia National at " in response.text
    assert Membership.objects.get(practice__code="Z00001").pcn.code == "U99001"
    event = pghistory.models.Events.objects.filter(
        pgh_obj_model="networks.PrimaryCareNetwork"
    ).get()
    assert event.pgh_context["user"] == superuser.pk
    assert event.pgh_context["process"] == "admin upload ePCN.xlsx"

    # The same confirmation again (a second click, another tab) imports nothing and says
    # who imported the files, and when.
    response = client.post(here, {"confirm": "1"}, follow=True)
    (message,) = messages_of(response)
    assert message.startswith("ePCN.xlsx were already imported, by Nadia National at ")
    assert PrimaryCareNetwork.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_file_is_named_with_its_place_and_nothing_is_kept(
    login, superuser, tmp_path, upload_dir
):
    bad = epcn_upload(tmp_path, pcns=[pcn_row(), pcn_row(code="U123")])
    response = upload_files(login(superuser), bad)
    assert response.status_code == 200
    assert (
        'Nothing imported. ePCN.xlsx, sheet PCN Details, row 3, column "PCN Code": "U123" is '
        "not a valid PCN code" in html.unescape(response.text)
    )
    assert 'class="errornote"' in response.text
    assert not PrimaryCareNetwork.objects.exists()
    assert list(upload_dir.iterdir()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.txt", b"hello"), "notes.txt is not a .xlsx, .csv or .zip file."),
        (SimpleUploadedFile("empty.csv", b""), "The selected file is empty"),
        (
            SimpleUploadedFile("ePCN.zip", b"PK\x05\x06" + b"\0" * 18),
            "ePCN.zip: the zip archive holds no CSV file or workbook",
        ),
    ],
)
def test_files_the_import_cannot_take_are_refused(login, superuser, upload, message):
    response = login(superuser).post(URL, {"files": [upload]})
    assert message in response.text
    assert not ODSUpload.objects.exists()


@pytest.mark.django_db
def test_no_file_chosen(login, superuser):
    response = login(superuser).post(URL, {})
    assert "Select ODS and NHS England files" in response.text


@pytest.mark.django_db
def test_zip_archives_are_opened(login, superuser, tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("ePCN.xlsx", workbook(tmp_path / "ePCN.xlsx").read_bytes())
    client = login(superuser)
    response = upload_files(client, SimpleUploadedFile("epcn.zip", data.getvalue()))
    assert "Importing <strong>epcn-ePCN.xlsx</strong>" in response.text
    client.post(status_page(response), {"confirm": "1"})
    assert PrimaryCareNetwork.objects.filter(code="U99001").exists()


@pytest.mark.django_db
def test_cancel_removes_the_upload(login, superuser, tmp_path, upload_dir):
    client = login(superuser)
    response = upload_files(client, epcn_upload(tmp_path))
    assert len([p for p in upload_dir.iterdir() if p.is_dir()]) == 1
    here = status_page(response)
    response = client.post(here, {"cancel": "1"}, follow=True)
    assert "Import cancelled: nothing was changed." in messages_of(response)
    assert list(upload_dir.iterdir()) == []
    response = client.post(here, {"confirm": "1"}, follow=True)
    assert messages_of(response) == [
        "ePCN.xlsx were cancelled: nothing was changed. Upload them again to import them."
    ]
    assert not PrimaryCareNetwork.objects.exists()


@pytest.mark.django_db
def test_a_new_upload_removes_the_one_not_confirmed_at_once(login, superuser, tmp_path, upload_dir):
    client = login(superuser)
    first = status_page(upload_files(client, epcn_upload(tmp_path)))
    upload_files(client, epcn_upload(tmp_path))
    assert len([p for p in upload_dir.iterdir() if p.is_dir()]) == 1
    assert "Cancelled: nothing was changed." in client.get(first).text


@pytest.mark.django_db
def test_another_users_token_is_refused(login, superuser, tmp_path, client):
    here = status_page(upload_files(login(superuser), epcn_upload(tmp_path)))
    other = make_user("ivan.importer", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="import_ods"))
    client.force_login(other)
    assert client.get(here).status_code == 404
    assert client.post(here, {"confirm": "1"}).status_code == 404
    assert not PrimaryCareNetwork.objects.exists()


@pytest.mark.django_db
def test_only_staff_with_the_import_permission(login, tmp_path):
    staff = make_user("sam.staff", is_staff=True)
    client = login(staff)
    assert client.get(URL).status_code == 403
    staff.user_permissions.add(
        Permission.objects.get(codename="import_ods"),
        Permission.objects.get(codename="view_primarycarenetwork"),
    )
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache
    client = login(staff)
    assert client.get(URL).status_code == 200
    assert "Import ODS files" in client.get(CHANGELIST).text


@pytest.mark.django_db
def test_staff_without_the_permission_see_no_import_link(login):
    staff = make_user("vic.viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_primarycarenetwork"))
    assert "Import ODS files" not in login(staff).get(CHANGELIST).text


@pytest.mark.django_db
def test_overlap_warnings_are_shown_before_confirming(login, superuser, tmp_path):
    upload = epcn_upload(
        tmp_path,
        pcns=[pcn_row(), pcn_row(code="U99002")],
        partners=[
            partner_row(start=20191001),
            partner_row(pcn="U99002", start=20240701),
        ],
    )
    response = upload_files(login(superuser), upload)
    assert "1 warning" in response.text
    assert (
        '<li class="warning">Z00001: ODS publishes the practice in U99001 from 01 Oct 2019 with '
        "no end and also in U99002 from 01 Jul 2024 with no end, which wins the days they share "
        "by the overlap rule; this spell keeps from 01 Oct 2019 up to and including "
        "30 Jun 2024</li>"
    ) in response.text
    assert not PrimaryCareNetwork.objects.exists()


@pytest.mark.django_db
def test_uploads_are_listed_read_only_with_who_imported_them(login, superuser, tmp_path):
    client = login(superuser)
    here = status_page(upload_files(client, epcn_upload(tmp_path)))
    client.post(here, {"confirm": "1"})
    listing = client.get("/admin/practices/odsupload/").text
    assert "ePCN.xlsx" in listing
    assert "Imported" in listing
    upload = ODSUpload.objects.get()
    page = client.get(f"/admin/practices/odsupload/{upload.pk}/change/").text
    assert f'href="{here}"' in page
    assert client.get("/admin/practices/odsupload/add/").status_code == 403


@pytest.mark.django_db(transaction=True)  # the worker closes its connection as it ends
def test_the_check_and_the_import_run_in_the_task_worker_not_the_request(
    login, superuser, tmp_path, settings, reference_data
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = login(superuser)
    response = upload_files(client, epcn_upload(tmp_path))
    here = status_page(response)
    assert "Checking the files: nothing has been changed yet." in response.text
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in response.text
    polled = client.get(here, headers={"Accept": "application/json"}).json()
    assert polled == {"state": "checking", "running": True, "progress": ""}

    call_command("db_worker", batch=True, verbosity=0)
    assert client.get(here, headers={"Accept": "application/json"}).json()["running"] is False
    page = client.get(here).text
    assert "created U99001 TEST PCN" in page
    assert 'http-equiv="refresh"' not in page

    response = client.post(here, {"confirm": "1"}, follow=True)
    assert "Importing, all or nothing: confirmed by Nadia National" in response.text
    assert not PrimaryCareNetwork.objects.exists()
    call_command("db_worker", batch=True, verbosity=0)
    assert "Imported ePCN.xlsx: 4 records changed." in client.get(here).text
    assert PrimaryCareNetwork.objects.filter(code="U99001").exists()


@pytest.mark.django_db
def test_a_long_non_ascii_file_name_is_stored_safely_and_shown_as_uploaded(
    login, superuser, tmp_path, upload_dir
):
    name = "Réseau de soins primaires — " + "é" * 220 + ".xlsx"
    content = workbook(tmp_path / "ePCN.xlsx").read_bytes()
    response = upload_files(login(superuser), SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert f"Files: <strong>{name}</strong>" in html.unescape(response.text)
    assert "would make these changes" in response.text
    (stored,) = [p for folder in upload_dir.iterdir() if folder.is_dir() for p in folder.iterdir()]
    assert stored.name == "Reseau_de_soins_primaires__" + "e" * 53 + ".xlsx"


@pytest.mark.django_db
def test_names_that_differ_only_in_a_space_or_underscore_stay_two_files(login, superuser, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    pcns, partners = epcn_csv_pair(
        folder, [pcn_line()], [partner_line()], names=("ePCN 2024.csv", "ePCN_2024.csv")
    )
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in (pcns, partners)]
    client = login(superuser)
    response = upload_files(client, *uploads)
    assert "Importing <strong>ePCN_2024-2.csv, ePCN_2024.csv</strong>" in response.text
    client.post(status_page(response), {"confirm": "1"})
    assert PrimaryCareNetwork.objects.get().code == "U99001"


@pytest.mark.django_db
def test_an_upload_left_unconfirmed_for_an_hour_is_removed(login, superuser, tmp_path, upload_dir):
    client = login(superuser)
    here = status_page(upload_files(client, epcn_upload(tmp_path)))
    ODSUpload.objects.update(uploaded_at=timezone.now() - datetime.timedelta(minutes=61))
    client.get(URL)
    assert list(upload_dir.iterdir()) == []
    assert "Cancelled: nothing was changed." in client.get(here).text


@pytest.mark.django_db
def test_an_unexpected_error_in_the_worker_is_a_refusal_not_a_500(
    login, superuser, tmp_path, upload_dir, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("practices.ods.tasks.import_files", broken)
    response = upload_files(login(superuser), epcn_upload(tmp_path))
    assert response.status_code == 200
    assert (
        "Nothing imported. The import stopped on an error the portal did not expect "
        "(RuntimeError); it is in the log. The database is as it was."
    ) in html.unescape(response.text)
    assert list(upload_dir.iterdir()) == []
