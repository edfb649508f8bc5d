"""A network manager reads the ARRS budget for 2025/26: the figures of the worked example
(budget_year_2025 in tests/factories/worlds.py), the chart drawn beside its table; a
commissioner enters the network's weighted population and the page says it now uses it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/pcn-portal-screenshots"


@pytest.mark.usefixtures("year_2025")
def test_a_manager_reads_the_budget_and_a_commissioner_sets_the_population(
    page, live_server, network_manager, approver, assert_accessible
):
    log_in(page, live_server, network_manager)
    page.goto(live_server.url + "/networks/U99001/workforce/budget/")
    expect(page).to_have_url(re.compile(r"/workforce/budget/\d{4}/$"))
    page.goto(live_server.url + "/networks/U99001/workforce/budget/2025/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ARRS budget 2025/26")
    summary = page.get_by_role("table", name="Budget position")
    expect(summary.get_by_role("row", name=re.compile(r"^Allocation 2025\/26"))).to_contain_text(
        "£932,085.00"
    )
    expect(summary.get_by_role("row", name=re.compile("^Headroom"))).to_contain_text("£854,168.33")
    months = page.get_by_role("table", name="Claims and forecast, month by month")
    expect(months.get_by_role("row", name=re.compile("^November 2025"))).to_contain_text(
        "£6,566.67"
    )
    # Chart.js drew the chart: the canvas has been given its pixels.
    page.wait_for_function("document.getElementById('budget-chart').dataset.drawn === 'yes'")
    # One value axis, saying what it measures: the allocation is read against the year to
    # date, not against monthly bars on a second scale.
    axes = page.evaluate(
        "Object.entries(Chart.getChart('budget-chart').scales)"
        ".map(([key, scale]) => [key, scale.options.title.text])"
    )
    assert dict(axes) == {
        "x": "Month (financial year April to March)",
        "y": "Spent in the year to date (£)",
    }
    expect(page.get_by_role("link", name=re.compile("Enter the network's weighted"))).to_have_count(
        0
    )
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/budget-manager.png", full_page=True)

    page.context.clear_cookies()
    log_in(page, live_server, approver)
    page.goto(live_server.url + "/networks/U99001/workforce/budget/2025/")
    page.get_by_role("link", name=re.compile("Enter the network's weighted population")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Weighted population at 1 January 2025"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save weighted population").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the weighted population at 1 January"
    )
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/budget-population-errors.png", full_page=True)
    page.get_by_label("Weighted population at 1 January").fill("40000")
    page.get_by_label("Source of the figure").fill("NHS England figure for the network")
    page.get_by_role("button", name="Save weighted population").click()
    expect(page.locator(".nhsuk-notification-banner, .nhsuk-inset-text").first).to_be_visible()
    expect(page.get_by_text("set to 40,000.00 for Riverside PCN")).to_be_visible()
    expect(summary.get_by_role("row", name=re.compile(r"^Allocation 2025\/26"))).to_contain_text(
        "£1,065,240.00"
    )
    expect(page.get_by_text("the commissioner entered for the network").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/budget-commissioner.png", full_page=True)
