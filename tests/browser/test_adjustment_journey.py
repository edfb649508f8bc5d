"""A mistake found in an approved claim is put right in a later one: the network manager
adds an adjustment line to May's claim correcting April's approved line, submits it, and
an approver approves the claim with the adjustment in it. April's claim stays as it was
approved."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def approved_april(world, network_manager, approver):
    """Riverside PCN's April 2025 claim, approved: Priya Pharmacist, full time, £48,000 +
    £5,500 + £6,700 a year: £4,000.00 + £458.33 + £558.33 = £5,016.66 for April."""
    from tests.conftest import _load_reference_data
    from tests.factories import ARRSAllocationFactory
    from workforce import actions
    from workforce.models import ARRSRole

    _load_reference_data()
    pcn = world["pcn"]
    ARRSAllocationFactory(
        pcn=pcn, financial_year=2025, weighted_population=Decimal(1000),
        population_date=D(2025, 1, 1), rate=Decimal("26.631"), amount=Decimal("26631.00"),
    )  # fmt: skip
    actions.add_post(
        pcn=pcn, by=network_manager, full_name="Priya Pharmacist",
        role=ARRSRole.objects.get(code="clinical-pharmacist"), employer_type="lead_provider",
        start_date=D(2025, 4, 1), weekly_hours=Decimal("37.5"), afc_band="7",
        annual_salary=Decimal(48000), annual_employer_ni=Decimal(5500),
        annual_employer_pension=Decimal(6700),
    )  # fmt: skip
    april = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 4, 1))
    actions.submit_claim(claim=april, by=network_manager, declaration=True)
    return actions.decide_claim(claim=april, by=approver, approve=True)


def test_an_approver_approves_a_claim_with_an_adjustment(
    page, browser, live_server, world, network_manager, approver, assert_accessible
):
    april = approved_april(world, network_manager, approver)

    # The manager starts May's claim and adds an adjustment of April's line.
    log_in(page, live_server, network_manager)
    page.goto(live_server.url + "/networks/U99001/workforce/claims/")
    assert_accessible(page)
    page.get_by_label("Month to claim for").select_option(label="May 2025")
    page.get_by_role("button", name="Start claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ARRS claim for May 2025")
    assert_accessible(page)
    page.get_by_role("link", name="Add an adjustment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add an adjustment to the claim for May 2025"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Add adjustment").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose the approved line to correct"
    )
    assert_accessible(page)
    page.get_by_label("Approved line to correct").select_option(
        label="April 2025: Priya Pharmacist, Clinical pharmacist (£5,016.66 reimbursed)"
    )
    # £5,016.66 + £600.00 = £5,616.66: above April's maximum of £66,972 ÷ 12 = £5,581.00.
    page.get_by_label("Amount to add or take away (£)").fill("600")
    page.get_by_label("Why the approved line is corrected").fill(
        "April's pension was £541.67, not £558.33."
    )
    page.get_by_role("button", name="Add adjustment").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("above its maximum of £5,581.00")
    assert_accessible(page)
    page.get_by_label("Amount to add or take away (£)").fill("-16.66")
    page.get_by_role("button", name="Add adjustment").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Added an adjustment of −£16.66 to the claim for May 2025"
    )
    lines = page.get_by_role("table").first
    expect(lines).to_contain_text("Adjustment: Priya Pharmacist")
    expect(lines).to_contain_text("−£16.66")
    # May: £5,016.66 − £16.66 = £5,000.00.
    expect(lines.locator("tfoot")).to_contain_text("£5,000.00")
    assert_accessible(page)

    # ... and submits it.
    page.get_by_role("link", name="Check and submit").click()
    page.get_by_label("I make this declaration on behalf of the network").check()
    assert_accessible(page)
    page.get_by_role("button", name="Submit claim").click()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Submitted")

    # The approver sees the adjustment in the queue and on the claim, and approves it.
    other = browser.new_context()
    approver_page = other.new_page()
    log_in(approver_page, live_server, approver)
    approver_page.goto(live_server.url + "/areas/Z01/claims/")
    expect(approver_page.locator("main")).to_contain_text(
        "Adjustment of the approved line for April 2025"
    )
    assert_accessible(approver_page)
    approver_page.get_by_role("link", name="Riverside PCN (U99001)").click()
    decide = approver_page.get_by_role("table").first
    expect(decide).to_contain_text("Reason: April's pension was £541.67, not £558.33.")
    expect(decide.locator("tfoot")).to_contain_text("£5,000.00")
    assert_accessible(approver_page)
    approver_page.get_by_label("Approve the claim").check()
    approver_page.get_by_role("button", name="Record decision").click()
    expect(approver_page.locator(".nhsuk-inset-text")).to_contain_text("No claim is waiting")
    assert_accessible(approver_page)
    other.close()

    page.reload()
    expect(page.locator(".nhsuk-tag").first).to_have_text("Approved")
    assert_accessible(page)
    # April's approved claim is as it was approved.
    page.goto(live_server.url + "/networks/U99001/workforce/claims/2025-04/")
    expect(page.get_by_role("table").first.locator("tfoot")).to_contain_text("£5,016.66")
    assert_accessible(page)
    assert april.lines.get().reimbursable_amount == Decimal("5016.66")
