"""Check the commissioner pages' figures against independent SQL on the data set in
DATABASE_URL (the national one: `make run-national` builds it): for England and every
ICB, the area's totals (summed over its networks, as the page does) against plain SQL
written apart from the ORM code, and coverage against the practices counted apart; then
the kept forecasts of a sample of networks against their budget pages' forecast worked
out afresh (workforce.budget.budget_position). Left, Headroom (of the main sum and of the
2024/25 GP sum), approved, submitted and the cost awaiting maximum amounts are checked
twice: against plain SQL, and as the sums of the area's rows in its ARRS table.

    DATABASE_URL=... python scripts/check_area_figures.py [--on 2026-01-15]

Prints one line per area and each mismatch; exits 1 on any mismatch.
"""

import argparse
import datetime
import os
import sys
from decimal import Decimal
from pathlib import Path

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
        WHERE c.status = 'approved' AND c.month BETWEEN %(start)s AND %(end)s
          AND c.pcn_id IN ({NETWORKS})""",
    "submitted": f"""
        SELECT coalesce(sum(l.reimbursable_amount), 0) FROM workforce_claimline l
        JOIN workforce_claim c ON c.id = l.claim_id
        WHERE c.status = 'submitted' AND c.month BETWEEN %(start)s AND %(end)s
          AND c.pcn_id IN ({NETWORKS})""",
    "forecast": f"""
        SELECT coalesce(sum(main_forecast), 0) FROM workforce_arrsforecast
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    # Left and headroom of the main sum (GP lines and posts count on the GP sum alone),
    # summed over the networks with an allocation recorded: a network without one has none.
    "left": f"""
        SELECT coalesce(sum(a.amount - (f.approved - f.gp_approved)
                            - (f.submitted - f.gp_submitted)), 0)
        FROM workforce_arrsallocation a JOIN workforce_arrsforecast f
          ON f.pcn_id = a.pcn_id AND f.financial_year = a.financial_year
        WHERE a.financial_year = %(year)s AND a.pcn_id IN ({NETWORKS})""",
    "headroom": f"""
        SELECT coalesce(sum(a.amount - f.main_forecast), 0)
        FROM workforce_arrsallocation a JOIN workforce_arrsforecast f
          ON f.pcn_id = a.pcn_id AND f.financial_year = a.financial_year
        WHERE a.financial_year = %(year)s AND a.pcn_id IN ({NETWORKS})""",
    "gp_left": f"""
        SELECT coalesce(sum(gp_sum - gp_approved - gp_submitted), 0)
        FROM workforce_arrsforecast
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    "gp_headroom": f"""
        SELECT coalesce(sum(gp_sum - (forecast - main_forecast)), 0)
        FROM workforce_arrsforecast
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    "awaiting": f"""
        SELECT coalesce(sum(awaiting), 0) FROM workforce_arrsforecast
        WHERE financial_year = %(year)s AND pcn_id IN ({NETWORKS})""",
    "claims_waiting": f"""
        SELECT count(*) FROM workforce_claim WHERE status = 'submitted'
          AND pcn_id IN ({NETWORKS})""",
    "arrs_hours": f"""
        SELECT coalesce(sum(weekly_hours), 0) FROM workforce_post
        WHERE arrs_funded AND start_date <= %(on)s AND (end_date IS NULL OR end_date >= %(on)s)
          AND pcn_id IN ({NETWORKS})""",
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


def independent(icb, on):
    year = financial_year_of(on)
    start, end = financial_year_bounds(year)
    params = {"icb": icb.pk if icb else None, "on": on, "year": year}
    params.update({"start": start, "end": end})
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
    print(f"{len(areas)} areas on {on}, {mismatches} mismatches.")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
