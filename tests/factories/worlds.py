"""The worlds tests share, made with the factories: small, hand-counted, and described here
so that a test's figures can be checked against them.

tests/conftest.py hands them to tests as fixtures (`world`, `area`, `published`,
`year_2025`). What a user would do through a page (align a care home, add a post, submit a
claim) is done through the actions instead, as the user would.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from pcn_portal.core.dates import financial_year_bounds, financial_year_of, today
from practices.models import Membership, MembershipSource, Practice
from services.models import DeliveryStatus, ServiceSpecification
from tests.factories.networks import (
    ClinicalDirectorFactory,
    CollaborationFactory,
    ImportedExtractFactory,
    IntegratedCareBoardFactory,
    NetworkAgreementFactory,
    PartnerOrganisationFactory,
    PrimaryCareNetworkFactory,
    RegionFactory,
    SubICBLocationFactory,
)
from tests.factories.practices import (
    ListSizeFactory,
    MembershipFactory,
    PracticeFactory,
    WeightedPopulationFactory,
)
from tests.factories.services import (
    CareHomeAlignmentFactory,
    CareHomeBedsFactory,
    CareHomeFactory,
    EvidenceFactory,
    LocalPriorityFactory,
    RequirementProgressFactory,
    ServiceDeliveryFactory,
)
from tests.factories.users import UserFactory
from tests.factories.workforce import (
    ARRSAllocationFactory,
    ARRSRoleFactory,
    ClaimFactory,
    ClaimLineFactory,
    MaximumAmountFactory,
    PostFactory,
)
from workforce.models import ARRSRole, ClaimStatus, EmployerType

D = datetime.date

# --- the personas' world --------------------------------------------------------------

# Riverside PCN's service records, by the ids the access grid's sample arguments give
# (tests/access_grid.py).
EVIDENCE_ID = 990001
PRIORITY_ID = 990001
CARE_HOME = "1-000000001"
MOVED_HOME = "1-000000002"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def personas_world():
    """Region Y99 > ICB QZ1 > Sub-ICB locations Z01 and Z02. U99001 Riverside PCN (in Z01:
    practices Z99001, 12,000 registered patients at 1 January 2024, and Z99002, 21,000)
    and U99002 Hilltop PCN (in Z02: Z99003, 9,000), both open since 1 July 2019 and their
    practices members since then; Riverside's service records (service_records)."""
    region = RegionFactory(code="Y99", name="TEST REGION")
    icb = IntegratedCareBoardFactory(code="QZ1", name="NHS TEST ICB", region=region, bare=True)
    z01 = SubICBLocationFactory(code="Z01", name="NHS TEST ICB - Z01", icb=icb)
    z02 = SubICBLocationFactory(code="Z02", name="NHS TEST ICB - Z02", icb=icb)
    pcn = network("U99001", "RIVERSIDE PCN", z01)
    other = network("U99002", "HILLTOP PCN", z02)
    practices = [
        member_practice(code, f"TEST SURGERY {code}", in_network, patients)
        for code, in_network, patients in [
            ("Z99001", pcn, 12_000),
            ("Z99002", pcn, 21_000),
            ("Z99003", other, 9_000),
        ]
    ]
    service_records(pcn)
    return {
        "region": region,
        "icb": icb,
        "sub_icb": z01,
        "other_sub_icb": z02,
        "pcn": pcn,
        "other_pcn": other,
        "practices": practices,
    }


def network(code, name, sub_icb):
    """A network led by the Sub-ICB location, open since 1 July 2019, with no address."""
    return PrimaryCareNetworkFactory(
        code=code, name=name, lead_commissioner=sub_icb, open_date=D(2019, 7, 1), bare=True
    )


def member_practice(code, name, pcn, patients):
    """A practice of the network's lead commissioner, a member since 1 July 2019, with its
    registered patients at 1 January 2024."""
    practice = PracticeFactory(code=code, name=name, commissioner=pcn.lead_commissioner, bare=True)
    MembershipFactory(practice=practice, pcn=pcn, start_date=D(2019, 7, 1))
    ListSizeFactory(
        practice=practice,
        extract_date=D(2024, 1, 1),
        registered_patients=patients,
        bare=True,
    )
    return practice


