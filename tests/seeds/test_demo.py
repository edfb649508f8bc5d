"""The demo data set: what make run shows a new user."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from networks.models import Assignment, PrimaryCareNetwork
from practices.calculations import Footprint, footprint, population_on
from practices.models import Membership, Practice
from services.models import CareHome, DeliveryStatus, ServiceDelivery
from tests.db import analyze
from workforce.models import ARRSAllocation, Claim, ClaimStatus, Post

pytestmark = pytest.mark.heavy(cost=2)  # the demo seeded: next after the crawl


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tests.reference import ensure, put_back

        ensure()
        out = io.StringIO()
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=out)
        analyze()
        yield out.getvalue()
        call_command("flush", interactive=False, verbosity=0)
        # flush empties the reference data too: put it back for the tests that follow.
        put_back()


@pytest.mark.django_db
def test_demo_data_set(demo, settings):
    import datetime

    today = datetime.date(2025, 10, 1)
    pcns = PrimaryCareNetwork.objects.all()
    assert pcns.count() == 10
    assert all(p.name.startswith("DEMO") for p in pcns)
    assert 45 <= Practice.objects.count() <= 55
    flags = {footprint(population_on(p, today)) for p in pcns}
    assert {Footprint.BELOW, Footprint.WITHIN, Footprint.ABOVE} <= flags
    assert pcns.filter(clinical_directors__isnull=True).count() == 1
    moved = Practice.objects.filter(memberships__end_date__isnull=False).distinct()
    assert moved.count() == 1
    assert Membership.objects.filter(practice__in=moved).count() == 2
    assert 140 <= Post.objects.count() <= 160
    assert Post.objects.values("role").distinct().count() >= 12
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert statuses == set(ClaimStatus.values)
    assert ARRSAllocation.objects.count() == 10
    assert CareHome.objects.exists()
    assert set(ServiceDelivery.objects.values_list("status", flat=True)) == set(
        DeliveryStatus.values
    )
    users = get_user_model().objects
    assert users.filter(is_superuser=True).exists()
    assert Assignment.objects.values("scope").distinct().count() == 4
    assert "password pcn-portal-demo" in demo
    assert "manager" in demo and "approver" in demo
    assert users.count() == 7


@pytest.mark.django_db
def test_demo_goes_only_into_an_empty_database(demo, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="already"):
        call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", if_empty=True, stdout=out)
    assert "demo data not loaded" in out.getvalue()


def test_demo_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("seed_demo", stdout=io.StringIO())


WRITE_METHODS = {"create", "get_or_create", "update_or_create", "bulk_create", "update", "save",
                 "delete"}  # fmt: skip


def direct_writes(source, allowed_functions=()):
    """Calls in a module's source that write to the database other than through an action:
    (line, call) pairs, outside the functions allowed to."""
    import ast

    tree = ast.parse(source)
    found = []

    class Visitor(ast.NodeVisitor):
        def visit_FunctionDef(self, node):
            if node.name not in allowed_functions:
                self.generic_visit(node)

        def visit_Call(self, node):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS:
                found.append((node.lineno, ast.unparse(func)))
            self.generic_visit(node)

    Visitor().visit(tree)
    return found


def test_the_demo_seed_writes_through_actions():
    from pathlib import Path

    import pcn_portal.seeds.demo

    source = Path(pcn_portal.seeds.demo.__file__).read_text()
    # Logins are Django's own users, made with its manager; every domain record is made by
    # the same actions the pages use.
    assert direct_writes(source, allowed_functions={"persona_users"}) == []


def test_a_direct_write_in_a_seed_is_found():
    source = "def seed(pcn):\n    pcn.collaborations.create(partner=None)\n"
    assert direct_writes(source) == [(2, "pcn.collaborations.create")]


@pytest.mark.django_db
def test_the_demo_claims_run_to_last_month_each_dated_after_its_month(demo):
    """Built on a day, the demo's claims run from April 2025 to the last month that has
    ended; each is submitted after its month ended and decided after it was submitted, not
    all on the day of the build; months without published maximum amounts (2026/27 today)
    hold every line and are not submitted."""
    from django.utils import timezone

    from pcn_portal.core.dates import today
    from workforce import calculations
    from workforce.actions import claimable_from

    last = max(Claim.objects.values_list("month", flat=True))
    assert claimable_from(last) <= today()
    next_month = (last + datetime.timedelta(days=32)).replace(day=1)
    assert claimable_from(next_month) > today() - datetime.timedelta(days=7)
    sealed = Claim.objects.exclude(submitted_at=None)
    assert sealed.count() > 50
    for claim in sealed:
        submitted = timezone.localdate(claim.submitted_at)
        assert submitted >= claimable_from(claim.month)
        if claim.decided_at is not None:
            assert claim.decided_at > claim.submitted_at or claim.status == "submitted"
    assert len({timezone.localdate(c.submitted_at) for c in sealed}) > 20
    for claim in Claim.objects.filter(month__gte=datetime.date(2026, 4, 1)):
        if not calculations.maxima_published(2026):
            assert claim.status == ClaimStatus.DRAFT
            assert not claim.lines.filter(maximum_amount__isnull=False).exists()
