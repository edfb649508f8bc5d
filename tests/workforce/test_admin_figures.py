"""Admin's Load maximum amounts page: upload a table, see what would change, confirm once.
The figures are made up for the test."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_user
from tests.factories.figures import HEADERS, figures_world, row
from workforce.models import MaximumAmount, MaximumAmountUpload

URL = "/admin/workforce/maximumamount/load/"
CHANGELIST = "/admin/workforce/maximumamount/"


@pytest.fixture
def made_up(db):
    return figures_world()


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.ODS_UPLOAD_DIR = tmp_path / "uploads"


def csv_upload(*rows, name="amounts-2091.csv"):
    lines = [",".join(HEADERS)] + [",".join(f'"{cell}"' for cell in r) for r in rows]
    return SimpleUploadedFile(name, "\n".join(lines).encode())


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_upload_preview_confirm_and_a_second_confirm_is_refused(login, superuser, made_up):
    client = login(superuser)
    assert "Load maximum amounts" in client.get(CHANGELIST).text
    response = client.post(
        URL, {"file": csv_upload(row("Test coach", "2091-04-01", "2092-03-31", "40000"))},
        follow=True,
    )  # fmt: skip
    here = response.redirect_chain[-1][0]
    text = response.text
    assert "Nothing has been changed yet. Loading <strong>amounts-2091.csv</strong>" in text
    assert "New period" in response.text
    assert not MaximumAmount.objects.filter(role=made_up["coach"]).exists()

    response = client.post(here, {"confirm": "1"}, follow=True)
    assert "Loaded amounts-2091.csv: 1 maximum amount changed." in response.text
    assert MaximumAmount.objects.get(role=made_up["coach"]).national == 40000

    again = client.post(here, {"confirm": "1"}, follow=True)
    (message,) = messages_of(again)
    assert message.startswith(
        "The file amounts-2091.csv was already applied, by Nadia National at "
    )
    assert MaximumAmount.objects.filter(role=made_up["coach"]).count() == 1
    upload = MaximumAmountUpload.objects.get()
    assert (upload.state, upload.confirmed_by) == ("imported", superuser)


def test_a_file_with_bad_rows_is_refused_naming_each(login, superuser, made_up):
    client = login(superuser)
    response = client.post(
        URL,
        {"file": csv_upload(
            row("Test coach", "2091-04-01", "2092-03-31", "40000"),
            row("Nobody", "2091-04-01", "2092-03-31", "40000"),
            row("Test coach", "2092-04-01", "2092-03-31", "40000"),
        )},
        follow=True,
    )  # fmt: skip
    assert "Nothing applied. amounts-2091.csv has 2 rows to correct" in response.text
    assert "Row 3: unknown role &quot;Nobody&quot;" in response.text
    assert "Row 4: the last day (31 March 2092) is before the first (1 April 2092)." in (
        response.text
    )
    assert "Apply these amounts" not in response.text
    assert not MaximumAmount.objects.filter(role=made_up["coach"]).exists()


def test_the_template_downloads_from_the_page(login, superuser, made_up):
    client = login(superuser)
    assert "Download the template (CSV)" in client.get(URL).text
    response = client.get(URL + "template.csv")
    assert response["Content-Disposition"] == 'attachment; filename="maximum-amounts-template.csv"'
    assert response.content.decode().splitlines()[0] == ",".join(HEADERS)


def test_it_needs_the_permission(login, db):
    staff = make_user("sam.staff", is_staff=True)
    client = login(staff)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "template.csv").status_code == 403


def test_only_the_uploader_sees_an_upload(login, superuser, made_up):
    client = login(superuser)
    response = client.post(
        URL, {"file": csv_upload(row("Test coach", "2091-04-01", "2092-03-31", "40000"))},
        follow=True,
    )  # fmt: skip
    here = response.redirect_chain[-1][0]
    other = make_user("olga.other", is_staff=True, is_superuser=True)
    assert login(other).get(here).status_code == 404


def test_a_workbook_uploads_like_a_csv_file(login, superuser, made_up, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(row("Test coach", "2091-04-01", "2092-03-31", 40000))
    workbook.save(tmp_path / "amounts.xlsx")
    upload = SimpleUploadedFile("amounts.xlsx", (tmp_path / "amounts.xlsx").read_bytes())
    response = login(superuser).post(URL, {"file": upload}, follow=True)
    assert "Loading <strong>amounts.xlsx</strong>" in response.text
    assert "national £40,000.00" in response.text


def test_a_file_without_the_columns_is_refused_saying_which(login, superuser, made_up):
    upload = SimpleUploadedFile("amounts.csv", b"Role,National\nTest coach,40000\n")
    response = login(superuser).post(URL, {"file": upload}, follow=True)
    assert (
        "Nothing applied. amounts.csv does not name every column in its first row; missing: "
        "First day, Last day, Outer London, Inner London, Source (the template has every "
        "column)."
    ) in response.text
