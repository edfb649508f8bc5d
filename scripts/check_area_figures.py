"""Check the commissioner pages' figures against independent SQL on the data set in
DATABASE_URL (the national one: `make run-national` builds it): for England and every
ICB, the area's totals (summed over its networks, as the page does) against plain SQL
written apart from the ORM code, and coverage against the practices counted apart; then
the kept forecasts of a sample of networks against their budget pages' forecast worked
out afresh (workforce.budget.budget_position). Left, Headroom (of the main sum and of
the 2024/25 GP sum), approved, submitted and the cost awaiting maximum amounts are
checked (approved, submitted and claims waiting as of the date: from the days claims
were submitted and decided, over their lines) twice: against plain SQL, and as the sums
of the area's rows in its ARRS table. Last, the rules the whole data set keeps (issue
25's acceptance), each counted in plain SQL and each a mismatch when not 0: no held line
(no maximum) in a submitted or approved claim; no person (a StaffMember, or a
professional registration where given) funded for more than 37.5 hours a week on any
day; no network's approved lines past one of its sums, each sum by its own rule
(2024/25's GP lines on the GP sum alone, the rest on the main sum); no claim for a month
that has not ended.

    DATABASE_URL=... python scripts/check_area_figures.py [--on 2026-01-15]

Prints one line per area and each mismatch; exits 1 on any mismatch.
"""

import argparse
import datetime
import os
import sys
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "check-area-figures-only")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ.setdefault("PORTAL_URL", "http://localhost")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from networks.models import IntegratedCareBoard, PrimaryCareNetwork  # noqa: E402
from pcn_portal.areas import figures  # noqa: E402
from pcn_portal.core import dates  # noqa: E402
from pcn_portal.core.dates import financial_year_bounds, financial_year_of  # noqa: E402
from workforce import budget  # noqa: E402
from workforce.models import ARRSForecast  # noqa: E402

SAMPLE = 25  # networks whose forecast is worked out afresh

# The networks of an area open on the date, as plain SQL: %(icb)s NULL means England.
NETWORKS = """
    SELECT n.id FROM networks_primarycarenetwork n
    JOIN networks_subicblocation s ON s.id = n.lead_commissioner_id
    WHERE (%(icb)s::bigint IS NULL OR s.icb_id = %(icb)s)
      AND (n.open_date IS NULL OR n.open_date <= %(on)s)
      AND (n.close_date IS NULL OR n.close_date >= %(on)s)
"""
MEMBERS = """
    SELECT m.practice_id, m.pcn_id FROM practices_membership m
    WHERE m.in_force AND m.start_date <= %(on)s AND (m.end_date IS NULL OR m.end_date >= %(on)s)
"""
LATEST = """
    SELECT DISTINCT ON (practice_id) practice_id, registered_patients
    FROM practices_listsize WHERE extract_date <= %(on)s
    ORDER BY practice_id, extract_date DESC
"""
AREA_PRACTICES = """
    SELECT p.id FROM practices_practice p
    JOIN networks_subicblocation s ON s.id = p.commissioner_id
    WHERE (%(icb)s::bigint IS NULL OR s.icb_id = %(icb)s) AND p.prescribing_setting = 4
      AND (p.open_date IS NULL OR p.open_date <= %(on)s)
      AND (p.close_date IS NULL OR p.close_date >= %(on)s)
"""