def service_records(pcn):
    """A care home (Riverside Lodge, 30 beds from October 2020), a local priority, and an
    evidence file for Enhanced Health in Care Homes in 2023/24."""
    home = CareHomeFactory(cqc_location_id=CARE_HOME, name="RIVERSIDE LODGE")
    CareHomeAlignmentFactory(home=home, pcn=pcn, start_date=D(2020, 10, 1))
    CareHomeBedsFactory(home=home, pcn=pcn, month=D(2020, 10, 1), beds=30)
    LocalPriorityFactory(
        id=PRIORITY_ID, pcn=pcn, title="Diabetes prevention", start_date=D(2025, 4, 1)
    )
    # The specification is national reference data the migrations load: read, not made.
    spec = ServiceSpecification.objects.get(code="enhanced-health-in-care-homes")
    delivery = ServiceDeliveryFactory(
        pcn=pcn, specification=spec, financial_year=2023, status=DeliveryStatus.NOT_STARTED
    )
    progress = RequirementProgressFactory(
        delivery=delivery, requirement=spec.requirements.get(code="EHCH-1")
    )
    EvidenceFactory(
        id=EVIDENCE_ID,
        pcn=pcn,
        progress=progress,
        token="0" * 32,
        extension="pdf",
        file_name="alignment-letter.pdf",
        content_type="application/pdf",
        size=len(PDF),
        file=ContentFile(PDF, name="evidence"),
        bare=True,
    )


def moved_home(world):
    """Meadow View (1-000000002), the care home that moved from Riverside to Hilltop:
    aligned to U99001 Riverside PCN from 1 October 2020 up to and including 31 March 2026
    (named lead Dr Rhea Rivers), with Riverside's counts of 30 beds from October 2020 and
    32 from January 2026; then to U99002 Hilltop PCN from 1 April 2026 with no end (named
    lead Dr Hal Hills), with Hilltop's count of 45 beds from October 2026."""
    home = CareHomeFactory(
        cqc_location_id=MOVED_HOME,
        name="MEADOW VIEW",
        address="2 Meadow Lane",
        postcode="ZZ2 2ZZ",
        home_type="with_nursing",
    )
    riverside, hilltop = world["pcn"], world["other_pcn"]
    CareHomeAlignmentFactory(
        home=home,
        pcn=riverside,
        start_date=D(2020, 10, 1),
        end_date=D(2026, 3, 31),
        clinical_lead="Dr Rhea Rivers",
    )
    CareHomeAlignmentFactory(
        home=home, pcn=hilltop, start_date=D(2026, 4, 1), clinical_lead="Dr Hal Hills"
    )
    CareHomeBedsFactory(home=home, pcn=riverside, month=D(2020, 10, 1), beds=30)
    CareHomeBedsFactory(home=home, pcn=riverside, month=D(2026, 1, 1), beds=32)
    CareHomeBedsFactory(home=home, pcn=hilltop, month=D(2026, 10, 1), beds=45)
    return home


def partners_world(world):
    """Partner organisations, each with U99001 Riverside PCN from 1 April 2021: Riverside
    Community Trust, which Riverside added and alone works with; Valley Mental Health
    Trust, which Riverside added and U99002 Hilltop PCN works with too; and Shire Council
    Adult Social Care, a national record."""
    riverside, hilltop = world["pcn"], world["other_pcn"]
    own = PartnerOrganisationFactory(name="Riverside Community Trust", added_by_pcn=riverside)
    shared = PartnerOrganisationFactory(
        name="Valley Mental Health Trust", kind="mental_health", added_by_pcn=riverside
    )
    national = PartnerOrganisationFactory(
        name="Shire Council Adult Social Care", kind="social_care"
    )
    for partner in (own, shared, national):
        CollaborationFactory(pcn=riverside, partner=partner)
    CollaborationFactory(pcn=hilltop, partner=shared)
    return {"own": own, "shared": shared, "national": national}


# --- the area pages' hand-counted world -----------------------------------------------


def add_network(code, name, sub_icb, practices):
    """A network of the Sub-ICB location, open since 1 July 2019, with its practices
    [(code, registered patients at 1 January 2024)], members since then."""
    pcn = network(code, name, sub_icb)
    for practice_code, patients in practices:
        member_practice(practice_code, f"SURGERY {practice_code}", pcn, patients)
    return pcn


def arrs_post(pcn, role, hours, name):
    """An ARRS post the named person has held since 1 January 2020, paid £40,000 a year for
    its hours (the full-time equivalent salary is £40,000 × 37.5 ÷ hours)."""
    return PostFactory(
        pcn=pcn,
        staff_member__full_name=name,
        role=role,
        employer_type=EmployerType.LEAD_PROVIDER,
        start_date=D(2020, 1, 1),
        weekly_hours=Decimal(hours),
        annual_salary=Decimal("40000") * Decimal("37.5") / Decimal(hours),
        bare=True,
    )


def line_values(post, amount):
    """A full-time line for the post, asking for and reimbursing the amount (the keyword
    arguments of ClaimLineFactory, for ClaimFactory's `lines`)."""
    return {
        "post": post,
        "salary": Decimal(amount),
        "weekly_hours": Decimal("37.5"),
        "reimbursable_amount": Decimal(amount),
        "bare": True,
    }


