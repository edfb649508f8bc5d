"""Property-based tests of the readers: whatever rows or bytes a file holds, reading it
either gives records or an ODSFileError saying where — never another exception.

`make test` runs a few hundred cases; `make bench-hostile` runs the same tests with the
"bench" profile, 10,000 cases each (HYPOTHESIS_PROFILE=bench). The profiles are
registered in tests/properties.py.
"""

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from practices.ods import readers
from tests.practices.test_import_ods import (
    CCG_ERA_PARTNER_HEADERS,
    CCG_ERA_PCN_HEADERS,
    partner_row,
    pcn_row,
    workbook,
)
from tests.properties import examples

pytestmark = pytest.mark.hostile

LIST_SIZE_HEADERS = ["PUBLICATION", "EXTRACT_DATE", "TYPE", "CODE", "SEX", "AGE",
                     "NUMBER_OF_PATIENTS"]  # fmt: skip
MAP_HEADERS = ["PRACTICE_CODE", "PRACTICE_NAME", "PCN_CODE", "PCN_NAME", "SUB_ICB_LOCATION_CODE",
               "SUB_ICB_LOCATION_NAME", "ICB_CODE", "ICB_NAME", "COMM_REGION_CODE",
               "COMM_REGION_NAME"]  # fmt: skip
HEADERS = [
    None,  # headerless: epraccur or the ODS reports
    CCG_ERA_PCN_HEADERS,
    CCG_ERA_PARTNER_HEADERS,
    readers.PCN_REPORT_HEADERS,
    LIST_SIZE_HEADERS,
    MAP_HEADERS,
]
PLAUSIBLE = [
    "", "None", "U99001", "U1", "Z00001", "A81001", "16C", "D4U1Y", "QHM", "Y63", "GP", "ALL",
    "20191001", "20240230", "99991231", "00010101", "19740401", "01JAN2021", "01Oct2025",
    "True", "0", "1", "4", "A", "C", "12345", "-3", "1e9", "NHS TEST ICB - 16C",
]  # fmt: skip

cells = st.one_of(
    st.sampled_from(PLAUSIBLE),
    st.text(max_size=12),
    # A cell around the characters-per-cell limit (1,000), cheaply: one character repeated.
    st.builds(lambda c, n: c * n, st.characters(codec="utf-8"), st.integers(900, 1100)),
    st.integers(-(10**12), 10**12).map(str),
)
rows = st.lists(st.lists(cells, max_size=30), max_size=12)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])


def read_any(path):
    """What the importer does with one file: find its kind, then read it all."""
    kind = readers.detect_kind(path)
    if kind in (readers.EPCN_PCNS_CSV, readers.EPCN_PARTNERS_CSV):
        return readers.read_epcn_csv(path, path)
    return readers.read(path, kind)


def attempt(path):
    try:
        read_any(path)
    except readers.ODSFileError as error:
        assert str(error).startswith(Path(path).name)
        assert len(str(error)) < 2000  # a message never grows with the file


def csv_bytes(header, body, encoding):
    text = io.StringIO()
    writer = csv.writer(text)
    if header:
        writer.writerow(header)
    writer.writerows(body)
    return text.getvalue().encode(encoding, errors="replace")


def noisy(data, noise, at):
    """data with noise written over it at a position (or appended, when beyond it)."""
    at = at % (len(data) + 1)
    return data[:at] + noise + data[at + len(noise) :]


@given(
    header=st.sampled_from(HEADERS),
    body=rows,
    encoding=encodings,
    noise=st.binary(max_size=16),
    at=st.integers(0, 10**6),
)
def test_csv_files_give_records_or_an_error_saying_where(header, body, encoding, noise, at):
    data = noisy(csv_bytes(header, body, encoding), noise, at)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.csv"
        path.write_bytes(data)
        attempt(path)


@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_byte_noise_gives_an_error_saying_where(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(data)
        attempt(path)


@given(pcns=rows, partners=rows)
@settings(max_examples=examples(4))
def test_workbooks_give_records_or_an_error_saying_where(pcns, partners):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "PCNDetails"
    second = book.create_sheet("PCN Core Partner Details")
    for sheet, headers, body in (
        (first, CCG_ERA_PCN_HEADERS, pcns),
        (second, CCG_ERA_PARTNER_HEADERS, partners),
    ):
        sheet.append(headers)
        for row in body:
            # Characters openpyxl refuses to write; a workbook cannot hold them as text.
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("?", cell) for cell in row])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ePCN.xlsx"
        book.save(path)
        attempt(path)


VALID_WORKBOOK = None


def valid_workbook_bytes():
    global VALID_WORKBOOK
    if VALID_WORKBOOK is None:
        with tempfile.TemporaryDirectory() as folder:
            path = workbook(Path(folder) / "ePCN.xlsx", [pcn_row()], [partner_row()])
            VALID_WORKBOOK = path.read_bytes()
    return VALID_WORKBOOK


@given(noise=st.binary(min_size=1, max_size=64), at=st.integers(0, 10**6), cut=st.booleans())
def test_damaged_workbooks_give_an_error_saying_where(noise, at, cut):
    data = noisy(valid_workbook_bytes(), noise, at)
    if cut:
        data = data[: at % (len(data) + 1)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ePCN.xlsx"
        path.write_bytes(data)
        attempt(path)


@given(
    members=st.dictionaries(
        st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                         "xl/sharedStrings.xml", "_rels/.rels", "a.csv"]),
        st.binary(max_size=256),
        max_size=6,
    )
)  # fmt: skip
def test_workbooks_of_arbitrary_members_give_an_error_saying_where(members):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ePCN.xlsx"
        path.write_bytes(data.getvalue())
        attempt(path)


def test_a_workbook_of_a_zip_version_zipfile_cannot_read_is_refused(tmp_path):
    # Found by the damaged-workbook property: a directory entry claiming zip version 6.4.
    data = bytearray(valid_workbook_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 6] = 64  # "version needed to extract"
    path = tmp_path / "ePCN.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(readers.ODSFileError, match=r"^ePCN\.xlsx: the workbook is damaged"):
        read_any(path)
