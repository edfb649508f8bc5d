"""A year's maximum amounts loaded from one file: the published table (role, band, first
and last day, national, outer London and inner London amounts, source), read, checked row
by row against what the portal holds, shown as what would change, then applied in one
transaction.

Every bad row is named with its number and what is wrong, and then nothing is applied: a
half-loaded table would cap some claims by the new year's figures and others by none. A
row of the file is matched to the portal's row for the same role, band and first day:
matched, it changes that row's amounts, last day and source; unmatched, it is a new period.
A period the portal holds open (no last day) that starts before a new period of the same
role and band is closed the day before it. Rows a national admin changed by hand in admin
are named in the preview, so their correction is not overwritten unseen.

The figures are never in the code: they come from the file (DOMAIN.md Appendix A: no
2026/27 amount is in any source the portal holds).
"""

import copy
import csv
import datetime
import functools
import io
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from networks.models import Source
from pcn_portal.core.dates import ONE_DAY, overlap, today
from pcn_portal.core.versions import event_model, person
from pcn_portal.core.writing import one_at_a_time, validated_save, writing
from practices.ods import limits, readers
from workforce import arrears, tasks
from workforce.models import ARRSRole, MaximumAmount
from workforce.rules import AFC_BANDS, role_bands

MAX_ROWS = 2000  # a year's table has about 100
SCHEME_START = datetime.date(2019, 7, 1)  # the first day ARRS reimbursed anything
LARGEST_AMOUNT = Decimal("10000000")  # the column keeps nine digits, two after the point
ZONES = (
    ("national", "national"),
    ("outer_london", "outer London"),
    ("inner_london", "inner London"),
)

# Each column of the table, the header the template writes first, then others accepted
# (compared lower case, spaces and underscores alike).
COLUMNS = {
    "role": ["role", "arrs role", "role code"],
    "band": ["agenda for change band", "afc band", "band"],
    "first_day": ["first day", "period start", "from", "start"],
    "last_day": ["last day", "period end", "until", "to", "end"],
    "national": ["national", "national amount"],
    "outer_london": ["outer london", "outer london amount"],
    "inner_london": ["inner london", "inner london amount"],
    "source": ["source", "sources"],
    "section": ["section or table", "section", "table"],
    "notes": ["notes", "note"],
}
OPTIONAL = {"band", "section", "notes"}
TEMPLATE_HEADERS = [
    "Role",
    "Agenda for Change band",
    "First day",
    "Last day",
    "National",
    "Outer London",
    "Inner London",
    "Source",
    "Section or table",
    "Notes",
]


class FiguresFileError(Exception):
    """A file that cannot be read at all (not a table, no header, over a limit)."""


class FiguresRefused(Exception):
    """A file with bad rows: `problems` names each one; nothing is applied."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


# --- reading the file ----------------------------------------------------------------


def table_rows(path):
    """The file's rows as lists of cells (a CSV file, or a workbook's first sheet), within
    the size limits the ODS uploads keep."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _workbook_rows(path)
    try:
        return list(readers.csv_rows(path))
    except readers.ODSFileError as error:
        raise FiguresFileError(_where(error)) from None


def _where(error):
    return f"has a problem at row {error.row}: it {error.message}" if error.row else error.message


