"""Reading ODS and NHS England reference files into validated records.

Accepted, in every vintage since 2019:

- the ODS ePCN workbook (.xlsx): sheet "PCNDetails" (or "PCN Details") and "PCN Core
  Partner Details"; or its two CSV exports with the same headers; or the two headerless
  CSV reports of ODS Data Search and Export (report=epcn, report=epcncorepartnerdetails),
  whose columns are the workbook's, in the workbook's order;
- ODS epraccur: headerless CSV whose 27 columns are fixed by the 2019 specification;
- "patients registered at a GP practice" totals (gp-reg-pat-prac-all), with CCG-era or
  Sub-ICB-era headers and extract dates like 01JAN2021 or 01Oct2025;
- the practice → PCN → Sub-ICB → ICB → region map file (gp-reg-pat-prac-map).

Columns are found by a normalised header name, never by position (except in the
headerless files: epraccur and the ODS reports).
Header cells may hold line breaks, doubled spaces, "(YYYYMMDD)" suffixes and CCG-era
wording; dates may be numbers or text; match flags True/False or 1/0. The first bad
value stops the read with an ODSFileError naming file, sheet, row and column.

Nothing reaches the database unchecked: a workbook's members are checked against the
limits in limits.py before it is opened, rows per file and characters per cell are
limited, every text value fits its column and holds no control characters, dates fall
between 1948 and ten years from now, and a key (a network's code, a spell) appears once
per file. CSV files are read as UTF-8 (with or without a byte-order mark), UTF-16 with a
byte-order mark, or else Windows-1252 (which reads latin-1 text the same), with a warning.
"""

import codecs
import contextvars
import csv
import datetime
import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from pathlib import Path

from practices.ods import limits

EPCN = "ePCN"
EPCN_PCNS_CSV = "ePCN PCN details (CSV)"
EPCN_PARTNERS_CSV = "ePCN core partner details (CSV)"
EPRACCUR = "epraccur"
LIST_SIZES = "list sizes"
PRACTICE_MAP = "practice map"
PAYMENTS_GP = "NHS Payments to General Practice"
WEIGHTED = "weighted populations"

PCN_CODE = re.compile(r"U\d{5}")
PRACTICE_CODE = re.compile(r"[A-Z]\d{5}")
SUB_ICB_CODE = re.compile(r"[0-9A-Z]{3}|[0-9A-Z]{5}")
ICB_CODE = re.compile(r"Q[0-9A-Z]{2}")
REGION_CODE = re.compile(r"Y\d{2}")


class ODSFileError(Exception):
    """A file that cannot be imported, saying where: file, sheet, row and column."""

    def __init__(self, path, sheet, row, column, message):
        self.path, self.sheet, self.row, self.column = Path(path).name, sheet, row, column
        self.message = message
        where = [self.path]
        if sheet:
            where.append(f"sheet {sheet}")
        if row:
            where.append(f"row {row}")
        if column:
            where.append(f'column "{column}"')
        super().__init__(f"{', '.join(where)}: {message}")


def shown(value, length=60):
    """A value quoted in a message, shortened: a message never grows with the file."""
    text = str(value)
    return text if len(text) <= length else f"{text[: length - 1]}…"


# --- headers ------------------------------------------------------------------------


def normalise(header):
    """'Current Clinical\\nCommissioning  Group Code' -> 'current sub icb code'."""
    text = " ".join(str(header or "").split()).lower()
    text = re.sub(r"\(\s*yyyymmdd\s*\)", "", text)
    text = text.replace("_", " ").rstrip("?: ").strip()
    text = re.sub(r"clinical commissioning group|\bccg\b", "sub icb", text)
    text = re.sub(r"sub icb loc(ation)?\b", "sub icb", text)
    text = re.sub(r"\bstp\b", "icb", text)
    return " ".join(text.split())


# canonical field -> accepted normalised headers
PCN_COLUMNS = {
    "code": ["pcn code"],
    "name": ["pcn name"],
    "sub_icb_code": ["current sub icb code", "sub icb code"],
    "sub_icb_name": ["sub icb name", "sub icb", "current sub icb name"],
    "open_date": ["open date"],
    "close_date": ["close date"],
    **{f"address_line_{n}": [f"address line {n}"] for n in range(1, 6)},
    "postcode": ["postcode"],
}
PCN_OPTIONAL = {"close_date", *(f"address_line_{n}" for n in range(2, 6)), "postcode"}

PARTNER_COLUMNS = {
    "practice_code": ["partner organisation code"],
    "practice_name": ["partner name"],
    "practice_sub_icb_code": ["practice parent sub icb code"],
    "practice_sub_icb_name": ["practice parent sub icb name"],
    "pcn_code": ["pcn code"],
    "pcn_name": ["pcn name"],
    "pcn_sub_icb_code": ["pcn parent sub icb code"],
    "pcn_sub_icb_name": ["pcn parent sub icb name"],
    "start_date": ["practice to pcn relationship start date"],
    "end_date": ["practice to pcn relationship end date"],
    "match": [
        "practice sub icb and pcn sub icb match",
        "practice sub icb code and pcn sub icb code match",
    ],
}
PARTNER_OPTIONAL = {
    "practice_sub_icb_name",
    "pcn_name",
    "pcn_sub_icb_code",
    "pcn_sub_icb_name",
    "end_date",
    "match",
}

