"""Tables declared with pcn_portal.core.tables: what the page shows, and that the CSV and
XLSX downloads hold the same rows, with the filters and order on screen.

The page is tests/core/urls.py's list of networks: five rows a page, sorted by name unless
the query string says otherwise, filtered by name and opening date.
"""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
import time_machine
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.html import format_html

from networks.models import PrimaryCareNetwork
from pcn_portal.core import tables
from pcn_portal.core.tables import Column, Table, money
from tests.core.urls import NetworkTable
from tests.factories import PrimaryCareNetworkFactory
from tests.html import parse

pytestmark = [pytest.mark.urls("tests.core.urls"), pytest.mark.django_db]

URL = "/test/networks/"
D = datetime.date


@pytest.fixture
def networks():
    """Seven networks, two of them in the north, one named like a spreadsheet formula."""
    names = [
        ("U90001", "ALDER PCN", D(2019, 7, 1)),
        ("U90002", "BIRCH NORTH PCN", D(2020, 4, 1)),
        ("U90003", "CEDAR PCN", D(2019, 7, 1)),
        ("U90004", "DAMSON NORTH PCN", D(2021, 4, 1)),
        ("U90005", "ELM PCN", D(2019, 7, 1)),
        ("U90006", "FIR PCN", D(2022, 4, 1)),
        ("U90007", '=HYPERLINK("http://example.com/x","click") PCN', D(2019, 7, 1)),
    ]
    return [
        PrimaryCareNetworkFactory(code=code, name=name, open_date=opened)
        for code, name, opened in names
    ]


