"""A small, realistic demo data set, for development and for showing the portal.

Everything here is fictional and marked so: organisation names start with "DEMO", codes
use ranges chosen to stand apart from real ones (ICBs QZ*, Sub-ICB locations Z*, networks
U99*, practices Z99*), and people's names are invented. The national reference data it
uses (ARRS roles, maximum amounts, allocation rates, service specifications, the two
regions) is the real reference data shipped with the portal.

The set is deterministic: the same seed gives the same rows, so screenshots and
walkthroughs can be repeated.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from networks import actions as network_actions
from networks.models import (
    ClinicalDirectorProfession,
    IntegratedCareBoard,
    NetworkAgreementStatus,
    PartnerKind,
    PrimaryCareNetwork,
    Region,
    Role,
    Scope,
    SubICBLocation,
    TeamRole,
)
from networks.scopes import can_approve_claims, can_edit_pcn
from pcn_portal.core.dates import ONE_DAY
from pcn_portal.core.writing import writing
from pcn_portal.seeds import demo_budget
from practices import actions as practice_actions
from services import actions as service_actions
from services.models import CareHomeType, DeliveryStatus, PriorityStatus, ServiceSpecification
from workforce import actions as workforce_actions
from workforce import budget
from workforce.models import ARRSRole, EmployerType, LondonZone, MaximumAmount

D = datetime.date
SEED = 2026
DEMO_PASSWORD = "pcn-portal-demo"
DEMO_YEAR = 2025  # the financial year the demo claims and allocations cover: 2025/26
DEMO_YEAR_LABEL = "2025/26"

# Real NHS England commissioning regions (DOMAIN.md §1.6, S17).
REGIONS = [("Y63", "NORTH EAST AND YORKSHIRE"), ("Y56", "LONDON")]

ICBS = [
    ("QZ1", "DEMO NORTH ICB", "Y63", LondonZone.NATIONAL),
    ("QZ2", "DEMO LONDON ICB", "Y56", LondonZone.OUTER),
]
SUB_ICBS = [
    ("Z1A", "DEMO NORTH ICB - Z1A", "QZ1"),
    ("Z1B", "DEMO NORTH ICB - Z1B", "QZ1"),
    ("Z2A", "DEMO LONDON ICB - Z2A", "QZ2"),
    ("Z2B", "DEMO LONDON ICB - Z2B", "QZ2"),
]
# (code, name, Sub-ICB, number of practices, typical list size per practice)
NETWORKS = [
    ("U99001", "DEMO RIVERSIDE PCN", "Z1A", 5, 8_000),
    ("U99002", "DEMO MOORLAND PCN", "Z1A", 3, 7_000),  # under 30,000: rural
    ("U99003", "DEMO HARBOUR PCN", "Z1A", 6, 7_500),
    ("U99004", "DEMO VALLEY PCN", "Z1B", 4, 9_000),
    ("U99005", "DEMO MARKET TOWNS PCN", "Z1B", 8, 8_500),  # over 50,000
    ("U99006", "DEMO NORTHGATE PCN", "Z2A", 5, 9_500),
    ("U99007", "DEMO PARKSIDE PCN", "Z2A", 4, 10_500),
    ("U99008", "DEMO CANALSIDE PCN", "Z2B", 6, 7_000),
    ("U99009", "DEMO HIGH STREET PCN", "Z2B", 5, 8_000),
    ("U99010", "DEMO SINGLE PRACTICE PCN", "Z2B", 1, 34_000),  # one large practice
]
NO_CLINICAL_DIRECTOR = "U99004"

FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Farid", "Grace", "Hamza", "Isla", "Jonah",
    "Kiran", "Leah", "Musa", "Nia", "Owen", "Priya", "Rory", "Sana", "Tom", "Uma",
    "Vik", "Wren", "Yusuf", "Zara",
]  # fmt: skip
LAST_NAMES = [
    "Adeyemi", "Brooks", "Chen", "Dawson", "Evans", "Fraser", "Gill", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morgan", "Nolan", "Okafor", "Patel", "Quinn", "Reid",
    "Shah", "Taylor", "Walsh", "Young",
]  # fmt: skip
STREETS = ["HIGH STREET", "STATION ROAD", "CHURCH LANE", "MILL ROAD", "PARK AVENUE", "THE GREEN"]
KINDS = ["SURGERY", "MEDICAL CENTRE", "HEALTH CENTRE", "MEDICAL PRACTICE"]
CARE_HOMES = ["OAKLANDS", "WILLOW", "BEECHES", "HAWTHORN", "LARCH"]
PRIORITIES = ["Diabetes prevention", "Frailty", "Childhood asthma", "Hypertension"]
# Extract dates of the demo list sizes, and growth since the first.
LIST_SIZE_GROWTH = [(D(2024, 1, 1), 0), (D(2025, 1, 1), 0.01), (D(2025, 10, 1), 0.02)]

PERSONAS = [
    # (username, first, last, scope, role, organisation code or None, superuser)
    ("admin", "Nadia", "National", None, None, None, True),
    ("manager", "Maya", "Manager", Scope.PCN, Role.EDITOR, "U99001", False),
    ("viewer", "Victor", "Viewer", Scope.PCN, Role.VIEWER, "U99001", False),
    ("subicb", "Sam", "Subicb", Scope.SUB_ICB, Role.VIEWER, "Z1A", False),
    ("icb", "Ivy", "Icb", Scope.ICB, Role.VIEWER, "QZ1", False),
    ("approver", "Aaron", "Approver", Scope.ICB, Role.APPROVER, "QZ1", False),
    ("region", "Rosa", "Region", Scope.REGION, Role.VIEWER, "Y63", False),
]


def persona_users(people):
    """The demo logins, from (username, first name, last name, superuser) rows: made if
    missing, all with DEMO_PASSWORD (hashed once). Returns the superuser and the users by
    username. The national data set's logins are made the same way."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    admin, users = None, {}
    for username, first, last, superuser in people:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.example.nhs.uk",
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.password = password
            user.save()
        users[username] = user
        if superuser:
            admin = user
    return admin, users


