"""A network manager adds a post, builds and submits a month's claim; an approver rejects
it with a reason; the manager corrects it and submits again; the approver approves."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/14-shots"


def test_a_claim_from_post_to_approval(
    page, browser, live_server, world, network_manager, approver, assert_accessible
):
    from tests.conftest import _load_reference_data
    from tests.factories import ARRSAllocationFactory

    _load_reference_data()
    ARRSAllocationFactory(
        pcn=world["pcn"], financial_year=2025, weighted_population=Decimal(30000),
        population_date=datetime.date(2025, 1, 1), rate=Decimal("26.631"),
        amount=Decimal("798930.00"),
    )  # fmt: skip

    # The manager adds a post.
    log_in(page, live_server, network_manager)
    page.goto(live_server.url + "/networks/U99001/")
    page.get_by_role("link", name="Staff register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff register")
    assert_accessible(page)
    page.get_by_role("link", name="Add a post").click()
    page.get_by_label("Full name of the post holder").fill("Priya Patel")
    page.get_by_label("Professional registration (optional)").fill("GPhC 2071234")
    page.get_by_label("Role", exact=True).select_option(label="Clinical pharmacist")
    page.get_by_label("PCN lead provider").check()
    page.get_by_label("Employer's name (when not a member practice)").fill("Riverside Health")
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2025")
    page.get_by_label("Weekly hours").fill("30")
    page.get_by_label("Agenda for Change band").select_option(label="Band 5")
    page.get_by_label("Full-time equivalent annual salary (£)").fill("48000")
    page.get_by_label("Annual employer National Insurance (£)").fill("5500")
    page.get_by_label("Annual employer pension contributions (£)").fill("6700")
    page.get_by_label("Outside London").check()
    page.get_by_role("button", name="Save post").click()
    # A band the role does not have is refused, with the summary at the top.
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("band 7 or 8a")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/post-add-error.png", full_page=True)
    page.get_by_label("Agenda for Change band").select_option(label="Band 7")
    page.get_by_role("button", name="Save post").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Added the Clinical pharmacist post of Priya Patel."
    )
    expect(page.get_by_role("table")).to_contain_text("0.8")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/post-list.png", full_page=True)

    # ... builds June 2025's claim and corrects the line to what was paid.
    page.get_by_role("link", name="Monthly claims").click()
    page.get_by_label("Month to claim for").select_option(label="June 2025")
    page.get_by_role("button", name="Start claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ARRS claim for June 2025")
    # 66,972 ÷ 12 × 0.8 WTE = £4,464.80 maximum (DOMAIN.md A.1, clinical pharmacist 2025/26).
    expect(page.get_by_role("table").first).to_contain_text("£4,464.80")
    expect(page.get_by_role("table").first).to_contain_text("Rate row used: Clinical pharmacist")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/claim-draft.png", full_page=True)
    page.get_by_role("link", name="Change the line for Priya Patel").click()
    page.get_by_label("Salary paid in the month (£)").fill("4000")
    page.get_by_label("Employer NI paid in the month (£)").fill("450")
    page.get_by_label("Employer pension paid in the month (£)").fill("700")
    assert_accessible(page)
    page.get_by_role("button", name="Save line").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("£4,464.80 claimed")

    # ... and submits it with the declaration.
    page.get_by_role("link", name="Check and submit").click()
    expect(page.get_by_role("heading", name="Declaration")).to_be_visible()
    page.get_by_role("button", name="Submit claim").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Tick the declaration")
    assert_accessible(page)
    page.get_by_label("I make this declaration on behalf of the network").check()
    page.screenshot(path=f"{SHOTS}/claim-submit.png", full_page=True)
    page.get_by_role("button", name="Submit claim").click()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Submitted")

    # The approver rejects it with a reason.
    other = browser.new_context()
    approver_page = other.new_page()
    log_in(approver_page, live_server, approver)
    approver_page.goto(live_server.url + "/areas/Z01/claims/")
    expect(approver_page.get_by_role("table")).to_contain_text("£4,464.80")
    assert_accessible(approver_page)
    approver_page.screenshot(path=f"{SHOTS}/claim-queue.png", full_page=True)
    approver_page.get_by_role("link", name="Riverside PCN (U99001)").click()
    approver_page.get_by_label("Reject the claim").check()
    approver_page.get_by_label("Reason or note for the network").fill(
        "Hours worked do not match NWRS: check June's rota"
    )
    assert_accessible(approver_page)
    approver_page.screenshot(path=f"{SHOTS}/claim-decide.png", full_page=True)
    approver_page.get_by_role("button", name="Record decision").click()
    expect(approver_page.locator(".nhsuk-notification-banner")).to_contain_text("Rejected")

    # The manager sees why, corrects the hours and submits again.
    page.reload()
    rejected = page.locator(".nhsuk-card--warning", has_text="Rejected by the commissioner")
    expect(rejected).to_contain_text("Hours worked do not match")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/claim-rejected.png", full_page=True)
    page.get_by_role("link", name="Change the line for Priya Patel").click()
    page.get_by_label("Weekly hours worked").fill("25")
    page.get_by_role("button", name="Save line").click()
    # 66,972 ÷ 12 × (25 ÷ 37.5) = £3,720.67.
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("£3,720.67 claimed")
    page.get_by_role("link", name="Check and submit").click()
    page.get_by_label("I make this declaration on behalf of the network").check()
    page.get_by_role("button", name="Submit claim").click()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Submitted")

    # The approver approves.
    approver_page.goto(live_server.url + "/areas/Z01/claims/")
    approver_page.get_by_role("link", name="Riverside PCN (U99001)").click()
    approver_page.get_by_label("Approve the claim").check()
    approver_page.get_by_role("button", name="Record decision").click()
    expect(approver_page.locator(".nhsuk-inset-text")).to_contain_text("No claim is waiting")

    page.reload()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Approved")
    expect(page.get_by_role("table").last).to_contain_text("Rejected: Hours worked")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/claim-approved.png", full_page=True)
    assert re.search(r"/workforce/claims/2025-06/$", page.url)
    other.close()