LIST_SIZE_COLUMNS = {
    "extract_date": ["extract date"],
    "practice_code": ["code", "practice code"],
    "sub_icb_code": ["sub icb code", "sub icb location code"],
    "patients": ["number of patients"],
    "type": ["type"],
    "sex": ["sex"],
    "age": ["age"],
}
LIST_SIZE_OPTIONAL = {"sub_icb_code", "type", "sex", "age"}

MAP_COLUMNS = {
    "practice_code": ["practice code"],
    "practice_name": ["practice name"],
    "pcn_code": ["pcn code"],
    "pcn_name": ["pcn name"],
    "sub_icb_code": ["sub icb code"],
    "sub_icb_name": ["sub icb name"],
    "sub_icb_ons_code": ["ons sub icb code"],
    "icb_code": ["icb code"],
    "icb_name": ["icb name"],
    "icb_ons_code": ["ons icb code"],
    "region_code": ["comm region code", "region code"],
    "region_name": ["comm region name", "region name"],
    "region_ons_code": ["ons comm region code", "ons region code"],
    "extract_date": ["extract date"],
}
MAP_OPTIONAL = {"pcn_name", "sub_icb_ons_code", "icb_ons_code", "region_ons_code", "extract_date"}

PAYMENTS_WEIGHTED = "number of weighted patients (last known figure)"
PAYMENTS_COLUMNS = {
    "practice_code": ["practice code"],
    "weighted": [PAYMENTS_WEIGHTED],
}
WEIGHTED_COLUMNS = {
    "practice_code": ["practice code", "code"],
    "date": ["date", "extract date", "population date"],
    "weighted": ["weighted patients", "weighted population", "number of weighted patients"],
}


class Columns:
    """Where each wanted field is in a header row, found by normalised name."""

    def __init__(self, path, sheet, headers, wanted, optional):
        self.headers = [str(h or "").strip() for h in headers]
        found = {normalise(h): i for i, h in enumerate(self.headers) if h}
        self.index, missing = {}, []
        for field, names in wanted.items():
            position = next((found[n] for n in names if n in found), None)
            if position is None and field == "match":
                position = next((i for n, i in found.items() if n.endswith("match")), None)
            if position is None:
                if field not in optional:
                    missing.append(names[0])
                continue
            self.index[field] = position
        if missing:
            raise ODSFileError(
                path,
                sheet,
                1,
                None,
                f"missing column(s): {', '.join(missing)} (found: "
                f"{', '.join(repr(shown(h, 40)) for h in self.headers[:40] if h)})",
            )

    def get(self, row, field):
        i = self.index.get(field)
        if i is None or i >= len(row):
            return None
        return row[i]

    def header(self, field):
        i = self.index.get(field)
        return self.headers[i].replace("\n", " ") if i is not None else field


# --- values --------------------------------------------------------------------------


# Characters no ODS value holds: C0 and C1 controls but tab and line breaks, lone
# surrogates, and U+FFFD, the mark of text once decoded in the wrong encoding.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")


def character_name(char):
    if char == "\ufffd":
        return "U+FFFD, the replacement character (text lost in a wrong encoding)"
    name = unicodedata.name(char, "") or {"\x00": "NUL"}.get(char, "a control character")
    return f"U+{ord(char):04X} ({name})"


class RowReader:
    """Turns a row's cells into checked values, raising with the cell's place on error.

    `stored` names, for each text field, the column that keeps it ("app.Model.field"):
    a longer value is refused with the column's length, never cut to fit."""

    def __init__(self, path, sheet, columns, stored=None):
        self.path, self.sheet, self.columns = path, sheet, columns
        self.lengths = {f: limits.max_length(label) for f, label in (stored or {}).items()}

    def fail(self, row_number, field, message):
        raise ODSFileError(self.path, self.sheet, row_number, self.columns.header(field), message)

    def text(self, row, n, field, required=False):
        value = self.columns.get(row, field)
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.fail(n, field, "is empty")
        if bad := CONTROL.search(value):
            self.fail(
                n,
                field,
                f"holds {character_name(bad.group())} at character {bad.start() + 1}; "
                "remove it and save the file again",
            )
        length = self.lengths.get(field)
        if length and len(value) > length:
            self.fail(
                n,
                field,
                f'"{shown(value)}" is {len(value):,} characters long; the portal keeps at '
                f"most {length:,} in this column",
            )
        return value

    def code(self, row, n, field, pattern, what, required=True):
        value = self.text(row, n, field).upper()
        if not value and not required:
            return ""
        if not pattern.fullmatch(value):
            self.fail(n, field, f'"{value}" is not a valid {what}')
        return value

    def date(self, row, n, field, required=False):
        return parse_date(self.columns.get(row, field), required, lambda m: self.fail(n, field, m))

    def integer(self, row, n, field):
        value = self.columns.get(row, field)
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            self.fail(n, field, f'"{value}" is not a whole number')
        if number < 0:
            self.fail(n, field, f"{number} is negative")
        return number

    def decimal(self, row, n, field):
        """A non-negative number with at most two decimal places (a weighted population)."""
        value = self.columns.get(row, field)
        text = "" if value is None else str(value).strip().replace(",", "")
        if not text:
            self.fail(n, field, "is empty; a number is needed")
        try:
            number = Decimal(text)
        except InvalidOperation:
            self.fail(n, field, f'"{shown(text)}" is not a number')
        if not number.is_finite():
            self.fail(n, field, f'"{shown(text)}" is not a number')
        if number < 0:
            self.fail(n, field, f"{text} is negative")
        if number != number.quantize(Decimal("0.01")):
            self.fail(n, field, f"{text} has more than two decimal places")
        if number >= 10**10:
            self.fail(n, field, f"{text} is larger than any practice's population")
        return number.quantize(Decimal("0.01"))

    def flag(self, row, n, field):
        value = self.columns.get(row, field)
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "1.0", "y", "yes"):
            return True
        if text in ("false", "0", "0.0", "n", "no"):
            return False
        self.fail(n, field, f'"{value}" is not True/False or 1/0')


