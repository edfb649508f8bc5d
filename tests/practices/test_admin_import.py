"""Importing ODS files in admin: upload, see what would change, confirm."""

import html
import io
import zipfile

import pghistory.models
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from networks.models import PrimaryCareNetwork
from practices.models import Membership
from tests.conftest import make_user
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


@pytest.mark.django_db
def test_upload_shows_what_would_change_then_confirm_imports(login, superuser, tmp_path):
    client = login(superuser)
    assert "Import ODS files" in client.get(CHANGELIST).text

    response = client.post(URL, {"files": [epcn_upload(tmp_path)]})
    assert response.status_code == 200
    preview = response.text
    assert "Nothing has been changed yet. Importing <strong>ePCN.xlsx</strong>" in preview
    assert '<th scope="row">Networks' in preview
    assert "created U99001 TEST PCN" in preview
    assert not PrimaryCareNetwork.objects.exists()

    token = response.context["token"]
    response = client.post(URL, {"confirm": "1", "token": token}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert any(m.startswith("Imported ePCN.xlsx: ") for m in messages_of(response))
    assert Membership.objects.get(practice__code="Z00001").pcn.code == "U99001"
    event = pghistory.models.Events.objects.filter(
        pgh_obj_model="networks.PrimaryCareNetwork"
    ).get()
    assert event.pgh_context["user"] == superuser.pk
    assert event.pgh_context["process"] == "admin upload ePCN.xlsx"

    # The same confirmation again imports nothing: the upload is gone.
    response = client.post(URL, {"confirm": "1", "token": token}, follow=True)
    assert "already imported, cancelled or have expired" in messages_of(response)[0]


@pytest.mark.django_db
def test_a_bad_file_is_named_with_its_place_and_nothing_is_kept(
    login, superuser, tmp_path, upload_dir
):
    upload = epcn_upload(tmp_path, pcns=[pcn_row(), pcn_row(code="U123")])
    response = login(superuser).post(URL, {"files": [upload]})
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
        (SimpleUploadedFile("empty.csv", b""), "The submitted file is empty."),
        (
            SimpleUploadedFile("ePCN.zip", b"PK\x05\x06" + b"\0" * 18),
            "ePCN.zip: the zip archive holds no CSV file or workbook",
        ),
    ],
)
def test_files_the_import_cannot_take_are_refused(login, superuser, upload, message):
    response = login(superuser).post(URL, {"files": [upload]})
    assert message in response.text
    assert response.context["preview"] is None


@pytest.mark.django_db
def test_no_file_chosen(login, superuser):
    response = login(superuser).post(URL, {})
    assert "This field is required." in response.text


@pytest.mark.django_db
def test_zip_archives_are_opened(login, superuser, tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("ePCN.xlsx", workbook(tmp_path / "ePCN.xlsx").read_bytes())
    client = login(superuser)
    response = client.post(URL, {"files": [SimpleUploadedFile("epcn.zip", data.getvalue())]})
    assert "Importing <strong>epcn-ePCN.xlsx</strong>" in response.text
    client.post(URL, {"confirm": "1", "token": response.context["token"]})
    assert PrimaryCareNetwork.objects.filter(code="U99001").exists()


@pytest.mark.django_db
def test_cancel_removes_the_upload(login, superuser, tmp_path, upload_dir):
    client = login(superuser)
    response = client.post(URL, {"files": [epcn_upload(tmp_path)]})
    assert len(list(upload_dir.iterdir())) == 1
    response = client.post(URL, {"cancel": "1", "token": response.context["token"]}, follow=True)
    assert "Import cancelled: nothing was changed." in messages_of(response)
    assert list(upload_dir.iterdir()) == []
    assert not PrimaryCareNetwork.objects.exists()


@pytest.mark.django_db
def test_another_users_token_is_refused(login, superuser, tmp_path, client):
    response = login(superuser).post(URL, {"files": [epcn_upload(tmp_path)]})
    token = response.context["token"]
    other = make_user("ivan.importer", is_staff=True)
    other.user_permissions.add(Permission.objects.get(codename="import_ods"))
    client.force_login(other)
    response = client.post(URL, {"confirm": "1", "token": token}, follow=True)
    assert "already imported, cancelled or have expired" in messages_of(response)[0]
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
    response = login(superuser).post(URL, {"files": [upload]})
    assert "1 warning" in response.text
    assert (
        '<li class="warning">Z00001: ODS publishes the practice in U99001 from 01 Oct 2019 with '
        "no end and also in U99002 from 01 Jul 2024 with no end, which wins the days they share "
        "by the overlap rule; this spell keeps from 01 Oct 2019 up to and including "
        "30 Jun 2024</li>"
    ) in response.text
    assert not PrimaryCareNetwork.objects.exists()