# A claim as of the day (%(after)s: the first moment after it, London time): approved
# once decided, waiting from its submission until it is decided. Its lines are summed here,
# not the total the claim keeps (Claim.claimed_total), which the pages read.
APPROVED_BY = "c.status = 'approved' AND c.decided_at < %(after)s"
WAITING_ON = (
    "c.status <> 'draft' AND c.submitted_at < %(after)s"
    " AND (c.decided_at IS NULL OR c.decided_at >= %(after)s)"
)
# Each network's lines approved and waiting on the day for the year's months, and the part
# of each on the year's ring-fenced sum (its role's lines: GPs in 2024/25).
CLAIMED_ON = f"""
    SELECT c.pcn_id,
        sum(l.reimbursable_amount) FILTER (WHERE {APPROVED_BY}) AS approved,
        sum(l.reimbursable_amount) FILTER (WHERE {WAITING_ON}) AS submitted,
        coalesce(sum(l.reimbursable_amount)
            FILTER (WHERE {APPROVED_BY} AND r.id IS NOT NULL), 0) AS gp_approved,
        coalesce(sum(l.reimbursable_amount)
            FILTER (WHERE {WAITING_ON} AND r.id IS NOT NULL), 0) AS gp_submitted
    FROM workforce_claim c
    JOIN workforce_claimline l ON l.claim_id = c.id
    JOIN workforce_post p ON p.id = l.post_id
    LEFT JOIN workforce_ringfencedsum r
        ON r.role_id = p.role_id AND r.financial_year = %(year)s
    WHERE c.month BETWEEN %(start)s AND %(end)s
    GROUP BY c.pcn_id
"""