EARLIEST_YEAR = 1948  # the earliest year a date in an ODS file may have


def plausible(date, text, fail):
    """A date from 1948 to ten years from now; anything else is a typing or export slip."""
    today = datetime.date.today()
    latest = today.replace(year=today.year + 10, day=min(today.day, 28 if today.month == 2 else 31))
    if date.year < EARLIEST_YEAR:
        fail(f'"{text}" is before {EARLIEST_YEAR}, the earliest year this import accepts')
    if date > latest:
        fail(f'"{text}" is more than ten years from now (after {latest:%d %B %Y})')
    return date


def parse_date(value, required, fail):
    """YYYYMMDD as a number (20191001, 20191001.0) or text; a date cell; blank is None."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "None", "NULL")):
        if required:
            fail("is empty; a date (YYYYMMDD) is needed")
        return None
    if isinstance(value, datetime.datetime):
        return plausible(value.date(), f"{value:%Y%m%d}", fail)
    if isinstance(value, datetime.date):
        return plausible(value, f"{value:%Y%m%d}", fail)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, str) and text.startswith("="):
        fail(f'holds a formula ("{text}") with no saved value; open and save it in Excel first')
    if not re.fullmatch(r"\d{8}", text):
        fail(f'"{shown(text)}" is not a date (YYYYMMDD)')
    try:
        date = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        fail(f'"{text}" is not a real date (YYYYMMDD)')
    return plausible(date, text, fail)


def parse_extract_date(value, fail):
    """01JAN2021, 01Oct2025 or 2025-10-01."""
    text = str(value or "").strip()
    for fmt in ("%d%b%Y", "%Y-%m-%d", "%Y%m%d"):
        try:
            return plausible(datetime.datetime.strptime(text, fmt).date(), text, fail)
        except ValueError:
            continue
    fail(f'"{shown(text)}" is not an extract date like 01JAN2021')


# --- records --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PCNRecord:
    sheet: str
    row: int
    code: str
    name: str
    sub_icb_code: str
    sub_icb_name: str
    open_date: datetime.date
    close_date: datetime.date | None
    address_line_1: str
    address_line_2: str
    address_line_3: str
    address_line_4: str
    address_line_5: str
    postcode: str


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    sheet: str
    row: int
    practice_code: str
    practice_name: str
    practice_sub_icb_code: str
    practice_sub_icb_name: str
    pcn_code: str
    pcn_name: str
    pcn_sub_icb_code: str
    pcn_sub_icb_name: str
    start_date: datetime.date
    end_date: datetime.date | None
    commissioners_match: bool | None


@dataclass(frozen=True)
class EPCNData:
    pcns: list
    memberships: list


@dataclass(frozen=True, slots=True)
class PracticeRecord:
    row: int
    code: str
    name: str
    national_grouping: str
    high_level_health_geography: str
    address_line_1: str
    address_line_2: str
    address_line_3: str
    address_line_4: str
    address_line_5: str
    postcode: str
    open_date: datetime.date
    close_date: datetime.date | None
    status_code: str
    organisation_sub_type: str
    commissioner_code: str
    join_provider_date: datetime.date | None
    left_provider_date: datetime.date | None
    phone: str
    prescribing_setting: int


@dataclass(frozen=True, slots=True)
class ListSizeRecord:
    row: int
    practice_code: str
    extract_date: datetime.date
    registered_patients: int
    sub_icb_code: str


@dataclass(frozen=True, slots=True)
class WeightedRecord:
    row: int
    practice_code: str
    on: datetime.date
    weighted_patients: Decimal


@dataclass(frozen=True, slots=True)
class MapRecord:
    row: int
    practice_code: str
    practice_name: str
    pcn_code: str | None
    pcn_name: str
    sub_icb_code: str
    sub_icb_name: str
    sub_icb_ons_code: str
    icb_code: str
    icb_name: str
    icb_ons_code: str
    region_code: str
    region_name: str
    region_ons_code: str


# --- rows ---------------------------------------------------------------------------


# Where to report how far the reading has come (the importer's progress), if anywhere.
ROW_PROGRESS = contextvars.ContextVar("row_progress", default=None)
PROGRESS_EVERY = 10_000


def numbered(path, sheet, rows, first_row, headers):
    """The rows with their row numbers, within the row limit, every cell within the
    character limit (all cells, read or not: a cell never grows without bound)."""
    most_rows, most_chars = limits.max_rows(), limits.max_cell_chars()
    last = first_row + most_rows - 1
    report = ROW_PROGRESS.get()
    for n, row in enumerate(rows, start=first_row):
        if report and n % PROGRESS_EVERY == 0:
            report(f"Reading {Path(path).name}{f', {sheet}' if sheet else ''}: row {n:,}")
        if n > last:
            raise ODSFileError(
                path,
                sheet,
                n,
                None,
                f"has more than {most_rows:,} rows; an import takes at most {most_rows:,} "
                "rows per file (ODS_MAX_ROWS)",
            )
        for i, cell in enumerate(row):
            if isinstance(cell, str) and len(cell) > most_chars:
                column = headers[i] if i < len(headers) and headers[i] else f"{i + 1}"
                raise ODSFileError(
                    path,
                    sheet,
                    n,
                    shown(column.replace("\n", " "), 40),
                    f"holds {len(cell):,} characters; a cell may hold at most {most_chars:,} "
                    "(ODS_MAX_CELL_CHARS)",
                )
        yield n, row


def too_many_rows(path, sheet, rows):
    most = limits.max_rows()
    return ODSFileError(
        path,
        sheet,
        None,
        None,
        f"has {rows:,} rows; an import takes at most {most:,} rows per file (ODS_MAX_ROWS)",
    )


def check_row_count(path):
    """Refuse a CSV file over the row limit before reading any of it: counting its rows
    takes a second for a million, validating them minutes."""
    most = limits.max_rows() + 1  # and a header row
    count = sum(1 for _ in csv_rows(path))
    if count > most:
        raise too_many_rows(path, None, count)


def check_declared_rows(path, name, sheet):
    """A sheet whose declared size is over the row limit is refused at once; one that
    declares none, or too few, is stopped by the count as it is read (numbered())."""
    declared = getattr(sheet, "max_row", None)
    if isinstance(declared, int) and declared > limits.max_rows() + 1:
        raise too_many_rows(path, name, declared)


def unique(path, sheet, records, key, column, what):
    """Records whose key appears once in the file; a second row with the same key is
    refused naming both rows (never the last one silently winning)."""
    seen = {}
    for record in records:
        k = key(record)
        first = seen.setdefault(k, record.row)
        if first != record.row:
            raise ODSFileError(
                path,
                sheet,
                record.row,
                column,
                f"{what(record)} is also on row {first}; each appears once in a file",
            )
        yield record


# --- ePCN -----------------------------------------------------------------------------

PCN_STORED = {
    "name": "networks.PrimaryCareNetwork.name",
    "sub_icb_name": "networks.SubICBLocation.name",
    **{f"address_line_{n}": f"networks.PrimaryCareNetwork.address_line_{n}" for n in range(1, 6)},
    "postcode": "networks.PrimaryCareNetwork.postcode",
}
PARTNER_STORED = {
    "practice_name": "practices.Practice.name",
    "practice_sub_icb_name": "networks.SubICBLocation.name",
    "pcn_name": "networks.PrimaryCareNetwork.name",
    "pcn_sub_icb_name": "networks.SubICBLocation.name",
}


def pcn_records(path, sheet, rows, first_row=2):
    rows = iter(rows)
    columns = Columns(path, sheet, next(rows, []), PCN_COLUMNS, PCN_OPTIONAL)
    r = RowReader(path, sheet, columns, PCN_STORED)
    records = _pcn_records(r, sheet, numbered(path, sheet, rows, first_row, columns.headers))
    yield from unique(
        path, sheet, records, lambda p: p.code, columns.header("code"), lambda p: p.code
    )


def _pcn_records(r, sheet, rows):
    for n, row in rows:
        if not any(c not in (None, "") for c in row):
            continue
        open_date = r.date(row, n, "open_date", required=True)
        close_date = r.date(row, n, "close_date")
        if close_date and close_date < open_date:
            r.fail(n, "close_date", f"{close_date:%Y%m%d} is before the open date")
        yield PCNRecord(
            sheet,
            n,
            r.code(row, n, "code", PCN_CODE, "PCN code (U and five digits)"),
            r.text(row, n, "name", required=True),
            r.code(row, n, "sub_icb_code", SUB_ICB_CODE, "Sub-ICB location code"),
            r.text(row, n, "sub_icb_name"),
            open_date,
            close_date,
            *(r.text(row, n, f"address_line_{i}") for i in range(1, 6)),
            r.text(row, n, "postcode"),
        )


def membership_records(path, sheet, rows, first_row=2):
    rows = iter(rows)
    columns = Columns(path, sheet, next(rows, []), PARTNER_COLUMNS, PARTNER_OPTIONAL)
    r = RowReader(path, sheet, columns, PARTNER_STORED)
    records = _membership_records(r, sheet, numbered(path, sheet, rows, first_row, columns.headers))
    yield from unique(
        path,
        sheet,
        records,
        lambda m: (m.practice_code, m.pcn_code, m.start_date),
        columns.header("start_date"),
        lambda m: f"The spell of {m.practice_code} in {m.pcn_code} from {m.start_date:%Y%m%d}",
    )


def _membership_records(r, sheet, rows):
    for n, row in rows:
        if not any(c not in (None, "") for c in row):
            continue
        start = r.date(row, n, "start_date", required=True)
        end = r.date(row, n, "end_date")
        if end and end < start:
            r.fail(n, "end_date", f"{end:%Y%m%d} is before the start date {start:%Y%m%d}")
        yield MembershipRecord(
            sheet,
            n,
            r.code(row, n, "practice_code", PRACTICE_CODE, "practice code"),
            r.text(row, n, "practice_name"),
            r.code(row, n, "practice_sub_icb_code", SUB_ICB_CODE, "Sub-ICB location code"),
            r.text(row, n, "practice_sub_icb_name"),
            r.code(row, n, "pcn_code", PCN_CODE, "PCN code (U and five digits)"),
            r.text(row, n, "pcn_name"),
            r.code(
                row, n, "pcn_sub_icb_code", SUB_ICB_CODE, "Sub-ICB location code", required=False
            ),
            r.text(row, n, "pcn_sub_icb_name"),
            start,
            end,
            r.flag(row, n, "match"),
        )


# The ODS Data Search and Export reports carry no header row; their columns are the
# workbook's, in order (DOMAIN.md §6.1: ePCN specification S36, report layout S148).
PCN_REPORT_HEADERS = [
    "PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location", "Open Date",
    "Close Date", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
    "Address Line 5", "Postcode",
]  # fmt: skip
PARTNER_REPORT_HEADERS = [
    "Partner Organisation Code", "Partner Name", "Practice Parent Sub ICB Loc Code",
    "Practice Parent Sub ICB Loc Name", "PCN Code", "PCN Name", "PCN Parent Sub ICB Loc Code",
    "PCN Parent Sub ICB Loc Name", "Practice to PCN Relationship Start Date",
    "Practice to PCN Relationship End Date", "Practice Sub ICB Loc and PCN Sub ICB Loc Match",
]  # fmt: skip


def is_pcn_report_row(row):
    """A PCN details row with no header above it: a PCN code, then name, commissioner, …"""
    return len(row) >= 6 and bool(PCN_CODE.fullmatch(row[0].strip().upper()))


def is_partner_report_row(row):
    return (
        len(row) >= 10
        and bool(PRACTICE_CODE.fullmatch(row[0].strip().upper()))
        and bool(PCN_CODE.fullmatch(row[4].strip().upper()))
    )


def with_header(rows, is_data_row, headers):
    """Rows starting with a header row: the file's own, or the report layout's when the
    file starts with data. Returns the rows and the file's row number of the first data
    row."""
    rows = iter(rows)
    first = next(rows, [])
    if first and is_data_row(first):
        return itertools.chain([headers, first], rows), 1
    return itertools.chain([first], rows), 2


PCN_SHEETS = ("PCNDetails", "PCN Details")
PARTNER_SHEET = "PCN Core Partner Details"


def read_epcn(path):
    import openpyxl

    check_workbook(path)
    try:
        limits.check_workbook_members(path)
    except limits.LimitError as error:
        raise ODSFileError(path, None, None, None, str(error)) from None
    try:
        # Read from memory: a row error part-way leaves no file handle open.
        content = io.BytesIO(Path(path).read_bytes())
        workbook = openpyxl.load_workbook(content, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ODSFileError(
            path, None, None, None, f"cannot be read as a workbook ({limits.brief(error)})"
        ) from None
    try:
        names = {name.strip(): name for name in workbook.sheetnames}
        pcn_sheet = next((names[n] for n in PCN_SHEETS if n in names), None)
        partner_sheet = names.get(PARTNER_SHEET)
        if pcn_sheet is None or partner_sheet is None:
            raise ODSFileError(
                path,
                None,
                None,
                None,
                f'needs sheets "PCNDetails" and "{PARTNER_SHEET}" (found: '
                f"{', '.join(workbook.sheetnames)})",
            )
        for sheet in (pcn_sheet, partner_sheet):
            check_declared_rows(path, sheet, workbook[sheet])
        pcns = list(pcn_records(path, pcn_sheet, sheet_rows(workbook[pcn_sheet])))
        memberships = list(
            membership_records(path, partner_sheet, sheet_rows(workbook[partner_sheet]))
        )
    except ODSFileError:
        raise
    except Exception as error:  # a damaged sheet shows only as it is read
        message = f"cannot be read as a workbook ({shown(error, 200)})"
        raise ODSFileError(path, None, None, None, message) from None
    finally:
        workbook.close()
    return EPCNData(pcns, memberships)


def sheet_rows(sheet):
    """A sheet's rows, no wider than any ODS file: a sheet that claims 16,384 columns
    is not padded out to them."""
    return sheet.iter_rows(values_only=True, max_col=limits.MAX_COLUMNS)


def read_epcn_csv(pcn_details_path, partner_details_path):
    """The two CSV exports, with their headers, or the two headerless ODS reports."""
    check_row_count(pcn_details_path)
    check_row_count(partner_details_path)
    rows, first_row = with_header(csv_rows(pcn_details_path), is_pcn_report_row, PCN_REPORT_HEADERS)
    pcns = list(pcn_records(pcn_details_path, None, rows, first_row))
    rows, first_row = with_header(
        csv_rows(partner_details_path), is_partner_report_row, PARTNER_REPORT_HEADERS
    )
    memberships = list(membership_records(partner_details_path, None, rows, first_row))
    return EPCNData(pcns, memberships)


# --- CSV files ------------------------------------------------------------------------


UTF_16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# The five bytes Windows-1252 leaves undefined: a file holding one is in no encoding
# this import reads.
CP1252_UNDEFINED = re.compile(b"[\x81\x8d\x8f\x90\x9d]")
WINDOWS_1252 = "cp1252"


@dataclass(frozen=True)
class Encoding:
    name: str
    note: str = ""  # a warning for the import's result, when the reading is a guess


def text_encoding(path):
    stat = Path(path).stat()
    return _text_encoding(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=32)
def _text_encoding(path, size, mtime):
    """UTF-8 (a byte-order mark or none), UTF-16 with a byte-order mark, or else
    Windows-1252, which reads latin-1 text the same way (they differ only in bytes
    0x80-0x9F, which are control characters in latin-1 and refused as such)."""
    with open(path, "rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return Encoding("utf-8-sig")
        if head.startswith(UTF_16_BOMS):
            return Encoding("utf-16")
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        try:
            while chunk := f.read(limits.CHUNK):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
            return Encoding("utf-8")
        except UnicodeDecodeError as error:
            first_bad = offset + error.start
        f.seek(0)
        rows_before = 0
        while chunk := f.read(limits.CHUNK):
            if bad := CP1252_UNDEFINED.search(chunk):
                row = rows_before + chunk.count(b"\n", 0, bad.start()) + 1
                raise ODSFileError(
                    path,
                    None,
                    row,
                    None,
                    f"byte 0x{bad.group()[0]:02X} is not text in UTF-8, UTF-16 or "
                    "Windows-1252; save the file as CSV UTF-8 and import it again",
                )
            rows_before += chunk.count(b"\n")
        f.seek(0)
        row = f.read(first_bad).count(b"\n") + 1
    return Encoding(
        WINDOWS_1252,
        f"{Path(path).name} is not UTF-8 (first on row {row}): read as Windows-1252 "
        "(Western European, which reads latin-1 the same); check accented names and "
        "apostrophes",
    )


def encoding_notes(paths):
    """A warning for each CSV file read as Windows-1252 rather than UTF-8."""
    return [
        note
        for path in paths
        if Path(path).suffix.lower() != ".xlsx" and (note := text_encoding(path).note)
    ]


def csv_problem(error):
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f"a cell holds more than {limits.max_cell_chars():,} characters, the most a "
            "cell may hold (ODS_MAX_CELL_CHARS)"
        )
    return f"is not a well-formed CSV file ({text})"


def csv_rows(path):
    encoding = text_encoding(path).name
    with open(path, newline="", encoding=encoding, errors="strict") as f:
        reader = csv.reader(f)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ODSFileError(path, None, reader.line_num, None, csv_problem(error)) from None
            except UnicodeError as error:
                raise ODSFileError(
                    path,
                    None,
                    reader.line_num + 1,
                    None,
                    f"is not text in {encoding} ({error.reason}); save it as CSV UTF-8",
                ) from None
            yield row


EPRACCUR_FIELDS = 27
GP_PRACTICE_SETTING = 4  # epraccur field 26: 4 = GP practice (epraccur specification 2019)


def read_epraccur(path):
    """epraccur's 27 columns, by position (epraccur specification, 2019)."""
    check_row_count(path)
    columns = Columns(path, None, [f"field {i}" for i in range(1, 28)], {}, set())
    columns.headers = [
        "Organisation Code", "Name", "National Grouping", "High Level Health Geography",
        "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4",
        "Address Line 5", "Postcode", "Open Date", "Close Date", "Status Code",
        "Organisation Sub-Type Code", "Commissioner", "Join Provider/Purchaser Date",
        "Left Provider/Purchaser Date", "Contact Telephone Number", "Null", "Null", "Null",
        "Amended Record Indicator", "Null", "Provider/Purchaser", "Null",
        "Prescribing Setting", "Null",
    ]  # fmt: skip
    fields = [
        "code", "name", "national_grouping", "hlhg", "a1", "a2", "a3", "a4", "a5",
        "postcode", "open_date", "close_date", "status", "sub_type", "commissioner",
        "join", "left", "phone", "n19", "n20", "n21", "amended", "n23", "provider", "n25",
        "setting", "n27",
    ]  # fmt: skip
    columns.index = {field: i for i, field in enumerate(fields)}
    r = RowReader(path, None, columns, EPRACCUR_STORED)
    records = _epraccur_records(path, r, numbered(path, None, csv_rows(path), 1, columns.headers))
    yield from unique(path, None, records, lambda p: p.code, "Organisation Code", lambda p: p.code)


