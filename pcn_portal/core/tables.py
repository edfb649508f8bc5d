"""Tables declared once: the NHS.UK table on the page and its CSV and XLSX downloads.

A page declares its table like a form, one `Column` per column:

    class NetworkTable(Table):
        name = Column("Name", link=lambda pcn: pcn.get_absolute_url(), sort="name")
        code = Column("ODS code", sort="code")
        opened = Column("Opened", "open_date", sort="open_date")
        population = Column("Population", numeric=True, sort="population")

        default_sort = "name"
        filename = "networks"
        filterset_class = NetworkFilter

and the view builds it from the request and the rows the user may see:

    table = NetworkTable(request, area.networks.all())
    if download := table.download():
        return download
    return render(request, "networks/network_list.html", {"table": table})

One object (the table, through its columns) turns a row into what the page shows and into
what a download holds, so a download always matches the screen: the same rows, filters and
order, the same columns. On the page a date reads "1 December 2026" and a number "1,234";
in a download a date is a real date (ISO `2026-12-01` in CSV) and a number is a number.

A table may say what its downloads are of (`about`, an `About`: the area or network by
name and code, and the date its figures are as of or their financial year): the file is
then named with them, `arrs-QHM-2025-06-01.csv` rather than the day it was downloaded, and
its first rows say them, then a blank row, then the headings, so a file read later (a
board paper) cannot pass for today's figures.

The query string carries the state: the filters (a django-filter FilterSet), `sort=key` or
`sort=-key` (a key the table does not declare as sortable is ignored), `page=N` (a page past
the end shows the last page) and `format=csv` or `format=xlsx` for the downloads.
"""

import csv
import datetime
import decimal
import re
import tempfile
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.html import format_html
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pcn_portal.core.dates import financial_year_label, today
from pcn_portal.core.pages import Pagination, query_string

# The most rows an Excel sheet holds; the heading row takes one of them.
XLSX_MAX_ROWS = 1_048_576
# Rows fetched from the database at a time while a download streams.
CHUNK_SIZE = 2000
FORMATS = ("csv", "xlsx")
# A spreadsheet reads a text cell starting with one of these as a formula (or, for tab and
# carriage return, as the start of one after the whitespace is dropped).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DOWNLOAD_REFUSED_TEMPLATE = "core/download_refused.html"


