"""A national data set: the real ODS files, with a synthetic ARRS and delivery layer on top.

`manage.py seed_national` imports the national files in ../shared/data/ods/ as they are
(networks, practices, membership spells, the commissioning hierarchy and the 1 January
2021 list sizes), then adds what ODS does not publish — staff, posts, claims, monthly list
sizes, clinical directors, agreements, deliveries, care homes — made up from a fixed seed,
so the portal can be tried and measured at national scale.

Every made-up row has `synthetic` set (pcn_portal.core.db.synthetic_field); the imported
ODS rows never do. Nothing synthetic is an NHS figure:

- each network's ARRS posts copy the role and FTE mix of a real network in the NWRS
  individual-level extract (the three-ICB subset in ../shared/data/ods/, DOMAIN.md §6.4),
  networks being matched to extract networks by size rank; the national count is scaled
  to about 40,000 posts (DESIGN.md "Scale it must carry"; DOMAIN.md §3.5 gives 37,000
  ARRS roles, claims-based, June 2024, S104);
- salaries are drawn below the role's maximum reimbursable amount from the reference data
  the migrations load, and every claim line's maximum and reimbursable amount is worked
  out by workforce.calculations, as the portal does for a claim it starts;
- list sizes drift month by month from each practice's real 1 January 2021 figure, and
  the weighted figure each 1 January applies the practice's real weighted ÷ registered
  ratio in NHS Payments to General Practice 2022/23 (nhspaymentsgp-22-23-prac.csv).

The synthetic rows are written with COPY and without a history event each (their
pghistory triggers are skipped with pgtrigger.ignore): 1.4 million claim lines would add
1.4 million history rows. The seed is recorded in the audit history as one context naming
the process and counting what it wrote, beside the ordinary history of the import and of
the demo users' assignments. See `NationalSeed.record_seed`.
"""

import csv
import datetime
import random
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from pghistory.trigger import Event as HistoryTrigger

from networks import actions as network_actions
from networks.models import (
    ClinicalDirector,
    ClinicalDirectorProfession,
    IntegratedCareBoard,
    NetworkAgreement,
    NetworkAgreementSchedule,
    NetworkAgreementStatus,
    PrimaryCareNetwork,
    Role,
    Scope,
)
from pcn_portal.core.dates import (
    ONE_DAY,
    financial_year_label,
    financial_year_of,
    month_bounds,
    today,
)
from pcn_portal.seeds.demo import DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES, persona_users
from practices.models import ListSize, Membership
from practices.ods.importer import import_files
from services.models import (
    CareHome,
    CareHomeAlignment,
    CareHomeBeds,
    DeliveryStatus,
    RequirementProgress,
    ServiceDelivery,
    ServiceSpecification,
)
from workforce import actions, budget, calculations, rules
from workforce.models import (
    FULL_TIME_HOURS,
    SEALED_STATUSES,
    AllocationRate,
    ARRSAllocation,
    ARRSRole,
    CapKind,
    Claim,
    ClaimLine,
    ClaimStatus,
    EmployerType,
    LondonZone,
    MaximumAmount,
    Post,
    RingFencedSum,
    RoleCap,
    StaffMember,
)

D = datetime.date
SEED = 2026
PROCESS = "manage.py seed_national"
ODS_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "ods"
NATIONAL_FILES = [
    "ePCN_2024-10.xlsx",
    "epraccur_2024-01.csv",
    "gp-reg-pat-prac-map_2025-10.csv",
    "gp-reg-pat-prac-all_2021-01.csv",
]
NWRS_FILE = "pcn-workforce-individual-level_2025-11_REEXPORT_SUBSET_QHM_QJK_QNC.csv"
PAYMENTS_FILE = "nhspaymentsgp-22-23-prac.csv"

# Claims: 36 months, the financial years 2023/24 to 2025/26. The reference data has no
# maximum amounts for 2026/27 (DOMAIN.md A.1), so later months could not be capped.
FIRST_MONTH = D(2023, 4, 1)
LAST_MONTH = D(2026, 3, 1)
CLAIM_YEARS = (2023, 2024, 2025)
# Memberships and posts are read as they stand on this day.
REFERENCE_DAY = D(2026, 3, 31)
# List sizes: the real file is 1 January 2021; the synthetic months follow it for five years.
LIST_SIZE_BASE = D(2021, 1, 1)
LIST_SIZE_MONTHS = 60
POSTS_TARGET = 40_000  # DESIGN.md: ~40,000 ARRS posts nationally
OPEN_NETWORKS = 1_285  # ePCN_2024-10.xlsx: 1,285 open networks (data/ods/README.md)
ENDED_SHARE = 0.08  # posts that end inside the claim months (staff turnover), synthetic
EARLY_SHARE = 0.85  # posts in place before the first claim month, synthetic

# NWRS STAFF_ROLE (and, for therapists, DETAILED_STAFF_ROLE) → ARRS role code. Roles with
# no ARRS counterpart (directors, managers, receptionists, locums, other nurses) are left
# out. Salaried GPs in a PCN's NWRS return are taken as ARRS GPs.
NWRS_ROLES = {
    "Care Coordinators": "care-coordinator",
    "Pharmacists": "clinical-pharmacist",
    "Social Prescribing Link Workers": "social-prescribing-link-worker",
    "Social Prescribing Link Workers (Mental Health Practitioners)": "mental-health-practitioner",
    "Pharmacy Technicians": "pharmacy-technician",
    "Physiotherapists": "first-contact-physiotherapist",
    "General Practice Assistants": "general-practice-assistant",
    "Paramedics": "paramedic",
    "Health and Wellbeing Coaches": "health-and-wellbeing-coach",
    "Salaried GPs": "gp",
    "Advanced Nurse Practitioners": "advanced-practitioner",
    "Advanced Pharmacist Practitioners": "advanced-practitioner",
    "Advanced Paramedic Practitioners": "advanced-practitioner",
    "Advanced Physiotherapist Practitioners": "advanced-practitioner",
    "Advanced Occupational Therapist Practitioners": "advanced-practitioner",
    "Advanced Dietician Practitioners": "advanced-practitioner",
    "Trainee Nursing Associates": "trainee-nursing-associate",
    "Nursing Associates": "nursing-associate",
    "Mental Health and Wellbeing Practitioners (Mental Health Practitioners)": (
        "mental-health-practitioner"
    ),
    "Mental Health and Wellbeing Practitioners": "mental-health-practitioner",
    "Community Mental Health Nurses (Mental Health Practitioners)": "mental-health-practitioner",
    "Therapists (Mental Health Practitioners)": "mental-health-practitioner",
    "Digital and Transformation Leads": "digital-and-transformation-lead",
    "Physician Associates": "physician-associate",
    "Healthcare Support Workers": "healthcare-support-worker",
    "Dieticians": "dietitian",
    "Podiatrists": "podiatrist",
    "Enhanced Practice Nurses": "enhanced-practice-nurse",
}
NWRS_DETAILED_ROLES = {"Therapist- Occupational Therapist": "occupational-therapist"}