EPRACCUR_STORED = {
    "name": "practices.Practice.name",
    "national_grouping": "networks.Region.code",
    "hlhg": "networks.IntegratedCareBoard.code",
    **{f"a{n}": f"practices.Practice.address_line_{n}" for n in range(1, 6)},
    "postcode": "practices.Practice.postcode",
    "commissioner": "networks.SubICBLocation.code",
    "phone": "practices.Practice.phone",
}


def _epraccur_records(path, r, rows):
    for n, row in rows:
        if not row or not any(row):
            continue
        if len(row) != EPRACCUR_FIELDS:
            raise ODSFileError(
                path, None, n, None, f"has {len(row)} columns; epraccur rows have 27"
            )
        open_date = r.date(row, n, "open_date", required=True)
        close_date = r.date(row, n, "close_date")
        if close_date and close_date < open_date:
            r.fail(n, "close_date", f"{close_date:%Y%m%d} is before the open date")
        setting = r.text(row, n, "setting")
        if not setting.isdigit():
            r.fail(n, "setting", f'"{setting}" is not a prescribing setting number')
        if int(setting) != GP_PRACTICE_SETTING and not PRACTICE_CODE.fullmatch(row[0].strip()):
            continue  # another kind of prescribing cost centre, with a code of its own form
        status = r.text(row, n, "status", required=True)
        if status not in ("A", "C", "D", "P"):
            r.fail(n, "status", f'"{status}" is not a status code (A, C, D or P)')
        yield PracticeRecord(
            n,
            r.code(row, n, "code", PRACTICE_CODE, "practice code (a letter and five digits)"),
            r.text(row, n, "name", required=True),
            r.text(row, n, "national_grouping"),
            r.text(row, n, "hlhg"),
            *(r.text(row, n, f"a{i}") for i in range(1, 6)),
            r.text(row, n, "postcode"),
            open_date,
            close_date,
            status,
            r.text(row, n, "sub_type"),
            r.text(row, n, "commissioner"),
            r.date(row, n, "join"),
            r.date(row, n, "left"),
            r.text(row, n, "phone"),
            int(setting),
        )


