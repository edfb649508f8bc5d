import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_see_home_and_log_out(page, live_server, superuser, assert_accessible, tmp_path):
    page.goto(live_server.url + "/")

    # Not logged in: the home page is the front door, with the public pages and "Log in".
    expect(page.get_by_role("heading", level=1)).to_have_text("PCN Portal")
    for link in ["Directory of networks", "Fact sheets by area", "Open data API"]:
        expect(page.get_by_role("link", name=link)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open data API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data API")
    assert_accessible(page)
    page.get_by_role("link", name="Home").first.click()
    page.get_by_role("link", name="Fact sheets by area").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fact sheets by area")
    assert_accessible(page)
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Log in").click()

    # The login page, styled as an NHS service.
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to PCN Portal")
    expect(page.locator(".nhsuk-header__service-name")).to_have_text("PCN Portal")
    assert_accessible(page)

    # A wrong password is refused with an error summary that links to the problem.
    page.get_by_label("Username").fill(superuser.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    assert_accessible(page)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your networks")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Nadia National")
    assert_accessible(page)
    page.screenshot(path=tmp_path / "home.png", full_page=True)
    assert (tmp_path / "home.png").stat().st_size > 0

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("navigation", name="Account")).to_have_count(0)


def test_logged_out_page_leads_back_and_failures_pause_logging_in(
    page, live_server, outsider, assert_accessible
):
    # Logged out for inactivity: the page says why and leads back to where the user was.
    page.goto(live_server.url + "/accounts/signed-out/inactive/?next=/accounts/password/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been logged out")
    assert_accessible(page)
    page.get_by_role("button", name="Log in again").click()
    page.get_by_label("Username").fill(outsider.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/accounts/password/")
    page.get_by_role("button", name="Log out").click()

    # Five wrong passwords pause logging in, and say until when.
    for n in range(5):
        page.get_by_label("Username").fill(outsider.username)
        page.get_by_label("Password").fill(f"wrong-{n}")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logging in is paused")
    expect(page.locator("main")).to_contain_text(re.compile(r"You can try again after \d\d:\d\d"))
    assert_accessible(page)

    # Even the right password is refused until then.
    page.get_by_role("link", name="Back to log in").click()
    page.get_by_label("Username").fill(outsider.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logging in is paused")
