"""An ICB viewer goes from their ICB's overview to its exceptions, follows an overdue
follow-up to the network's commissioner's notes, marks it done and adds a note, the form
first sent empty; axe checks each page on the way."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import CommissionerNoteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/16-shots"


def test_from_the_exceptions_to_a_networks_notes(
    page, live_server, icb_viewer, world, assert_accessible
):
    CommissionerNoteFactory(
        pcn=world["pcn"],
        written_by=icb_viewer,
        written_on=datetime.date(2025, 6, 2),
        text="Met the network's managers about their agreement.",
        follow_up="Ask for the signed agreement",
        follow_up_due=datetime.date(2025, 6, 30),
    )
    log_in(page, live_server, icb_viewer)
    page.goto(f"{live_server.url}/areas/QZ1/")
    page.get_by_role("link", name=re.compile("^Exceptions")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exceptions")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Network Agreement not signed")
    expect(table).to_contain_text("U99002")
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/area-exceptions.png", full_page=True)

    page.get_by_label("Kind of exception").select_option(label="Commissioner's follow-up")
    page.get_by_role("button", name="Show").click()
    expect(table).to_contain_text("Overdue: Ask for the signed agreement")
    expect(table).not_to_contain_text("Network Agreement not signed")
    assert_accessible(page)

    page.get_by_role("link", name="Commissioner's notes").click()
    expect(page).to_have_url(re.compile(r"/areas/QZ1/networks/U99001/notes/#note-\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissioner's notes")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Mark the follow-up done")).click()
    expect(
        page.get_by_text("Marked the follow-up done: Ask for the signed agreement")
    ).to_be_visible()
    expect(page.locator("[data-follow-up]")).to_have_text(re.compile("^Yes, marked by Ian Test"))
    assert_accessible(page)

    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the note")
    assert_accessible(page)
    page.get_by_label("Note", exact=True).fill("The agreement is signed; a copy is on file.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text(re.compile("^Added the note of"))).to_be_visible()
    expect(page.get_by_text("The agreement is signed; a copy is on file.")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/network-notes.png", full_page=True)

    page.goto(f"{live_server.url}/areas/QZ1/exceptions/?show=follow_up")
    expect(page.get_by_text("No exception in the area matches these filters")).to_be_visible()