def read_list_sizes(path):
    check_row_count(path)
    rows = csv_rows(path)
    columns = Columns(path, None, next(rows, []), LIST_SIZE_COLUMNS, LIST_SIZE_OPTIONAL)
    r = RowReader(path, None, columns)
    records = _list_size_records(r, columns, numbered(path, None, rows, 2, columns.headers))
    yield from unique(
        path,
        None,
        records,
        lambda s: (s.practice_code, s.extract_date),
        columns.header("practice_code"),
        lambda s: f"The list size of {s.practice_code} on {s.extract_date:%d %b %Y}",
    )


def _list_size_records(r, columns, rows):
    for n, row in rows:
        if not row or not any(row):
            continue
        # Totals only: files broken down by sex or age carry ALL rows for the total.
        if any(r.text(row, n, f) not in ("", "ALL") for f in ("sex", "age")):
            continue
        if r.text(row, n, "type") not in ("", "GP"):
            continue
        extract = columns.get(row, "extract_date")
        yield ListSizeRecord(
            n,
            r.code(row, n, "practice_code", PRACTICE_CODE, "practice code"),
            parse_extract_date(extract, partial(r.fail, n, "extract_date")),
            r.integer(row, n, "patients"),
            r.text(row, n, "sub_icb_code"),
        )


