"""A network manager and a Sub-ICB viewer find their networks, search them and open one."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in as site_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/pcn-portal-screenshots"
D = datetime.date


def log_in(page, live_server, user):
    site_log_in(page, live_server, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your networks")


def test_a_network_manager_opens_their_network(
    page, live_server, network_manager, assert_accessible
):
    log_in(page, live_server, network_manager)
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/home-manager.png", full_page=True)

    page.get_by_role("link", name="Riverside PCN").click()
    expect(page).to_have_url(re.compile(r"/networks/U99001/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside PCN")
    expect(page.locator(".nhsuk-card--warning")).to_contain_text("no clinical director")
    expect(page.get_by_role("table")).to_contain_text("Z99002")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/network-manager.png", full_page=True)


def test_a_sub_icb_viewer_searches_their_networks(
    page, live_server, subicb_viewer, world, assert_accessible
):
    log_in(page, live_server, subicb_viewer)
    page.get_by_role("link", name="1 open network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Networks")
    expect(page.get_by_role("table")).to_contain_text("U99001")
    assert_accessible(page)

    page.get_by_label("Search").fill("Z99002")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("table")).to_contain_text("Riverside PCN")
    page.screenshot(path=f"{SHOTS}/networks-subicb.png", full_page=True)

    page.get_by_label("Search").fill("no such network")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".nhsuk-inset-text")).to_contain_text("No network you can see matches")
    assert_accessible(page)

    page.goto(live_server.url + "/networks/U99001/?on=2020-04-01")
    expect(page.locator(".nhsuk-inset-text").first).to_contain_text("As it was on 1 April 2020")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/network-subicb-2020.png", full_page=True)
    assert page.goto(live_server.url + "/networks/U99002/").status == 404


def test_the_list_size_chart_spaces_extracts_by_date_and_counts_from_zero(
    page, live_server, network_manager, world
):
    """Extracts at 1 January 2024 (12,000), 1 January 2025 and 1 April 2025: the year
    between the first two is about four times as wide on the chart as the quarter between
    the last two, and the axis of patients starts at 0, not just below 12,000."""
    from tests.factories import ListSizeFactory

    practice = world["pcn"].memberships.get(practice__code="Z99001").practice
    ListSizeFactory(practice=practice, extract_date=D(2025, 1, 1), registered_patients=12_100)
    ListSizeFactory(practice=practice, extract_date=D(2025, 4, 1), registered_patients=12_300)
    log_in(page, live_server, network_manager)
    page.goto(live_server.url + "/networks/U99001/practices/Z99001/")
    canvas = page.locator("#list-size-chart")
    expect(canvas).to_have_attribute("data-drawn", "true")
    chart = canvas.evaluate(
        """(canvas) => {
          const chart = Chart.getChart(canvas);
          return {x: chart.getDatasetMeta(0).data.map((point) => point.x),
                  min: chart.scales.y.min};
        }"""
    )
    first, second, third = chart["x"]
    assert (second - first) / (third - second) == pytest.approx(366 / 90, rel=0.02)
    assert chart["min"] == 0
    expect(page.get_by_role("img", name=re.compile("from 1 January 2024"))).to_be_visible()
    page.screenshot(path=f"{SHOTS}/list-size-chart.png", full_page=True)
