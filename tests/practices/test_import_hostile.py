"""No file can hurt the import: each hostile file is refused with where and why, through
import_ods and the admin page alike, leaving the database as it was and no file behind."""

import html
import io
import os
import subprocess
import sys
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from networks.models import PrimaryCareNetwork
from practices.models import Practice
from tests.practices.hostile import (
    bomb_workbook,
    database_state,
    epcn_csv_pair,
    epraccur_line,
    lying_workbook,
    lying_zip,
    partner_line,
    pcn_line,
    sizeless_workbook,
)
from tests.practices.test_import_ods import ROOT, partner_row, pcn_row, workbook

URL = "/admin/networks/primarycarenetwork/import-ods/"
LONG_NAME = "N" * 10_000


def one(path):
    return [path]


def written(path, data):
    path.write_bytes(data)
    return [path]


def pcn_details(folder, **values):
    """The CSV pair with one network described by values."""
    return epcn_csv_pair(folder, [pcn_line(**values)], [partner_line()])


def zipped(folder, name, members):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return written(folder / name, data.getvalue())


# case -> (make the files in a folder, what the message says)
CASES = {
    "workbook bomb": (
        lambda f: one(bomb_workbook(f / "ePCN.xlsx", 3)),
        ["ePCN.xlsx: the workbook opens to 3.0 MiB, over the 2.0 MiB limit."],
    ),
    "zip archive bomb": (
        lambda f: zipped(f, "epraccur.zip", {"epraccur.csv": b"A" * (3 * 1024 * 1024)}),
        ["epraccur.zip: the zip archive opens to 3.0 MiB, over the 2.0 MiB limit."],
    ),
    "zip archive whose members lie about their size": (
        lambda f: written(f / "epcn.zip", lying_zip({"epraccur.csv": epraccur_line() * 50})),
        ["epcn.zip: epraccur.csv in the zip archive is damaged and cannot be opened"],
    ),
    "workbook whose members lie about their size": (
        lambda f: one(lying_workbook(f / "ePCN.xlsx")),
        ["ePCN.xlsx: ", "in the workbook is damaged and cannot be opened"],
    ),
    "10,000-character name of a new network": (
        lambda f: one(workbook(f / "ePCN.xlsx", pcns=[["U99002", LONG_NAME, *pcn_row()[2:]]])),
        [
            'ePCN.xlsx, sheet PCN Details, row 2, column "PCN Name"',
            "holds 10,000 characters; a cell may hold at most 1,000",
        ],
    ),
    "over-long name of an existing network": (
        lambda f: pcn_details(f, name="N" * 201),
        [
            'pcn-details.csv, row 2, column "PCN Name"',
            "is 201 characters long; the portal keeps at most 200 in this column",
        ],
    ),
    "16-character postcode": (
        lambda f: pcn_details(f, postcode="ZZ1 1ZZ ZZ1 1ZZZ"),
        [
            'pcn-details.csv, row 2, column "Postcode": "ZZ1 1ZZ ZZ1 1ZZZ" is 16 characters '
            "long; the portal keeps at most 8 in this column"
        ],
    ),
    "NUL byte after the first 4 KB": (
        lambda f: written(
            f / "epraccur.csv",
            "".join(
                [
                    *(epraccur_line(f"Z{n:05}") for n in range(1, 31)),
                    epraccur_line("Z00031", "BAD\0"),
                ]
            ).encode(),
        ),
        ['epraccur.csv, row 31, column "Name": holds U+0000 (NUL) at character 4'],
    ),
    "control character in a name": (
        lambda f: pcn_details(f, name="TEST\x1bPCN"),
        ['column "PCN Name": holds U+001B (a control character) at character 5'],
    ),
    "byte in no encoding this import reads": (
        lambda f: written(f / "epraccur.csv", epraccur_line().encode() * 3 + b'"\x81"\n'),
        ["epraccur.csv, row 4: byte 0x81 is not text in UTF-8, UTF-16 or Windows-1252"],
    ),
    "UTF-16 without a byte-order mark": (
        lambda f: written(f / "epraccur.csv", epraccur_line().encode("utf-16-le")),
        ["epraccur.csv: holds NUL bytes, so it is not a CSV file in UTF-8"],
    ),
    "date 99991231": (
        lambda f: pcn_details(f, open_date="99991231"),
        ['column "Open Date": "99991231" is more than ten years from now'],
    ),
    "date 00010101": (
        lambda f: pcn_details(f, open_date="00010101"),
        ['column "Open Date": "00010101" is before 1948, the earliest year this import accepts'],
    ),
    "the same network twice": (
        lambda f: epcn_csv_pair(f, [pcn_line(), pcn_line(name="AGAIN")], [partner_line()]),
        ['pcn-details.csv, row 3, column "PCN Code": U99001 is also on row 2'],
    ),
    "the same spell twice": (
        lambda f: one(workbook(f / "ePCN.xlsx", partners=[partner_row(), partner_row()])),
        [
            "ePCN.xlsx, sheet PCN Core Partner Details, row 3",
            "The spell of Z00001 in U99001 from 20191001 is also on row 2",
        ],
    ),
    "more rows than the limit": (
        lambda f: written(
            f / "epraccur.csv",
            "".join(epraccur_line(f"Z{n:05}") for n in range(1, 62)).encode(),
        ),
        ["epraccur.csv: has 61 rows; an import takes at most 50 rows per file (ODS_MAX_ROWS)"],
    ),
    "a sheet with more rows than the limit": (
        lambda f: one(
            workbook(f / "ePCN.xlsx", partners=[partner_row(f"Z{n:05}") for n in range(1, 61)])
        ),
        [
            "ePCN.xlsx, sheet PCN Core Partner Details: has 61 rows; an import takes at most "
            "50 rows per file"
        ],
    ),
    "a sheet that does not declare its size, with more rows than the limit": (
        lambda f: one(
            sizeless_workbook(
                f / "ePCN.xlsx", partners=[partner_row(f"Z{n:05}") for n in range(1, 61)]
            )
        ),
        [
            "ePCN.xlsx, sheet PCN Core Partner Details, row 52: has more than 50 rows; an "
            "import takes at most 50 rows per file (ODS_MAX_ROWS)"
        ],
    ),
    "over-long cell in a column the import does not read": (
        lambda f: written(
            f / "epraccur.csv",
            epraccur_line()
            .replace('"01642 000000","",', '"01642 000000","' + "x" * 1001 + '",')
            .encode(),
        ),
        ['epraccur.csv, row 1, column "Null": holds 1,001 characters'],
    ),
    "damaged workbook": (
        lambda f: written(f / "ePCN.xlsx", b"PK\x03\x04" + b"\xff" * 300),
        ["ePCN.xlsx: is not an Excel workbook (.xlsx)"],
    ),
}


