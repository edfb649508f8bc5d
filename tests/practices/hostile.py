"""Files built to hurt an import, made small in the test (no large file is committed):
decompression bombs, archives that lie, over-long and control-character values, bad
bytes and encodings, implausible dates, duplicate keys, too many rows."""

import hashlib
import io
import re
import struct
import zipfile

import openpyxl
from django.apps import apps
from django.db import connection

from tests.practices.test_import_ods import CCG_ERA_PARTNER_HEADERS, pcn_row, workbook

PCN_CSV_HEADER = (
    "PCN Code,PCN Name,Current Sub ICB Loc Code,Sub ICB Location,Open Date,Close Date,"
    "Address Line 1,Postcode\n"
)
PARTNER_CSV_HEADER = (
    "Partner Organisation Code,Partner Name,Practice Parent Sub ICB Loc Code,PCN Code,"
    "Practice to PCN Relationship Start Date,Practice to PCN Relationship End Date\n"
)


def epcn_csv_pair(folder, pcn_lines, partner_lines, encoding="utf-8", names=None):
    """The two ePCN CSV exports, written in an encoding."""
    pcns, partners = (folder / n for n in (names or ("pcn-details.csv", "partners.csv")))
    pcns.write_bytes((PCN_CSV_HEADER + "".join(pcn_lines)).encode(encoding))
    partners.write_bytes((PARTNER_CSV_HEADER + "".join(partner_lines)).encode(encoding))
    return [pcns, partners]


def pcn_line(code="U99001", name="CSV PCN", postcode="ZZ1 1ZZ", open_date="20191001"):
    return f"{code},{name},16C,NHS TEST ICB - 16C,{open_date},,1 ROAD,{postcode}\n"


def partner_line(practice="Z00001", pcn="U99001", start="20191001", name="CSV SURGERY"):
    return f"{practice},{name},16C,{pcn},{start},\n"


def epraccur_line(code="Z00001", name="TEST SURGERY"):
    return (
        f'"{code}","{name}","Y63","QHM","1 ROAD","","TOWN","","","ZZ1 1ZZ","19740401","",'
        '"A","B","16C","20200401","","01642 000000","","","","0","","16C","","4",""\n'
    )


def bomb_workbook(path, megabytes):
    """A valid ePCN workbook whose one extra cell holds `megabytes` MiB of one letter:
    a few kilobytes on disk."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PCN Details"
    sheet.append(["PCN Code", "PCN Name"])
    book.create_sheet("PCN Core Partner Details").append(CCG_ERA_PARTNER_HEADERS)
    book.save(path)
    # Write the cell's text straight into the zip: openpyxl would hold it all in memory.
    original = zipfile.ZipFile(path)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info, original.read(info))
        with out.open("xl/padding.xml", "w", force_zip64=True) as member:
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(block)
    original.close()
    path.write_bytes(data.getvalue())
    return path


def lying_zip(members, declare=10):
    """A zip archive whose directory says each member opens to `declare` bytes."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    raw = bytearray(data.getvalue())
    at = 0
    while (at := raw.find(b"PK\x01\x02", at)) >= 0:
        struct.pack_into("<I", raw, at + 24, declare)  # uncompressed size
        at += 4
    return bytes(raw)


def sizeless_workbook(path, **rows):
    """A workbook whose sheets do not declare their size (no <dimension>), as some
    exporters write them: only counting the rows as they are read can stop it."""
    source = workbook(path, **rows)
    with zipfile.ZipFile(source) as book:
        members = {info.filename: book.read(info) for info in book.infolist()}
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in members.items():
            if name.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            out.writestr(name, content)
    path.write_bytes(data.getvalue())
    return path


def lying_workbook(path):
    source = workbook(path, pcns=[pcn_row()] * 1)
    with zipfile.ZipFile(source) as book:
        members = {info.filename: book.read(info) for info in book.infolist()}
    path.write_bytes(lying_zip(members))
    return path


TABLES = [
    "networks.Region",
    "networks.IntegratedCareBoard",
    "networks.SubICBLocation",
    "networks.PrimaryCareNetwork",
    "practices.Practice",
    "practices.Membership",
    "practices.ListSize",
]


def database_state():
    """Row counts and a checksum of every table an import writes."""
    state = {}
    with connection.cursor() as cursor:
        for label in TABLES:
            table = apps.get_model(label)._meta.db_table
            cursor.execute(f"SELECT t::text FROM {table} t ORDER BY t::text")
            rows = [r[0] for r in cursor.fetchall()]
            state[label] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state
