"""Logging in and staying logged in: throttling on every login form, session limits."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD

# A summer morning: British Summer Time, so the times shown are an hour ahead of UTC.
MORNING = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def attempt(client, username, password="not-the-password", url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


# Throttling ---------------------------------------------------------------------------


def test_the_fifth_failure_locks_the_username_and_says_until_when(client, outsider, clock):
    for _ in range(4):
        response = attempt(client, outsider.username)
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()

    response = attempt(client, outsider.username)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Logging in is paused" in page
    assert "There have been too many attempts to log in" in page
    # 09:00 UTC is 10:00 in London in July; the cool-off is 15 minutes.
    assert "You can try again after 10:15 (15 minutes after the last attempt)" in page

    # Now even the right password is refused.
    response = attempt(client, outsider.username, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_a_lockout_ends_after_the_cool_off(client, outsider, clock):
    for _ in range(5):
        attempt(client, outsider.username)

    clock.shift(datetime.timedelta(minutes=14))
    assert attempt(client, outsider.username, PASSWORD).status_code == 429

    clock.shift(datetime.timedelta(minutes=2))
    response = attempt(client, outsider.username, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_good_login_clears_the_failures(client, outsider):
    for _ in range(4):
        attempt(client, outsider.username)
    assert attempt(client, outsider.username, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for _ in range(4):
        assert attempt(client, outsider.username).status_code == 200
    assert attempt(client, outsider.username, PASSWORD).status_code == 302


def test_one_persons_typos_lock_only_them_at_their_address(client, outsider, network_manager):
    """Five typos by one person behind a shared NHS address: they are paused there; a
    colleague at the same address logs in, and so do they from elsewhere (no one can lock a
    named user out from another address)."""
    shared = {"REMOTE_ADDR": "198.51.100.7"}
    for _ in range(5):
        attempt(client, outsider.username, **shared)
    assert attempt(client, outsider.username, PASSWORD, **shared).status_code == 429
    assert attempt(client, network_manager.username, PASSWORD, **shared).status_code == 302
    client.post(reverse("accounts:logout"))
    response = attempt(client, outsider.username, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


def test_many_usernames_from_one_address_lock_that_address(client, outsider, settings):
    """One address guessing across usernames is paused at the address's own, far higher
    count (LOGIN_ADDRESS_FAILURE_LIMIT, 100 by default)."""
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 100
    guesser = {"REMOTE_ADDR": "198.51.100.7"}
    for n in range(99):
        assert attempt(client, f"guess{n}", **guesser).status_code == 200
    assert attempt(client, "guess99", **guesser).status_code == 429
    response = attempt(client, outsider.username, PASSWORD, **guesser)
    assert response.status_code == 429
    # From elsewhere the same account still logs in.
    response = attempt(client, outsider.username, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


def test_the_admin_login_form_is_locked_too(client, superuser):
    for _ in range(4):
        assert attempt(client, superuser.username, url=ADMIN_LOGIN).status_code == 200
    response = attempt(client, superuser.username, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "Logging in is paused" in response.content.decode()

    # One count for both forms: the site's login is refused as well.
    assert attempt(client, superuser.username, PASSWORD).status_code == 429
    assert not logged_in(client)


def test_national_admins_see_and_clear_lockouts_in_admin(client, outsider, superuser):
    for _ in range(5):
        attempt(client, outsider.username)
    assert attempt(client, outsider.username, PASSWORD).status_code == 429

    client.force_login(superuser)
    listing = client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert outsider.username in listing.content.decode()
    lockout = AccessAttempt.objects.get(username=outsider.username)
    response = client.post(f"/admin/axes/accessattempt/{lockout.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))

    assert attempt(client, outsider.username, PASSWORD).status_code == 302


def test_the_address_behind_trusted_proxies_is_the_one_counted(client, outsider, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        attempt(client, outsider.username, HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")
    paused = attempt(
        client, outsider.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1"
    )
    assert paused.status_code == 429
    # The proxy's own address is shared by everyone: only the client's is counted.
    response = attempt(client, outsider.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 302


# Sessions -----------------------------------------------------------------------------


def test_idle_sessions_end_with_a_page_that_says_why(client, outsider, clock):
    assert attempt(client, outsider.username, PASSWORD).status_code == 302

    clock.shift(datetime.timedelta(minutes=29))
    assert client.get("/").status_code == 200  # a request keeps the session alive

    clock.shift(datetime.timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signed-out/inactive/?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert "You have been logged out" in page
    assert "you had not used PCN Portal for 30 minutes" in page
    assert 'href="/accounts/login/?next=/"' in page

    assert not logged_in(client)
    assert client.get("/networks/")["Location"] == "/accounts/login/?next=/networks/"


def test_sessions_end_after_twelve_hours_however_busy(client, outsider, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = datetime.timedelta(days=1)
    assert attempt(client, outsider.username, PASSWORD).status_code == 302

    clock.shift(datetime.timedelta(hours=11, minutes=59))
    assert client.get("/").status_code == 200

    clock.shift(datetime.timedelta(minutes=1))
    response = client.get("/")
    assert response["Location"] == "/accounts/signed-out/expired/?next=%2F"
    page = client.get(response["Location"]).content.decode()
    assert "you had been logged in for 12 hours" in page
    assert not logged_in(client)


def test_the_session_cookie_ends_with_the_browser(client, outsider):
    attempt(client, outsider.username, PASSWORD)
    cookie = client.cookies["sessionid"]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_logging_in_gives_a_new_session_key(client, outsider):
    session = client.session
    session["seen_before_login"] = True
    session.save()
    before = client.cookies["sessionid"].value

    assert attempt(client, outsider.username, PASSWORD).status_code == 302
    assert client.cookies["sessionid"].value != before
    assert logged_in(client)


def test_the_signed_out_page_only_links_back_to_this_site(client):
    page = client.get(
        "/accounts/signed-out/inactive/", {"next": "https://evil.example/"}
    ).content.decode()
    assert "evil.example" not in page
    assert client.get("/accounts/signed-out/elsewhere/").status_code == 404