def neutralise(text):
    """A text value made inert for a spreadsheet: a leading apostrophe before a value that
    starts like a formula, which spreadsheets show as text and do not evaluate."""
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def display_value(value):
    """How a value reads on the page, when its column gives no format of its own."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, int | decimal.Decimal | float):
        return f"{value:,}"
    return str(value)


def plain_value(value):
    """What a download holds for a value: a number stays a number, a date a date (a time in
    the site's time zone, as the page shows it), yes/no as on the page, anything else text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value.replace(microsecond=0)
    if isinstance(value, datetime.date | int | float | decimal.Decimal):
        return value
    return str(value)


# The most of a free-text value a table shows on its row before folding the rest away.
FOLD_AFTER = 160


def folded(text):
    """A free-text value (notes) as a cell shows it: a short one whole; a long one by its
    first words, with the whole text in an NHS.UK details component under them. Notes may
    run to thousands of characters, and shown whole one made a page many screens tall; the
    downloads keep the whole text."""
    if not text or len(text) <= FOLD_AFTER:
        return text or ""
    start = text[:FOLD_AFTER].rsplit(" ", 1)[0] if " " in text[:FOLD_AFTER] else text[:FOLD_AFTER]
    return format_html(
        '{}…<details class="nhsuk-details nhsuk-u-margin-bottom-0">'
        '<summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">'
        "Read all {} characters</span></summary>"
        '<div class="nhsuk-details__text">{}</div></details>',
        start,
        f"{len(text):,}",
        text,
    )


def breakable(text):
    """A value that may hold a long unbroken word (an e-mail address, a file name) as a
    cell shows it: broken where it must be to keep its column within the table, instead
    of widening the table past the screen."""
    return format_html('<span class="app-wrap-anywhere">{}</span>', text) if text else ""


def money(value):
    """£1,234.56 on the page; the download keeps the number."""
    return "" if value is None else f"£{value:,.2f}"


@dataclass(frozen=True)
class About:
    """What a download is of: an area or a network (`of` says which; `name` as people read
    it, with its code where it helps, and `code`), as of a date (`on`) and, where its
    figures are a financial year's, of that year (`year`, 2025 for 2025/26). The file name
    carries the code and the date (the year when there is no date); the first rows say
    each, and the time the figures were read when `extracted` gives it."""

    code: str
    name: str
    on: datetime.date | None = None
    year: int | None = None
    of: str = "Area"
    # When the figures were read (a board pack's sheets say it): a time, or None.
    extracted: datetime.datetime | None = None

    @property
    def file_tag(self):
        when = self.on.isoformat() if self.on else financial_year_label(self.year).replace("/", "-")
        return f"{self.code}-{when}"

    @property
    def rows(self):
        rows = [[self.of, self.name]]
        if self.on is not None:
            rows.append(["As of", self.on])
        if self.year is not None:
            rows.append(["Financial year", financial_year_label(self.year)])
        if self.extracted is not None:
            rows.append(["Extracted", plain_value(self.extracted)])
        return rows


class Column:
    """One column of a table.

    - `heading`: the column heading, on the page and in the downloads.
    - `accessor`: where the value comes from: an attribute path ("lead_commissioner.name";
      a method on the way is called) or a callable taking the row. The column's own name
      in the table when left out.
    - `format`: a callable giving the text (or safe HTML, such as a tag) the page shows for
      the value; downloads always hold the plain value. Left out: dates as "1 December
      2026", numbers with thousands separators, True/False as Yes/No.
    - `sort`: the ORM field (or tuple of fields) the column sorts by; None when it does
      not sort. `sort=True` sorts by the accessor's path.
    - `numeric`: right-aligned, as NHS.UK tables show numbers; sorts largest first on the
      first click.
    - `link`: a callable taking the row and giving the address the cell links to (or None).
    - `screen=False` leaves the column off the page, `download=False` out of downloads.
    """

    _counter = 0

    def __init__(
        self,
        heading,
        accessor=None,
        *,
        format=None,
        sort=None,
        numeric=False,
        link=None,
        screen=True,
        download=True,
    ):
        self.heading = heading
        self.accessor = accessor
        self.format = format
        self._sort = sort
        self.numeric = numeric
        self.link = link
        self.screen = screen
        self.download = download
        self.key = None
        Column._counter += 1
        self._order = Column._counter

    def bind(self, key):
        self.key = key
        if self.accessor is None:
            self.accessor = key
        return self

    @property
    def sort_fields(self):
        """The ORM fields the column sorts by, ascending; empty when it does not sort."""
        if self._sort is None or self._sort is False:
            return ()
        if self._sort is True:
            return (self.accessor.replace(".", "__"),)
        if isinstance(self._sort, str):
            return (self._sort,)
        return tuple(self._sort)

    def value(self, row):
        if callable(self.accessor):
            return self.accessor(row)
        value = row
        for part in self.accessor.split("."):
            if value is None:
                return None
            value = getattr(value, part)
            if callable(value) and not hasattr(value, "all"):
                value = value()
        return value

    def display(self, row):
        value = self.value(row)
        return self.format(value) if self.format else display_value(value)

    def plain(self, row):
        return plain_value(self.value(row))


class Cell:
    """One cell as the page shows it."""

    def __init__(self, column, text, href):
        self.column = column
        self.text = text
        self.href = href
        self.numeric = column.numeric

    def __str__(self):
        if self.href:
            return format_html('<a class="nhsuk-link" href="{}">{}</a>', self.href, self.text)
        return format_html("{}", self.text)


class Heading:
    """One column heading as the page shows it, with its sort link and state."""

    def __init__(self, column, *, href=None, aria_sort=None):
        self.column = column
        self.text = column.heading
        self.numeric = column.numeric
        self.sortable = href is not None
        self.href = href
        self.aria_sort = aria_sort


class DownloadLink:
    LABELS = {"csv": "CSV", "xlsx": "Excel (XLSX)"}

    def __init__(self, format, href):
        self.format = format
        self.label = self.LABELS[format]
        self.href = href


class TableMeta(type):
    def __new__(mcs, name, bases, attrs):
        columns = {}
        for base in reversed(bases):
            columns.update(getattr(base, "base_columns", {}))
        declared = sorted(
            ((key, value) for key, value in attrs.items() if isinstance(value, Column)),
            key=lambda item: item[1]._order,
        )
        for key, column in declared:
            attrs.pop(key)
            columns[key] = column.bind(key)
        attrs["base_columns"] = columns
        return super().__new__(mcs, name, bases, attrs)


class Table(metaclass=TableMeta):
    """A table of rows from a queryset, sorted, filtered and paginated from the request.

    Class attributes a table may set (each can also be given to the constructor):
    `caption`, `default_sort` (a column key, `-key` for descending), `per_page`,
    `filterset_class` (a django-filter FilterSet over the same model), `filename` (the
    downloads are `<filename>-<today>.csv`), `empty_message` (shown instead of the table
    when there are no rows), `row_header` (the first cell of each row is its header) and
    `downloads` (the formats offered; empty for none), `about` (what the downloads are of:
    an About, which names the file and heads it) and `key` (on a page of several
    tables, each downloadable: its download links carry `?table=<key>`, and it answers only
    a download that names it; a table without a key answers only one that names none).
    `off_screen` names columns this table leaves off the page but keeps in its downloads
    (one that would repeat the same value on every row, say). `few_rows` reads the rows
    in one query, the page and its count from them, for a table whose rows are few by
    nature (one per ARRS role) and costly to count apart. `compact` draws it as the NHS.UK
    compact table (less space between columns), for a table of many figures side by side.
    """

    caption = ""
    default_sort = None
    per_page = 50
    filterset_class = None
    filename = "table"
    empty_message = "There is nothing to show."
    row_header = False
    downloads = FORMATS
    key = ""
    off_screen = ()
    few_rows = False
    compact = False
    about = None

    OPTIONS = (
        "caption",
        "default_sort",
        "per_page",
        "filterset_class",
        "filename",
        "empty_message",
        "row_header",
        "downloads",
        "key",
        "off_screen",
        "few_rows",
        "about",
    )

    def __init__(self, request, queryset, **options):
        for name, value in options.items():
            if name not in self.OPTIONS:
                raise TypeError(f"{type(self).__name__} has no option {name!r}")
            setattr(self, name, value)
        self.request = request
        self.columns = list(self.base_columns.values())
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                request.GET or None, queryset=queryset, request=request
            )
            if self.filterset.is_bound and not self.filterset.is_valid():
                # As django-filter's own views do: no rows rather than rows the user did
                # not ask for; the form shows what is wrong.
                queryset = queryset.none()
            else:
                queryset = self.filterset.qs
        self.sort_key, self.descending = self._sort_from(request.GET.get("sort"))
        self.queryset = self._sorted(queryset)
        if self.few_rows:
            len(self.queryset)  # read once: the paginator counts and slices what was read
        self._pagination = None

    # --- sorting -------------------------------------------------------------------------

    @property
    def sortable(self):
        return {column.key: column for column in self.columns if column.sort_fields}

    def _sort_from(self, value):
        """The sort the query string asks for when the table declares it, or else the
        table's default."""
        for candidate in (value, self.default_sort):
            if not candidate:
                continue
            descending = candidate.startswith("-")
            key = candidate.removeprefix("-")
            if key in self.sortable:
                return key, descending
        return None, False

    def _sorted(self, queryset):
        ordering = []
        if self.sort_key:
            for field in self.sortable[self.sort_key].sort_fields:
                reverse = field.startswith("-") != self.descending
                expression = F(field.removeprefix("-"))
                ordering.append(
                    expression.desc(nulls_last=True) if reverse else expression.asc(nulls_last=True)
                )
        elif queryset.ordered:
            return queryset
        # The primary key last, so rows with equal values keep one order across pages.
        return queryset.order_by(*ordering, "pk")

    @property
    def sort(self):
        """The current sort as the query string writes it: `name`, `-name` or None."""
        if not self.sort_key:
            return None
        return f"-{self.sort_key}" if self.descending else self.sort_key

    # --- the page ------------------------------------------------------------------------

    @property
    def screen_columns(self):
        return [
            column for column in self.columns if column.screen and column.key not in self.off_screen
        ]

    @property
    def download_columns(self):
        return [column for column in self.columns if column.download]

    @property
    def headings(self):
        headings = []
        for column in self.screen_columns:
            if not column.sort_fields:
                headings.append(Heading(column))
                continue
            if column.key == self.sort_key:
                aria_sort = "descending" if self.descending else "ascending"
                next_sort = column.key if self.descending else f"-{column.key}"
            else:
                aria_sort = None
                next_sort = f"-{column.key}" if column.numeric else column.key
            href = query_string(self.request, sort=next_sort, page=None, format=None)
            headings.append(Heading(column, href=href, aria_sort=aria_sort))
        return headings

    @property
    def is_sortable(self):
        return any(column.sort_fields for column in self.screen_columns)

    @property
    def pagination(self):
        if self._pagination is None:
            self._pagination = Pagination(self.request, self.queryset, self.per_page)
        return self._pagination

    @property
    def rows(self):
        """The rows of the current page, each a list of cells."""
        return [self.cells(row) for row in self.pagination.page.object_list]

    def cells(self, row):
        return [
            Cell(column, column.display(row), column.link(row) if column.link else None)
            for column in self.screen_columns
        ]

    @property
    def is_filtered(self):
        """Whether the request gives any filter a value."""
        return bool(
            self.filterset and self.filterset.is_bound and self.filterset.form.has_changed()
        )

    @property
    def clear_filters_url(self):
        """The page without filters, in the same order."""
        return "?" + (urlencode({"sort": self.sort}) if self.sort else "")

    @property
    def download_links(self):
        return [
            DownloadLink(fmt, query_string(self.request, format=fmt, page=None, **self.key_param))
            for fmt in self.downloads
        ]

    # --- downloads -----------------------------------------------------------------------

    def download(self):
        """The download the request asks for (`format=csv` or `format=xlsx`), or None when it
        asks for the page."""
        fmt = self.request.GET.get("format")
        if fmt in self.downloads and self.request.GET.get("table", "") == self.key:
            return self.response(fmt)
        return None

    @property
    def key_param(self):
        return {"table": self.key} if self.key else {}

    def response(self, fmt):
        if fmt == "csv":
            return self.csv_response()
        if fmt == "xlsx":
            return self.xlsx_response()
        raise ValueError(f"no download format {fmt!r}")

    def download_filename(self, fmt):
        tag = self.about.file_tag if self.about else today().isoformat()
        return f"{self.filename}-{tag}.{fmt}"

    @property
    def preamble(self):
        """The rows above the headings: what the download is of, then a blank row."""
        return [*self.about.rows, []] if self.about else []

    def plain_rows(self):
        """Every row (not only one page) as plain values, fetched in chunks."""
        columns = self.download_columns
        for row in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [column.plain(row) for column in columns]

    def csv_lines(self):
        writer = csv.writer(_Echo())
        # A byte-order mark, so Excel opens the file as UTF-8 (names with accents).
        yield "\ufeff"
        for values in self.preamble:
            yield writer.writerow([_csv_value(value) for value in values])
        yield writer.writerow([column.heading for column in self.download_columns])
        for values in self.plain_rows():
            yield writer.writerow([_csv_value(value) for value in values])

    def csv_response(self):
        response = StreamingHttpResponse(self.csv_lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.download_filename("csv")}"'
        return response

    def xlsx_response(self):
        rows = self.queryset.count()
        if rows > self.xlsx_max_rows:
            return self.refuse_xlsx(rows)
        return workbook_response([self.sheet()], self.download_filename("xlsx"))

    @property
    def xlsx_max_rows(self):
        """The most rows a sheet holds below the preamble and the headings."""
        return XLSX_MAX_ROWS - 1 - len(self.preamble)

    def sheet(self, *, title=None, about=None):
        """The table's download as one sheet of a workbook: every row, headed by what it
        is of (`about`, else the table's own) and titled `title` (else its caption)."""
        about = about or self.about
        return Sheet(
            title=title or self.caption or self.filename,
            preamble=[*about.rows, []] if about else [],
            headings=[column.heading for column in self.download_columns],
            rows=self.plain_rows(),
        )

    def write_xlsx(self, file):
        """Write every row to an XLSX workbook of one sheet in `file`."""
        write_workbook(file, [self.sheet()])

    def refuse_xlsx(self, rows):
        """A page saying why there is no XLSX file and linking to the CSV of the same rows
        (400: the request asks for what cannot be made)."""
        context = {
            "rows": f"{rows:,}",
            "limit": f"{self.xlsx_max_rows:,}",
            "csv_url": query_string(self.request, format="csv", page=None),
            "back_url": query_string(self.request, format=None),
        }
        return render(self.request, DOWNLOAD_REFUSED_TEMPLATE, context, status=400)