def claim_line(claim, post, amount):
    """A full-time line of a draft claim for the post (line_values)."""
    return ClaimLineFactory(claim=claim, **line_values(post, amount))


def claimed(pcn, month, status, post, amount):
    """A claim for the month in `status` with one full-time line for the post."""
    return ClaimFactory(pcn=pcn, month=month, status=status, lines=[line_values(post, amount)])


def director(pcn, full_name, **fields):
    """A GP clinical director of the network since 1 January 2020."""
    return ClinicalDirectorFactory(
        pcn=pcn, full_name=full_name, profession="gp", start_date=D(2020, 1, 1), **fields
    )


def align_home(pcn, cqc_location_id, beds):
    """A care home aligned to the network since 2020 with its beds, through the action."""
    from services import actions as service_actions

    service_actions.align_care_home(
        pcn=pcn,
        by=acting_admin(),
        cqc_location_id=cqc_location_id,
        name=f"HOME {cqc_location_id}",
        start_date=D(2020, 1, 1),
        beds=beds,
    )


def acting_admin():
    """A national admin to act as: the test's own when it has one."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).first() or UserFactory(
        username="homes.admin", is_staff=True, is_superuser=True
    )


def hand_counted_area(world):
    """The personas' world, hand-counted. ICB QZ1:
    Z01  U99001 Riverside 12,000 + 21,000 = 33,000 (within)   CD; agreement signed + DSA
         U99003 Small      8,000 (below)                      CD left 30 June 2024
         Z99005 (no network) 4,000
    Z02  U99002 Hilltop    9,000 (below)                      no CD ever
         U99004 Big       60,000 (above)                      CD; agreement signed, no DSA
    ARRS (this financial year): Riverside allocation £100,000, approved £1,000, submitted
    £500 (one claim waiting), posts 37.5 h + 18.75 h = 1.5 WTE; Hilltop allocation £50,000.
    Care homes: Riverside 30 (the world's, service_records) + 30 + 20 beds, Big 60."""
    from workforce import budget

    year = financial_year_of(today())
    start, _ = financial_year_bounds(year)
    z01, z02 = world["sub_icb"], world["other_sub_icb"]
    riverside, hilltop = world["pcn"], world["other_pcn"]
    small = add_network("U99003", "SMALL PCN", z01, [("Z99004", 8_000)])
    big = add_network("U99004", "BIG PCN", z02, [("Z99006", 60_000)])
    loner = PracticeFactory(code="Z99005", name="LONE SURGERY", commissioner=z01, bare=True)
    ListSizeFactory(
        practice=loner, extract_date=D(2024, 1, 1), registered_patients=4_000, bare=True
    )
    for pcn in (riverside, big):
        director(pcn, "Dr Lead")
    director(small, "Dr Gone", end_date=D(2024, 6, 30))
    NetworkAgreementFactory(
        pcn=riverside, financial_year=year, signed_on=start, data_sharing_agreement_in_place=True
    )
    NetworkAgreementFactory(pcn=big, financial_year=year, signed_on=start)
    for pcn, amount in ((riverside, "100000.00"), (hilltop, "50000.00")):
        ARRSAllocationFactory(
            pcn=pcn,
            financial_year=year,
            weighted_population=Decimal("1000"),
            population_date=D(year, 1, 1),
            rate=Decimal("1"),
            amount=Decimal(amount),
        )
    # Two of the national roles the migrations load.
    roles = list(ARRSRole.objects.order_by("name")[:2])
    full = arrs_post(riverside, roles[0], "37.5", "A Pharmacist")
    half = arrs_post(riverside, roles[1], "18.75", "B Worker")
    for month, status, amount in (
        (start, ClaimStatus.APPROVED, "1000.00"),
        (start.replace(month=5), ClaimStatus.SUBMITTED, "500.00"),
    ):
        claimed(riverside, month, status, full, amount)
    ClaimFactory(pcn=riverside, month=start.replace(month=6))  # a draft: not waiting
    spec = ServiceSpecification.objects.filter(end_date__isnull=True).first()
    ServiceDeliveryFactory(
        pcn=riverside, specification=spec, financial_year=year, status=DeliveryStatus.DELIVERED
    )
    for n, (pcn, beds) in enumerate(((riverside, 30), (riverside, 20), (big, 60))):
        align_home(pcn, f"1-{n}", beds)
    # The records above were made by the factories, not through the actions that keep the
    # networks' forecasts: work them out as `manage.py refresh_arrs_forecasts` does.
    budget.refresh_forecasts()
    return {**world, "small": small, "big": big, "spec": spec, "roles": roles, "half": half}


# --- the public directory's world -----------------------------------------------------


def published_world(world):
    """The personas' world as ODS publishes it: its spells imported, addresses and
    postcodes set; beside it what the portal holds that is not published (a clinical
    director, footprint notes, an agreement, a spell entered in the portal and a synthetic
    list size)."""
    Membership.objects.update(source=MembershipSource.ODS)
    postcodes = {"Z99001": "LS1 4AP", "Z99002": "LS12 3QE", "Z99003": "BD7 1DP"}
    for code, postcode in postcodes.items():
        Practice.objects.filter(code=code).update(postcode=postcode, address_line_1="1 HIGH ST")
    pcn = world["pcn"]
    pcn.postcode, pcn.address_line_1 = "LS1 4AP", "RIVERSIDE HOUSE"
    pcn.footprint_notes = "SECRET FOOTPRINT NOTE"
    pcn.save()
    director(pcn, "Dr Hidden Name")
    NetworkAgreementFactory(pcn=pcn, financial_year=2025, notes="SECRET AGREEMENT", bare=True)
    entered = PracticeFactory(code="Z99009", name="ENTERED SURGERY", postcode="LS1 9ZZ", bare=True)
    MembershipFactory(practice=entered, pcn=pcn, start_date=D(2020, 1, 1))
    ListSizeFactory(
        practice=world["practices"][0],
        extract_date=D(2025, 1, 1),
        registered_patients=99_999,
        synthetic=True,
        bare=True,
    )
    ImportedExtractFactory(file_name="epcn.xlsx", latest_open_date=D(2024, 1, 1))
    return world


# --- the budget page's worked example -------------------------------------------------


def budget_year_2025(world):
    """Weighted populations 12,500 + 22,500 = 35,000 at 1 January 2025. A test role whose
    maximum rises inside the year: £60,000 to 30 September 2025, £66,000 from 1 October.

    Post A: full time, costs £72,000 a year (£6,000 a month), so capped every month:
    £5,000 a month April–September, £5,500 October–March.
    Post B: 18.75 hours (0.5 WTE), costs £24,000 a year (£2,000 a month), last day
    16 November 2025: under its cap (£2,500, then £2,750) every whole month; November is
    16 of 30 days: cost £1,066.67, cap £1,466.67, so £1,066.67.
    April's claim is approved (A £4,900, B £2,000), May's submitted (A £5,000, B £1,950),
    June's a draft (so June counts as not claimed).
    """
    pcn = world["pcn"]
    for practice, figure in zip(world["practices"][:2], ("12500.00", "22500.00"), strict=True):
        WeightedPopulationFactory(
            practice=practice, on=D(2025, 1, 1), weighted_patients=Decimal(figure)
        )
    role = ARRSRoleFactory(name="Test practitioner", reimbursable_from=D(2020, 4, 1))
    MaximumAmountFactory(
        role=role, period_start=D(2025, 4, 1), period_end=D(2025, 9, 30), national=60_000
    )
    MaximumAmountFactory(role=role, period_start=D(2025, 10, 1), national=66_000)
    a = PostFactory(
        pcn=pcn,
        role=role,
        start_date=D(2025, 4, 1),
        annual_salary=60_000,
        annual_employer_ni=6_000,
        annual_employer_pension=6_000,
    )
    b = PostFactory(
        pcn=pcn,
        role=role,
        start_date=D(2025, 4, 1),
        end_date=D(2025, 11, 16),
        weekly_hours=Decimal("18.75"),
        annual_salary=40_000,  # full-time equivalent: £20,000 a year for 18.75 hours
        annual_employer_ni=2_000,
        annual_employer_pension=2_000,
    )
    for month, status, amounts in [
        (D(2025, 4, 1), ClaimStatus.APPROVED, (4_900, 2_000)),
        (D(2025, 5, 1), ClaimStatus.SUBMITTED, (5_000, 1_950)),
        (D(2025, 6, 1), ClaimStatus.DRAFT, (1, 1)),
    ]:
        lines = [
            {"post": post, "reimbursable_amount": Decimal(amount)}
            for post, amount in zip((a, b), amounts, strict=True)
        ]
        ClaimFactory(pcn=pcn, month=month, status=status, lines=lines)
    return {"pcn": pcn, "role": role, "a": a, "b": b}


# --- one network ----------------------------------------------------------------------


def lone_network(name="TEST PCN"):
    """One network and the areas above it, nothing else: U99001 (Test PCN unless named),
    led by Sub-ICB location Z9Z of ICB QZZ in region Y63, with no opening date or
    address."""
    region = RegionFactory(code="Y63", name="TEST REGION")
    icb = IntegratedCareBoardFactory(code="QZZ", name="TEST ICB", region=region, bare=True)
    sub_icb = SubICBLocationFactory(code="Z9Z", name="TEST SUB-ICB", icb=icb)
    return PrimaryCareNetworkFactory(code="U99001", name=name, lead_commissioner=sub_icb, bare=True)