MAP_STORED = {
    "practice_name": "practices.Practice.name",
    "pcn_name": "networks.PrimaryCareNetwork.name",
    "sub_icb_name": "networks.SubICBLocation.name",
    "sub_icb_ons_code": "networks.SubICBLocation.ons_code",
    "icb_name": "networks.IntegratedCareBoard.name",
    "icb_ons_code": "networks.IntegratedCareBoard.ons_code",
    "region_name": "networks.Region.name",
    "region_ons_code": "networks.Region.ons_code",
}


def read_practice_map(path):
    check_row_count(path)
    rows = csv_rows(path)
    columns = Columns(path, None, next(rows, []), MAP_COLUMNS, MAP_OPTIONAL)
    r = RowReader(path, None, columns, MAP_STORED)
    records = _map_records(r, numbered(path, None, rows, 2, columns.headers))
    yield from unique(
        path,
        None,
        records,
        lambda m: m.practice_code,
        columns.header("practice_code"),
        lambda m: m.practice_code,
    )


def _map_records(r, rows):
    for n, row in rows:
        if not row or not any(row):
            continue
        pcn = r.text(row, n, "pcn_code").upper()
        if pcn in ("", "U"):  # "U": the practice is not in a network
            pcn = None
        elif not PCN_CODE.fullmatch(pcn):
            r.fail(n, "pcn_code", f'"{pcn}" is not a valid PCN code')
        yield MapRecord(
            n,
            r.code(row, n, "practice_code", PRACTICE_CODE, "practice code"),
            r.text(row, n, "practice_name"),
            pcn,
            r.text(row, n, "pcn_name"),
            r.code(row, n, "sub_icb_code", SUB_ICB_CODE, "Sub-ICB location code"),
            r.text(row, n, "sub_icb_name"),
            r.text(row, n, "sub_icb_ons_code"),
            r.code(row, n, "icb_code", ICB_CODE, "ICB code"),
            r.text(row, n, "icb_name"),
            r.text(row, n, "icb_ons_code"),
            r.code(row, n, "region_code", REGION_CODE, "region code"),
            r.text(row, n, "region_name"),
            r.text(row, n, "region_ons_code"),
        )


