"""A network manager updates three requirements of Enhanced Health in Care Homes in place,
uploads evidence, adds a care home with its beds and sees the premium estimate change."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/pcn-portal-screenshots"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def update_in_place(page, code, status, *, note="", completed=None):
    card = page.locator(f"#requirement-{code}")
    card.get_by_role("link", name=f"Update {code}").click()
    expect(card.get_by_role("button", name=f"Save {code}")).to_be_visible()
    card.get_by_label(status, exact=True).check()
    if note:
        card.get_by_label("Note").fill(note)
    if completed:
        for part, value in zip(("day", "month", "year"), completed, strict=True):
            card.locator(f"[name=completed_on_{part}]").fill(value)
    card.get_by_role("button", name=f"Save {code}").click()
    return page.locator(f"#requirement-{code}")


def test_a_manager_evidences_care_homes_and_sees_the_premium(
    page, live_server, network_manager, world, assert_accessible
):
    log_in(page, live_server, network_manager)
    page.goto(live_server.url + "/networks/U99001/")
    page.get_by_role("link", name="Service specifications and their delivery").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Service specifications")
    page.get_by_label("Financial year").select_option("2023")
    page.get_by_role("button", name="Show year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Service specifications 2023/24")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-year.png", full_page=True)

    page.get_by_role("link", name="Enhanced Health in Care Homes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enhanced Health in Care Homes")
    url = page.url

    # Three requirements, each updated in place (htmx): the page does not reload.
    card = update_in_place(page, "EHCH-1", "Delivered", note="All homes aligned.",
                           completed=("1", "10", "2023"))  # fmt: skip
    expect(card).to_contain_text("EHCH-1 saved: delivered.")
    expect(card).to_contain_text("All homes aligned.")
    # An error stays in place, with the message on the field.
    card = update_in_place(page, "EHCH-2", "Delivered")
    expect(card.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter the date the requirement was delivered"
    )
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-inline-error.png", full_page=True)
    card.locator("[name=completed_on_day]").fill("15")
    card.locator("[name=completed_on_month]").fill("11")
    card.locator("[name=completed_on_year]").fill("2023")
    card.get_by_role("button", name="Save EHCH-2").click()
    expect(page.locator("#requirement-EHCH-2")).to_contain_text("EHCH-2 saved: delivered.")
    card = update_in_place(page, "EHCH-3", "In progress", note="Round on Wednesdays.")
    expect(card).to_contain_text("EHCH-3 saved: in progress.")
    assert page.url == url
    # The summary above counts the requirements saved in place, without a reload.
    expect(page.locator("#delivery-summary")).to_contain_text("2 of 7 requirements delivered")
    page.reload()
    expect(page.locator(".nhsuk-summary-list").first).to_contain_text(
        "2 of 7 requirements delivered"
    )
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-ehch.png", full_page=True)

    # Evidence: a renamed file is refused, the real one kept and linked.
    page.goto(url + "requirements/EHCH-6/")
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "protocol.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("is named as a PDF")
    assert_accessible(page)
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "protocol.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Evidence added to EHCH-6: protocol.pdf"
    )
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-evidence.png", full_page=True)
    page.goto(url)
    expect(page.locator("#requirement-EHCH-6")).to_contain_text("protocol.pdf")

    # A 244-character file name: kept, and no page grows wider than the screen for it
    # (before, the evidence page stretched to 5,085 px).
    long_name = "Care home ward round protocol, agreed with the community trust " * 3
    long_name = long_name.replace(" ", "-")[:240] + ".pdf"
    page.goto(url + "requirements/EHCH-6/")
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": long_name, "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Evidence added")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for address in (url + "requirements/EHCH-6/", url):
            page.goto(address)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{address} is {wide} px wide at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})

    # A care home with its beds: the 2025/26 estimate grows from £3,907.59 to £9,117.71.
    page.goto(live_server.url + "/networks/U99001/")
    page.get_by_role("link", name="Aligned care homes and the Care Home Premium").click()
    page.get_by_label("Financial year").select_option("2025")
    page.get_by_role("button", name="Show year").click()
    expect(page.locator("#premium-total")).to_have_text("£3,907.59")
    assert_accessible(page)
    page.get_by_role("link", name="Add a care home").click()
    page.get_by_label("CQC location ID").fill("1-222333444")
    page.get_by_label("Name", exact=True).fill("Willow Court")
    page.get_by_label("Address").fill("1 River Lane")
    page.get_by_label("Postcode").fill("RV1 2AB")
    page.get_by_label("Care home with nursing", exact=True).check()
    page.get_by_label("Registered beds").fill("40")
    page.get_by_label("Named clinical lead").fill("Dr Ola Green")
    page.get_by_label("Day of the weekly home round").select_option("Wednesday")
    page.locator("#id_start_date_day").fill("1")
    page.locator("#id_start_date_month").fill("4")
    page.locator("#id_start_date_year").fill("2025")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-care-home-add.png", full_page=True)
    page.get_by_role("button", name="Align the care home").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Willow Court is aligned to Riverside PCN from 1 April 2025, with 40 beds."
    )
    expect(page).to_have_url(re.compile(r"/services/care-homes/$"))
    page.get_by_label("Financial year").select_option("2025")
    page.get_by_role("button", name="Show year").click()
    expect(page.locator("#premium-total")).to_have_text("£9,117.71")
    expect(page.get_by_role("table").first).to_contain_text("Willow Court")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-care-homes.png", full_page=True)

    # The home's page: its beds by month, and a month's count recorded.
    page.get_by_role("link", name="Willow Court").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Willow Court")
    page.get_by_label("Month").select_option(label="October 2025")
    page.get_by_label("Registered beds").fill("44")
    page.get_by_role("button", name="Save beds").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Willow Court: 44 beds from October 2025."
    )
    expect(page.get_by_role("table")).to_contain_text("October 2025")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-care-home.png", full_page=True)

    # Local priorities: one added with its owner and review date.
    page.get_by_role("link", name="Riverside PCN").click()
    page.get_by_role("link", name="Local priorities").click()
    page.get_by_role("link", name="Add a local priority").click()
    page.get_by_label("Title").fill("Childhood asthma")
    page.get_by_label("Owner").fill("Dr Lee Park")
    page.get_by_label("Active", exact=True).check()
    page.locator("#id_review_on_day").fill("30")
    page.locator("#id_review_on_month").fill("9")
    page.locator("#id_review_on_year").fill("2026")
    page.locator("#id_start_date_day").fill("1")
    page.locator("#id_start_date_month").fill("4")
    page.locator("#id_start_date_year").fill("2026")
    assert_accessible(page)
    page.get_by_role("button", name="Save priority").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "Local priority added: Childhood asthma."
    )
    expect(page.get_by_role("table")).to_contain_text("Dr Lee Park")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/services-priorities.png", full_page=True)
