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
from pcn_portal.core.dates import ONE_DAY, month_bounds
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
from workforce import calculations
from workforce.models import (
    AllocationRate,
    ARRSAllocation,
    ARRSRole,
    Claim,
    ClaimLine,
    ClaimStatus,
    EmployerType,
    LondonZone,
    MaximumAmount,
    Post,
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


def claim_months():
    count = (LAST_MONTH.year - FIRST_MONTH.year) * 12 + LAST_MONTH.month - FIRST_MONTH.month + 1
    return months(FIRST_MONTH, count)


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
            with pgtrigger.ignore(*history_triggers(SYNTHETIC_MODELS)):
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
                hours = min(max((fte * 150).to_integral_value() / 4, Decimal("1")), Decimal(75))
                start, end = self.post_dates(role, rng)
                band = (
                    rng.choice(["5", "6", "7"])
                    if code == "mental-health-practitioner"
                    else (self.band_of(role))
                )
                annual = bases[(role.pk, zone)] * Decimal(rng.uniform(0.85, 1.02))
                annual *= calculations.wte(hours)
                salary = (annual / Decimal("1.28")).quantize(Decimal("0.01"))
                oncost = (salary * Decimal("0.14")).quantize(Decimal("0.01"))
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
                )
                self.posts.append(post)
                self.role_mix[code] += 1
                staff_id += 1
                post_id += 1
        fields = ["id", "pcn_id", "staff_member_id", "role_id", "employer_type",
                  "employer_practice_id", "employer_name", "start_date", "end_date",
                  "weekly_hours", "afc_band", "annual_salary", "annual_employer_ni",
                  "annual_employer_pension", "london_zone", "arrs_funded", "synthetic"]  # fmt: skip
        self.copier.copy(
            StaffMember, ["id", "pcn", "full_name", "professional_registration", "synthetic"], staff
        )
        self.copier.copy(
            Post,
            [f.removesuffix("_id") for f in fields],
            ([getattr(p, f) for f in fields] for p in self.posts),
        )
        self.say(f"ARRS posts: {len(self.posts):,} in {len(self.role_mix)} roles")

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
        """A claim for every network and month, then its lines: one per ARRS post in place
        that month, costs pro rata from the post's salary, NI and pension (as
        workforce.actions.start_claim estimates them), the maximum from
        calculations.monthly_maximum and the reimbursable amount from
        calculations.reimbursable, as workforce.actions.line_for works them out."""
        rng = self.random
        all_months = claim_months()
        tz = timezone.get_current_timezone()
        approver_pcns = set(
            PrimaryCareNetwork.objects.filter(
                pk__in=self.pcn_ids, lead_commissioner__icb=self.approver_icb
            ).values_list("pk", flat=True)
        )
        claim_id = self.copier.next_id(Claim)
        claims, ids, states = [], {}, Counter()
        for pcn in self.pcns:
            for index, month in enumerate(all_months):
                last = month_bounds(month)[1]
                status = self.claim_status(index, len(all_months), rng)
                states[status] += 1
                submitted_at = decided_at = submitted_by = decided_by = None
                if status != ClaimStatus.DRAFT:
                    submitted_at = datetime.datetime(
                        last.year, last.month, last.day, 10, tzinfo=tz
                    ) + datetime.timedelta(days=rng.randint(3, 12), minutes=rng.randint(0, 480))
                    submitted_by = self.manager.pk if pcn.pk == self.largest.pk else None
                if status in (ClaimStatus.APPROVED, ClaimStatus.REJECTED):
                    decided_at = submitted_at + datetime.timedelta(days=rng.randint(2, 20))
                    decided_by = self.approver.pk if pcn.pk in approver_pcns else None
                note = (
                    "Hours for one post do not match the contract on file."
                    if status == ClaimStatus.REJECTED
                    else ""
                )
                claims.append(
                    (
                        claim_id,
                        pcn.pk,
                        month,
                        status,
                        submitted_by,
                        submitted_at,
                        decided_by,
                        decided_at,
                        note,
                        True,
                    )
                )
                ids[(pcn.pk, month)] = claim_id
                claim_id += 1
        # Every claim is written as a draft, its lines added, and only then given its
        # status: the database takes no line into a submitted or approved claim.
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
                "synthetic",
            ],
            ((*claim[:3], ClaimStatus.DRAFT, *claim[4:]) for claim in claims),
        )
        self.say(
            f"Claims: {len(claims):,} over {len(all_months)} months "
            f"({', '.join(f'{n:,} {s}' for s, n in states.most_common())}); writing lines"
        )
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
                "synthetic",
            ],
            self.claim_lines(ids, all_months),
        )
        self.say(f"Claim lines: {n:,}")
        self.give_claims_their_status(claims)

    def give_claims_their_status(self, claims):
        """Move each claim from draft to its status, once its lines are in."""
        decided = [claim for claim in claims if claim[3] != ClaimStatus.DRAFT]
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE workforce_claim SET status = given.status "
                "FROM unnest(%s::bigint[], %s::text[]) AS given (id, status) "
                "WHERE workforce_claim.id = given.id",
                [[claim[0] for claim in decided], [str(claim[3]) for claim in decided]],
            )

    def claim_lines(self, ids, all_months):
        """The lines, as a generator feeding COPY: everything it needs from the database is
        read here, before the generator starts (no query can run during a COPY)."""
        rules = calculations.share_rules()
        window_end = month_bounds(all_months[-1])[1]
        # Each role's maximum amount rows over the whole window; monthly_maximum chooses
        # those for a post's band and month, as for a line made in the portal.
        rows_cache = calculations.maximum_rows_by_role(all_months[0], window_end)
        by_pcn = defaultdict(list)
        for post in self.posts:
            by_pcn[post.pcn_id].append(post)
        return self._claim_lines(ids, all_months, rules, rows_cache, by_pcn)

    def _claim_lines(self, ids, all_months, rules, rows_cache, by_pcn):
        maxima, shares = {}, {}
        written = 0
        for number, pcn in enumerate(self.pcns, 1):
            for month in all_months:
                first, last = month_bounds(month)
                claim_id = ids[(pcn.pk, month)]
                for post in by_pcn.get(pcn.pk, ()):
                    if post.start_date > last or (post.end_date and post.end_date < first):
                        continue
                    whole = post.start_date <= first and (
                        post.end_date is None or post.end_date >= last
                    )
                    key = (post.role_id, post.afc_band, post.london_zone, post.weekly_hours, month)
                    if whole and key in maxima:
                        maximum = maxima[key]
                    else:
                        maximum = calculations.monthly_maximum(
                            post, month, rows_cache.get(post.role_id, [])
                        ).amount
                        if whole:
                            maxima[key] = maximum
                    fraction = 1 if whole else calculations.month_fraction(post, month)
                    salary, ni, pension = (
                        calculations.money(annual / 12 * fraction)
                        for annual in (
                            post.annual_salary,
                            post.annual_employer_ni,
                            post.annual_employer_pension,
                        )
                    )
                    share_key = (post.role_id, month)
                    if share_key not in shares:
                        shares[share_key] = calculations.reimbursement_share(
                            post.role, month, rules
                        )
                    amount = calculations.reimbursable(
                        salary + ni + pension, maximum, shares[share_key]
                    )
                    written += 1
                    yield (
                        claim_id,
                        post.pk,
                        salary,
                        ni,
                        pension,
                        post.weekly_hours,
                        maximum,
                        Decimal("0.00") if amount is None else amount,
                        True,
                    )
            if number % 100 == 0:
                self.say(f"  claim lines: {number:,} of {len(self.pcns):,} networks, {written:,}")

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