QUERIES = {
    "networks": f"SELECT count(*) FROM ({NETWORKS}) a",
    "population": f"""
        SELECT coalesce(sum(l.registered_patients), 0) FROM ({MEMBERS}) m
        JOIN ({LATEST}) l ON l.practice_id = m.practice_id
        WHERE m.pcn_id IN ({NETWORKS})""",
    "member_practices": f"SELECT count(*) FROM ({MEMBERS}) m WHERE m.pcn_id IN ({NETWORKS})",
    "allocation": f"""
        SELECT coalesce(sum(amount), 0) FROM workforce_arrsallocation
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    "approved": f"""
        SELECT coalesce(sum(l.reimbursable_amount), 0) FROM workforce_claimline l
        JOIN workforce_claim c ON c.id = l.claim_id
        WHERE {APPROVED_BY} AND c.month BETWEEN %(start)s AND %(end)s
          AND c.pcn_id IN ({NETWORKS})""",
    "submitted": f"""
        SELECT coalesce(sum(l.reimbursable_amount), 0) FROM workforce_claimline l
        JOIN workforce_claim c ON c.id = l.claim_id
        WHERE {WAITING_ON} AND c.month BETWEEN %(start)s AND %(end)s
          AND c.pcn_id IN ({NETWORKS})""",
    "forecast": f"""
        SELECT coalesce(sum(main_forecast), 0) FROM workforce_arrsforecast
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    # Left and headroom of the main sum (GP lines and posts count on the GP sum alone),
    # summed over the networks with an allocation recorded: a network without one has none.
    "left": f"""
        WITH claimed AS ({CLAIMED_ON})
        SELECT coalesce(sum(a.amount - coalesce(c.approved - c.gp_approved, 0)
                            - coalesce(c.submitted - c.gp_submitted, 0)), 0)
        FROM workforce_arrsallocation a LEFT JOIN claimed c ON c.pcn_id = a.pcn_id
        WHERE a.financial_year = %(year)s AND a.pcn_id IN ({NETWORKS})""",
    "headroom": f"""
        SELECT coalesce(sum(a.amount - f.main_forecast), 0)
        FROM workforce_arrsallocation a JOIN workforce_arrsforecast f
          ON f.pcn_id = a.pcn_id AND f.financial_year = a.financial_year
        WHERE a.financial_year = %(year)s AND a.pcn_id IN ({NETWORKS})""",
    "gp_left": f"""
        WITH claimed AS ({CLAIMED_ON})
        SELECT coalesce(sum(f.gp_sum - coalesce(c.gp_approved, 0) - coalesce(c.gp_submitted, 0)), 0)
        FROM workforce_arrsforecast f LEFT JOIN claimed c ON c.pcn_id = f.pcn_id
        WHERE f.financial_year = %(year)s AND f.pcn_id IN ({NETWORKS})""",
    "gp_headroom": f"""
        SELECT coalesce(sum(gp_sum - (forecast - main_forecast)), 0)
        FROM workforce_arrsforecast
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    "awaiting": f"""
        SELECT coalesce(sum(awaiting), 0) FROM workforce_arrsforecast
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    "claims_waiting": f"""
        SELECT count(*) FROM workforce_claim c WHERE {WAITING_ON}
          AND c.pcn_id IN ({NETWORKS})""",
    "arrs_hours": f"""
        SELECT coalesce(sum(terms.weekly_hours), 0) FROM workforce_post p
        CROSS JOIN LATERAL (
          SELECT weekly_hours, arrs_funded FROM (
            SELECT p.weekly_hours, p.arrs_funded, p.start_date AS first_day
            UNION ALL
            SELECT t.weekly_hours, t.arrs_funded, t.first_day FROM workforce_postterms t
            WHERE t.post_id = p.id AND t.first_day > p.start_date
          ) periods WHERE first_day <= %(on)s ORDER BY first_day DESC LIMIT 1
        ) terms
        WHERE terms.arrs_funded AND p.start_date <= %(on)s
          AND (p.end_date IS NULL OR p.end_date >= %(on)s) AND p.pcn_id IN ({NETWORKS})""",
    "care_homes": f"""
        SELECT count(*) FROM services_carehomealignment
        WHERE start_date <= %(on)s AND (end_date IS NULL OR end_date >= %(on)s)
          AND pcn_id IN ({NETWORKS})""",
    "beds": f"""
        SELECT coalesce(sum((
          SELECT b.beds FROM services_carehomebeds b
          WHERE b.home_id = a.home_id AND b.month <= %(on)s ORDER BY b.month DESC LIMIT 1
        )), 0) FROM services_carehomealignment a
        WHERE a.start_date <= %(on)s AND (a.end_date IS NULL OR a.end_date >= %(on)s)
          AND a.pcn_id IN ({NETWORKS})""",
    "without_director": f"""
        SELECT count(*) FROM ({NETWORKS}) n WHERE NOT EXISTS (
          SELECT 1 FROM networks_clinicaldirector d WHERE d.pcn_id = n.id
            AND d.start_date <= %(on)s AND (d.end_date IS NULL OR d.end_date >= %(on)s))""",
    **{
        f"footprint.{band}": f"""
        SELECT count(*) FROM ({NETWORKS}) n LEFT JOIN (
          SELECT m.pcn_id, sum(l.registered_patients) AS patients FROM ({MEMBERS}) m
          JOIN ({LATEST}) l ON l.practice_id = m.practice_id GROUP BY m.pcn_id
        ) p ON p.pcn_id = n.id WHERE {condition}"""
        for band, condition in {
            # DOMAIN.md §1.2: 30,000 to 50,000 registered patients.
            "below": "p.patients < 30000",
            "within": "p.patients BETWEEN 30000 AND 50000",
            "above": "p.patients > 50000",
            "unknown": "p.patients IS NULL",
        }.items()
    },
    "coverage.practices": f"SELECT count(*) FROM ({AREA_PRACTICES}) p",
    "coverage.in_network": f"""
        SELECT count(*) FROM ({AREA_PRACTICES}) p
        WHERE p.id IN (SELECT practice_id FROM ({MEMBERS}) m)""",
    "coverage.patients": f"""
        SELECT coalesce(sum(l.registered_patients), 0) FROM ({LATEST}) l
        WHERE l.practice_id IN ({AREA_PRACTICES})""",
    "coverage.patients_covered": f"""
        SELECT coalesce(sum(l.registered_patients), 0) FROM ({LATEST}) l
        WHERE l.practice_id IN ({AREA_PRACTICES})
          AND l.practice_id IN (SELECT practice_id FROM ({MEMBERS}) m)""",
}


# --- the rules the data set obeys (issue 25's acceptance), over all of it -----------------
# Plain SQL, written apart from the ORM and the rule functions it checks.

