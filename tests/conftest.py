"""Fixtures shared by the whole suite: the people who use the portal.

Each persona is a user with a known password, so view tests can log in with Django's test
client (middleware runs) and browser tests through the login page.
"""

import pytest
from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Serve static files without the manifest, so tests need no collectstatic run (the
    manifest storage itself is proven by tests/test_static.py), and hash passwords fast:
    the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, in the test's own transaction; tests of the worker
    # itself switch back to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(username, **extra):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.nhs.uk", **extra
    )


@pytest.fixture
def anonymous(client):
    """Somebody who has not logged in."""
    return client


@pytest.fixture
def outsider(db):
    """A logged-in user with no scope anywhere."""
    return make_user("olive.outsider", first_name="Olive", last_name="Outsider")


@pytest.fixture
def superuser(db):
    """A national admin."""
    return get_user_model().objects.create_superuser(
        username="nadia.national",
        password=PASSWORD,
        email="nadia.national@example.nhs.uk",
        first_name="Nadia",
        last_name="National",
    )


@pytest.fixture
def login(client):
    """Log the test client in as a user: login(user) returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def _load_reference_data():
    from django.apps import apps

    from pcn_portal.reference import load_arrs, load_specifications
    from workforce.models import ARRSRole

    if not ARRSRole.objects.exists():
        load_arrs(apps)
        load_specifications(apps)


def pytest_collection_modifyitems(items):
    """Start the modules that build a large data set first, so the other worker runs the
    rest of the suite meanwhile instead of waiting for them at the end."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Tests that run outside a transaction (browser tests) empty the database when they
    end, the reference data the migrations load included: put it back once, for good,
    rather than in every later test's rolled-back transaction."""
    result = yield
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (marker and marker.kwargs.get("transaction")) or "live_server" in fixtures:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _load_reference_data()
    return result


@pytest.fixture
def reference_data(db):
    """The national reference data the migrations load."""
    _load_reference_data()
