"""An area's board pack: the overview and every section as one workbook and as one
printable page, each saying the area, the date and when it was extracted; the same rows as
each section's own download; the area pages' scope; queries that do not grow."""

import datetime
import io
from decimal import Decimal, InvalidOperation

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcn_portal.areas.views import SECTIONS, YEAR_SECTIONS
from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from tests.areas.test_views import csv_parts, figure_map, grow
from tests.html import parse

PACK = "/areas/QZ1/board-pack/"


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def sheet_parts(sheet):
    """A sheet's first rows (up to the blank row) as {label: value}, its headings and its
    rows."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    blank = next(i for i, row in enumerate(rows) if not any(v is not None for v in row))
    about = {row[0]: row[1] for row in rows[:blank]}
    return about, rows[blank + 1], rows[blank + 2 :]


def same(value):
    """A cell's value as the CSV writes it, so a sheet's rows compare with a CSV's: a date
    as ISO, a number as its decimal value, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, int | float):
        return Decimal(str(value)).normalize()
    try:
        return Decimal(value).normalize()
    except InvalidOperation:
        return value


def on_today():
    return today().isoformat()


class TestWorkbook:
    def test_every_sheet_says_the_area_the_date_and_when(self, icb_viewer_client, area):
        on = on_today()
        response = icb_viewer_client.get(PACK, {"on": on, "format": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="board-pack-QZ1-{on}.xlsx"'
        book = workbook(response)
        assert book.sheetnames == ["Overview", *(s["title"] for s in SECTIONS.values())]
        year = financial_year_label(financial_year_of(today()))
        for name, slug in zip(book.sheetnames, ["overview", *SECTIONS], strict=True):
            sheet = book[name]
            about, headings, _ = sheet_parts(sheet)
            assert about["Area"] == "NHS Test ICB (QZ1)", name
            assert about["As of"] == datetime.datetime.combine(today(), datetime.time()), name
            assert isinstance(about["Extracted"], datetime.datetime), name
            has_year = slug == "overview" or slug in YEAR_SECTIONS
            assert about.get("Financial year") == (year if has_year else None), name
            # The panes frozen below the headings.
            assert sheet.freeze_panes == f"A{len(about) + 3}", name
            assert headings[0] in ("Figure", "ODS code", "ARRS role", "Practice code"), name

    def test_each_section_s_sheet_holds_its_download_s_rows(self, icb_viewer_client, area):
        on = on_today()
        book = workbook(icb_viewer_client.get(PACK, {"on": on, "format": "xlsx"}))
        for slug, section in SECTIONS.items():
            download = icb_viewer_client.get(f"/areas/QZ1/{slug}/", {"on": on, "format": "csv"})
            _, csv_rows = csv_parts(download)
            _, headings, rows = sheet_parts(book[section["title"]])
            assert csv_rows, slug
            assert headings == list(csv_rows[0]), slug
            expected = [[same(v) for v in row.values()] for row in csv_rows]
            assert [[same(v) for v in row] for row in rows] == expected, slug

    def test_a_page_s_filters_and_sort_do_not_thin_the_pack(self, icb_viewer_client, area):
        book = workbook(
            icb_viewer_client.get(PACK, {"format": "xlsx", "show": "unsigned", "sort": "-name"})
        )
        _, _, rows = sheet_parts(book["Network Agreements"])
        assert [row[0] for row in rows] == ["U99001", "U99002", "U99003", "U99004"]

    def test_the_overview_sheet_says_what_the_overview_says(self, icb_viewer_client, area):
        shown = figure_map(icb_viewer_client.get("/areas/QZ1/"))
        book = workbook(icb_viewer_client.get(PACK, {"format": "xlsx"}))
        sheet = book["Overview"]
        _, headings, rows = sheet_parts(sheet)
        assert headings[:2] == ["Figure", "Value"]
        figures = {row[0]: row[1] for row in rows}
        assert figures["Open networks"] == int(shown["networks"]) == 4
        assert figures["Registered patients covered"] == shown["covered"]
        assert figures["Allocation"] == 150_000
        assert figures["Claims waiting for approval"] == 1
        assert figures["ARRS WTE in post"] == 1.5
        assert figures["Aligned care homes"] == 4
        assert figures[
            "Networks whose forecast leaves out maximum amounts no source gives yet"
        ] == int(shown["incomplete-forecasts"])
        assert figures["Cost awaiting national maximum amounts"] == 66_666.60
        # Money reads as money in the spreadsheet and stays a number.
        allocation = next(c for c in sheet["B"] if c.value == 150_000)
        assert "£" in allocation.number_format


class TestPrintablePage:
    def test_it_lists_every_section_with_every_row(self, icb_viewer_client, area):
        response = icb_viewer_client.get(PACK, {"on": "2025-06-01"})
        assert response.status_code == 200
        root = parse(response.content.decode())
        sections = [
            el.attrs["data-section"]
            for el in root.find_all("section")
            if el.attrs.get("data-section")
        ]
        assert sections == list(SECTIONS)
        headings = [h.text.strip() for h in root.find_all("h2")]
        assert headings == ["Overview", *(s["title"] for s in SECTIONS.values())]
        about = {
            el.attrs["data-pack"]: el.text.strip()
            for el in root.iter()
            if "data-pack" in getattr(el, "attrs", {})
        }
        assert about["area"] == "NHS Test ICB (QZ1)"
        assert about["on"] == "1 June 2025 (financial year 2025/26)"
        assert about["extracted"]
        page = response.content.decode()
        for code in ("U99001", "U99002", "U99003", "U99004", "Z99005"):
            assert code in page, code
        assert "css/board-pack.css" in page
        assert "board-pack/?on=2025-06-01&amp;format=xlsx" in page

    def test_all_rows_not_one_page(self, icb_viewer_client, area):
        grow(area["sub_icb"], 0, 60)  # more networks than a section's page of 50
        root = parse(icb_viewer_client.get(PACK).content.decode())
        footprints = next(
            s for s in root.find_all("section") if s.attrs.get("data-section") == "footprints"
        )
        assert len(footprints.find("tbody").find_all("tr")) == 64

    def test_the_overview_links_its_board_pack(self, icb_viewer_client, area):
        page = icb_viewer_client.get("/areas/QZ1/", {"on": "2025-06-01"}).content.decode()
        assert 'href="/areas/QZ1/board-pack/?on=2025-06-01"' in page
        assert 'href="/areas/QZ1/board-pack/?on=2025-06-01&amp;format=xlsx"' in page
        page = icb_viewer_client.get("/areas/QZ1/").content.decode()
        assert 'href="/areas/QZ1/board-pack/"' in page
        assert 'href="/areas/QZ1/board-pack/?format=xlsx"' in page


class TestScope:
    @pytest.mark.parametrize("query", [{}, {"format": "xlsx"}])
    def test_only_those_who_may_see_the_area(self, request, area, query):
        for persona in ("outsider", "network_manager", "network_viewer", "subicb_viewer"):
            client = request.getfixturevalue(f"{persona}_client")
            assert client.get(PACK, query).status_code == 404, persona
        assert (
            request.getfixturevalue("icb_viewer_client")
            .get("/areas/england/board-pack/", query)
            .status_code
            == 404
        )
        response = request.getfixturevalue("anonymous_client").get(PACK, query)
        assert response.status_code == 302 and "/login" in response["Location"]
        response = request.getfixturevalue("subicb_viewer_client").get(
            "/areas/Z01/board-pack/", query
        )
        response.close()  # a workbook's file is closed with its response
        assert response.status_code == 200

    def test_a_sub_icb_s_pack_holds_only_its_networks(self, subicb_viewer_client, area):
        book = workbook(subicb_viewer_client.get("/areas/Z01/board-pack/", {"format": "xlsx"}))
        _, _, rows = sheet_parts(book["Footprints"])
        assert {row[0] for row in rows} == {"U99001", "U99003"}

    def test_england_for_national_staff(self, national_admin_client, area):
        response = national_admin_client.get("/areas/england/board-pack/", {"format": "xlsx"})
        assert response["Content-Disposition"].startswith(
            'attachment; filename="board-pack-england-'
        )
        about, _, _ = sheet_parts(workbook(response)["Overview"])
        assert about["Area"] == "England"
        assert national_admin_client.get("/areas/england/board-pack/").status_code == 200


def queries_of(client, url):
    """The queries of a request for the pack, read to its end (a workbook's file closes
    with it)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("query", ["", "?format=xlsx"])
def test_queries_do_not_grow_with_the_networks(icb_viewer_client, area, query):
    grow(area["sub_icb"], 0, 2)
    queries_of(icb_viewer_client, PACK + query)  # the first request does more (the session)
    small = queries_of(icb_viewer_client, PACK + query)
    grow(area["other_sub_icb"], 2, 20)
    assert queries_of(icb_viewer_client, PACK + query) == small
    assert small <= 20, small