class _Echo:
    """A file-like object that hands back what the csv writer writes."""

    def write(self, value):
        return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str):
        return neutralise(value)
    return value


def _xlsx_text(text):
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _xlsx_cell(sheet, value):
    if isinstance(value, Formatted):
        cell = WriteOnlyCell(sheet, value=value.value)
        cell.number_format = value.number_format
        return cell
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
    # Text, never a formula, whatever it starts with.
    cell.data_type = "s"
    return cell


@dataclass
class Formatted:
    """A number with the format a spreadsheet shows it in (money as £1,234.56), for a sheet
    whose column mixes kinds of figure; the cell keeps the number."""

    value: object
    number_format: str


MONEY_FORMAT = '"£"#,##0.00'


@dataclass
class Sheet:
    """One sheet of a workbook: its title, the rows above its headings (what it is of,
    then a blank row), its headings and its rows of plain values (an iterable, read once)."""

    title: str
    preamble: list
    headings: list
    rows: object


def sheet_title(text):
    """A title a sheet may have: none of []:*?/\\ (a caption like "Delivery in 2025/26")
    and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Sheet"


def write_workbook(file, sheets):
    """Write `sheets` to one XLSX workbook in `file`, in order. Write-only mode keeps one
    row in memory at a time, so a sheet of every practice in England stays small."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    workbook.save(file)


