import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PrimaryCareNetworkFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.core.urls"),
]


def test_sort_filter_page_and_download_a_table(page, live_server, assert_accessible):
    for number in range(1, 8):
        region = "NORTH" if number % 2 else "SOUTH"
        PrimaryCareNetworkFactory(code=f"U9000{number}", name=f"{region} {number} PCN")
    page.goto(live_server.url + "/test/networks/")
    table = page.get_by_role("table")
    code = table.get_by_role("columnheader", name="ODS code")
    assert_accessible(page)

    # Sorting is a link in the heading; the sorted heading says which way.
    code.get_by_role("link").click()
    expect(code).to_have_attribute("aria-sort", "ascending")
    code.get_by_role("link").click()
    expect(code).to_have_attribute("aria-sort", "descending")
    expect(table.get_by_role("row").nth(1)).to_contain_text("U90007")

    # The next page keeps the sort.
    page.get_by_role("link", name="Next page").click()
    expect(code).to_have_attribute("aria-sort", "descending")
    expect(table.get_by_role("row")).to_have_count(1 + 2)
    expect(table.get_by_role("row").nth(2)).to_contain_text("U90001")

    # Filtering keeps the sort.
    page.get_by_label("Name contains").fill("north")
    page.get_by_role("button", name="Apply filters").click()
    expect(code).to_have_attribute("aria-sort", "descending")
    rows = table.get_by_role("row")
    expect(rows).to_have_count(1 + 4)
    expect(rows.nth(1)).to_contain_text("NORTH 7 PCN")
    assert_accessible(page)

    # The download holds what the screen shows, in the same order.
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV file").click()
    download = info.value
    assert download.suggested_filename.startswith("networks-")
    lines = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [
        "NORTH 7 PCN",
        "NORTH 5 PCN",
        "NORTH 3 PCN",
        "NORTH 1 PCN",
    ]
