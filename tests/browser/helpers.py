"""Steps the browser journeys share."""

from tests.factories import PASSWORD


def log_in(page, live_server, user, path="/accounts/login/"):
    """Log in through the login page (the site's, or admin's with path="/admin/login/")."""
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
