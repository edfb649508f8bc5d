"""factory-boy factories for every model, producing valid rows with valid ODS codes.

Codes come from ranges that stand apart from real ones (ICBs QZ?, Sub-ICB locations Z??,
networks U9????, practices Z?????). Names are fictional, in capitals as ODS publishes.
Reference rows made here (roles, amounts, specifications) are test fixtures, not NHS
figures.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from networks import models as networks
from practices import models as practices
from services import models as services
from workforce import models as workforce

D = datetime.date
ALPHANUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def two_chars(n):
    return ALPHANUM[n // len(ALPHANUM) % len(ALPHANUM)] + ALPHANUM[n % len(ALPHANUM)]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.nhs.uk")
    password = factory.django.Password("correct-horse-battery-staple")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"Y{n % 100:02d}")
    name = factory.Sequence(lambda n: f"TEST REGION {n}")


class IntegratedCareBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.IntegratedCareBoard

    code = factory.Sequence(lambda n: f"Q{two_chars(n + 900)}")
    name = factory.Sequence(lambda n: f"NHS TEST {n} INTEGRATED CARE BOARD")
    region = factory.SubFactory(RegionFactory)
    open_date = D(2022, 7, 1)


class SubICBLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.SubICBLocation

    code = factory.Sequence(lambda n: f"Z{two_chars(n)}")
    name = factory.Sequence(lambda n: f"NHS TEST ICB - Z{two_chars(n)}")
    icb = factory.SubFactory(IntegratedCareBoardFactory)


class PrimaryCareNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.PrimaryCareNetwork

    code = factory.Sequence(lambda n: f"U9{n % 10000:04d}")
    name = factory.Sequence(lambda n: f"TEST {n} PCN")
    lead_commissioner = factory.SubFactory(SubICBLocationFactory)
    open_date = D(2019, 10, 1)
    postcode = "ZZ1 1ZZ"


class NetworkAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.NetworkAgreement

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    financial_year = 2025
    signed_on = D(2025, 6, 30)


class NetworkAgreementScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.NetworkAgreementSchedule

    agreement = factory.SubFactory(NetworkAgreementFactory)
    number = factory.Sequence(lambda n: n % 7 + 1)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.Practice

    code = factory.Sequence(lambda n: f"Z{n % 100000:05d}")
    name = factory.Sequence(lambda n: f"TEST SURGERY {n}")
    postcode = "ZZ1 1ZY"
    commissioner = factory.SubFactory(SubICBLocationFactory)
    open_date = D(2000, 4, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.Membership

    practice = factory.SubFactory(PracticeFactory)
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    start_date = D(2019, 7, 1)


class ListSizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.ListSize

    practice = factory.SubFactory(PracticeFactory)
    extract_date = D(2025, 1, 1)
    registered_patients = 8000
    weighted_patients = Decimal("8400.50")


class WeightedPopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.WeightedPopulation

    practice = factory.SubFactory(PracticeFactory)
    on = D(2025, 1, 1)
    weighted_patients = Decimal("10500.50")
    source = practices.WeightedSource.WEIGHTED_CSV
    file_name = "weighted.csv"


class NetworkWeightedPopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = practices.NetworkWeightedPopulation

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    financial_year = 2025
    weighted_patients = Decimal("40000")
    source = "test fixture"


class ClinicalDirectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.ClinicalDirector

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    full_name = factory.Sequence(lambda n: f"Dr Test Director {n}")
    profession = networks.ClinicalDirectorProfession.GP
    start_date = D(2022, 4, 1)


class NetworkTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.NetworkTeamMember

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    full_name = factory.Sequence(lambda n: f"Test Manager {n}")
    role = networks.TeamRole.NETWORK_MANAGER
    start_date = D(2021, 4, 1)


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.PartnerOrganisation

    name = factory.Sequence(lambda n: f"TEST COMMUNITY TRUST {n}")
    kind = networks.PartnerKind.COMMUNITY


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.Collaboration

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    partner = factory.SubFactory(PartnerOrganisationFactory)
    start_date = D(2021, 4, 1)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.Assignment

    user = factory.SubFactory(UserFactory)
    scope = networks.Scope.PCN
    role = networks.Role.EDITOR
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)


class SignInIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = networks.SignInIdentity

    user = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"subject-{n}")


class ARRSRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.ARRSRole

    code = factory.Sequence(lambda n: f"test-role-{n}")
    name = factory.Sequence(lambda n: f"Test role {n}")
    reimbursable_from = D(2020, 4, 1)
    afc_bands = "7"
    source = "test fixture"


class MaximumAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.MaximumAmount

    role = factory.SubFactory(ARRSRoleFactory)
    period_start = D(2020, 4, 1)
    national = Decimal("60000")
    outer_london = Decimal("66000")
    inner_london = Decimal("69000")
    source = "test fixture"


class RoleCapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.RoleCap

    role = factory.SubFactory(ARRSRoleFactory)
    valid_from = D(2020, 4, 1)
    kind = workforce.CapKind.MAX_POSTS
    max_count = Decimal(1)
    rule = "One per network (test fixture)."
    source = "test fixture"


class AllocationRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.AllocationRate
        django_get_or_create = ["financial_year"]

    financial_year = factory.Sequence(lambda n: 2100 + n)
    pounds_per_weighted_patient = Decimal("20.000")
    source = "test fixture"


class RingFencedSumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.RingFencedSum
        django_get_or_create = ["financial_year"]

    financial_year = factory.Sequence(lambda n: 2100 + n)
    role = factory.SubFactory(ARRSRoleFactory)
    pounds_per_weighted_patient = Decimal("1.000")
    first_day = factory.LazyAttribute(lambda o: D(o.financial_year, 4, 1))
    last_day = factory.LazyAttribute(lambda o: D(o.financial_year + 1, 3, 31))
    source = "test fixture"


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.StaffMember

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    full_name = factory.Sequence(lambda n: f"Test Person {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.Post

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    staff_member = factory.SubFactory(StaffMemberFactory, pcn=factory.SelfAttribute("..pcn"))
    role = factory.SubFactory(ARRSRoleFactory)
    employer_type = workforce.EmployerType.LEAD_PROVIDER
    start_date = D(2024, 4, 1)
    weekly_hours = Decimal("37.5")
    annual_salary = Decimal("45000")
    annual_employer_ni = Decimal("5500")
    annual_employer_pension = Decimal("6500")


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
    class Meta:
        model = workforce.Claim

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    month = factory.Sequence(lambda n: D(2024 + n // 12 % 50, n % 12 + 1, 1))


class ClaimLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = workforce.ClaimLine

    claim = factory.SubFactory(ClaimFactory)
    post = factory.SubFactory(PostFactory, pcn=factory.SelfAttribute("..claim.pcn"))
    salary = Decimal("3750")
    employer_ni = Decimal("458")
    employer_pension = Decimal("542")
    weekly_hours = Decimal("37.5")
    maximum_amount = Decimal("5000")
    reimbursable_amount = Decimal("4750")


class ServiceSpecificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.ServiceSpecification

    code = factory.Sequence(lambda n: f"test-specification-{n}")
    name = factory.Sequence(lambda n: f"Test specification {n}")
    start_date = D(2020, 4, 1)
    source = "test fixture"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.Requirement

    specification = factory.SubFactory(ServiceSpecificationFactory)
    code = factory.Sequence(lambda n: f"T-{n}")
    text = "Do the thing (test fixture)."
    source = "test fixture"


class ServiceDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.ServiceDelivery

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    specification = factory.SubFactory(ServiceSpecificationFactory)
    financial_year = 2023
    status = services.DeliveryStatus.IN_PROGRESS


class RequirementProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.RequirementProgress

    delivery = factory.SubFactory(ServiceDeliveryFactory)
    requirement = factory.SubFactory(
        RequirementFactory, specification=factory.SelfAttribute("..delivery.specification")
    )


class CareHomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHome

    cqc_location_id = factory.Sequence(lambda n: f"1-{100000 + n}")
    name = factory.Sequence(lambda n: f"TEST CARE HOME {n}")


class CareHomeAlignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHomeAlignment

    home = factory.SubFactory(CareHomeFactory)
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    start_date = D(2020, 10, 1)


class CareHomeBedsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHomeBeds

    home = factory.SubFactory(CareHomeFactory)
    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    month = D(2025, 4, 1)
    beds = 40


class CareHomePremiumRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.CareHomePremiumRate

    financial_year = factory.Sequence(lambda n: 2100 + n)
    per_bed_for_year = Decimal("120")
    payable_from = factory.LazyAttribute(lambda o: D(o.financial_year, 4, 1))
    source = "test"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.Evidence

    progress = factory.SubFactory(RequirementProgressFactory)
    pcn = factory.SelfAttribute("progress.delivery.pcn")
    note = "Minutes of the MDT meeting."


class LocalPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = services.LocalPriority

    pcn = factory.SubFactory(PrimaryCareNetworkFactory)
    title = "Diabetes prevention"
    start_date = D(2025, 4, 1)


FACTORIES = {
    f._meta.model: f
    for f in [
        WeightedPopulationFactory,
        NetworkWeightedPopulationFactory,
        RegionFactory,
        IntegratedCareBoardFactory,
        SubICBLocationFactory,
        PrimaryCareNetworkFactory,
        NetworkAgreementFactory,
        NetworkAgreementScheduleFactory,
        ClinicalDirectorFactory,
        NetworkTeamMemberFactory,
        PartnerOrganisationFactory,
        CollaborationFactory,
        AssignmentFactory,
        SignInIdentityFactory,
        PracticeFactory,
        MembershipFactory,
        ListSizeFactory,
        ARRSRoleFactory,
        MaximumAmountFactory,
        RoleCapFactory,
        AllocationRateFactory,
        RingFencedSumFactory,
        StaffMemberFactory,
        PostFactory,
        ARRSAllocationFactory,
        ClaimFactory,
        ClaimLineFactory,
        ServiceSpecificationFactory,
        RequirementFactory,
        ServiceDeliveryFactory,
        RequirementProgressFactory,
        CareHomeFactory,
        CareHomeAlignmentFactory,
        CareHomeBedsFactory,
        CareHomePremiumRateFactory,
        EvidenceFactory,
        LocalPriorityFactory,
        UserFactory,
    ]
}