def page(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return parse(response.content.decode())


def table_rows(document):
    """The rows of the table on the page, each a list of its cells' text."""
    body = document.find("tbody", "nhsuk-table__body")
    return [[cell.text for cell in row.find_all("td")] for row in body.find_all("tr")]


def names_on(document):
    return [row[0] for row in table_rows(document)]


def query_of(href):
    return {name: values[0] for name, values in parse_qs(urlsplit(href).query).items()}


def heading(document, text):
    return next(th for th in document.find_all("th", scope="col") if th.text == text)


def download(client, query):
    response = client.get(URL + query)
    # Reading to the end closes the response, as a server does.
    content = b"".join(response.streaming_content)
    return response, content


def csv_rows(client, query):
    response, content = download(client, query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(client, query):
    _, content = download(client, query)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_the_headings_and_the_first_page_of_rows_in_the_default_order(
    client, networks
):
    document = page(client)

    headings = [th.text for th in document.find_all("th", scope="col")]
    assert headings == ["Name", "ODS code", "Lead commissioner", "Opened"]
    assert "Notes" not in headings  # a download-only column
    assert table_rows(document)[0] == [
        '=HYPERLINK("http://example.com/x","click") PCN',
        "U90007",
        networks[6].lead_commissioner.name,
        "1 July 2019",
    ]
    assert names_on(document)[1:] == [
        "ALDER PCN",
        "BIRCH NORTH PCN",
        "CEDAR PCN",
        "DAMSON NORTH PCN",
    ]


def test_a_cell_links_where_its_column_says(client, networks):
    document = page(client)
    link = document.find("tbody").find_all("a", "nhsuk-link")[1]
    assert link.text == "ALDER PCN"
    assert link.attrs["href"] == "/networks/U90001/"


def test_sortable_headings_are_links_and_the_sorted_one_says_which_way(client, networks):
    document = page(client)

    name = heading(document, "Name")
    assert "data-sort" in name.attrs
    assert name.attrs["aria-sort"] == "ascending"
    assert query_of(name.find("a").attrs["href"]) == {"sort": "-name"}

    code = heading(document, "ODS code")
    assert "aria-sort" not in code.attrs
    assert query_of(code.find("a").attrs["href"]) == {"sort": "code"}

    commissioner = heading(document, "Lead commissioner")
    assert "data-sort" not in commissioner.attrs
    assert commissioner.find_all("a") == []


def test_sorting_by_a_declared_key_descending(client, networks):
    document = page(client, "?sort=-code")

    assert [row[1] for row in table_rows(document)] == [
        "U90007",
        "U90006",
        "U90005",
        "U90004",
        "U90003",
    ]
    code = heading(document, "ODS code")
    assert code.attrs["aria-sort"] == "descending"
    assert query_of(code.find("a").attrs["href"]) == {"sort": "code"}
    assert "aria-sort" not in heading(document, "Name").attrs


def test_sorting_by_date_keeps_equal_dates_in_one_order_across_pages(client, networks):
    first = names_on(page(client, "?sort=opened"))
    second = names_on(page(client, "?sort=opened&page=2"))

    assert sorted(first + second) == sorted(network.name for network in networks)
    assert second[-1] == "FIR PCN"  # opened last


@pytest.mark.parametrize("sort", ["commissioner", "-footprint_notes", "nonsense", "-", "pk"])
def test_an_unknown_or_unsortable_key_is_ignored_for_the_default_order(client, networks, sort):
    document = page(client, f"?sort={sort}")

    assert names_on(document)[1] == "ALDER PCN"
    assert heading(document, "Name").attrs["aria-sort"] == "ascending"


def test_sort_links_keep_the_filters_and_go_back_to_the_first_page(client, networks):
    document = page(client, "?name=pcn&page=2&opened_after=")

    href = heading(document, "ODS code").find("a").attrs["href"]
    assert query_of(href) == {"name": "pcn", "sort": "code"}


def test_pagination_links_keep_the_filters_and_the_sort(client, networks):
    document = page(client, "?name=pcn&sort=-code")

    pagination = document.find("nav", "nhsuk-pagination")
    numbers = pagination.find_all("a", "nhsuk-pagination__link")
    assert [link.text for link in numbers] == ["1", "2"]
    assert numbers[0].attrs["aria-current"] == "page"
    assert query_of(numbers[1].attrs["href"]) == {"name": "pcn", "sort": "-code", "page": "2"}
    next_link = pagination.find("a", "nhsuk-pagination__next")
    assert query_of(next_link.attrs["href"]) == query_of(numbers[1].attrs["href"])
    assert pagination.find_all("a", "nhsuk-pagination__previous") == []
    assert "Showing 1 to 5 of 7" in document.text


def test_the_second_page_links_back_to_the_first(client, networks):
    document = page(client, "?page=2")

    assert names_on(document) == ["ELM PCN", "FIR PCN"]
    previous = document.find("a", "nhsuk-pagination__previous")
    assert query_of(previous.attrs["href"]) == {}
    assert document.find_all("a", "nhsuk-pagination__next") == []


@pytest.mark.parametrize("number", ["99", "-1"])
def test_a_page_past_the_end_shows_the_last_page(client, networks, number):
    assert names_on(page(client, f"?page={number}")) == ["ELM PCN", "FIR PCN"]


def test_a_page_that_is_not_a_number_shows_the_first(client, networks):
    assert names_on(page(client, "?page=first"))[1] == "ALDER PCN"


def test_one_page_of_rows_has_no_pagination(client, networks):
    document = page(client, "?name=north")

    assert names_on(document) == ["BIRCH NORTH PCN", "DAMSON NORTH PCN"]
    assert document.find_all("nav", "nhsuk-pagination") == []


def test_the_filter_form_shows_the_filters_and_keeps_the_sort(client, networks):
    document = page(client, "?name=north&sort=-code")

    form = document.find("form", method="get")
    assert form.find("input", name="name").attrs["value"] == "north"
    assert form.find("input", type="hidden", name="sort").attrs["value"] == "-code"
    assert form.find("label", for_="id_name").text == "Name contains"
    assert query_of(form.find("a", "nhsuk-link").attrs["href"]) == {"sort": "-code"}


def test_a_filter_the_form_refuses_shows_its_error_and_no_rows(client, networks):
    document = page(client, "?opened_after=not-a-date")

    assert document.find_all("span", "nhsuk-error-message")
    assert document.find_all("table") == []
    assert "No networks match these filters." in document.text


def test_no_rows_shows_the_tables_message_instead_of_a_table(client, networks):
    document = page(client, "?name=nowhere")

    assert document.find_all("table") == []
    assert document.find("div", "nhsuk-inset-text").text == (
        "Information: No networks match these filters."
    )
    assert "Download" not in document.text


def test_the_download_links_carry_the_filters_and_sort_but_not_the_page(client, networks):
    document = page(client, "?name=pcn&sort=-code&page=2")

    links = document.find("p", "app-table-downloads").find_all("a")
    assert [query_of(link.attrs["href"]) for link in links] == [
        {"name": "pcn", "sort": "-code", "format": "csv"},
        {"name": "pcn", "sort": "-code", "format": "xlsx"},
    ]
    assert "Download all 7 rows matching the filters: CSV file, Excel (XLSX) file" in (
        document.text
    )


def test_the_download_links_say_filters_only_when_there_are_some(client, networks):
    assert "Download all 7 rows: CSV" in page(client, "?sort=code&name=").text


def test_the_page_takes_two_queries_whatever_the_rows(client, networks, django_assert_num_queries):
    with django_assert_num_queries(2):  # the count and the page
        client.get(URL + "?sort=-opened")


# --- downloads -----------------------------------------------------------------------------


def test_the_csv_holds_every_filtered_row_in_the_order_on_screen(client, networks):
    screen = table_rows(page(client, "?name=north&sort=-code"))
    rows = csv_rows(client, "?name=north&sort=-code&format=csv")

    assert rows[0] == ["Name", "ODS code", "Lead commissioner", "Opened", "Notes"]
    assert [row[:3] for row in rows[1:]] == [row[:3] for row in screen]
    assert [row[3] for row in rows[1:]] == ["2021-04-01", "2020-04-01"]


def test_the_csv_holds_all_pages(client, networks):
    rows = csv_rows(client, "?format=csv&page=2")
    assert len(rows) == 1 + 7


def test_the_csv_streams_as_an_attachment_named_with_the_date(client, networks):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        response = client.get(URL + "?format=csv")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="networks-2026-12-01.csv"'
    b"".join(response.streaming_content)


def test_the_xlsx_holds_the_same_rows_with_real_dates(client, networks):
    screen = table_rows(page(client, "?name=north&sort=-code"))
    rows = xlsx_rows(client, "?name=north&sort=-code&format=xlsx")

    assert rows[0] == ["Name", "ODS code", "Lead commissioner", "Opened", "Notes"]
    assert [row[:3] for row in rows[1:]] == [row[:3] for row in screen]
    assert [row[3] for row in rows[1:]] == [
        datetime.datetime(2021, 4, 1),
        datetime.datetime(2020, 4, 1),
    ]
    assert [row[4] for row in rows[1:]] == [None, None]


def test_the_xlsx_shows_dates_as_dates(client, networks):
    _, content = download(client, "?name=north&format=xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(content)).active["D2"]
    assert cell.is_date
    assert cell.number_format == "yyyy-mm-dd"


def test_the_xlsx_is_an_attachment_named_with_the_date(client, networks):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        response, _ = download(client, "?format=xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="networks-2026-12-01.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_formula_arrives_as_inert_text_in_both_downloads(client, networks):
    formula = '=HYPERLINK("http://example.com/x","click") PCN'

    csv_name = csv_rows(client, "?format=csv")[1][0]
    assert csv_name == "'" + formula

    _, content = download(client, "?format=xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.value == formula
    assert cell.data_type == "s"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_prefix_is_neutralised_in_csv(text):
    assert tables.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["ALDER PCN", "1-2", "a=b", ""])
def test_other_text_is_left_alone(text):
    assert tables.neutralise(text) == text


def test_an_xlsx_over_the_sheet_limit_is_refused_with_a_link_to_the_csv(
    client, networks, monkeypatch
):
    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 2 + 1)  # two rows under the heading

    response = client.get(URL + "?name=pcn&sort=-code&format=xlsx")

    assert response.status_code == 400
    assert "Content-Disposition" not in response
    document = parse(response.content.decode())
    assert "These filters match 7 rows" in document.text
    assert "at most 2 rows" in document.text
    link = next(a for a in document.find_all("a") if "CSV" in a.text)
    assert query_of(link.attrs["href"]) == {"name": "pcn", "sort": "-code", "format": "csv"}
    back = document.find("a", "nhsuk-back-link")
    assert query_of(back.attrs["href"]) == {"name": "pcn", "sort": "-code"}


def test_an_xlsx_at_the_sheet_limit_downloads(client, networks, monkeypatch):
    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 2 + 1)

    assert len(xlsx_rows(client, "?name=north&format=xlsx")) == 1 + 2


def test_an_unknown_format_shows_the_page(client, networks):
    assert names_on(page(client, "?format=pdf"))[1] == "ALDER PCN"


# --- values --------------------------------------------------------------------------------


class Figure:
    """A row with the kinds of value a table shows."""

    def __init__(self, **values):
        self.__dict__.update(values)


class FigureTable(Table):
    count = Column("Count", numeric=True)
    amount = Column("Amount", numeric=True, format=money)
    signed = Column("Signed")
    when = Column("When")
    note = Column("Note", lambda row: row.note.upper())


def test_values_read_naturally_on_screen_and_stay_plain_in_downloads(db):
    table = FigureTable(RequestFactory().get("/"), PrimaryCareNetwork.objects.none())
    row = Figure(
        count=12345,
        amount=Decimal("1234.5"),
        signed=True,
        when=datetime.datetime(2026, 6, 1, 9, 30, tzinfo=datetime.UTC),
        note="x",
    )

    assert [cell.text for cell in table.cells(row)] == [
        "12,345",
        "£1,234.50",
        "Yes",
        "1 June 2026, 10:30",  # in London
        "X",
    ]
    assert [column.plain(row) for column in table.download_columns] == [
        12345,
        Decimal("1234.5"),
        "Yes",
        datetime.datetime(2026, 6, 1, 10, 30),
        "X",
    ]
    assert [cell.numeric for cell in table.cells(row)] == [True, True, False, False, False]


class StatusTable(Table):
    status = Column(
        "Status", format=lambda value: format_html('<strong class="nhsuk-tag">{}</strong>', value)
    )
    name = Column("Name")


def test_a_cell_may_show_markup_while_its_download_holds_the_text(db):
    table = StatusTable(RequestFactory().get("/"), PrimaryCareNetwork.objects.none())
    row = Figure(status="Approved", name="<b>ELM</b>")

    status, name = (parse(str(cell)) for cell in table.cells(row))
    assert status.find("strong", "nhsuk-tag").text == "Approved"
    assert name.find_all("b") == []  # text from the database is escaped
    assert [column.plain(row) for column in table.download_columns] == ["Approved", "<b>ELM</b>"]


def test_the_first_cell_of_a_row_may_be_its_header(rf, networks):
    request = rf.get(URL)
    table = NetworkTable(request, PrimaryCareNetwork.objects.all(), row_header=True)

    document = parse(render_to_string("_components/table.html", {"table": table}))
    first_row = document.find("tbody").find_all("tr")[0]
    header = first_row.find("th", scope="row")
    assert header.text == '=HYPERLINK("http://example.com/x","click") PCN'
    assert len(first_row.find_all("td")) == 3


def test_a_table_refuses_an_option_it_does_not_have(db):
    with pytest.raises(TypeError, match="per_pgae"):
        FigureTable(RequestFactory().get("/"), PrimaryCareNetwork.objects.none(), per_pgae=10)
    with pytest.raises(TypeError, match="rows"):
        FigureTable(RequestFactory().get("/"), PrimaryCareNetwork.objects.none(), rows=[])


def test_tables_sharing_a_page_each_answer_only_their_own_download():
    class Months(tables.RowsTable):
        month = Column("Month", "name")
        key = "months"

    class Homes(tables.RowsTable):
        home = Column("Home", "name")

    from types import SimpleNamespace

    rows = [SimpleNamespace(name="April 2025")]
    keyed = RequestFactory().get("/", {"table": "months", "format": "csv"})
    plain = RequestFactory().get("/", {"format": "csv"})
    assert Homes(keyed, rows).download() is None
    assert Months(keyed, rows).download() is not None
    assert Months(plain, rows).download() is None
    assert Homes(plain, rows).download() is not None
    links = [query_of(link.href) for link in Months(plain, rows).download_links]
    assert {"table": "months", "format": "csv"} in links


def test_a_workbook_of_several_sheets_each_headed_and_frozen():
    """write_workbook: each sheet in order with its title (made one a sheet may have), its
    first rows, its headings and rows, its panes frozen below the headings; money as a
    number that reads as money."""
    about = tables.About(
        code="QZ1",
        name="NHS Test ICB (QZ1)",
        on=D(2025, 6, 1),
        extracted=datetime.datetime(2025, 6, 2, 9, 30, tzinfo=datetime.UTC),
    )
    sheets = [
        tables.Sheet(
            title="Overview",
            preamble=[*about.rows, []],
            headings=["Figure", "Value"],
            rows=[["Allocation", tables.Formatted(Decimal("150000.00"), tables.MONEY_FORMAT)]],
        ),
        tables.Sheet(
            title="Delivery in 2025/26", preamble=[], headings=["Code"], rows=iter([["=1+1"]])
        ),
    ]
    file = io.BytesIO()
    tables.write_workbook(file, sheets)
    book = openpyxl.load_workbook(file)
    assert book.sheetnames == ["Overview", "Delivery in 2025-26"]
    overview = book["Overview"]
    assert list(overview.iter_rows(values_only=True)) == [
        ("Area", "NHS Test ICB (QZ1)"),
        ("As of", datetime.datetime(2025, 6, 1)),
        # The site's time (London: summer time) without its zone, as spreadsheets hold it.
        ("Extracted", datetime.datetime(2025, 6, 2, 10, 30)),
        (None, None),
        ("Figure", "Value"),
        ("Allocation", 150000),
    ]
    assert overview.freeze_panes == "A6"
    assert "£" in overview["B6"].number_format
    other = book["Delivery in 2025-26"]
    assert list(other.iter_rows(values_only=True)) == [("Code",), ("=1+1",)]
    assert other.freeze_panes == "A2"
    assert other["A2"].data_type == "s"  # text, never a formula
