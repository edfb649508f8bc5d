"""Password rules: not like the user's name, long enough, not a common password."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.factories import PASSWORD


@pytest.fixture
def victor(db):
    """A user whose username says nothing of their name."""
    return make_user("pcn-user-17", first_name="Victor", last_name="Viewer")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Victor Viewer", "The password is too similar to your name."),
        ("viewer.victor", "The password is too similar to your name."),
        ("tiny-pass-1", "This password is too short. It must contain at least 12 characters."),
        ("q1w2e3r4t5y6", "This password is too common."),
    ],
)
def test_weak_passwords_are_refused(login, victor, password, message):
    response = login(victor).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    victor.refresh_from_db()
    assert victor.check_password(PASSWORD)


def test_a_long_password_unlike_the_name_is_accepted(login, victor):
    response = login(victor).post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "plum-orchard-lantern-47",
            "new_password2": "plum-orchard-lantern-47",
        },
    )
    assert response.status_code == 302
    victor.refresh_from_db()
    assert victor.check_password("plum-orchard-lantern-47")
