"""ARRS: roles and their amounts, staff, posts, allocations and claims. The amounts are
round test figures, not NHS rates."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.networks import PrimaryCareNetworkFactory
from workforce import models as workforce

D = datetime.date


class ARRSRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.ARRSRole

    class Params:
        # bare=True: no Agenda for Change bands.
        bare = factory.Trait(afc_bands="")

    code = factory.Sequence(lambda n: f"test-role-{n}")
    name = factory.Sequence(lambda n: f"Test role {n}")
    reimbursable_from = D(2020, 4, 1)
    afc_bands = "7"
    section = "Table 2"


class MaximumAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.MaximumAmount

    class Params:
        # bare=True: no amounts (the test gives those it needs).
        bare = factory.Trait(national=None, outer_london=None, inner_london=None)

    role = factory.SubFactory(ARRSRoleFactory)
    period_start = D(2020, 4, 1)
    national = Decimal("60000")
    outer_london = Decimal("66000")
    inner_london = Decimal("69000")
    section = "Table 2"


class RoleCapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.RoleCap

    role = factory.SubFactory(ARRSRoleFactory)
    valid_from = D(2020, 4, 1)
    kind = workforce.CapKind.MAX_POSTS
    max_count = Decimal(1)
    rule = "One per network (test fixture)."
    section = "Table 2"


class AllocationRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.AllocationRate
        django_get_or_create = ["financial_year"]

    financial_year = factory.Sequence(lambda n: 2100 + n)
    pounds_per_weighted_patient = Decimal("20.000")
    section = "Table 2"


class RingFencedSumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.RingFencedSum
        django_get_or_create = ["financial_year"]

    financial_year = factory.Sequence(lambda n: 2100 + n)
    role = factory.SubFactory(ARRSRoleFactory)
    pounds_per_weighted_patient = Decimal("1.000")
    first_day = factory.LazyAttribute(lambda o: D(o.financial_year, 4, 1))
    last_day = factory.LazyAttribute(lambda o: D(o.financial_year + 1, 3, 31))
    section = "Table 2"


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.StaffMember

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    full_name = factory.Sequence(lambda n: f"Test Person {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.Post

    class Params:
        # bare=True: the salary alone, no employer on-costs.
        bare = factory.Trait(annual_employer_ni=0, annual_employer_pension=0)

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    staff_member = factory.SubFactory(StaffMemberFactory, pcn=factory.SelfAttribute("..pcn"))
    role = factory.SubFactory(ARRSRoleFactory)
    employer_type = workforce.EmployerType.LEAD_PROVIDER
    start_date = D(2024, 4, 1)
    weekly_hours = Decimal("37.5")
    annual_salary = Decimal("45000")
    annual_employer_ni = Decimal("5500")
    annual_employer_pension = Decimal("6500")


class PostTermsFactory(factory.django.DjangoModelFactory):
    """A change of a post's terms from a day: fewer hours from 1 January 2025."""

    class Meta:
        model = workforce.PostTerms

    post = factory.SubFactory(PostFactory)
    first_day = D(2025, 1, 1)
    weekly_hours = Decimal("30")
    annual_salary = Decimal("45000")
    annual_employer_ni = Decimal("4400")
    annual_employer_pension = Decimal("5200")


class ARRSAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.ARRSAllocation

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    financial_year = 2025
    weighted_population = Decimal("40000")
    population_date = D(2025, 1, 1)
    rate = Decimal("20")
    amount = Decimal("800000")


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim; `lines` (a list of ClaimLineFactory keyword arguments) are its lines.

    The database keeps a submitted or approved claim as it is (no line added after), so
    the claim is made a draft, its lines added, and only then given its `status`, as a
    network fills in a claim and then submits it."""

    class Meta:
        model = workforce.Claim

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    month = factory.Sequence(lambda n: D(2024 + n // 12 % 50, n % 12 + 1, 1))
    lines = ()

    @classmethod
    def _create(cls, model_class, *args, lines=(), status=workforce.ClaimStatus.DRAFT, **kwargs):
        submitted_at = kwargs.pop("submitted_at", None)
        decided_at = kwargs.pop("decided_at", None)
        claim = super()._create(model_class, *args, status=workforce.ClaimStatus.DRAFT, **kwargs)
        for line in lines:
            ClaimLineFactory(claim=claim, **line)
        if status != workforce.ClaimStatus.DRAFT:
            claim.submitted_at = submitted_at or claimed_on(claim.month)
            if status != workforce.ClaimStatus.SUBMITTED:
                claim.decided_at = decided_at or claim.submitted_at
            # Its totals as submit_claim keeps them, then its status and days.
            model_class.objects.filter(pk=claim.pk).keep_totals()
            model_class.objects.filter(pk=claim.pk).update(
                status=status, submitted_at=claim.submitted_at, decided_at=claim.decided_at
            )
            claim.refresh_from_db()
        return claim


def claimed_on(month):
    """When a claim made by the factory is submitted, unless a test says: noon on the day
    after its month's end, or now for a month not yet ended (so it counts as of today)."""
    after = (month + datetime.timedelta(days=32)).replace(day=1)
    noon = datetime.datetime.combine(after, datetime.time(12), tzinfo=datetime.UTC)
    return min(noon, timezone.now())


class ClaimLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.ClaimLine

    class Params:
        # bare=True: no on-costs, and a maximum of the amount reimbursed (a line with no
        # maximum is held and reimburses nothing: the check held_claim_line_claims_nothing).
        bare = factory.Trait(
            employer_ni=0,
            employer_pension=0,
            maximum_amount=factory.SelfAttribute("reimbursable_amount"),
        )

    claim = factory.SubFactory(ClaimFactory)
    post = factory.SubFactory(PostFactory, pcn=factory.SelfAttribute("..claim.pcn"))
    salary = Decimal("3750")
    employer_ni = Decimal("458")
    employer_pension = Decimal("542")
    weekly_hours = Decimal("37.5")
    maximum_amount = Decimal("5000")
    reimbursable_amount = Decimal("4750")