# --- weighted populations -----------------------------------------------------------

# NHS Payments to General Practice is named for its financial year, e.g.
# nhspaymentsgp-22-23-prac.csv or …-2022-23-…; the file itself carries no date.
PAYMENTS_YEAR = re.compile(r"(?<!\d)(?:20)?(\d{2})[-_](\d{2})(?!\d)")


def payments_figure_date(path):
    """The date NHS Payments to General Practice's "Last Known Figure" is given: 1 January
    of its financial year (1 January 2023 for 2022/23).

    The file is a year of payments; its patient numbers are the last the year's payments
    used. The global sum is worked out each quarter on the list at the quarter's start, so
    the year's last figure is the one for its last quarter, January to March, which starts
    on 1 January (NHS Digital, NHS Payments to General Practice, Background Data Quality,
    and its notes on the global sum: "Figures are calculated quarterly"). 1 January is also
    the date the ARRS sum reads the weighted population on (DOMAIN.md §3.4: "at 1 Jan
    2023" for 2023/24), so the figure from the 2022/23 file is the one the 2023/24 sum
    uses, and for later years it is shown as an older (stale) figure.
    """
    match = PAYMENTS_YEAR.search(Path(path).name)
    first, second = (int(g) for g in match.groups()) if match else (None, None)
    if not match or (first + 1) % 100 != second:
        raise ODSFileError(
            path,
            None,
            None,
            None,
            "is an NHS Payments to General Practice file, which carries no date inside it: "
            "its name must give its financial year, as NHS Digital names it "
            "(e.g. nhspaymentsgp-22-23-prac.csv for 2022/23)",
        )
    return datetime.date(2000 + second, 1, 1)