PERSONAS = [
    # (username, first, last, scope, role, superuser); the organisations are chosen from
    # the data: the largest network, its Sub-ICB location, the largest ICB and its region.
    ("admin", "Nadia", "National", None, None, True),
    ("manager", "Maya", "Manager", Scope.PCN, Role.EDITOR, False),
    ("viewer", "Victor", "Viewer", Scope.PCN, Role.VIEWER, False),
    ("subicb", "Sam", "Subicb", Scope.SUB_ICB, Role.VIEWER, False),
    ("icb", "Ivy", "Icb", Scope.ICB, Role.VIEWER, False),
    ("approver", "Aaron", "Approver", Scope.ICB, Role.APPROVER, False),
    ("region", "Rosa", "Region", Scope.REGION, Role.VIEWER, False),
]

SYNTHETIC_MODELS = [
    ListSize,
    ARRSAllocation,
    ClinicalDirector,
    NetworkAgreement,
    NetworkAgreementSchedule,
    StaffMember,
    Post,
    Claim,
    ClaimLine,
    ServiceDelivery,
    RequirementProgress,
    CareHome,
    CareHomeAlignment,
    CareHomeBeds,
]


def months(first, count):
    return [D(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(count)]  # fmt: skip


def claim_months(on=None):
    """The months claimed: April 2023 to March 2026, those that have ended by `on` (today):
    a month is claimed from the day after its last day (workforce.actions.claimable_from)."""
    on = today() if on is None else on
    count = (LAST_MONTH.year - FIRST_MONTH.year) * 12 + LAST_MONTH.month - FIRST_MONTH.month + 1
    return [month for month in months(FIRST_MONTH, count) if actions.claimable_from(month) <= on]


def post_hours(fte):
    """A post's weekly hours from an NWRS FTE, to the quarter hour, at most one whole-time
    post: ARRS funds a person for at most 37.5 hours a week on any day
    (workforce.rules.check_one_person), and check_post warns of a post over it. The seed
    gives each post its own holder, so a post within 37.5 hours keeps its holder within."""
    return min(max((fte * 150).to_integral_value() / 4, Decimal("1")), FULL_TIME_HOURS)


def post_pay(base, hours, rng):
    """(full-time-equivalent annual salary, annual employer NI = pension) of a post drawn
    under `base`, a role's annual maximum for one WTE (salary and on-costs): the salary as
    a manager enters it, full time (Agenda for Change points are published full time); NI
    and pension are what the employer pays in a year for the post's hours, 14% each."""
    full_time_cost = base * Decimal(rng.uniform(0.85, 1.02))
    salary = (full_time_cost / Decimal("1.28")).quantize(Decimal("0.01"))
    oncost = (salary * calculations.wte(hours) * Decimal("0.14")).quantize(Decimal("0.01"))
    return salary, oncost


# A line as NationalSeed.claim_line gives it: post id, salary, NI, pension, hours, maximum,
# what it claims, why it is held.
LINE_MAXIMUM, LINE_AMOUNT = 5, 6
ZERO = Decimal("0.00")


@dataclass
class ClaimContext:
    """What the claim lines are worked out from, read before the COPY starts."""

    rows: dict  # role id → its maximum amount rows over the claim months
    rules: list  # calculations.share_rules()
    sums: dict  # (network id, year) → budget.sums_for_lines
    approver_pcns: set
    claim_id: int  # the next claim's id
    post_roles: dict = field(default_factory=dict)  # post id → role id
    maxima: dict = field(default_factory=dict)
    shares: dict = field(default_factory=dict)
    tz: object = field(default_factory=timezone.get_current_timezone)


# The claim lines' row triggers (workforce.models.ClaimLine: a post claimed once a month, no
# line into a sealed claim) each run a query per line; over a COPY of 1.25 million lines
# into a table without statistics they took minutes per hundred networks. The seed writes
# one claim a month per network (no supplementary claim), one line per post in it, each
# line before its claim row: NationalSeed.check_claims checks the same rules once, over
# every line, before the transaction commits.
LINE_TRIGGERS = [
    "workforce.ClaimLine:claim_line_claimed_once_a_month",
    "workforce.ClaimLine:sealed_claim_line",
]


def history_triggers(models):
    """The pghistory triggers of `models`, as pgtrigger URIs. Their other triggers (a
    post's, which keep its network's ARRS hours) still run."""
    uris = []
    for model in models:
        uris += [
            f"{model._meta.label}:{trigger.name}"
            for trigger in model._meta.triggers
            if isinstance(trigger, HistoryTrigger)
        ]
    return uris


def read_nwrs(path):
    """Per NWRS network: its ARRS posts as (role code, FTE)."""
    per_pcn = defaultdict(list)
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            code = NWRS_DETAILED_ROLES.get(row["DETAILED_STAFF_ROLE"]) or NWRS_ROLES.get(
                row["STAFF_ROLE"]
            )
            fte = Decimal(row["FTE"] or "0")
            if code and fte > 0:
                per_pcn[row["PCN_CODE"]].append((code, fte))
    return [per_pcn[code] for code in sorted(per_pcn)]


def read_weighting(path):
    """Practice code → weighted ÷ registered patients (NHS Payments to General Practice)."""
    ratios = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            try:
                registered = float(row["Number of Registered Patients (Last Known Figure)"])
                weighted = float(row["Number of Weighted Patients (Last Known Figure)"])
            except (KeyError, ValueError):
                continue
            if registered > 0 and weighted > 0:
                ratios[row["Practice Code"]] = weighted / registered
    return ratios


class Copier:
    """COPY rows into a model's table, ids given by the caller (the sequence is moved on
    after), so related rows can name each other without reading anything back."""

    def __init__(self):
        self.counts = Counter()

    def next_id(self, model):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
            return cursor.fetchone()[0]

    def copy(self, model, fields, rows):
        table = model._meta.db_table
        columns = ", ".join(model._meta.get_field(f).column for f in fields)
        n = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            if "id" in fields:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
        self.counts[model._meta.label] += n
        return n


class NationalSeed:
    def __init__(self, stdout=None, networks=None, seed=SEED):
        self.stdout = stdout
        self.limit = networks
        self.random = random.Random(seed)
        self.copier = Copier()
        self.started = time.perf_counter()
        self.names = self._names()

    def say(self, message):
        if self.stdout:
            elapsed = time.perf_counter() - self.started
            self.stdout.write(f"[{elapsed:6.1f} s] {message}")
            self.stdout.flush()

    def _names(self):
        rng = random.Random(SEED + 1)
        while True:
            yield f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"

    # --- the whole build ----------------------------------------------------------------

    def build(self, ods_dir=ODS_DIR):
        """Import the national files, then the synthetic layer; the caller holds the
        transaction."""
        paths = [Path(ods_dir) / name for name in NATIONAL_FILES]
        self.say(f"Importing {', '.join(NATIONAL_FILES)}")
        result = import_files(paths, process=PROCESS, progress=lambda m: self.say(f"  {m}"))
        self.say(f"  imported: {result.changed:,} rows")
        return self.synthesise(ods_dir=ods_dir)

    def networks(self):
        pcns = PrimaryCareNetwork.objects.open(REFERENCE_DAY).order_by("code")
        return list(pcns[: self.limit] if self.limit else pcns)

    def synthesise(self, ods_dir=ODS_DIR):
        if not ARRSRole.objects.exists() or not ServiceSpecification.objects.exists():
            raise RuntimeError(
                "The national reference data (ARRS roles, service specifications) is missing: "
                "run manage.py migrate first."
            )
        self.ods_dir = Path(ods_dir)
        self.pcns = self.networks()
        self.pcn_ids = [p.pk for p in self.pcns]
        self.members = self.read_members()
        self.say("Demo users")
        self.admin, personas = self.users()
        # One transaction: pgtrigger.ignore's setting lasts to the end of the transaction
        # it is made in, and holds over the COPY statements that follow it.
        with transaction.atomic(), pghistory.context(process=PROCESS) as context:
            self.context = context
            self.assign_personas(personas)
            with pgtrigger.ignore(*history_triggers(SYNTHETIC_MODELS), *LINE_TRIGGERS):
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")  # sets pgtrigger.ignore for the transaction
                self.list_sizes()
                self.allocations()
                self.leadership()
                self.workforce()
                self.claims()
                self.services()
            self.record_seed()
        return self.copier.counts

    def read_members(self):
        """Network id → its member practices on the reference day (id, code)."""
        members = defaultdict(list)
        spells = Membership.objects.current(REFERENCE_DAY).filter(pcn_id__in=self.pcn_ids)
        for pcn_id, practice_id in spells.values_list("pcn_id", "practice_id").order_by(
            "pcn_id", "practice__code"
        ):
            members[pcn_id].append(practice_id)
        return members

    # --- people who log in ----------------------------------------------------------------

    def users(self):
        return persona_users(
            (username, first, last, superuser)
            for username, first, last, _scope, _role, superuser in PERSONAS
        )

    def populations(self):
        """Network id → its members' registered patients on 1 January 2021 (the real file)."""
        sizes = dict(
            ListSize.objects.filter(extract_date=LIST_SIZE_BASE, synthetic=False).values_list(
                "practice_id", "registered_patients"
            )
        )
        return {
            pcn.pk: sum(sizes.get(p, 0) for p in self.members.get(pcn.pk, [])) for pcn in self.pcns
        }

    def assign_personas(self, users):
        self.population = self.populations()
        largest = max(self.pcns, key=lambda p: (self.population[p.pk], p.code))
        sub_icb = largest.lead_commissioner
        by_icb = Counter()
        for pcn in PrimaryCareNetwork.objects.filter(pk__in=self.pcn_ids).select_related(
            "lead_commissioner"
        ):
            if pcn.lead_commissioner.icb_id:
                by_icb[pcn.lead_commissioner.icb_id] += self.population[pcn.pk]
        icb = (
            IntegratedCareBoard.objects.select_related("region").get(pk=by_icb.most_common(1)[0][0])
            if by_icb
            else sub_icb.icb
        )
        targets = {
            Scope.PCN: largest,
            Scope.SUB_ICB: sub_icb,
            Scope.ICB: icb,
            Scope.REGION: icb.region if icb else None,
        }
        self.persona_targets = {}
        for username, _first, _last, scope, role, _superuser in PERSONAS:
            if scope is None or targets[scope] is None:
                continue
            user = users[username]
            self.persona_targets[username] = targets[scope]
            if not user.assignments.exists():
                network_actions.assign(
                    user=user,
                    by=self.admin,
                    scope=scope,
                    role=role,
                    organisation=targets[scope],
                )
        self.manager, self.approver = users["manager"], users["approver"]
        self.largest, self.approver_icb = largest, icb

    # --- list sizes and allocations -------------------------------------------------------

    def list_sizes(self):
        rng = self.random
        ratios = read_weighting(self.ods_dir / PAYMENTS_FILE)
        median = statistics.median(ratios.values()) if ratios else 1.0
        practice_ids = {p for ids in self.members.values() for p in ids}
        practice_ids |= set(
            Membership.objects.filter(pcn_id__in=self.pcn_ids).values_list("practice_id", flat=True)
        )
        base = ListSize.objects.filter(
            extract_date=LIST_SIZE_BASE, practice_id__in=practice_ids
        ).values_list(
            "practice_id", "practice__code", "registered_patients", "practice__close_date"
        )
        dates = months(D(LIST_SIZE_BASE.year, LIST_SIZE_BASE.month + 1, 1), LIST_SIZE_MONTHS)
        base = sorted(base)  # read before the COPY starts: one statement at a time

        def rows():
            for practice_id, code, registered, close_date in base:
                ratio = ratios.get(code, median)
                trend = rng.gauss(0.0008, 0.002)  # monthly drift of this practice's list
                size = float(registered)
                for extract in dates:
                    if close_date and extract > close_date:
                        break
                    size *= 1 + trend + rng.gauss(0, 0.002)
                    patients = max(0, round(size))
                    weighted = (
                        Decimal(patients * ratio).quantize(Decimal("0.01"))
                        if extract.month == 1
                        else None
                    )
                    yield (practice_id, extract, patients, weighted, True)

        n = self.copier.copy(
            ListSize,
            ["practice", "extract_date", "registered_patients", "weighted_patients", "synthetic"],
            rows(),
        )
        self.say(f"List sizes: {n:,} monthly rows ({LIST_SIZE_MONTHS} months per practice)")

    def allocations(self):
        """Each network's ARRS sum for the claim years: weighted population at 1 January
        (members' latest weighted list size then, as practices.calculations reads it) ×
        the year's rate (workforce.actions.set_allocation's arithmetic, in one statement)."""
        rates = dict(
            AllocationRate.objects.filter(
                financial_year__in=CLAIM_YEARS, pounds_per_weighted_patient__isnull=False
            ).values_list("financial_year", "pounds_per_weighted_patient")
        )
        n = 0
        with connection.cursor() as cursor:
            for year, rate in sorted(rates.items()):
                on = calculations.allocation_population_date(year)
                cursor.execute(
                    """
                    INSERT INTO workforce_arrsallocation
                        (pcn_id, financial_year, weighted_population, population_date, rate,
                         amount, synthetic)
                    SELECT m.pcn_id, %s, SUM(l.weighted_patients), %s, %s,
                           ROUND(SUM(l.weighted_patients) * %s, 2), TRUE
                    FROM practices_membership m
                    JOIN LATERAL (
                        SELECT weighted_patients FROM practices_listsize
                        WHERE practice_id = m.practice_id AND extract_date <= %s
                          AND weighted_patients IS NOT NULL
                        ORDER BY extract_date DESC LIMIT 1
                    ) l ON TRUE
                    WHERE m.in_force AND m.start_date <= %s
                      AND (m.end_date IS NULL OR m.end_date >= %s)
                      AND m.pcn_id = ANY(%s)
                    GROUP BY m.pcn_id
                    """,
                    [year, on, rate, rate, on, on, on, self.pcn_ids],
                )
                n += cursor.rowcount
        self.copier.counts[ARRSAllocation._meta.label] += n
        self.say(f"ARRS allocations: {n:,} ({', '.join(str(y) for y in sorted(rates))})")

    # --- leadership ---------------------------------------------------------------------

    def leadership(self):
        rng = self.random
        directors, agreements, schedules = [], [], []
        agreement_id = self.copier.next_id(NetworkAgreement)
        for pcn in self.pcns:
            practices = self.members.get(pcn.pk) or [None]
            if rng.random() >= 0.03:  # a few networks have no clinical director
                count = 2 if rng.random() < 0.2 else 1
                for _ in range(count):
                    other = rng.random() < 0.05
                    directors.append(
                        (
                            pcn.pk,
                            f"{'' if other else 'Dr '}{next(self.names)}",
                            ClinicalDirectorProfession.OTHER
                            if other
                            else ClinicalDirectorProfession.GP,
                            "Clinical pharmacist" if other else "",
                            rng.choice(practices),
                            D(
                                rng.choice([2019, 2020, 2021, 2022, 2023]),
                                rng.choice([4, 7, 10]),
                                1,
                            ),
                            None,
                            Decimal(1) / count,
                            True,
                        )
                    )
            for year in CLAIM_YEARS:
                latest = year == CLAIM_YEARS[-1]
                signed = not latest or rng.random() < 0.85
                agreements.append(
                    (
                        agreement_id,
                        pcn.pk,
                        year,
                        D(year, rng.choice([5, 6]), rng.randint(1, 28)) if signed else None,
                        rng.random() < 0.9,
                        "",
                        True,
                    )
                )
                for number in range(1, 8):
                    status = (
                        NetworkAgreementStatus.SIGNED
                        if signed
                        else rng.choice(list(NetworkAgreementStatus))
                    )
                    done = D(year, 6, 30) if status == NetworkAgreementStatus.SIGNED else None
                    schedules.append((agreement_id, number, status, done, "", True))
                agreement_id += 1
        self.copier.copy(
            ClinicalDirector,
            [
                "pcn",
                "full_name",
                "profession",
                "profession_detail",
                "practice",
                "start_date",
                "end_date",
                "share",
                "synthetic",
            ],
            directors,
        )
        self.copier.copy(
            NetworkAgreement,
            [
                "id",
                "pcn",
                "financial_year",
                "signed_on",
                "data_sharing_agreement_in_place",
                "notes",
                "synthetic",
            ],
            agreements,
        )
        self.copier.copy(
            NetworkAgreementSchedule,
            ["agreement", "number", "status", "completed_on", "notes", "synthetic"],
            schedules,
        )
        self.say(
            f"Clinical directors: {len(directors):,}; network agreements: {len(agreements):,} "
            f"with {len(schedules):,} schedules"
        )

    # --- ARRS posts -----------------------------------------------------------------------

    def salary_bases(self):
        """(role id, zone) → the annual amount a post's cost is drawn under: the role's
        latest known maximum for the zone, else its latest known one anywhere, else the
        highest known for a role of the same band (reference data only)."""
        latest = {}
        for row in MaximumAmount.objects.filter(unknown=False).order_by("period_start"):
            for zone in LondonZone:
                amount = row.for_zone(zone)
                if amount is not None:
                    latest[(row.role_id, zone)] = amount
                    latest[(row.role_id, None)] = amount
        by_band = defaultdict(Decimal)
        for role in self.roles.values():
            amount = latest.get((role.pk, None))
            if amount:
                band = self.band_of(role)
                by_band[band] = max(by_band[band], amount)
        bases = {}
        for role in self.roles.values():
            for zone in LondonZone:
                bases[(role.pk, zone)] = (
                    latest.get((role.pk, zone))
                    or latest.get((role.pk, None))
                    or by_band.get(self.band_of(role))
                    or max(by_band.values())
                )
        return bases

    @staticmethod
    def band_of(role):
        return role.afc_bands.removeprefix("up to ").split("–")[0]

    def zones(self):
        """Network id → London zone: networks in the London region are taken as outer
        London (the portal has no map of the inner/outer London boundary)."""
        london = set(
            PrimaryCareNetwork.objects.filter(
                pk__in=self.pcn_ids, lead_commissioner__icb__region__code="Y56"
            ).values_list("pk", flat=True)
        )
        return {p: LondonZone.OUTER if p in london else LondonZone.NATIONAL for p in self.pcn_ids}

    def post_dates(self, role, rng):
        earliest = max(role.reimbursable_from, D(2019, 7, 1))
        if earliest < FIRST_MONTH and rng.random() < EARLY_SHARE:
            span = (FIRST_MONTH - ONE_DAY - earliest).days
        else:
            earliest = max(earliest, FIRST_MONTH)
            span = (LAST_MONTH - earliest).days
        start = earliest + datetime.timedelta(days=rng.randint(0, max(span, 0)))
        if rng.random() < 0.8:
            start = D(start.year, start.month, 1) if start.day == 1 else start
            start = max(D(start.year, start.month, 1), earliest)
        end = None
        if rng.random() < ENDED_SHARE:
            last = max(start, FIRST_MONTH)
            end = last + datetime.timedelta(days=rng.randint(0, (LAST_MONTH - last).days))
            if rng.random() < 0.8:  # most posts end on a month's last day
                end = month_bounds(end)[1]
        return start, end

    def workforce(self):
        rng = self.random
        self.roles = {r.code: r for r in ARRSRole.objects.all()}
        templates = read_nwrs(self.ods_dir / NWRS_FILE)
        templates.sort(key=len)
        mean = statistics.mean(len(t) for t in templates)
        scale = POSTS_TARGET / OPEN_NETWORKS / mean
        bases = self.salary_bases()
        zones = self.zones()
        self.eligibility = defaultdict(list)  # role id → its who-it-may-fund rules
        for row in RoleCap.objects.filter(kind__in=rules.ELIGIBILITY_KINDS):
            self.eligibility[row.role_id].append(row)
        ranked = sorted(self.pcns, key=lambda p: (self.population[p.pk], p.code))
        staff_id = self.copier.next_id(StaffMember)
        post_id = self.copier.next_id(Post)
        staff = []
        self.posts = []  # unsaved Post objects with ids, for the claims
        self.role_mix = Counter()
        for rank, pcn in enumerate(ranked):
            # A network of the same size rank in the NWRS extract, give or take a few.
            quantile = (rank + 0.5) / len(ranked)
            index = int(quantile * len(templates)) + rng.randint(-5, 5)
            template = templates[min(max(index, 0), len(templates) - 1)]
            count = max(1, round(len(template) * scale * rng.uniform(0.9, 1.1)))
            practices = self.members.get(pcn.pk) or []
            zone = zones[pcn.pk]
            for _ in range(count):
                code, fte = rng.choice(template)
                role = self.roles[code]
                hours = post_hours(fte)
                start, end = self.post_dates(role, rng)
                band = (
                    rng.choice(["5", "6", "7"])
                    if code == "mental-health-practitioner"
                    else (self.band_of(role))
                )
                salary, oncost = post_pay(bases[(role.pk, zone)], hours, rng)
                if code == "mental-health-practitioner":
                    employer, employer_practice = EmployerType.NHS_TRUST, None
                elif practices and rng.random() < 0.7:
                    employer, employer_practice = (
                        EmployerType.MEMBER_PRACTICE,
                        rng.choice(practices),
                    )
                else:
                    employer, employer_practice = EmployerType.LEAD_PROVIDER, None
                staff.append((staff_id, pcn.pk, next(self.names), "", True))
                post = Post(
                    id=post_id,
                    pcn_id=pcn.pk,
                    staff_member_id=staff_id,
                    role=role,
                    employer_type=employer,
                    employer_practice_id=employer_practice,
                    employer_name="SYNTHETIC MENTAL HEALTH TRUST"
                    if employer == EmployerType.NHS_TRUST
                    else "",
                    start_date=start,
                    end_date=end,
                    weekly_hours=hours,
                    afc_band=band,
                    annual_salary=salary,
                    annual_employer_ni=oncost,
                    annual_employer_pension=oncost,
                    london_zone=zone,
                    arrs_funded=True,
                    synthetic=True,
                    **self.eligibility_answers(role, start, rng),
                )
                post.known_terms = []  # the seed changes no post's terms: none to read
                self.posts.append(post)
                self.role_mix[code] += 1
                staff_id += 1
                post_id += 1
        self.check_posts()
        fields = ["id", "pcn_id", "staff_member_id", "role_id", "employer_type",
                  "employer_practice_id", "employer_name", "start_date", "end_date",
                  "weekly_hours", "afc_band", "annual_salary", "annual_employer_ni",
                  "annual_employer_pension", "london_zone", "arrs_funded", "cct_date", "locum",
                  "gp_before_scheme", "employed_here_in_previous_year", "synthetic"]  # fmt: skip
        self.copier.copy(
            StaffMember, ["id", "pcn", "full_name", "professional_registration", "synthetic"], staff
        )
        self.copier.copy(
            Post,
            [f.removesuffix("_id") for f in fields],
            ([getattr(p, f) for f in fields] for p in self.posts),
        )
        self.say(f"ARRS posts: {len(self.posts):,} in {len(self.role_mix)} roles")

    def eligibility_answers(self, role, start, rng):
        """The answers workforce.rules.check_eligibility needs of a post starting on
        `start`, for the rules of its role then in force (DOMAIN.md §3.1, A.3 rules 10 and
        11): a GP within two years of the CCT (rules.GP_CCT_YEARS), salaried, not a GP before
        the scheme; a nurse or support worker not employed here in the year before."""
        kinds = {
            row.kind
            for row in self.eligibility.get(role.pk, ())
            if row.valid_from <= start and (row.valid_until is None or start <= row.valid_until)
        }
        answers = {}
        if CapKind.RECENT_GP in kinds:
            days = rng.randint(0, 365 * rules.GP_CCT_YEARS - 1)
            answers.update(cct_date=start - datetime.timedelta(days=days), locum=False,
                           gp_before_scheme=False)  # fmt: skip
        if CapKind.PRIOR_EMPLOYMENT in kinds:
            answers["employed_here_in_previous_year"] = False
        return answers

    def check_posts(self):
        """Each post as the portal checks it when it is saved (workforce.rules.check_post),
        for the rules the seed could break: who the role may fund (check_eligibility, over
        the rule rows read once) and one person funded
        at most as one whole-time post. check_one_person queries every network's register
        for each post, too slow for 40,000; it is built on rules._first_clash over a
        holder's other posts, which the seed gives none (one StaffMember per post), so a
        post's own hours are the holder's, kept within FULL_TIME_HOURS by post_hours."""
        for post in self.posts:
            role_rows = self.eligibility.get(post.role_id)
            if role_rows and (warnings := rules.check_eligibility(post, role_rows)):
                raise RuntimeError(f"Seed post {post.pk} lacks an answer: {warnings}")
        holders = defaultdict(list)
        for post in self.posts:
            holders[post.staff_member_id].append(post)
        for posts in holders.values():
            clash = rules._first_clash(posts[0], posts[1:])
            if clash is not None or posts[0].weekly_hours > FULL_TIME_HOURS:
                raise RuntimeError(f"Seed post {posts[0].pk}'s holder is funded over 1.0 WTE.")

    # --- claims -------------------------------------------------------------------------

    def claim_status(self, index, count, rng):
        """The latest month is a draft, the two before it are submitted, the rest decided:
        approved, a few rejected."""
        if index == count - 1:
            return ClaimStatus.DRAFT
        if index >= count - 3:
            return ClaimStatus.SUBMITTED
        return ClaimStatus.REJECTED if rng.random() < 0.01 else ClaimStatus.APPROVED

    def claims(self):
        """A claim for every network and month that has ended (claim_months) with a post in
        place, its lines as the portal makes them (claim_line), each claim given the status
        the portal would let it reach (claim_outcome). The lines are written first and each
        claim after them, with its status, since the status depends on the lines (the
        foreign key is checked at commit); check_claims then checks what the lines'
        triggers would have (LINE_TRIGGERS)."""
        all_months = claim_months()
        self.claim_rows, self.claim_states = [], Counter()
        with connection.cursor() as cursor:
            # The lines name claims written after them: their foreign key is checked once
            # the claims are in (the ODS import leaves the transaction's constraints
            # immediate).
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        n = self.copier.copy(
            ClaimLine,
            [
                "claim",
                "post",
                "salary",
                "employer_ni",
                "employer_pension",
                "weekly_hours",
                "maximum_amount",
                "reimbursable_amount",
                "held_reason",
                "held_from",
                "synthetic",
            ],
            self.claim_lines(all_months),
        )
        self.copier.copy(
            Claim,
            [
                "id",
                "pcn",
                "month",
                "status",
                "submitted_by",
                "submitted_at",
                "decided_by",
                "decided_at",
                "decision_note",
                "supplement",
                "synthetic",
            ],
            self.claim_rows,
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.keep_claim_totals()
        self.check_claims()
        states = self.claim_states
        self.say(
            f"Claims: {len(self.claim_rows):,} over {len(all_months)} months "
            f"({', '.join(f'{n:,} {s}' for s, n in states.most_common())}); lines: {n:,}"
        )

    def keep_claim_totals(self):
        """Each claim submitted keeps what it asks for, as submit_claim keeps it
        (workforce.models.kept_totals), in one UPDATE once its lines are in: the claims are
        written sealed, so their trigger is set aside for it."""
        with pgtrigger.ignore("workforce.Claim:sealed_claim_update"):
            Claim.objects.filter(synthetic=True).exclude(status=ClaimStatus.DRAFT).keep_totals()

    def check_claims(self):
        """The rules of LINE_TRIGGERS, over every line at once: a post's counted line (one
        with a maximum) at most once a month, and (the seed's own) no held line in a
        submitted or approved claim."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FROM (
                    SELECT l.post_id, c.month FROM workforce_claimline l
                    JOIN workforce_claim c ON c.id = l.claim_id
                    WHERE l.synthetic AND l.maximum_amount IS NOT NULL AND l.corrects_id IS NULL
                    GROUP BY l.post_id, c.month HAVING count(*) > 1
                ) twice
                """
            )
            twice = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM workforce_claimline l JOIN workforce_claim c "
                "ON c.id = l.claim_id WHERE l.synthetic AND c.status = ANY(%s) "
                "AND l.maximum_amount IS NULL",
                [[str(status) for status in SEALED_STATUSES]],
            )
            held = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM workforce_claimline l JOIN workforce_claim c "
                "ON c.id = l.claim_id LEFT JOIN workforce_claim h ON h.id = l.held_from_id "
                "WHERE l.synthetic AND c.supplement > 0 AND (h.id IS NULL "
                "OR h.month <> c.month OR h.supplement >= c.supplement)"
            )
            held += cursor.fetchone()[0]
        if twice or held:
            raise RuntimeError(
                f"Seed claims break the portal's rules: {twice} posts claimed twice in a "
                f"month, {held} held lines in submitted or approved claims or in a supplementary "
                "claim without the claim they were held out of."
            )

    def claim_lines(self, all_months):
        """The lines, as a generator feeding COPY: everything it needs from the database is
        read here, before the generator starts (no query can run during a COPY)."""
        window_end = month_bounds(all_months[-1])[1] if all_months else FIRST_MONTH
        context = ClaimContext(
            # Each role's maximum amount rows over the whole window; monthly_maximum
            # chooses those for a post's band and month, as for a line made in the portal.
            rows=calculations.maximum_rows_by_role(FIRST_MONTH, window_end),
            rules=calculations.share_rules(),
            sums=self.funding_sums(),
            approver_pcns=set(
                PrimaryCareNetwork.objects.filter(
                    pk__in=self.pcn_ids, lead_commissioner__icb=self.approver_icb
                ).values_list("pk", flat=True)
            ),
            claim_id=self.copier.next_id(Claim),
            post_roles={post.pk: post.role_id for post in self.posts},
        )
        by_pcn = defaultdict(list)
        for post in self.posts:
            by_pcn[post.pcn_id].append(post)
        return self._claim_lines(all_months, context, by_pcn)

    def funding_sums(self):
        """(network id, year) → the sums its lines draw on, each by its own rule
        (workforce.budget.sums_for_lines, as actions.check_ceiling reads them): the recorded
        allocation and, in 2024/25, the ring-fenced GP sum."""
        ring_fenced = {
            row.financial_year: row
            for row in RingFencedSum.with_sources(RingFencedSum.objects.select_related("role"))
        }
        return {
            (allocation.pcn_id, allocation.financial_year): budget.sums_for_lines(
                allocation, ring_fenced.get(allocation.financial_year)
            )
            for allocation in ARRSAllocation.objects.filter(pcn_id__in=self.pcn_ids)
        }

    def _claim_lines(self, all_months, context, by_pcn):
        rng = self.random
        written = 0
        for number, pcn in enumerate(self.pcns, 1):
            approved = defaultdict(Decimal)  # (year, sum's name) → approved on it so far
            for index, month in enumerate(all_months):
                first, last = month_bounds(month)
                lines = [
                    self.claim_line(post, month, context)
                    for post in by_pcn.get(pcn.pk, ())
                    if post.start_date <= last and (post.end_date is None or post.end_date >= first)
                ]
                if not lines:
                    continue  # no post in place: nothing to claim
                status = self.claim_status(index, len(all_months), rng)
                status, counted, note = self.claim_outcome(pcn, month, status, lines, approved,
                                                           context)  # fmt: skip
                claim_id = context.claim_id
                context.claim_id += 1
                self.claim_rows.append(self.claim_row(claim_id, pcn, month, status, note, context))
                self.claim_states[status] += 1
                for line in counted:
                    written += 1
                    yield (claim_id, *line, None, True)
                held = [line for line in lines if line[LINE_MAXIMUM] is None]
                if status != ClaimStatus.DRAFT and held:
                    # Held out of the claim at its submission into a draft supplementary
                    # claim for the month (actions.hold_lines_out), naming the claim.
                    later = context.claim_id
                    context.claim_id += 1
                    self.claim_rows.append(
                        self.claim_row(later, pcn, month, ClaimStatus.DRAFT, "", context, 1)
                    )
                    self.claim_states["supplementary draft"] += 1
                    for line in held:
                        written += 1
                        yield (later, *line, claim_id, True)
            if number % 100 == 0:
                self.say(f"  claim lines: {number:,} of {len(self.pcns):,} networks, {written:,}")

    def claim_line(self, post, month, context):
        """A line of a post in a month, as workforce.actions.start_claim prefills it and
        line_for works it out: the cost from calculations.monthly_cost (the salary is what
        the cost leaves after the NI and pension pro rata), the maximum from
        calculations.monthly_maximum, what it claims from calculations.reimbursable (the
        role's share, capped at the maximum); a line with no known maximum is held, with
        the reason. A maximum depends only on the role, band, zone, hours and month when
        the post holds the whole month, so it is worked out once for those."""
        first, last = month_bounds(month)
        whole = post.start_date <= first and (post.end_date is None or post.end_date >= last)
        key = (post.role_id, post.afc_band, post.london_zone, post.weekly_hours, month)
        maximum = context.maxima.get(key) if whole else None
        if maximum is None:
            maximum = calculations.monthly_maximum(post, month, context.rows.get(post.role_id, []))
            if whole:
                context.maxima[key] = maximum
        fraction = 1 if whole else calculations.month_fraction(post, month)
        ni, pension = (
            calculations.money(annual / 12 * fraction)
            for annual in (post.annual_employer_ni, post.annual_employer_pension)
        )
        cost = calculations.monthly_cost(post, month)
        share_key = (post.role_id, month)
        if share_key not in context.shares:
            context.shares[share_key] = calculations.reimbursement_share(
                post.role, month, context.rules
            )
        amount = calculations.reimbursable(cost, maximum.amount, context.shares[share_key])
        return (
            post.pk,
            cost - ni - pension,
            ni,
            pension,
            post.weekly_hours,
            maximum.amount,
            ZERO if amount is None else amount,
            maximum.reason if maximum.amount is None else "",
        )

    def claim_outcome(self, pcn, month, status, lines, approved, context):
        """(status, lines, decision note) of a claim the seed means to give `status`, as the
        portal's rules let it be:

        - a claim whose every line is held stays a draft holding them: submit_claim refuses
          it, there is nothing to claim yet;
        - a submitted or decided claim carries only the lines with a maximum: the held
          lines move to a draft supplementary claim for the month at its submission, to be
          claimed once their maximum is known (_claim_lines writes it), so no sealed claim
          holds a line without a maximum;
        - an approval that would take what is approved on one of the network's sums past
          that sum, each sum by its own rule (2024/25's GP lines on the GP sum alone, every
          other line on the main sum), is refused by actions.check_ceiling: the approver
          rejects the claim, with the portal's reason. A network with no allocation
          recorded cannot have a claim approved: it waits, submitted."""
        counted = [line for line in lines if line[LINE_MAXIMUM] is not None]
        if not counted:
            return ClaimStatus.DRAFT, lines, ""
        if status == ClaimStatus.DRAFT:
            return status, lines, ""
        if status == ClaimStatus.REJECTED:
            return status, counted, "Hours for one post do not match the contract on file."
        if status == ClaimStatus.SUBMITTED:
            return status, counted, ""
        year = financial_year_of(month)
        sums = context.sums.get((pcn.pk, year))
        if sums is None:
            return ClaimStatus.SUBMITTED, counted, ""
        roles = context.post_roles
        this = [
            sum((line[LINE_AMOUNT] for line in counted if each.draws(roles[line[0]])), ZERO)
            for each in sums
        ]
        for each, amount in zip(sums, this, strict=True):
            before = approved[(year, each.name)]
            if amount and before + amount > each.amount:
                # The portal's own words for the refusal (actions.check_ceiling's message).
                note = actions._past_sum_message(
                    Claim(pcn=pcn, month=month), each, financial_year_label(year), before, amount
                )
                return ClaimStatus.REJECTED, counted, note
        for each, amount in zip(sums, this, strict=True):
            approved[(year, each.name)] += amount
        return ClaimStatus.APPROVED, counted, ""

    def claim_row(self, claim_id, pcn, month, status, note, context, supplement=0):
        """A claim's row: submitted some days after the month's end, decided some days
        after that; the personas' network and ICB have them as submitter and approver. A
        supplementary claim (`supplement` 1) holding lines held out of the month's claim is
        a draft."""
        rng = self.random
        last = month_bounds(month)[1]
        submitted_at = decided_at = submitted_by = decided_by = None
        if status != ClaimStatus.DRAFT:
            submitted_at = datetime.datetime(
                last.year, last.month, last.day, 10, tzinfo=context.tz
            ) + datetime.timedelta(days=rng.randint(3, 12), minutes=rng.randint(0, 480))
            submitted_by = self.manager.pk if pcn.pk == self.largest.pk else None
        if status in (ClaimStatus.APPROVED, ClaimStatus.REJECTED):
            decided_at = submitted_at + datetime.timedelta(days=rng.randint(2, 20))
            decided_by = self.approver.pk if pcn.pk in context.approver_pcns else None
        return (claim_id, pcn.pk, month, status, submitted_by, submitted_at, decided_by,
                decided_at, note, supplement, True)  # fmt: skip

    # --- services -------------------------------------------------------------------------

    def services(self):
        rng = self.random
        specifications = list(ServiceSpecification.objects.prefetch_related("requirements"))
        statuses = list(DeliveryStatus)
        weights = [1, 3, 6, 1, 1]  # not started, in progress, delivered, at risk, not delivered
        delivery_id = self.copier.next_id(ServiceDelivery)
        deliveries, progress, homes, alignments, beds = [], [], [], [], []
        home = self.copier.next_id(CareHome) - 1
        for pcn in self.pcns:
            for year in CLAIM_YEARS:
                start, end = D(year, 4, 1), D(year + 1, 3, 31)
                for spec in specifications:
                    if spec.start_date > end or (spec.end_date and spec.end_date < start):
                        continue
                    status = rng.choices(statuses, weights)[0]
                    deliveries.append(
                        (
                            delivery_id,
                            pcn.pk,
                            spec.pk,
                            year,
                            status,
                            f"Dr {next(self.names)}",
                            "",
                            D(year + 1, 3, rng.randint(1, 28)),
                            True,
                        )
                    )
                    for requirement in spec.requirements.all():
                        if (requirement.valid_from and requirement.valid_from > end) or (
                            requirement.valid_until and requirement.valid_until < start
                        ):
                            continue  # not a requirement that year
                        done = rng.choices(statuses, weights)[0]
                        progress.append(
                            (
                                delivery_id,
                                requirement.pk,
                                done,
                                "",
                                D(year + 1, 2, rng.randint(1, 28))
                                if done == DeliveryStatus.DELIVERED
                                else None,
                                True,
                            )
                        )
                    delivery_id += 1
            for _ in range(rng.randint(0, 6)):
                home += 1
                homes.append((home, f"SYN-{home:06d}", f"SYNTHETIC CARE HOME {home}", "", "",
                              rng.choice(["with_nursing", "without_nursing"]), True))  # fmt: skip
                alignments.append((home, pcn.pk, D(2020, 10, 1), f"Dr {next(self.names)}",
                                   rng.randint(1, 5), True))  # fmt: skip
                beds.append((home, pcn.pk, D(2020, 10, 1), rng.randint(15, 90), True))
        self.copier.copy(
            ServiceDelivery,
            [
                "id",
                "pcn",
                "specification",
                "financial_year",
                "status",
                "lead_name",
                "evidence_notes",
                "updated_on",
                "synthetic",
            ],
            deliveries,
        )
        self.copier.copy(
            RequirementProgress,
            ["delivery", "requirement", "status", "note", "completed_on", "synthetic"],
            progress,
        )
        self.copier.copy(
            CareHome,
            ["id", "cqc_location_id", "name", "address", "postcode", "home_type", "synthetic"],
            homes,
        )
        self.copier.copy(
            CareHomeAlignment,
            ["home", "pcn", "start_date", "clinical_lead", "round_day", "synthetic"],
            alignments,
        )
        self.copier.copy(CareHomeBeds, ["home", "pcn", "month", "beds", "synthetic"], beds)
        self.say(
            f"Service deliveries: {len(deliveries):,} with {len(progress):,} requirement "
            f"progress rows; care homes: {len(homes):,}"
        )

    # --- the audit history's record of the seed -------------------------------------------

    def record_seed(self):
        """The synthetic rows have no history event each; the seed's context (the one the
        persona assignments are recorded under) says what it wrote without one."""
        from pghistory.models import Context

        metadata = {
            "process": PROCESS,
            "synthetic_rows_without_history": dict(sorted(self.copier.counts.items())),
        }
        Context.objects.update_or_create(id=self.context.id, defaults={"metadata": metadata})


def seed_context():
    """The audit history's record of the national seed, if one ran."""
    from pghistory.models import Context

    return Context.objects.filter(metadata__process=PROCESS).first()


def synthetic_counts():
    return {m._meta.label: m.objects.filter(synthetic=True).count() for m in SYNTHETIC_MODELS}


def personas_help(targets):
    lines = [f"National data set logins (development only), password {DEMO_PASSWORD}:"]
    for username, first, last, scope, role, superuser in PERSONAS:
        if superuser:
            what = "national admin (superuser)"
        else:
            target = targets.get(username)
            what = f"{Role(role).label} of {target} ({Scope(scope).label})"
        lines.append(f"  {username:<9} {first} {last}: {what}")
    return "\n".join(lines)


def persona_targets():
    """username → the organisation each persona is assigned to, as the database has it."""
    User = get_user_model()
    targets = {}
    for user in User.objects.filter(username__in=[p[0] for p in PERSONAS]):
        assignment = user.assignments.select_related("pcn", "sub_icb_location", "icb", "region")
        first = assignment.first()
        if first:
            targets[user.username] = (
                first.pcn or first.sub_icb_location or first.icb or first.region
            )
    return targets
