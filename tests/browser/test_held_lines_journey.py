"""A network manager claims November 2026 (2026/27, today 7 December 2026), a year NHS England
has published no maximum amounts for: every line is held, with the reason, and nothing can be
claimed. Once the clinical pharmacist's 2026/27 amount is entered (a made-up figure, in this
test only), the manager claims the held lines that now have a figure and submits the claim:
the pharmacist's line is claimed; the link worker's, still held, moves with its reason to a
draft supplementary claim for November, to be claimed once its figure is published.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/25-held-shots"
D = datetime.date


def add_posts(pcn, manager):
    from workforce import actions
    from workforce.models import ARRSRole

    for name, role, band in [
        ("Priya Patel", "clinical-pharmacist", "7"),
        ("Sam Social", "social-prescribing-link-worker", "5"),
    ]:
        actions.add_post(
            pcn=pcn,
            by=manager,
            full_name=name,
            role=ARRSRole.objects.get(code=role),
            employer_type="lead_provider",
            employer_name="Riverside Health",
            start_date=D(2026, 4, 1),
            weekly_hours=Decimal("37.5"),
            afc_band=band,
            annual_salary=Decimal(48000),
            annual_employer_ni=Decimal(5500),
            annual_employer_pension=Decimal(6700),
        )


def test_a_2026_27_claim_with_held_lines(
    page, live_server, world, network_manager, assert_accessible
):
    from tests.conftest import _load_reference_data
    from workforce.models import MaximumAmount

    _load_reference_data()
    add_posts(world["pcn"], network_manager)

    log_in(page, live_server, network_manager)
    page.goto(live_server.url + "/networks/U99001/workforce/claims/")
    expect(page.locator("main")).to_contain_text(
        "NHS England has not published the 2026/27 maximum amounts yet"
    )
    assert_accessible(page)
    # December 2026 has not ended: the latest month offered is November.
    options = page.get_by_label("Month to claim for").locator("option")
    expect(options.nth(1)).to_have_text("November 2026")
    page.get_by_label("Month to claim for").select_option(label="November 2026")
    page.get_by_role("button", name="Start claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ARRS claim for November 2026")
    main = page.locator("main")
    expect(main).to_contain_text(
        "Nothing can be claimed for November 2026 until NHS England publishes the 2026/27 "
        "maximum amounts"
    )
    expect(main).to_contain_text("Held lines: 2, claimed at £0")
    held = page.get_by_role("table", name="Held lines for November 2026")
    expect(held).to_contain_text(
        "No maximum amount is known for Clinical pharmacist (Outside London) from 1 April 2026"
    )
    expect(page.get_by_role("link", name="Check and submit")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/all-held.png", full_page=True)

    # NHS England publishes the clinical pharmacist's amount (the next issue brings the
    # figures in; a national admin enters it here): £72,000, £6,000 a month.
    row = MaximumAmount.objects.get(role__code="clinical-pharmacist", period_start=D(2026, 4, 1))
    row.national, row.unknown = Decimal(72000), False
    row.save()
    page.reload()
    page.get_by_role("button", name="Claim held lines").click()
    # (48,000 + 5,500 + 6,700) ÷ 12, each part to the penny: 4,000 + 458.33 + 558.33.
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Worked out 1 held line again with the maximum amounts now known"
    )
    main = page.locator("main")
    expect(main).to_contain_text("1 line of this claim is held at £0")
    expect(page.get_by_role("table", name="Lines claimed for November 2026")).to_contain_text(
        "£5,016.66"
    )
    page.get_by_role("link", name="Check and submit").click()
    expect(page.locator("main")).to_contain_text(
        "The amounts declared are the lines claimed above, £5,016.66 in all"
    )
    expect(page.locator("main")).to_contain_text(
        "The 1 held line listed apart is not submitted: it moves"
    )
    expect(page.get_by_role("table", name="Held lines for November 2026")).to_contain_text(
        "Sam Social"
    )
    assert_accessible(page)
    page.get_by_label("I make this declaration").check()
    page.get_by_role("button", name="Submit claim").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Submitted the claim for November 2026"
    )
    expect(page.get_by_role("table", name="Held lines for November 2026")).to_have_count(0)
    held_out = page.get_by_role("table", name="Lines held out of this claim")
    expect(held_out).to_contain_text("Sam Social")
    expect(held_out).to_contain_text(
        "No maximum amount is known for Social prescribing link worker (Outside London) "
        "from 1 April 2026"
    )
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/submitted-with-held-out.png", full_page=True)
    held_out.get_by_role("link", name="Supplementary claim for November 2026 (1)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "ARRS supplementary claim for November 2026 (1)"
    )
    expect(page.get_by_role("table", name="Held lines for November 2026")).to_contain_text(
        "Sam Social"
    )
    expect(page.get_by_role("link", name="Check and submit")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/supplementary-draft.png", full_page=True)