def _workbook_rows(path):
    import openpyxl

    try:
        readers.check_workbook(path)
        limits.check_workbook_members(path)
    except readers.ODSFileError as error:
        raise FiguresFileError(error.message) from None
    except limits.LimitError as error:
        raise FiguresFileError(f"cannot be opened: {error}") from None
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(path.read_bytes()), read_only=True, data_only=True
        )
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise FiguresFileError(f"cannot be read as a workbook ({limits.brief(error)})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in readers.sheet_rows(sheet):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def header_positions(headers):
    """{column: position} found by header name; FiguresFileError naming what is missing."""
    found = {" ".join(str(h or "").replace("_", " ").lower().split()): i
             for i, h in enumerate(headers)}  # fmt: skip
    positions, missing = {}, []
    for name, accepted in COLUMNS.items():
        at = next((found[a] for a in accepted if a in found), None)
        if at is None:
            if name not in OPTIONAL:
                missing.append(dict(zip(COLUMNS, TEMPLATE_HEADERS, strict=True))[name])
            continue
        positions[name] = at
    if missing:
        raise FiguresFileError(
            f"does not name every column in its first row; missing: {', '.join(missing)} "
            "(the template has every column)"
        )
    return positions


@dataclass
class FileRow:
    """One checked row of the file."""

    number: int
    role: ARRSRole
    band: str
    first_day: datetime.date
    last_day: datetime.date
    amounts: dict
    sources: list
    section: str = ""
    notes: str = ""

    @property
    def key(self):
        return (self.role.pk, self.band, self.first_day)


@dataclass
class RowProblems:
    number: int
    problems: list = field(default_factory=list)

    def add(self, text):
        self.problems.append(text)

    def __str__(self):
        return f"Row {self.number}: {'; '.join(self.problems)}."


class Catalogue:
    """The roles and sources a file may name, read once."""

    def __init__(self):
        self.roles = {}
        for role in ARRSRole.objects.all():
            self.roles[role.code.lower()] = role
            self.roles[role.name.lower()] = role
        self.sources = {}
        for source in Source.objects.all():
            self.sources[source.key.lower()] = source
            self.sources.setdefault(source.title.lower(), source)


def read_rows(path):
    """The file's rows, checked: (rows, problems), each problem naming its row. A row with
    nothing but a role (and band) is left out: the template names every role, and a year's
    table need not give them all."""
    rows = table_rows(path)
    while rows and not any(_text(c) for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise FiguresFileError("is empty: the first row names the columns (see the template)")
    positions = header_positions(rows[0])
    if len(rows) - 1 > MAX_ROWS:
        raise FiguresFileError(f"has more than {MAX_ROWS:,} rows; a year's table has about 100")
    catalogue = Catalogue()
    checked, problems = [], []
    filled = [i for name, i in positions.items() if name not in ("role", "band")]
    for number, cells in enumerate(rows[1:], start=2):
        if not any(_text(cells[i]) for i in filled if i < len(cells)):
            continue  # blank, or a role the template names and the year's table does not
        row, found = check_row(number, cells, positions, catalogue)
        if found.problems:
            problems.append(found)
        else:
            checked.append(row)
    return checked, problems


def _cell(cells, positions, name):
    at = positions.get(name)
    return cells[at] if at is not None and at < len(cells) else None


def _text(value):
    return "" if value is None else str(value).strip()


def check_row(number, cells, positions, catalogue):
    """A FileRow and the row's problems (each what a national admin would fix)."""
    found = RowProblems(number)
    for value in cells:
        text = _text(value)
        if len(text) > limits.max_cell_chars():
            found.add(f"a cell holds {len(text):,} characters; at most {limits.max_cell_chars():,}")
            return None, found
        if bad := readers.CONTROL.search(text):
            found.add(f"a cell holds {readers.character_name(bad.group())}")
            return None, found
    role = _role(_text(_cell(cells, positions, "role")), catalogue, found)
    band = _band(_text(_cell(cells, positions, "band")), role, found)
    first = _day(_cell(cells, positions, "first_day"), "first day", found)
    last = _day(_cell(cells, positions, "last_day"), "last day", found)
    _check_period(role, first, last, found)
    amounts = {name: _money(_cell(cells, positions, name), label, found) for name, label in ZONES}
    if not found.problems and all(v is None for v in amounts.values()):
        found.add("no amount: give at least the national amount")
    sources = _sources(_text(_cell(cells, positions, "source")), catalogue, found)
    section = _text(_cell(cells, positions, "section"))
    if len(section) > MaximumAmount._meta.get_field("section").max_length:
        found.add("the section or table is longer than the portal keeps (200 characters)")
    row = FileRow(number, role, band, first, last, amounts, sources, section,
                  _text(_cell(cells, positions, "notes")))  # fmt: skip
    return row, found


def _role(text, catalogue, found):
    if not text:
        found.add("no role")
        return None
    role = catalogue.roles.get(text.lower())
    if role is None:
        found.add(f'unknown role "{readers.shown(text)}" (the template lists the roles)')
    return role


def _band(text, role, found):
    band = re.sub(r"^band\s*", "", text.lower()).strip()
    if band in ("", "-", "–", "n/a"):
        return ""
    if role is None:
        return band
    bands = role_bands(role)
    if band not in AFC_BANDS or band not in bands:
        if not bands:
            found.add(f"{role} has no Agenda for Change band; leave the band blank")
        else:
            shown = " or ".join(bands) if len(bands) < 3 else f"{bands[0]} to {bands[-1]}"
            found.add(f"{role} has no band {readers.shown(text, 20)} (its bands: {shown})")
    return band


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%Y%m%d", "%d-%m-%Y")


def _day(value, what, found):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        found.add(f"no {what}")
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    found.add(
        f'the {what} "{readers.shown(text, 30)}" is not a date (like 2026-04-01 or 01/04/2026)'
    )
    return None


def one_year_on(day):
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _check_period(role, first, last, found):
    if first is None or last is None:
        return
    if last < first:
        found.add(f"the last day ({day_text(last)}) is before the first ({day_text(first)})")
        return
    if last >= one_year_on(first):
        found.add(
            f"the period from {day_text(first)} to {day_text(last)} is over a year; a row "
            "gives one period's amounts, at most a year"
        )
    if first < SCHEME_START:
        found.add(f"the first day ({day_text(first)}) is before ARRS began (1 July 2019)")
    elif role is not None and first < role.reimbursable_from:
        found.add(
            f"{role} is reimbursable from {day_text(role.reimbursable_from)}, after the first "
            f"day ({day_text(first)})"
        )


def _money(value, label, found):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        found.add(f"the {label} amount ({value}) is not money")
        return None
    text = str(value).strip().replace(",", "").removeprefix("£").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        found.add(f'the {label} amount "{readers.shown(value, 30)}" is not money')
        return None
    if isinstance(value, float):
        amount = amount.quantize(Decimal("0.01"))
    if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= LARGEST_AMOUNT:
        found.add(
            f'the {label} amount "{readers.shown(value, 30)}" is not money (pounds, at most two '
            "decimal places, not negative, under £10 million)"
        )
        return None
    return amount.quantize(Decimal("0.01"))


def _sources(text, catalogue, found):
    if not text:
        found.add("no source: name the published document (its title in the portal's sources)")
        return []
    sources = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        source = catalogue.sources.get(part.lower())
        if source is None:
            found.add(
                f'unknown source "{readers.shown(part)}": add it under Sources first, then '
                "name it by its title"
            )
        else:
            sources.append(source)
    return sources


def day_text(day):
    return f"{day.day} {day:%B %Y}" if day else "no last day"


# --- against what the portal holds ---------------------------------------------------


@dataclass
class Change:
    """What applying one row (or closing one period) does."""

    kinds: list  # "new period", "changed amounts", "closes the period", …
    row: FileRow | None
    stored: MaximumAmount | None
    last_day: datetime.date | None = None  # for a period only closed
    by_hand: str = ""

    @property
    def changes_anything(self):
        return self.kinds != ["unchanged"]

    def as_data(self):
        stored, row = self.stored, self.row
        role = row.role if row else stored.role
        band = row.band if row else stored.afc_band
        first = row.first_day if row else stored.period_start
        last = row.last_day if row else self.last_day
        return {
            "row": row.number if row else None,
            "what": ", ".join(self.kinds),
            "role": role.name,
            "band": band or "–",
            "period": f"{day_text(first)} to {day_text(last)}",
            "before": figures_text(stored) if stored else "",
            "before_period": (
                f"{day_text(stored.period_start)} to {day_text(stored.period_end)}"
                if stored
                else ""
            ),
            "after": figures_text(row) if row else "",
            "by_hand": self.by_hand,
        }


def figures_text(record):
    """A row's amounts in words: "national £62,340.00, outer London …", or unknown."""
    if isinstance(record, MaximumAmount):
        if record.unknown:
            return "unknown"
        values = {name: getattr(record, name) for name, _ in ZONES}
    else:
        values = record.amounts
    parts = [f"{label} £{values[name]:,.2f}" for name, label in ZONES if values[name] is not None]
    return ", ".join(parts) or "no amount"


def plan(rows):
    """The changes applying `rows` makes, and the problems that stop it (overlapping
    periods: in the file, or with a period the portal holds)."""
    roles = {row.role.pk for row in rows}
    stored = list(
        MaximumAmount.objects.filter(role_id__in=roles)
        .select_related("role")
        .prefetch_related("sources")
    )
    by_key = {(m.role_id, m.afc_band, m.period_start): m for m in stored}
    changes, problems, seen = [], [], {}
    for row in sorted(rows, key=lambda r: r.number):
        if row.key in seen:
            problems.append(
                RowProblems(
                    row.number,
                    [
                        f"overlapping period: row {seen[row.key]} gives the same "
                        f"role, band and first day"
                    ],
                )
            )
            continue
        seen[row.key] = row.number
        changes.append(_change_for(row, by_key.get(row.key)))
    changes += _closed_by_new_periods(rows, stored, by_key)
    problems += _overlaps(changes, stored)
    _mark_hand_changes(changes)
    return changes, problems


def _change_for(row, stored):
    if stored is None:
        return Change(["new period"], row, None)
    kinds = []
    amounts = {name: getattr(stored, name) for name, _ in ZONES}
    if stored.unknown or amounts != row.amounts:
        kinds.append("changed amounts")
    if stored.period_end is None:
        kinds.append("closes the period")
    elif stored.period_end != row.last_day:
        kinds.append("moves the last day")
    if set(stored.sources.all()) != set(row.sources) or stored.section != row.section:
        kinds.append("changed source")
    return Change(kinds or ["unchanged"], row, stored)


def _closed_by_new_periods(rows, stored, by_key):
    """Open periods the portal holds that a new period of the same role and band starts
    after: each closed the day before the first such period."""
    firsts = {}
    for row in rows:
        if row.key not in by_key:
            group = (row.role.pk, row.band)
            firsts[group] = min(firsts.get(group, row.first_day), row.first_day)
    closed = []
    file_keys = {row.key for row in rows}
    for m in stored:
        first = firsts.get((m.role_id, m.afc_band))
        key = (m.role_id, m.afc_band, m.period_start)
        if first and m.period_end is None and m.period_start < first and key not in file_keys:
            closed.append(Change(["closes the period"], None, m, last_day=first - ONE_DAY))
    return closed


def _overlaps(changes, stored):
    """Each file row whose period shares a day with another of the same role and band, as
    the portal would hold them after the load."""
    after = {}  # (role, band) -> [Span]
    touched = {c.stored.pk for c in changes if c.stored}
    for m in stored:
        if m.pk not in touched:
            after.setdefault((m.role_id, m.afc_band), []).append(
                Span(m.period_start, m.period_end, None)
            )
    for c in changes:
        if c.row:
            after.setdefault((c.row.role.pk, c.row.band), []).append(
                Span(c.row.first_day, c.row.last_day, c.row.number)
            )
        else:
            after.setdefault((c.stored.role_id, c.stored.afc_band), []).append(
                Span(c.stored.period_start, c.last_day, None)
            )
    problems = {}
    for spans in after.values():
        for a, b in itertools.combinations(sorted(spans, key=lambda s: s.first), 2):
            if overlap(a.first, a.last, b.first, b.last) is None:
                continue
            for mine, theirs in ((a, b), (b, a)):
                if mine.number is not None:
                    problems.setdefault(mine.number, RowProblems(mine.number)).add(
                        f"overlapping period: shares days with {theirs.described()}"
                    )
    return list(problems.values())


@dataclass
class Span:
    first: datetime.date
    last: datetime.date | None
    number: int | None  # the file's row, or None for a period the portal holds

    def described(self):
        if self.number is not None:
            return f"row {self.number}"
        return f"the portal's period from {day_text(self.first)} to {day_text(self.last)}"


def _mark_hand_changes(changes):
    """Name the stored rows a national admin last changed by hand in admin (a person's
    change, not a migration's or a load's)."""
    ids = [c.stored.pk for c in changes if c.stored and c.changes_anything]
    if not ids:
        return
    events = event_model(MaximumAmount)
    latest = {}
    for event in (
        events.objects.filter(pgh_obj_id__in=ids).select_related("pgh_context").order_by("pgh_id")
    ):
        latest[event.pgh_obj_id] = event
    for c in changes:
        event = c.stored and latest.get(c.stored.pk)
        context = (event.pgh_context.metadata if event and event.pgh_context else {}) or {}
        if event and context.get("user") and not context.get("process"):
            when = event.pgh_created_at
            c.by_hand = f"Changed by hand by {person(context)} on {when:%-d %B %Y}"


def preview_data(name, changes, problems):
    """What the upload's page shows, kept on the upload row until the admin confirms."""
    shown = [c.as_data() for c in changes]
    counts = {}
    for c in changes:
        for kind in c.kinds:
            counts[kind] = counts.get(kind, 0) + 1
    return {
        "file": name,
        "rows": shown,
        "counts": [{"what": k, "count": n} for k, n in sorted(counts.items())],
        "changed": sum(1 for c in changes if c.changes_anything),
        "problems": [str(p) for p in sorted(problems, key=lambda p: p.number)],
    }


def check_file(path, name):
    """Read and check a file against the portal: the preview data (with `problems` set
    when it would be refused). FiguresFileError for a file that is no table at all."""
    rows, problems = read_rows(path)
    changes, overlaps = plan(rows) if rows else ([], [])
    if not rows and not problems:
        raise FiguresFileError("has no rows of amounts under its first row")
    return preview_data(name, changes, problems + overlaps)


# --- applying ------------------------------------------------------------------------


def apply_file(path, name, *, by, expected=None):
    """Apply the file in one transaction, as `by`, in the audit history under the file's
    name. Refused (FiguresRefused) when a row is bad or, given the preview the admin
    confirmed (`expected`), when the portal's rows changed since it was made."""
    process = f"load maximum amounts {name}"
    with writing(by, process):
        one_at_a_time("maximum amounts load")
        rows, problems = read_rows(path)
        changes, overlaps = plan(rows)
        problems = [str(p) for p in sorted(problems + overlaps, key=lambda p: p.number)]
        if problems:
            raise FiguresRefused(problems)
        data = preview_data(name, changes, [])
        if expected is not None and data["rows"] != expected["rows"]:
            raise FiguresRefused(
                [
                    "The maximum amounts changed after the check (someone saved one meanwhile): "
                    "upload the file again to see what it would change now"
                ]
            )
        try:
            backdated = _write(changes, by=by, how=f"loaded from {name}")
        except ValidationError as error:
            raise FiguresRefused(error.messages) from None
        if backdated:  # figures changed for months already claimed: arrears are owed
            transaction.on_commit(functools.partial(tasks.work_out_arrears.enqueue, by.pk))
        transaction.on_commit(tasks.refresh_forecasts.enqueue)
        # A figure loaded may let held lines be claimed (as a figure entered in admin does).
        transaction.on_commit(functools.partial(tasks.claim_held_lines.enqueue, by.pk))
    return data


def _write(changes, *, by, how):
    """Closes first (a period shortened frees the days a new one takes), then the rest.
    Each row changed over days already past is kept as a backdated change, whose arrears
    the task worker works out (workforce.arrears); returns those kept."""
    ordered = sorted(changes, key=lambda c: 0 if c.row is None else 1)
    backdated = []
    for change in ordered:
        if not change.changes_anything:
            continue
        before = copy.copy(change.stored) if change.stored else None
        record = _write_one(change)
        backdated.append(arrears.record_row_change(before, record, by=by, how=how))
    return [change for change in backdated if change is not None]


def _write_one(change):
    if change.row is None:
        change.stored.period_end = change.last_day
        return validated_save(change.stored)
    row = change.row
    record = change.stored or MaximumAmount(
        role=row.role, afc_band=row.band, period_start=row.first_day
    )
    record.period_end = row.last_day
    for name, _ in ZONES:
        setattr(record, name, row.amounts[name])
    record.unknown = False
    record.section = row.section
    record.notes = row.notes
    validated_save(record)
    record.sources.set(row.sources)
    return record


# --- the template --------------------------------------------------------------------


def template_csv():
    """The table to fill in: the columns, and a line per role with its name (the bands
    each role has in a comment column would be read as data, so they are in the page's
    help instead). No figures: those come from the published table."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADERS)
    for role in ARRSRole.objects.filter(
        Q(reimbursable_until__isnull=True) | Q(reimbursable_until__gte=today())
    ).order_by("name"):
        writer.writerow([role.name] + [""] * (len(TEMPLATE_HEADERS) - 1))
    return out.getvalue()