def read_payments_gp(path):
    """The practice-level NHS Payments to General Practice file: each practice's "Number of
    Weighted Patients (Last Known Figure)", dated by payments_figure_date."""
    check_row_count(path)
    on = payments_figure_date(path)
    rows = csv_rows(path)
    columns = Columns(path, None, next(rows, []), PAYMENTS_COLUMNS, set())
    r = RowReader(path, None, columns)

    def records():
        for n, row in numbered(path, None, rows, 2, columns.headers):
            if not row or not any(row):
                continue
            yield WeightedRecord(
                n,
                r.code(row, n, "practice_code", PRACTICE_CODE, "practice code"),
                on,
                r.decimal(row, n, "weighted"),
            )

    yield from unique(
        path,
        None,
        records(),
        lambda w: w.practice_code,
        columns.header("practice_code"),
        lambda w: f"The weighted population of {w.practice_code}",
    )


def read_weighted(path):
    """A simple CSV of practice code, date (YYYY-MM-DD, YYYYMMDD or 01JAN2025) and weighted
    patients, one row per practice and date."""
    check_row_count(path)
    rows = csv_rows(path)
    columns = Columns(path, None, next(rows, []), WEIGHTED_COLUMNS, set())
    r = RowReader(path, None, columns)

    def records():
        for n, row in numbered(path, None, rows, 2, columns.headers):
            if not row or not any(row):
                continue
            yield WeightedRecord(
                n,
                r.code(row, n, "practice_code", PRACTICE_CODE, "practice code"),
                parse_extract_date(columns.get(row, "date"), partial(r.fail, n, "date")),
                r.decimal(row, n, "weighted"),
            )

    yield from unique(
        path,
        None,
        records(),
        lambda w: (w.practice_code, w.on),
        columns.header("practice_code"),
        lambda w: f"The weighted population of {w.practice_code} on {w.on:%d %b %Y}",
    )


# --- what a file is -------------------------------------------------------------------


def check_workbook(path):
    with open(path, "rb") as f:
        start = f.read(4)
    if not start:
        raise ODSFileError(path, None, None, None, "is empty")
    if start[:2] != b"PK" or not zipfile.is_zipfile(path):
        raise ODSFileError(path, None, None, None, "is not an Excel workbook (.xlsx)")


def detect_kind(path):
    path = Path(path)
    if not path.exists():
        raise ODSFileError(path, None, None, None, "does not exist")
    if not path.is_file():
        raise ODSFileError(path, None, None, None, "is a folder, not a file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_workbook(path)
        return EPCN
    with open(path, "rb") as f:
        sample = f.read(4096)
    if not sample.strip():
        raise ODSFileError(path, None, None, None, "is empty")
    if sample[:2] == b"PK":
        raise ODSFileError(
            path,
            None,
            None,
            None,
            "is a workbook or a zip archive, not a CSV file; name it .xlsx or .zip",
        )
    encoding = text_encoding(path)
    if encoding.name != "utf-16" and b"\0" in sample:
        raise ODSFileError(
            path,
            None,
            None,
            None,
            "holds NUL bytes, so it is not a CSV file in UTF-8, Windows-1252 or UTF-16 with "
            "a byte-order mark (save it as CSV UTF-8), nor an Excel workbook",
        )
    first = next(csv_rows(path), [])
    headers = {normalise(h) for h in first}
    if {"practice code", "pcn code"} <= headers:
        return PRACTICE_MAP
    if PAYMENTS_WEIGHTED in headers:
        return PAYMENTS_GP
    if "number of patients" in headers:
        return LIST_SIZES
    if {"weighted patients", "weighted population", "number of weighted patients"} & headers:
        return WEIGHTED
    if {"pcn code", "open date"} <= headers:
        return EPCN_PCNS_CSV
    if "partner organisation code" in headers:
        return EPCN_PARTNERS_CSV
    if len(first) == EPRACCUR_FIELDS and PRACTICE_CODE.fullmatch(first[0].strip()):
        return EPRACCUR
    if is_pcn_report_row(first):
        return EPCN_PCNS_CSV
    if is_partner_report_row(first):
        return EPCN_PARTNERS_CSV
    raise ODSFileError(
        path,
        None,
        1,
        None,
        "is not a file this import knows: expected ePCN (workbook, CSV exports or ODS "
        "reports), epraccur, a 'patients registered at a GP practice' totals file, the "
        "practice map file, NHS Payments to General Practice (practice level) or a weighted "
        "population file (practice code, date, weighted patients)",
    )


def read(path, kind):
    readers = {
        EPCN: read_epcn,
        EPRACCUR: lambda p: list(read_epraccur(p)),
        LIST_SIZES: lambda p: list(read_list_sizes(p)),
        PRACTICE_MAP: lambda p: list(read_practice_map(p)),
        PAYMENTS_GP: lambda p: list(read_payments_gp(p)),
        WEIGHTED: lambda p: list(read_weighted(p)),
    }
    return readers[kind](path)