class DemoBuilder:
    def __init__(self, stdout=None):
        self.random = random.Random(SEED)
        self.stdout = stdout
        self.people = iter(self._names())

    def say(self, message):
        if self.stdout:
            self.stdout.write(message)

    def _names(self):
        rng = random.Random(SEED + 1)
        seen = set()
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in seen:
                seen.add(name)
                yield name

    def build(self):
        if not ARRSRole.objects.exists() or not ServiceSpecification.objects.exists():
            raise RuntimeError(
                "The national reference data (ARRS roles, service specifications) is missing: "
                "run manage.py migrate first."
            )
        self.admin = self.users()
        with writing(self.admin, process="manage.py seed_demo"):
            self.hierarchy()
            self.networks_and_practices()
            self.leadership()
            self.workforce()
            self.claims()
            demo_budget.commissioner_figures(self.admin)
            self.services()
        # Networks with no post or claim this year get their (nil) forecast too, so the
        # area pages show one for every network.
        budget.refresh_forecasts()
        return self.admin

    # --- people who log in ------------------------------------------------------------

    def users(self):
        admin, _ = persona_users(
            (username, first, last, superuser)
            for username, first, last, *_rest, superuser in PERSONAS
        )
        return admin

    def assign_personas(self):
        User = get_user_model()
        lookup = {
            Scope.PCN: PrimaryCareNetwork,
            Scope.SUB_ICB: SubICBLocation,
            Scope.ICB: IntegratedCareBoard,
            Scope.REGION: Region,
        }
        for username, _first, _last, scope, role, code, _superuser in PERSONAS:
            if scope is None:
                continue
            user = User.objects.get(username=username)
            if user.assignments.exists():
                continue
            organisation = lookup[scope].objects.get(code=code)
            network_actions.assign(
                user=user, by=self.admin, scope=scope, role=role, organisation=organisation
            )

    # --- organisations --------------------------------------------------------------

    def hierarchy(self):
        # Organisations an earlier import or seed made are kept as they are.
        regions = {r.code: r for r in Region.objects.all()}
        for code, name in REGIONS:
            if code not in regions:
                regions[code] = network_actions.create_region(by=self.admin, code=code, name=name)
        icbs = {i.code: i for i in IntegratedCareBoard.objects.all()}
        self.zones = {}
        for code, name, region, zone in ICBS:
            if code not in icbs:
                icbs[code] = network_actions.create_icb(
                    by=self.admin,
                    code=code,
                    name=name,
                    region=regions[region],
                    open_date=D(2022, 7, 1),
                )
            self.zones[code] = zone
        known = set(SubICBLocation.objects.values_list("code", flat=True))
        for code, name, icb in SUB_ICBS:
            if code not in known:
                network_actions.create_sub_icb_location(
                    by=self.admin, code=code, name=name, icb=icbs[icb], open_date=D(2020, 4, 1)
                )

    def networks_and_practices(self):
        rng = self.random
        number = 0
        self.pcns = []
        for code, name, sub_icb_code, practices, typical in NETWORKS:
            sub_icb = SubICBLocation.objects.get(code=sub_icb_code)
            pcn = network_actions.create_pcn(
                by=self.admin,
                code=code,
                name=name,
                lead_commissioner=sub_icb,
                open_date=D(2019, 10, 1),
                address_line_1=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
                address_line_4=name.removeprefix("DEMO ").removesuffix(" PCN"),
                postcode=f"ZZ{rng.randint(1, 99)} {rng.randint(1, 9)}ZZ",
            )
            self.pcns.append(pcn)
            for _ in range(practices):
                number += 1
                practice = practice_actions.create_practice(
                    by=self.admin,
                    code=f"Z{99000 + number:05d}",
                    name=f"DEMO {rng.choice(STREETS).split()[0]} {rng.choice(KINDS)} {number}",
                    address_line_1=f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                    postcode=f"ZZ{rng.randint(1, 99)} {rng.randint(1, 9)}ZY",
                    commissioner=sub_icb,
                    open_date=D(1990 + number % 25, 4, 1),
                )
                practice_actions.add_membership(
                    practice=practice, pcn=pcn, by=self.admin, start_date=D(2019, 7, 1)
                )
                size = int(typical * rng.uniform(0.8, 1.2))
                for extract, growth in LIST_SIZE_GROWTH:
                    registered = int(size * (1 + growth))
                    practice_actions.record_list_size(
                        practice=practice,
                        by=self.admin,
                        extract_date=extract,
                        registered_patients=registered,
                        weighted_patients=Decimal(registered * rng.uniform(0.9, 1.15)).quantize(
                            Decimal("0.01")
                        ),
                    )
            if pcn.code in ("U99001", "U99006"):
                practice = pcn.memberships.first().practice
                network_actions.update_pcn(
                    pcn=pcn, by=self.admin, changes={"nominated_payee": practice}
                )
        # One practice moved from Harbour to Riverside on 1 April 2025.
        harbour = PrimaryCareNetwork.objects.get(code="U99003")
        mover = harbour.memberships.order_by("practice__code").last().practice
        practice_actions.move_practice(
            practice=mover,
            to_pcn=PrimaryCareNetwork.objects.get(code="U99001"),
            by=self.admin,
            on=D(2025, 4, 1),
        )
        self.assign_personas()
        self.say(f"  {len(self.pcns)} networks, {number} practices (one moved network)")

    def leadership(self):
        rng = self.random
        partners = [
            network_actions.add_partner_organisation(by=self.admin, name=name, kind=kind)
            for name, kind in [
                ("DEMO COMMUNITY HEALTH TRUST", PartnerKind.COMMUNITY),
                ("DEMO MENTAL HEALTH FOUNDATION TRUST", PartnerKind.MENTAL_HEALTH),
                ("DEMO COUNCIL ADULT SOCIAL CARE", PartnerKind.SOCIAL_CARE),
                ("DEMO VOLUNTARY ACTION", PartnerKind.VOLUNTARY),
            ]
        ]
        for pcn in self.pcns:
            practices = [m.practice for m in pcn.memberships.select_related("practice")]
            if pcn.code != NO_CLINICAL_DIRECTOR:
                co_directors = 2 if rng.random() < 0.3 else 1
                for _ in range(co_directors):
                    network_actions.add_clinical_director(
                        pcn=pcn,
                        by=self.admin,
                        full_name=f"Dr {next(self.people)}",
                        profession=ClinicalDirectorProfession.GP,
                        practice=rng.choice(practices),
                        start_date=D(2022, 4, 1),
                        share=Decimal(1) / co_directors,
                    )
            network_actions.add_team_member(
                pcn=pcn,
                by=self.admin,
                full_name=next(self.people),
                role=TeamRole.NETWORK_MANAGER,
                start_date=D(2021, rng.randint(1, 12), 1),
            )
            for year in (2024, 2025):
                signed = year == 2024 or rng.random() < 0.7
                network_actions.record_network_agreement(
                    pcn=pcn,
                    by=self.admin,
                    financial_year=year,
                    changes={
                        "signed_on": D(year, 6, 30) if signed else None,
                        "data_sharing_agreement_in_place": rng.random() < 0.8,
                    },
                    # A signed agreement's schedules are all signed; an unsigned one's vary.
                    schedules={
                        n: "signed" if signed else rng.choice(list(NetworkAgreementStatus))
                        for n in range(1, 8)
                    },
                )
            for partner in rng.sample(partners, 2):
                network_actions.add_collaboration(
                    pcn=pcn, by=self.admin, partner=partner, start_date=D(2021, 4, 1)
                )

    # --- ARRS -----------------------------------------------------------------------

    def workforce(self):
        rng = self.random
        start = D(DEMO_YEAR, 4, 1)
        # Per zone, the roles with a known maximum in the demo year, so claims can be capped.
        amounts = {}
        for amount in MaximumAmount.objects.in_force(start).select_related("role"):
            for zone in LondonZone:
                if amount.for_zone(zone) is not None:
                    amounts.setdefault(zone, {})[amount.role] = amount.for_zone(zone)
        roles_in_use = set()
        posts = 0
        for pcn in self.pcns:
            zone = self.zones[pcn.lead_commissioner.icb.code]
            choices = sorted(amounts[zone].items(), key=lambda item: item[0].name)
            practices = [m.practice for m in pcn.memberships.select_related("practice")]
            for i in range(15):
                role, ceiling = choices[i] if i < len(choices) else rng.choice(choices)
                roles_in_use.add(role)
                cost = Decimal(ceiling) * Decimal(rng.uniform(0.85, 1.02))
                # An illustrative split of the cost into salary, employer NI and pension.
                salary = (cost / Decimal("1.28")).quantize(Decimal("1"))
                employer = rng.choice(list(EmployerType))
                post_start = max(
                    D(rng.choice([2022, 2023, 2024, 2025]), rng.randint(1, 12), 1),
                    role.reimbursable_from,
                )
                post_end = None
                if rng.random() < 0.12:
                    post_end = (
                        D(DEMO_YEAR + 1, rng.randint(1, 3), 1) - ONE_DAY
                    )  # a month's last day
                hours = Decimal(rng.choice(["37.5", "37.5", "30", "22.5", "15"]))
                actual = salary * hours / Decimal("37.5")  # the salary is full-time equivalent
                try:
                    workforce_actions.add_post(
                        pcn=pcn,
                        by=self.admin,
                        full_name=next(self.people),
                        role=role,
                        start_date=post_start,
                        end_date=post_end,
                        weekly_hours=hours,
                        annual_salary=salary,
                        annual_employer_ni=(actual * Decimal("0.14")).quantize(Decimal("1")),
                        annual_employer_pension=(actual * Decimal("0.14")).quantize(Decimal("1")),
                        employer_type=employer,
                        employer_practice=rng.choice(practices)
                        if employer == EmployerType.MEMBER_PRACTICE
                        else None,
                        employer_name="DEMO COMMUNITY HEALTH TRUST"
                        if employer == EmployerType.NHS_TRUST
                        else "",
                        london_zone=zone,
                        afc_band=role.afc_bands.removeprefix("up to ").split("–")[0],
                    )
                except ValidationError:
                    continue  # a per-network cap (DOMAIN.md §3.3) refuses a second one
                posts += 1
            workforce_actions.set_allocation(pcn=pcn, by=self.admin, financial_year=DEMO_YEAR)
        self.say(
            f"  {posts} ARRS posts in {len(roles_in_use)} roles, allocations for {DEMO_YEAR_LABEL}"
        )
        self.change_of_hours()

    def change_of_hours(self):
        """One full-time post of the first network goes down to 30 hours a week from
        1 January 2026: its page shows both periods, and its claims each month's hours."""
        from_day = D(DEMO_YEAR + 1, 1, 1)
        post = (
            self.pcns[0]
            .posts.filter(weekly_hours=Decimal("37.5"), start_date__lt=D(DEMO_YEAR, 4, 1))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=from_day))
            .order_by("pk")
            .first()
        )
        if post is not None:
            workforce_actions.change_post(
                post=post, by=self.admin, changes={"weekly_hours": Decimal(30)}, terms_from=from_day
            )

    def claims(self):
        """Each network's monthly claims from April 2025 to the last month that has ended on
        the day the demo is built, each started, submitted and decided on a plausible day
        after its month (the portal's clock set to that day while it happens), as a real
        network's would be: most approved; some rejected, half of those corrected and
        submitted again and waiting for a decision; lines no published maximum amount
        covers held out to a supplementary claim; and the months NHS England has published
        no maximum amounts for (2026/27 today) started with every line held, waiting."""
        import time_machine  # a development tool: the demo is built only where DEBUG is on

        User = get_user_model()
        manager = User.objects.get(username="manager")
        approver = User.objects.get(username="approver")
        now = timezone.now()
        months = claim_months(D(DEMO_YEAR, 4, 1), timezone.localdate(now))
        rng = self.random
        count = 0
        for pcn in self.pcns:
            # The approver decides claims of networks in their ICB; a national admin the rest.
            decider = approver if can_approve_claims(approver, pcn) else self.admin
            submitter = manager if can_edit_pcn(manager, pcn) else self.admin
            for month in months:
                first = workforce_actions.claimable_from(month)
                day = at_hour(
                    first + datetime.timedelta(days=rng.randint(0, 6)), rng.randint(9, 16)
                )
                if day >= now:
                    continue
                with time_machine.travel(day, tick=False):
                    claim = workforce_actions.start_claim(pcn=pcn, by=manager, month=month)
                count += 1
                if not claim.lines.filter(maximum_amount__isnull=False).exists():
                    continue  # nothing to claim: no line, or every line held (no maximum)
                for step in self.claim_steps(rng, day, now):
                    with time_machine.travel(step.at, tick=False):
                        if step.action == "submit":
                            workforce_actions.submit_claim(
                                claim=claim, by=submitter, declaration=True
                            )
                        else:
                            workforce_actions.decide_claim(
                                claim=claim, by=decider, approve=step.action == "approve",
                                note=step.note,
                            )  # fmt: skip
        self.say(
            f"  {count} monthly claims, {months[0]:%B %Y} to {months[-1]:%B %Y}: approved, "
            "rejected, submitted again, held"
        )

    def claim_steps(self, rng, started, now):
        """What happens to a claim after it is started, each step on its day (none after
        `now`): submitted some days later, decided some days after that; about one in
        twelve rejected, and half of those corrected and submitted again, waiting."""
        steps, at = [], started + datetime.timedelta(days=rng.randint(1, 6), hours=2)
        steps.append(ClaimStep("submit", at))
        at += datetime.timedelta(days=rng.randint(3, 20))
        if rng.random() < 0.08:
            steps.append(ClaimStep("reject", at, REJECTION_NOTE))
            if rng.random() < 0.5:
                steps.append(ClaimStep("submit", at + datetime.timedelta(days=rng.randint(2, 9))))
        else:
            steps.append(ClaimStep("approve", at))
        return [step for step in steps if step.at < now]

    # --- services -------------------------------------------------------------------

    def services(self):
        rng = self.random
        # 2023/24, the last year of the specifications, and 2025/26 of the key functions.
        specifications = [
            (year, spec, list(spec.requirements.in_year(year)))
            for year in (2023, 2025)
            for spec in ServiceSpecification.objects.in_year(year)
        ]
        statuses = list(DeliveryStatus)
        n = 0
        for i, pcn in enumerate(self.pcns):
            for j, (year, spec, requirements) in enumerate(specifications):
                status = statuses[(i + j) % len(statuses)]
                delivery = service_actions.record_delivery(
                    pcn=pcn,
                    specification=spec,
                    by=self.admin,
                    financial_year=year,
                    status=status,
                    lead_name=f"Dr {next(self.people)}",
                    evidence_notes="Demo evidence notes.",
                    updated_on=D(year + 1, 3, rng.randint(1, 28)),
                )
                for requirement in requirements:
                    service_actions.record_progress(
                        delivery=delivery,
                        requirement=requirement,
                        by=self.admin,
                        status=rng.choice(statuses),
                    )
            for _ in range(rng.randint(1, 3)):
                n += 1
                service_actions.align_care_home(
                    pcn=pcn,
                    by=self.admin,
                    cqc_location_id=f"1-{900000000 + n}",
                    name=f"DEMO {rng.choice(CARE_HOMES)} CARE HOME {n}",
                    home_type=rng.choice(list(CareHomeType)),
                    beds=rng.randint(20, 80),
                    clinical_lead=f"Dr {next(self.people)}",
                    round_day=rng.randint(1, 5),
                    start_date=D(2020, 10, 1),
                )
            service_actions.add_local_priority(
                pcn=pcn,
                by=self.admin,
                title=rng.choice(PRIORITIES),
                owner=f"Dr {next(self.people)}",
                review_on=D(2026, 9, 30),
                start_date=D(2025, 4, 1),
                status=rng.choice(list(PriorityStatus)),
            )
        self.say(f"  deliveries in every state, {n} care homes, local priorities")


REJECTION_NOTE = "Hours for one post do not match the contract on file."


@dataclass
class ClaimStep:
    action: str  # "submit", "approve" or "reject"
    at: datetime.datetime
    note: str = ""


def claim_months(first, today):
    """The months from `first` whose last day has passed on `today`."""
    months, month = [], first
    while workforce_actions.claimable_from(month) <= today:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def at_hour(day, hour):
    """Ten past `hour` on `day`, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 10))


def personas_help():
    lines = [f"Demo logins (development only), password {DEMO_PASSWORD}:"]
    for username, first, last, scope, role, code, superuser in PERSONAS:
        if superuser:
            what = "national admin (superuser)"
        else:
            what = f"{Role(role).label} of {code} ({Scope(scope).label})"
        lines.append(f"  {username:<9} {first} {last}: {what}")
    return "\n".join(lines)
