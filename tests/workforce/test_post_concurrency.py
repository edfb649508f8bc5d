"""Two network managers saving the same post at the same moment against the running
server, each logged in through the login page in an HTTP session of their own: whichever
the server takes first is saved and the other is told, with the first's value beside
theirs. Never a server error, never a silent overwrite."""

import datetime
import re
import threading

import pytest
import requests

from tests.factories.users import PASSWORD
from tests.pages import date_fields, form_data
from workforce.models import Post

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3
TIMEOUT = 30


def logged_in(live_server, user):
    """An HTTP session of its own (cookies, CSRF token), logged in as the user."""
    session = requests.Session()
    login = f"{live_server.url}/accounts/login/"
    page = session.get(login, timeout=TIMEOUT).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    credentials = {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    response = session.post(login, credentials, timeout=TIMEOUT, allow_redirects=False)
    assert response.status_code == 302, "the login was refused"
    return session


def opened(session, url):
    """The page's form as the session opened it, with its CSRF token."""
    page = session.get(url, timeout=TIMEOUT)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return {**form_data(page.text), "csrfmiddlewaretoken": token}


def at_once(posts):
    """Send each (session, url, data) from its own thread, released together; the
    responses in the same order."""
    start = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def send(n, session, url, data):
        start.wait(timeout=TIMEOUT)
        responses[n] = session.post(url, data, timeout=TIMEOUT, allow_redirects=False)

    threads = [threading.Thread(target=send, args=(n, *p)) for n, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    return responses


def one_saved_the_other_told(responses, values, names):
    """Exactly one save went through; the other was told, with the saved value beside its
    own. Returns the value saved."""
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 302], f"expected one saved and one told, got {codes}"
    won = next(n for n, r in enumerate(responses) if r.status_code == 302)
    lost = 1 - won
    told = " ".join(responses[lost].text.split())
    assert f"{names[won]} saved a change to this post on" in told
    assert f"{names[won]} saved “{values[won]}” here; yours is “{values[lost]}”." in told
    return won


@pytest.fixture
def sessions(live_server, network_manager, co_manager):
    return [logged_in(live_server, network_manager), logged_in(live_server, co_manager)]


NAMES = ["Mo Test", "Bea Test"]


def test_renaming_the_holder_at_the_same_moment(live_server, sessions, make_post):
    for round_ in range(ROUNDS):
        post = make_post("clinical-pharmacist", D(2024, 4, 1), full_name="Priya Pharmacist")
        url = f"{live_server.url}/networks/U99001/workforce/posts/{post.pk}/"
        forms = [opened(session, url) for session in sessions]
        names = [f"Priya Patel {round_}", f"Priya Shah {round_}"]

        posts = zip(sessions, forms, names, strict=True)
        responses = at_once([(s, url, {**form, "full_name": name}) for s, form, name in posts])

        won = one_saved_the_other_told(responses, names, NAMES)
        assert Post.objects.get(pk=post.pk).staff_member.full_name == names[won]


def test_ending_a_post_with_different_dates_at_the_same_moment(live_server, sessions, make_post):
    for _ in range(ROUNDS):
        post = make_post("clinical-pharmacist", D(2024, 4, 1))
        url = f"{live_server.url}/networks/U99001/workforce/posts/{post.pk}/end/"
        forms = [opened(session, url) for session in sessions]
        days = [D(2025, 11, 30), D(2025, 12, 31)]

        posts = zip(sessions, forms, days, strict=True)
        responses = at_once([(s, url, {**f, **date_fields("end_date", d)}) for s, f, d in posts])

        shown = ["30 November 2025", "31 December 2025"]
        won = one_saved_the_other_told(responses, shown, NAMES)
        assert Post.objects.get(pk=post.pk).end_date == days[won]
