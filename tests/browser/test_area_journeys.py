"""An ICB viewer goes from their ICB down to a network and downloads the footprint table;
a member of the public finds a practice's network by its postcode district."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/16-shots"


def test_an_icb_viewer_drills_down_and_downloads_the_footprints(
    page,
    live_server,
    icb_viewer,
    area,
    assert_accessible,
):
    log_in(page, live_server, icb_viewer)
    page.get_by_role("link", name="NHS Test ICB", exact=True).click()
    expect(page).to_have_url(re.compile(r"/areas/QZ1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("NHS Test ICB")
    expect(page.locator("[data-figure=networks]")).to_have_text("4")
    expect(page.locator("#footprint-chart")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/area-icb.png", full_page=True)

    page.get_by_role("table").filter(has_text="Open networks").get_by_role(
        "link", name="Z01"
    ).click()
    expect(page).to_have_url(re.compile(r"/areas/Z01/$"))
    expect(page.locator("[data-figure=networks]")).to_have_text("2")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/area-subicb.png", full_page=True)

    page.locator("[data-figure=below]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Footprints")
    table = page.get_by_role("table")
    expect(table).to_contain_text("U99003")
    expect(table).not_to_contain_text("U99001")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/area-footprints-below.png", full_page=True)

    page.get_by_role("link", name="Clear filters").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV file").click()
    assert info.value.suggested_filename.startswith("footprints-Z01-")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    # The rows saying the area and the date, a blank row, then the table.
    about, _, table = text.partition("\n\n")
    assert about.splitlines()[0] == "Area,NHS Test ICB - Z01"
    rows = list(csv.DictReader(io.StringIO(table)))
    assert {r["ODS code"]: r["Registered patients"] for r in rows} == {
        "U99001": "33000",
        "U99003": "8000",
    }

    page.get_by_role("link", name="U99001").click()
    expect(page).to_have_url(re.compile(r"/networks/U99001/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside PCN")
    expect(page.get_by_role("table")).to_contain_text("Z99002")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/area-network.png", full_page=True)

    for section in ("arrs", "services", "leadership", "practices"):
        page.goto(f"{live_server.url}/areas/QZ1/{section}/")
        assert_accessible(page)
        page.screenshot(path=f"{SHOTS}/area-{section}.png", full_page=True)


def test_the_public_finds_a_practices_network_by_postcode_district(
    page,
    live_server,
    published,
    assert_accessible,
):
    page.goto(live_server.url + "/directory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory of primary care networks")
    assert_accessible(page)
    page.get_by_label("Search").fill("LS12")
    page.get_by_role("button", name="Search").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text("Riverside PCN")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/directory-search.png", full_page=True)

    table.get_by_role("link", name="U99001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside PCN")
    expect(page.get_by_role("table")).to_contain_text("LS12 3QE")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/directory-network.png", full_page=True)

    page.get_by_role("link", name="NHS Test ICB - Z01").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("networks and practices")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/directory-fact-sheet.png", full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    page.screenshot(path=f"{SHOTS}/directory-fact-sheet-print.png", full_page=True)


def test_an_icb_viewer_prints_the_board_pack_and_downloads_its_workbook(
    page, live_server, icb_viewer, area, assert_accessible
):
    import openpyxl

    from pcn_portal.areas.views import SECTIONS
    from pcn_portal.core.dates import today

    log_in(page, live_server, icb_viewer)
    page.goto(live_server.url + "/areas/QZ1/")
    page.get_by_role("link", name="printable page").click()
    expect(page).to_have_url(re.compile(r"/areas/QZ1/board-pack/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Board pack: NHS Test ICB")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/area-board-pack.png", full_page=True)

    # Printed: no header, footer nor breadcrumbs; each part on a page of its own, A4
    # upright, the wide tables (ARRS by network) on A4 turned sideways.
    page.emulate_media(media="print")
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.locator(".nhsuk-breadcrumb")).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True)
    Path(f"{SHOTS}/area-board-pack.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    sizes = {(round(float(w)), round(float(h))) for w, h in boxes}
    assert len(boxes) >= 1 + len(SECTIONS)
    assert sizes == {(595, 842), (842, 595)}
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel workbook (XLSX) file").click()
    assert info.value.suggested_filename == f"board-pack-QZ1-{today().isoformat()}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames == ["Overview", *(s["title"] for s in SECTIONS.values())]
