"""A network manager keeps the network's records in the browser; a viewer walks the same
pages and finds no way to change anything. axe runs on every page visited."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from networks.actions import add_clinical_director
from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from tests.browser.helpers import log_in
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/13-shots"


def fill_date(page, label, value):
    group = page.get_by_role("group", name=label)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


class Clicks:
    def __init__(self, page, check):
        self.page, self.check, self.count = page, check, 0

    def click(self, locator, shot=None):
        locator.click()
        self.count += 1
        self.page.wait_for_load_state()
        self.check(self.page)
        if shot:
            self.page.screenshot(path=f"{SHOTS}/{shot}.png", full_page=True)


def test_a_manager_keeps_the_network_records(
    page, live_server, network_manager, world, assert_accessible
):
    PracticeFactory(code="Z99009", name="ABBEY SURGERY", bare=True)
    add_clinical_director(
        pcn=world["pcn"],
        by=network_manager,
        full_name="Dr Ada Lead",
        profession="gp",
        start_date=datetime.date(2020, 1, 1),
        share=0.5,
    )
    last_day = today() + datetime.timedelta(days=120)
    year = financial_year_of(today())
    log_in(page, live_server, network_manager)
    clicks = Clicks(page, assert_accessible)
    journeys = {}

    # 1. A practice leaving.
    clicks.click(page.get_by_role("link", name="Riverside PCN"))
    clicks.click(page.get_by_role("link", name="Member practices").first, "members")
    clicks.click(page.get_by_role("link", name="Record Test Surgery Z99001 leaving"))
    fill_date(page, "Last day as a member", last_day)
    clicks.click(page.get_by_role("button", name="Continue"), "leave-confirm")
    when = f"{last_day.day} {last_day:%B %Y}"
    expect(page.locator(".app-what-will-change")).to_contain_text(
        f"Test Surgery Z99001 will be a member of Riverside PCN up to and including {when}."
    )
    clicks.click(page.get_by_role("button", name="Confirm and save"), "leave-done")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        f"up to and including {when}"
    )
    journeys["practice leaving"] = clicks.count

    # 2. A practice joining.
    start = clicks.count
    clicks.click(page.get_by_role("link", name="Record a practice joining"))
    page.get_by_label("The practice's ODS code").fill("Z99009")
    fill_date(page, "First day as a member", last_day + datetime.timedelta(days=1))
    clicks.click(page.get_by_role("button", name="Continue"), "join-confirm")
    expect(page.locator(".app-what-will-change")).to_contain_text("Abbey Surgery (Z99009) will be")
    clicks.click(page.get_by_role("button", name="Confirm and save"))
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Abbey Surgery (Z99009) will join"
    )
    journeys["practice joining"] = clicks.count - start

    # 3. A co-clinical director.
    start = clicks.count
    clicks.click(page.get_by_role("link", name="People"))  # its first page: clinical directors
    clicks.click(page.get_by_role("link", name="Add a clinical director"))
    page.get_by_label("Full name").fill("Sam Pharm")
    page.get_by_role("radio", name="Other clinician").check()
    page.get_by_role("textbox", name=re.compile("Which clinician")).fill("Clinical pharmacist")
    page.get_by_label("Member practice").select_option(label="Test Surgery Z99002 (Z99002)")
    fill_date(page, "First day in post", datetime.date(2024, 4, 1))
    page.get_by_label("Share of the role").fill("0.5")
    clicks.click(page.get_by_role("button", name="Save"), "directors")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Added Sam Pharm")
    expect(page.get_by_role("table")).to_contain_text("Dr Ada Lead")
    journeys["co-clinical director"] = clicks.count - start

    # 4. This year's Network Agreement with two schedules.
    start = clicks.count
    clicks.click(page.get_by_role("link", name="Governance"))
    label = financial_year_label(year)
    clicks.click(page.get_by_role("link", name=f"Record the {label} Network Agreement"))
    fill_date(page, "Date signed (optional)", today())
    page.get_by_label("A data-sharing agreement is in place").check()
    page.get_by_label("Schedule 1: Governance").select_option("signed")
    page.get_by_label("Schedule 4: Financial arrangements").select_option("agreed")
    page.screenshot(path=f"{SHOTS}/agreement-form.png", full_page=True)
    clicks.click(page.get_by_role("button", name="Save"), "governance")
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("2 schedules recorded")
    journeys["Network Agreement"] = clicks.count - start

    # 5. Each change in the history.
    start = clicks.count
    clicks.click(page.get_by_role("link", name="History"), "network-history")
    table = page.get_by_role("table")
    for text in [
        f"blank → {when}",
        "Membership of Abbey Surgery (Z99009)",
        "Clinical director Sam Pharm",
        f"Network Agreement {label} schedule 4",
        "Mo Test",
    ]:
        expect(table).to_contain_text(text)
    page.get_by_label("Kind of record").select_option(label="Clinical directors")
    clicks.click(page.get_by_role("button", name="Apply filters"), "history-filtered")
    expect(page.get_by_role("table")).not_to_contain_text("Abbey Surgery")
    journeys["finding the changes in the history"] = clicks.count - start
    print("clicks per journey:", journeys)


def test_a_viewer_finds_no_way_to_change_anything(
    page, live_server, network_viewer, world, assert_accessible
):
    log_in(page, live_server, network_viewer)
    page.get_by_role("link", name="Riverside PCN").click()
    assert_accessible(page)
    sections = page.get_by_role("navigation", name="Network sections")
    for section, tab in [
        ("Member practices", None),
        ("People", "Clinical directors"),
        ("People", "Network team"),
        ("Governance", None),
        ("Partners", None),
        ("History", None),
    ]:
        sections.get_by_role("link", name=section).click()
        if tab:
            page.locator(".nhsuk-tabs").get_by_role("link", name=tab).click()
        assert_accessible(page)
        expect(page.locator(".app-network-warning")).to_contain_text("no clinical director")
        main = page.locator("main")
        for words in ["Add", "Change", "Record", "Save"]:
            expect(main.get_by_role("link", name=re.compile(f"^{words}"))).to_have_count(0)
        expect(main.locator("form[method=post]")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/viewer-history.png", full_page=True)
    page.goto(live_server.url + "/networks/U99001/practices/Z99001/")
    assert_accessible(page)
    expect(page.locator("#list-size-chart")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/viewer-practice.png", full_page=True)
    assert page.goto(live_server.url + "/networks/U99001/practices/join/").status == 403