# A person's ARRS-funded hours on each day one of their posts starts (the hours can only
# rise on such a day), the person being %(person)s: a StaffMember, or a professional
# registration read as its number (capitals and digits, a register's name in front off).
REGISTRATION = """regexp_replace(regexp_replace(upper(s.professional_registration),
    '[^A-Z0-9]', '', 'g'), '^(GPHC|GMC|NMC|HCPC)(?=.)', '')"""
FUNDED = """
    SELECT p.start_date, p.end_date, p.weekly_hours, {person} AS person
    FROM workforce_post p JOIN workforce_staffmember s ON s.id = p.staff_member_id
    WHERE p.arrs_funded {where}
"""
OVER_FULL_TIME = """
    WITH funded AS ({funded}),
    days AS (SELECT DISTINCT person, start_date AS day FROM funded)
    SELECT count(DISTINCT person) FROM (
        SELECT d.person FROM days d JOIN funded f ON f.person = d.person
          AND f.start_date <= d.day AND (f.end_date IS NULL OR f.end_date >= d.day)
        GROUP BY d.person, d.day HAVING sum(f.weekly_hours) > 37.5
    ) over_on_a_day
"""
# The lines of approved claims on each of a network's sums for a year, each sum by its own
# rule: a role with a ring-fenced sum that year (the 2024/25 GP sum) draws on it alone.
PAST_A_SUM = """
    WITH approved AS (
        SELECT c.pcn_id, extract(year FROM c.month - interval '3 months')::int AS year,
               r.id AS ring_fenced_id, sum(l.reimbursable_amount) AS total
        FROM workforce_claimline l
        JOIN workforce_claim c ON c.id = l.claim_id
        JOIN workforce_post p ON p.id = l.post_id
        LEFT JOIN workforce_ringfencedsum r
          ON r.role_id = p.role_id
         AND r.financial_year = extract(year FROM c.month - interval '3 months')::int
        WHERE c.status = 'approved'
        GROUP BY 1, 2, 3
    )
    SELECT count(*) FROM approved x
    LEFT JOIN workforce_arrsallocation a ON a.pcn_id = x.pcn_id AND a.financial_year = x.year
    LEFT JOIN workforce_ringfencedsum r ON r.id = x.ring_fenced_id
    WHERE a.id IS NULL
       OR (r.id IS NULL AND x.total > a.amount)
       OR (r.id IS NOT NULL
           AND x.total > round(a.weighted_population * r.pounds_per_weighted_patient, 2))
"""
RULES = {
    "held lines in submitted or approved claims": """
        SELECT count(*) FROM workforce_claimline l JOIN workforce_claim c ON c.id = l.claim_id
        WHERE c.status IN ('submitted', 'approved') AND l.maximum_amount IS NULL""",
    "people funded over 37.5 hours a week (StaffMember)": OVER_FULL_TIME.format(
        funded=FUNDED.format(person="s.id::text", where="")
    ),
    "people funded over 37.5 hours a week (registration)": OVER_FULL_TIME.format(
        funded=FUNDED.format(person=REGISTRATION, where="AND s.professional_registration <> ''")
    ),
    "network-years approved past a sum (GP lines on the GP sum alone)": PAST_A_SUM,
    "claims for a month not ended": """
        SELECT count(*) FROM workforce_claim
        WHERE month + interval '1 month' > %(today)s""",
}


def rules_kept(today):
    """{check: count} of the data set's rows that break a rule the portal keeps."""
    found = {}
    with connection.cursor() as cursor:
        for name, sql in RULES.items():
            cursor.execute(sql, {"today": today})
            found[name] = cursor.fetchone()[0]
    return found