@pytest.fixture
def limits(settings, tmp_path):
    settings.ODS_MAX_WORKBOOK_MB = 2
    settings.ODS_FETCH_MAX_MB = 2
    settings.ODS_MAX_ROWS = 50
    settings.ODS_UPLOAD_DIR = tmp_path / "uploads"
    return settings


@pytest.fixture
def existing(tmp_path, limits):
    """A network, practice and spell already imported: a failed import must keep them."""
    folder = tmp_path / "first"
    folder.mkdir()
    call_command("import_ods", *map(str, pcn_details(folder)), stdout=io.StringIO())
    call_command(
        "import_ods", str(written(folder / "e.csv", epraccur_line().encode())[0]),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert PrimaryCareNetwork.objects.filter(code="U99001").exists()
    return database_state()


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_import_ods_refuses_and_changes_nothing(case, existing, files):
    make, expected = CASES[case]
    paths = make(files)
    with pytest.raises(CommandError) as error:
        call_command("import_ods", *map(str, paths), stdout=io.StringIO())
    message = str(error.value)
    assert message.startswith("Nothing imported. ")
    for text in expected:
        assert text in message
    assert database_state() == existing
    assert sorted(files.iterdir()) == sorted(paths)  # nothing extracted is left behind


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_admin_upload_refuses_and_changes_nothing(case, existing, files, login, superuser):
    make, expected = CASES[case]
    paths = make(files)
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in paths]
    response = login(superuser).post(URL, {"files": uploads}, follow=True)
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Nothing imported. " in page
    for text in expected:
        assert text in page
    assert database_state() == existing
    upload_dir = files.parent / "uploads"
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def run_command(*args):
    from urllib.parse import urlsplit, urlunsplit

    from django.db import connection

    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DEBUG": "true",
        "ODS_MAX_WORKBOOK_MB": "2",
        "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
    }
    command = [sys.executable, str(ROOT / "manage.py"), "import_ods", *map(str, args)]
    return subprocess.run(command, env=env, capture_output=True, text=True)


@pytest.mark.django_db
def test_the_command_exits_1_with_the_message_and_no_traceback(files):
    bomb = bomb_workbook(files / "ePCN.xlsx", 3)
    failed = run_command(bomb)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert failed.stderr.strip().splitlines()[-1] == (
        "CommandError: Nothing imported. ePCN.xlsx: the workbook opens to 3.0 MiB, over the "
        "2.0 MiB limit."
    )


# --- read correctly, not refused ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8"])
def test_utf_8_and_utf_16_csv_files_are_read(encoding, tmp_path):
    paths = epcn_csv_pair(
        tmp_path, [pcn_line(name="ST MARY’S PCN")], [partner_line()], encoding=encoding
    )
    out = io.StringIO()
    call_command("import_ods", *map(str, paths), stdout=out)
    assert PrimaryCareNetwork.objects.get().name == "ST MARY’S PCN"
    assert "warning" not in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_windows_1252_or_latin_1_file_is_read_correctly_with_a_warning(encoding, tmp_path):
    name = "ST MARY’S SURGERY" if encoding == "cp1252" else "CAFÉ SURGERY"
    path = tmp_path / "epraccur.csv"
    path.write_bytes(epraccur_line(name=name).encode(encoding))
    out = io.StringIO()
    call_command("import_ods", str(path), stdout=out)
    assert Practice.objects.get().name == name
    assert (
        "warning: epraccur.csv is not UTF-8 (first on row 1): read as Windows-1252"
        in out.getvalue()
    )


@pytest.mark.django_db
def test_import_ods_opens_zip_archives_as_the_page_does(tmp_path):
    archive = tmp_path / "epcn.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("ePCN.xlsx", workbook(tmp_path / "ePCN.xlsx").read_bytes())
    (tmp_path / "ePCN.xlsx").unlink()
    stdout = io.StringIO()
    call_command("import_ods", str(archive), stdout=stdout)
    assert PrimaryCareNetwork.objects.filter(code="U99001").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epcn.zip"]
