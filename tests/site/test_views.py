import pytest
from django.db import DatabaseError
from django.urls import reverse

from tests.factories import PASSWORD


def test_pages_need_login(anonymous, db):
    response = anonymous.get("/networks/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/networks/"


def test_the_home_page_is_the_front_door_when_not_logged_in(anonymous, db):
    page = anonymous.get("/").content.decode()
    assert "Find a network" in page and 'href="/accounts/login/"' in page


def test_admin_needs_login(anonymous, db):
    response = anonymous.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_login_page_renders_nhs_form(anonymous, db):
    response = anonymous.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="nhsuk-header' in html
    assert 'for="id_username"' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_wrong_password_shows_error_summary(anonymous, superuser):
    response = anonymous.post(
        reverse("accounts:login"), {"username": superuser.username, "password": "wrong"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html
    assert "Enter a correct username and password" in html


def test_login_then_home_then_logout(anonymous, superuser):
    response = anonymous.post(
        reverse("accounts:login"),
        {"username": superuser.username, "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Nadia National" in response.content.decode()

    response = anonymous.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    home = anonymous.get("/").content.decode()
    assert "Find a network" in home and "Nadia National" not in home


def test_password_change(login, outsider):
    client = login(outsider)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-and-long-password-2026",
            "new_password2": "a-new-and-long-password-2026",
        },
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password("a-new-and-long-password-2026")


def test_password_change_mismatch_is_explained(login, outsider):
    response = login(outsider).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "one-long-pass-2026", "new_password2": "two"},
    )
    assert response.status_code == 200
    assert "The two password fields didn’t match" in response.content.decode()
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_healthz_answers_without_login(anonymous, db):
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_is_503_when_the_database_does_not_answer(anonymous, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("pcn_portal.views.connection", UnreachableDatabase())
    response = anonymous.get("/healthz")
    assert response.status_code == 503


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz"])
def test_strict_content_security_policy(anonymous, db, url):
    policy = anonymous.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(login, superuser):
    html = login(superuser).get("/").content.decode()
    assert "<style" not in html
    assert " style=" not in html
    for tag in html.split("<script")[1:]:
        assert " src=" in tag.split(">", 1)[0], "inline <script> would break the CSP"


def test_empty_login_says_what_to_enter(anonymous, db):
    html = anonymous.post(
        reverse("accounts:login"), {"username": "", "password": ""}
    ).content.decode()
    assert "Enter your username" in html
    assert "Enter your password" in html


def test_admin_pages_carry_the_nhs_favicon(login, superuser):
    page = login(superuser).get("/admin/").text
    assert 'rel="icon" href="/static/vendor/nhsuk-frontend/' in page
    assert "PCN Portal administration" in page
