"""The national data set's synthetic layer, on a handful of networks: what a user of it
would notice. The full national build (minutes) is never run here."""

import datetime
import io
from collections import Counter

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse

from networks.models import ClinicalDirector, NetworkAgreement, PrimaryCareNetwork, Scope
from pcn_portal.seeds import national
from pcn_portal.seeds.demo import DEMO_PASSWORD
from practices.calculations import weighted_population_on
from practices.models import ListSize
from services.models import CareHome, RequirementProgress, ServiceDelivery
from tests import factories
from tests.db import analyze
from workforce.calculations import allocation_amount
from workforce.models import (
    FULL_TIME_HOURS,
    SEALED_STATUSES,
    ARRSAllocation,
    Claim,
    ClaimLine,
    ClaimStatus,
    Post,
    StaffMember,
)

D = datetime.date
SIZES = [4_000, 7_000, 9_500, 12_000, 6_000, 15_000, 8_000, 11_000]
# The slice is built on a day inside the claim months: March 2026 has not ended.
BUILT_ON = datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)


pytestmark = pytest.mark.heavy


def build_slice():
    """Two regions, six networks of four practices, each practice with its 1 January 2021
    list size (what the ODS import gives the synthetic layer to start from)."""
    london = factories.RegionFactory(code="Y56", name="LONDON")
    north = factories.RegionFactory(code="Y63", name="NORTH EAST AND YORKSHIRE")
    pcns = []
    for i in range(6):
        icb = factories.IntegratedCareBoardFactory(region=london if i < 2 else north)
        sub_icb = factories.SubICBLocationFactory(icb=icb)
        pcn = factories.PrimaryCareNetworkFactory(lead_commissioner=sub_icb)
        for j in range(4):
            practice = factories.PracticeFactory(commissioner=sub_icb)
            factories.MembershipFactory(practice=practice, pcn=pcn, start_date=D(2019, 7, 1))
            factories.ListSizeFactory(
                practice=practice,
                extract_date=national.LIST_SIZE_BASE,
                registered_patients=SIZES[(i + j) % len(SIZES)] * (1 + i // 3),
                weighted_patients=None,
            )
        pcns.append(pcn)
    return pcns


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The synthetic layer over the slice, built once for the module (a few seconds)."""
    with django_db_blocker.unblock():
        from tests.reference import ensure, put_back

        ensure()
        with (
            override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
            time_machine.travel(BUILT_ON),
        ):
            pcns = build_slice()
            counts = national.NationalSeed().synthesise()
        analyze()
        yield pcns, counts
        call_command("flush", interactive=False, verbosity=0)
        # flush empties the reference data too: put it back for the tests that follow.
        put_back()


@pytest.mark.django_db
def test_every_row_it_makes_is_marked_synthetic(seeded):
    _pcns, counts = seeded
    for model in national.SYNTHETIC_MODELS:
        made = counts[model._meta.label]
        assert made > 0, model
        assert model.objects.filter(synthetic=True).count() == made, model
    # What the ODS import gave stays real.
    real = ListSize.objects.filter(synthetic=False)
    assert set(real.values_list("extract_date", flat=True)) == {national.LIST_SIZE_BASE}
    for model in (StaffMember, Post, Claim, ClaimLine, ClinicalDirector, NetworkAgreement,
                  ServiceDelivery, RequirementProgress, CareHome, ARRSAllocation):  # fmt: skip
        assert not model.objects.filter(synthetic=False).exists(), model


@pytest.mark.django_db
def test_posts_look_like_the_nwrs_extract(seeded):
    pcns, _ = seeded
    nwrs_roles = set(national.NWRS_ROLES.values()) | set(national.NWRS_DETAILED_ROLES.values())
    per_pcn = [Post.objects.filter(pcn=pcn).count() for pcn in pcns]
    # About 40,000 posts over 1,285 networks: some 31 a network, by size.
    assert all(5 <= n <= 120 for n in per_pcn), per_pcn
    assert 15 <= sum(per_pcn) / len(per_pcn) <= 60, per_pcn
    posts = list(Post.objects.select_related("role", "staff_member"))
    assert {p.role.code for p in posts} <= nwrs_roles
    assert all(p.start_date >= p.role.reimbursable_from for p in posts)
    assert all(0 < p.weekly_hours <= 75 for p in posts)
    assert all(p.staff_member.pcn_id == p.pcn_id for p in posts)
    # The extract's two largest ARRS roles lead here too; no one role is most posts.
    shares = {code: sum(p.role.code == code for p in posts) / len(posts) for code in nwrs_roles}
    assert shares["care-coordinator"] + shares["clinical-pharmacist"] >= 0.2, shares
    assert max(shares.values()) < 0.5, shares
    # London networks are in outer London; the rest are national.
    zones = {(p.pcn.lead_commissioner.icb.region.code, p.london_zone) for p in posts}
    assert zones == {("Y56", "outer"), ("Y63", "national")}


@pytest.mark.django_db
def test_claims_every_month_in_realistic_states(seeded):
    pcns, _ = seeded
    months = national.claim_months(BUILT_ON.date())
    assert len(months) == 35  # April 2023 to February 2026
    for pcn in pcns:
        claims = list(pcn.claims.filter(supplement=0).order_by("month"))
        assert [c.month for c in claims] == months
        assert claims[-1].status == ClaimStatus.DRAFT
        assert [c.status for c in claims[-3:-1]] == [ClaimStatus.SUBMITTED] * 2
        for claim in claims[:-3]:
            if claim.status == ClaimStatus.DRAFT:  # every line held: it cannot be submitted
                assert not claim.lines.filter(maximum_amount__isnull=False).exists()
            else:
                assert claim.status in (ClaimStatus.APPROVED, ClaimStatus.REJECTED)
                assert claim.submitted_at and claim.decided_at > claim.submitted_at
    statuses = Counter(Claim.objects.filter(supplement=0).values_list("status", flat=True))
    total = statuses.total()
    assert statuses[ClaimStatus.APPROVED] > 0.6 * total, statuses  # drafts: every line held
    assert statuses[ClaimStatus.REJECTED] < 0.05 * total, statuses
    assert not Claim.objects.filter(lines__isnull=True).exists()


@pytest.mark.django_db
def test_each_claim_submitted_keeps_what_it_asks_for(seeded):
    """An area page as of a date sums claims by their kept totals: each submitted claim's
    is its lines', a draft has none."""
    claims = Claim.objects.annotate(lines_total=Sum("lines__reimbursable_amount"))
    for claim in claims.exclude(status=ClaimStatus.DRAFT):
        assert claim.claimed_total == claim.lines_total, claim
    assert not claims.filter(status=ClaimStatus.DRAFT, claimed_total__isnull=False).exists()
    # 2024/25's GP lines are on its ring-fenced GP sum, and only those.
    gp = Claim.objects.exclude(status=ClaimStatus.DRAFT).filter(gp_total__gt=0)
    assert gp.exists()
    assert set(gp.values_list("month__year", "month__month")) <= {
        (2024, m) for m in range(4, 13)
    } | {(2025, m) for m in (1, 2, 3)}


@pytest.mark.django_db
def test_no_claim_for_a_month_not_ended(seeded):
    """Built on 10 March 2026: March is claimed from 1 April, once all its days are worked
    (workforce.actions.claimable_from), so the latest claim is February's."""
    assert Claim.objects.filter(month=D(2026, 2, 1)).exists()
    assert not Claim.objects.filter(month__gte=D(2026, 3, 1)).exists()


@pytest.mark.django_db
def test_no_submitted_or_approved_claim_holds_a_line(seeded):
    """A line without a maximum is held: it stays in a draft, or moves out of the claim
    submitted into a draft supplementary claim for the month naming that claim, so an
    approver never sees a line the portal would hold and none is lost."""
    sealed = ClaimLine.objects.filter(claim__status__in=SEALED_STATUSES)
    assert sealed.filter(maximum_amount__isnull=False).exists()
    assert not sealed.filter(maximum_amount__isnull=True).exists()
    held = ClaimLine.objects.filter(maximum_amount__isnull=True)
    assert held.exists()
    assert set(held.values_list("claim__status", flat=True)) == {ClaimStatus.DRAFT}
    assert not held.filter(held_reason="").exists()
    held_out = held.filter(claim__supplement__gt=0)
    assert held_out.exists()
    for line in held_out.select_related("claim", "held_from")[:50]:
        assert line.held_from.month == line.claim.month
        assert line.held_from.status in (*SEALED_STATUSES, ClaimStatus.REJECTED)


# Each ARRS-funded post's holder: their funded hours on the day the post starts, over every
# post of theirs in place that day (the hours can only rise on a day some post starts).
HOURS_ON_EACH_START = """
    SELECT p.staff_member_id, p.start_date, (
        SELECT sum(q.weekly_hours) FROM workforce_post q
        WHERE q.arrs_funded AND q.staff_member_id = p.staff_member_id
          AND q.start_date <= p.start_date AND (q.end_date IS NULL OR q.end_date >= p.start_date)
    ) AS hours
    FROM workforce_post p WHERE p.arrs_funded
"""


@pytest.mark.django_db
def test_no_person_funded_over_one_whole_time_post(seeded):
    """ARRS funds a person for at most 37.5 hours a week on any day (DOMAIN.md A.3 rule 2;
    workforce.rules.check_one_person), whatever their posts."""
    with connection.cursor() as cursor:
        cursor.execute(HOURS_ON_EACH_START)
        funded = cursor.fetchall()
    assert len(funded) == Post.objects.count()
    over = [(person, day, hours) for person, day, hours in funded if hours > FULL_TIME_HOURS]
    assert over == []


@pytest.mark.django_db
def test_list_sizes_monthly_with_a_weighted_figure_each_january(seeded):
    pcns, _ = seeded
    practice = pcns[0].memberships.first().practice
    rows = list(practice.list_sizes.filter(synthetic=True).order_by("extract_date"))
    assert len(rows) == national.LIST_SIZE_MONTHS
    dates = [r.extract_date for r in rows]
    assert dates[0] == D(2021, 2, 1) and dates[-1] == D(2026, 1, 1)
    assert all(d.day == 1 for d in dates) and len(set(dates)) == len(dates)
    assert {r.extract_date for r in rows if r.weighted_patients is not None} == {
        D(year, 1, 1) for year in range(2022, 2027)
    }
    base = practice.list_sizes.get(synthetic=False).registered_patients
    # A drift, not a jump: within a fifth of the real figure after five years.
    assert all(abs(r.registered_patients - base) < base * 0.2 for r in rows)
    assert len({r.registered_patients for r in rows}) > 30


@pytest.mark.django_db
def test_allocations_match_the_portals_calculation(seeded):
    pcns, _ = seeded
    for pcn in pcns:
        for allocation in pcn.arrs_allocations.all():
            population = weighted_population_on(pcn, allocation.population_date)
            assert allocation.population_date == D(allocation.financial_year, 1, 1)
            assert allocation.weighted_population == population
            assert allocation.amount == allocation_amount(population, allocation.rate)
        assert set(pcn.arrs_allocations.values_list("financial_year", flat=True)) == {
            2023,
            2024,
            2025,
        }


@pytest.mark.django_db
def test_leadership_and_services(seeded):
    pcns, _ = seeded
    assert ClinicalDirector.objects.values("pcn").distinct().count() >= len(pcns) - 1
    for pcn in pcns:
        assert pcn.agreements.count() == 3
        assert all(a.schedules.count() == 7 for a in pcn.agreements.all())
        years = set(pcn.service_deliveries.values_list("financial_year", flat=True))
        assert years == {2023, 2024, 2025}
    delivery = ServiceDelivery.objects.filter(financial_year=2023).first()
    assert delivery.progress.count() == delivery.specification.requirements.count()


@pytest.mark.django_db
def test_personas_log_in_with_their_scope(seeded, client):
    pcns, _ = seeded
    largest = max(
        pcns,
        key=lambda p: sum(
            ls.registered_patients
            for ls in ListSize.objects.filter(practice__memberships__pcn=p, synthetic=False)
        ),
    )
    for username in ("admin", "manager", "viewer", "subicb", "icb", "approver", "region"):
        response = client.post(
            reverse("accounts:login"),
            {"username": username, "password": DEMO_PASSWORD},
            secure=True,
        )
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(user_named(username).pk)
        client.logout()
    visible = {
        username: set(PrimaryCareNetwork.objects.for_user(user_named(username)))
        for username in ("manager", "viewer", "subicb", "icb", "region")
    }
    assert visible["manager"] == visible["viewer"] == {largest}
    assert visible["subicb"] == {largest}
    assert visible["icb"] <= visible["region"]
    approver = user_named("approver").assignments.get()
    assert approver.scope == Scope.ICB and approver.role == "approver"
    assert user_named("admin").is_superuser


def user_named(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.mark.django_db
def test_the_seed_is_one_event_in_the_audit_history(seeded):
    """Per-row history for 1.4 million claim lines would double the database: the
    synthetic rows carry none, and the seed's context counts them instead."""
    _, counts = seeded
    assert not apps.get_model("workforce", "ClaimLineEvent").objects.exists()
    assert not apps.get_model("workforce", "PostEvent").objects.exists()
    assert not apps.get_model("practices", "ListSizeEvent").objects.filter(synthetic=True).exists()
    context = national.seed_context()
    assert context.metadata["process"] == "manage.py seed_national"
    assert context.metadata["synthetic_rows_without_history"] == dict(sorted(counts.items()))
    # The persona assignments are ordinary history, under the same context.
    events = apps.get_model("networks", "AssignmentEvent").objects.filter(pgh_context=context.id)
    assert events.count() == 6


@pytest.mark.django_db
def test_the_command_refuses_production_and_non_empty_databases(seeded):
    claims = Claim.objects.count()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_national", stdout=io.StringIO())
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="networks already"):
        call_command("seed_national", stdout=io.StringIO())
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_national", "--if-empty", stdout=out)
    assert "not rebuilt" in out.getvalue()
    assert "pcn-portal-demo" in out.getvalue()
    assert Claim.objects.count() == claims