def _write_sheet(workbook, sheet):
    """One sheet: the preamble (labels in bold), the headings in bold, the rows, and the
    panes frozen below the headings so they stay in view as the reader scrolls."""
    out = workbook.create_sheet(title=sheet_title(sheet.title))
    for index, heading in enumerate(sheet.headings, start=1):
        width = max(12, min(len(heading) + 2, 60))
        out.column_dimensions[get_column_letter(index)].width = width
    out.freeze_panes = f"A{len(sheet.preamble) + 2}"
    bold = Font(bold=True)
    for values in sheet.preamble:
        if not values:
            out.append([])
            continue
        label, *rest = values
        cell = WriteOnlyCell(out, value=_xlsx_text(label))
        cell.font = bold
        out.append([cell, *(_xlsx_cell(out, value) for value in rest)])
    headings = []
    for heading in sheet.headings:
        cell = WriteOnlyCell(out, value=_xlsx_text(heading))
        cell.font = bold
        headings.append(cell)
    out.append(headings)
    for values in sheet.rows:
        out.append([_xlsx_cell(out, value) for value in values])


def workbook_response(sheets, filename):
    """An XLSX workbook of `sheets` as a download named `filename`, written to a temporary
    file first (the response closes, and so deletes, it once it is sent)."""
    file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        write_workbook(file, sheets)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(
        file,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class Rows(list):
    """Rows worked out in Python, with the count() a Table's pagination and downloads ask."""

    def count(self):
        return len(self)


class RowsTable(Table):
    """A declared table over rows worked out in Python rather than a queryset: the page and
    its CSV and XLSX downloads from the same columns (several on one page each set `key`)."""

    per_page = 100

    def __init__(self, request, rows, **options):
        super().__init__(request, Rows(rows), **options)

    def _sorted(self, rows):
        return rows

    def plain_rows(self):
        columns = self.download_columns
        for row in self.queryset:
            yield [column.plain(row) for column in columns]