def independent(icb, on):
    year = financial_year_of(on)
    start, end = financial_year_bounds(year)
    params = {"icb": icb.pk if icb else None, "on": on, "year": year}
    after = datetime.datetime.combine(
        on + datetime.timedelta(days=1), datetime.time.min, tzinfo=ZoneInfo("Europe/London")
    )
    params.update({"start": start, "end": end, "after": after})
    found = {}
    with connection.cursor() as cursor:
        for name, sql in QUERIES.items():
            cursor.execute(sql, params)
            found[name] = cursor.fetchone()[0]
    return found


def portal(user, area, on):
    found = figures.overview(user, area, on)
    s, c = found.summary, found.coverage
    return {
        "networks": s.networks,
        "population": s.population,
        "member_practices": s.member_practices,
        "allocation": s.allocation,
        "approved": s.approved,
        "submitted": s.submitted,
        "forecast": s.forecast,
        "left": s.left,
        "headroom": s.headroom,
        "gp_left": s.gp_left,
        "gp_headroom": s.gp_headroom,
        "awaiting": s.awaiting,
        "claims_waiting": s.claims_waiting,
        "arrs_hours": s.arrs_hours,
        "care_homes": s.care_homes,
        "beds": s.beds,
        "without_director": s.without_director,
        "footprint.below": s.below,
        "footprint.within": s.within,
        "footprint.above": s.above,
        "footprint.unknown": s.unknown,
        "coverage.practices": c.practices,
        "coverage.in_network": c.in_network,
        "coverage.patients": c.patients,
        "coverage.patients_covered": c.patients_covered,
    }


# The totals an area shows that must be the sums of its networks' rows as its ARRS table
# reads them (pcn_portal.areas.figures.network_figures).
ROW_TOTALS = ("approved", "submitted", "left", "headroom", "gp_left", "gp_headroom", "awaiting")


def rows_summed(user, area, on):
    """Each of ROW_TOTALS summed over the area's networks' rows (None counts nothing)."""
    rows = figures.network_figures(figures.networks_in(user, area), on, only=ROW_TOTALS)
    totals = dict.fromkeys(ROW_TOTALS, Decimal("0"))
    for values in rows.values_list(*ROW_TOTALS):
        for name, value in zip(ROW_TOTALS, values, strict=True):
            totals[name] += value or 0
    return totals


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", type=datetime.date.fromisoformat, default=datetime.date.today())
    on = parser.parse_args().on
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None or not PrimaryCareNetwork.objects.exists():
        sys.exit("Build the data set first (a national admin and networks are needed).")
    areas = [(figures.ENGLAND, None)] + [(icb, icb) for icb in IntegratedCareBoard.objects.all()]
    mismatches = 0
    for area, icb in areas:
        mine, theirs = portal(user, area, on), independent(icb, on)
        wrong = {k: (mine[k], theirs[k]) for k in mine if Decimal(mine[k]) != Decimal(theirs[k])}
        for name, total in rows_summed(user, area, on).items():
            if Decimal(mine[name]) != total:
                wrong[f"{name} (sum of rows)"] = (mine[name], total)
        mismatches += len(wrong)
        print(
            f"{area.code:8} networks {mine['networks']:>5} population {mine['population']:>11,} "
            f"allocation £{mine['allocation']:>16,.2f} {wrong or 'OK'}",
            flush=True,
        )
    year = financial_year_of(on)
    kept = dict(
        ARRSForecast.objects.filter(financial_year=year).values_list("pcn_id", "main_forecast")
    )
    sample = PrimaryCareNetwork.objects.open(on).order_by("?")[:SAMPLE]
    for pcn in sample:
        fresh = budget.budget_position(pcn, year).main_forecast
        if kept.get(pcn.pk) != fresh:
            mismatches += 1
            print(f"{pcn.code}: forecast kept {kept.get(pcn.pk)}, worked out afresh {fresh}")
    print(f"{len(sample)} networks' kept forecasts for {year} worked out afresh and compared.")
    for name, count in rules_kept(dates.today()).items():
        mismatches += count
        print(f"{name}: {count:,}")
    print(f"{len(areas)} areas on {on}, {mismatches} mismatches.")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
