"""A network manager prices two posts from the budget page of the worked example for
2025/26 (budget_year_2025 in tests/factories/worlds.py, seen on 10 November 2025), reads
them side by side on a phone and a desktop, and goes on to add one: the add-post form
starts from the terms priced. Figures as worked by hand in tests/workforce/test_whatif.py."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/pcn-portal-screenshots"


def price(page, *, day, month, zone="Outside London"):
    page.get_by_label("Role", exact=True).select_option(label="Test practitioner")
    page.get_by_label("Agenda for Change band").select_option(label="Band 7")
    page.get_by_label("Weekly hours").fill("37.5")
    page.get_by_role("radio", name=zone).check()
    page.get_by_label("Full-time equivalent annual salary (£)").fill("54000")
    page.get_by_label("Annual employer National Insurance (£)").fill("5000")
    page.get_by_label("Annual employer pension contributions (£)").fill("7000")
    page.locator("#id_start_date_day").fill(day)
    page.locator("#id_start_date_month").fill(month)
    page.locator("#id_start_date_year").fill("2025")
    page.get_by_role("button", name="Price this post").click()


@pytest.mark.usefixtures("year_2025")
def test_a_manager_prices_two_posts_and_adds_one(page, live_server, network_manager,
                                                  assert_accessible):  # fmt: skip
    log_in(page, live_server, network_manager)
    page.goto(live_server.url + "/networks/U99001/workforce/budget/2025/")
    page.get_by_role("link", name=re.compile("What if we hire")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What if we hire? 2025/26")
    assert_accessible(page)

    page.get_by_role("button", name="Price this post").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the role")
    assert_accessible(page)

    price(page, day="1", month="4")
    price(page, day="17", month="11")
    compared = page.get_by_role("table", name="Posts compared, 2025/26")

    def cells(heading):
        return compared.get_by_role("row", name=re.compile(f"^{heading}")).get_by_role("cell")

    expect(cells("ARRS would reimburse")).to_have_text(["63,000.00", "24,566.67"])
    expect(cells("Headroom today")).to_have_text(["854,168.33", "854,168.33"])
    expect(cells("Headroom with this post")).to_have_text(["801,168.33", "829,601.66"])
    november = page.get_by_role("table", name="Post 2 month by month").get_by_role(
        "row", name=re.compile("^November 2025")
    )
    expect(november).to_contain_text("14 of 30")
    expect(november).to_contain_text("2,566.67")

    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
        page.screenshot(path=f"{SHOTS}/whatif-{width}.png", full_page=True)

    page.get_by_role("link", name=re.compile("Add post 1 to the register")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a post")
    expect(page.get_by_label("Full-time equivalent annual salary (£)")).to_have_value("54000")
    expect(page.locator("#id_start_date_month")).to_have_value("4")
