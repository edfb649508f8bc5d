"""Fixtures shared by the whole suite: the people who use the portal.

Each persona is a user with a known password, so view tests can log in with Django's test
client (middleware runs) and browser tests through the login page.
"""

import datetime

import pytest

import tests.properties  # noqa: F401  (the hypothesis profiles, before any test module)
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_modify_db_settings):
    """Create the test database anew, as --create-db does, when the one --reuse-db would
    keep was built by migrations the project no longer has (pcn_portal/checks.py):
    migrating it would leave it as it is."""
    if request.config.getvalue("create_db"):
        return True
    import psycopg
    from django.db import connection

    from pcn_portal.checks import gone_from

    params = {  # the server as Django reaches it, and the test database's name
        **{
            k: v
            for k, v in connection.get_connection_params().items()
            if k not in ("cursor_factory", "context")
        },
        "dbname": connection.creation._get_test_db_name(),
    }
    try:
        with psycopg.connect(**params) as kept:
            applied = kept.execute("SELECT app, name FROM django_migrations").fetchall()
    except (psycopg.OperationalError, psycopg.errors.UndefinedTable):
        return False  # no test database kept yet, or an empty one
    return bool(gone_from(applied))


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Serve static files without the manifest, so tests need no collectstatic run (the
    manifest storage itself is proven by tests/site/test_static.py), and hash passwords fast:
    the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once, in the test's own transaction; tests of the worker
    # itself switch back to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        # Uploaded files (evidence) stay in memory, one store per test.
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def make_user(username, **extra):
    return UserFactory(username=username, **extra)


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
    return UserFactory(
        username="nadia.national",
        first_name="Nadia",
        last_name="National",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def login(client):
    """Log the test client in as a user: login(user) returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def _load_reference_data():
    from tests.reference import ensure

    ensure()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, its reference data kept as the migrations left it, to be put
    back quickly after a test empties the database (tests/reference.py)."""
    from tests.reference import keep

    with django_db_blocker.unblock():
        keep()


def pytest_collection_modifyitems(items):
    """Start the modules that build a large data set first, the dearest first
    (heavy(cost=N), 1 by default), so the other worker runs the rest of the suite meanwhile
    instead of waiting for them at the end. pytest-xdist keeps this order only with
    --no-loadscope-reorder (pyproject.toml): by default it sends the modules with the most
    tests first, which left the crawl of the demo data to start last."""
    items.sort(key=_heavy_first)


def _heavy_first(item):
    heavy = item.get_closest_marker("heavy")
    return -heavy.kwargs.get("cost", 1) if heavy else 0


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


# --- the nine personas, on one small commissioning world ------------------------------
#
# Region Y99 > ICB QZ1 > Sub-ICB locations Z01 and Z02. Network U99001 (two practices) is
# in Z01, U99002 (one practice) in Z02. Each persona is made through networks.actions.assign,
# as a national admin would in admin, and has a logged-in client fixture.


@pytest.fixture
def world(db):
    """The commissioning areas, networks and practices the personas work on
    (tests/factories/worlds.py: personas_world)."""
    from tests.factories.worlds import personas_world

    return personas_world()


@pytest.fixture
def area(world, reference_data):
    """The personas' world with more networks, directors, agreements, ARRS figures and care
    homes, hand-counted for the area pages (tests/factories/worlds.py: hand_counted_area)."""
    from tests.factories.worlds import hand_counted_area

    return hand_counted_area(world)


@pytest.fixture
def moved_home(world):
    """A care home aligned to U99001 up to and including 31 March 2026 and to U99002 from
    1 April 2026, each with its own bed counts (tests/factories/worlds.py: moved_home)."""
    from tests.factories.worlds import moved_home

    return moved_home(world)


@pytest.fixture
def partners(world):
    """Partner organisations of U99001: its own, one U99002 works with too, and a national
    one (tests/factories/worlds.py: partners_world)."""
    from tests.factories.worlds import partners_world

    return partners_world(world)


@pytest.fixture
def published(world):
    """The personas' world as ODS publishes it, beside what the portal holds that is not
    published (tests/factories/worlds.py: published_world)."""
    from tests.factories.worlds import published_world

    return published_world(world)


@pytest.fixture
def on_day(monkeypatch):
    """on_day(day): the budget pages' today is the day."""
    from workforce import budget

    def set_today(day):
        monkeypatch.setattr(budget, "today", lambda: day)

    return set_today


@pytest.fixture
def year_2025(world, on_day):
    """The budget page's worked example for 2025/26, seen on 10 November 2025
    (tests/factories/worlds.py: budget_year_2025)."""
    from tests.factories.worlds import budget_year_2025

    made = budget_year_2025(world)
    on_day(datetime.date(2025, 11, 10))
    return made


def persona(username, *, scope=None, role=None, organisation=None):
    user = make_user(username, first_name=username.split(".")[0].title(), last_name="Test")
    if scope:
        from networks.actions import assign

        admin = UserFactory(username="persona.admin", is_staff=True, is_superuser=True)
        assign(user=user, by=admin, scope=scope, role=role, organisation=organisation)
    return user


@pytest.fixture
def network_viewer(world):
    return persona("vera.viewer", scope="pcn", role="viewer", organisation=world["pcn"])


@pytest.fixture
def network_manager(world):
    return persona("mo.manager", scope="pcn", role="editor", organisation=world["pcn"])


@pytest.fixture
def co_manager(world):
    """A second manager of the same network, for two people editing one record at once."""
    return persona("bea.second", scope="pcn", role="editor", organisation=world["pcn"])


@pytest.fixture
def co_manager_client(co_manager):
    from django.test import Client

    client = Client()
    client.force_login(co_manager)
    return client


@pytest.fixture
def other_manager(world):
    return persona("otto.other", scope="pcn", role="editor", organisation=world["other_pcn"])


@pytest.fixture
def subicb_viewer(world):
    return persona("sue.subicb", scope="sub_icb", role="viewer", organisation=world["sub_icb"])


@pytest.fixture
def icb_viewer(world):
    return persona("ian.icb", scope="icb", role="viewer", organisation=world["icb"])


@pytest.fixture
def approver(world):
    return persona("ada.approver", scope="icb", role="approver", organisation=world["icb"])


@pytest.fixture
def national_admin(world, superuser):
    return superuser


PERSONAS = [
    "anonymous",
    "outsider",
    "network_viewer",
    "network_manager",
    "other_manager",
    "subicb_viewer",
    "icb_viewer",
    "approver",
    "national_admin",
]


def _client_for(name):
    @pytest.fixture
    def _client(request, world):
        from django.test import Client

        client = Client()
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    _client.__name__ = f"{name}_client"
    return _client


for _name in PERSONAS:
    globals()[f"{_name}_client"] = _client_for(_name)


@pytest.fixture
def arrs_world(world, reference_data):
    """ARRS records at U99001 for the access grid: a clinical pharmacist's post, a claim
    for April 2025 submitted to the commissioner and a draft for May 2025."""
    import datetime
    from decimal import Decimal

    from workforce import actions
    from workforce.models import ARRSRole

    manager = persona("max.arrs", scope="pcn", role="editor", organisation=world["pcn"])
    post = actions.add_post(
        pcn=world["pcn"],
        by=manager,
        full_name="Priya Pharmacist",
        role=ARRSRole.objects.get(code="clinical-pharmacist"),
        employer_type="lead_provider",
        start_date=datetime.date(2025, 4, 1),
        weekly_hours=Decimal("37.5"),
        afc_band="7",
        annual_salary=Decimal(48000),
        annual_employer_ni=Decimal(5500),
        annual_employer_pension=Decimal(6700),
    )
    submitted = actions.start_claim(pcn=world["pcn"], by=manager, month=datetime.date(2025, 4, 1))
    actions.submit_claim(claim=submitted, by=manager, declaration=True)
    draft = actions.start_claim(pcn=world["pcn"], by=manager, month=datetime.date(2025, 5, 1))
    return {**world, "post": post, "submitted": submitted, "draft": draft}
