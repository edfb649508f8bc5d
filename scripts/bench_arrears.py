"""Benchmark: a backdated change of every maximum amount of a financial year, worked out
for every network of the national data set.

Raises each maximum amount row in force in the year (2025/26 unless BENCH_ARREARS_YEAR
says otherwise) by 3% — a made-up uplift, only in the scratch copy `make bench-arrears`
makes and drops — as a national admin's load would (one backdated change per row), then
times the work-out the task worker does (workforce.arrears.work_out_pending) and, apart,
the forecasts of the networks it touched. Checks that no approved line was changed in
place and that working out again owes nothing more.
"""

import hashlib
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")
django.setup()

from django.conf import settings  # noqa: E402

settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from pcn_portal.core.dates import financial_year_bounds, financial_year_label  # noqa: E402
from pcn_portal.core.writing import writing  # noqa: E402
from workforce import arrears  # noqa: E402
from workforce.models import BackdatedChange, ClaimLine, MaximumAmount  # noqa: E402

YEAR = int(os.environ.get("BENCH_ARREARS_YEAR", 2025))
UPLIFT = Decimal("1.03")
ZONES = ("national", "outer_london", "inner_london")


def approved_fingerprint():
    """A digest of every approved line as stored: any change in place shows."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT l.id, l.maximum_amount, l.reimbursable_amount, l.salary, l.weekly_hours
            FROM workforce_claimline l JOIN workforce_claim c ON c.id = l.claim_id
            WHERE c.status = 'approved' AND NOT l.arrears ORDER BY l.id
            """
        )
        for row in cursor:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def uplift_every_row(by):
    """Every row in force in the year raised by 3%, kept as backdated changes."""
    first, last = financial_year_bounds(YEAR)
    rows = MaximumAmount.objects.filter(period_start__lte=last, unknown=False).exclude(
        period_end__lt=first
    )
    changed = 0
    with writing(by, "bench-arrears uplift"):
        for row in rows.select_related("role"):
            before = MaximumAmount.objects.get(pk=row.pk)
            for name in ZONES:
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, (value * UPLIFT).quantize(Decimal("1")))
            row.save()
            if arrears.record_row_change(before, row, by=by, how="bench-arrears"):
                changed += 1
    return changed


PHASES = {}


def timed(name):
    """Wrap a step of the work-out so that its time is printed apart."""
    step = getattr(arrears, name)

    def run(*args, **kwargs):
        started = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            PHASES[name] = PHASES.get(name, 0) + time.perf_counter() - started

    setattr(arrears, name, run)


for _step in ("read_values", "engine_for", "owed_lines", "_write_all", "rework_unclaimed"):
    timed(_step)


def main():
    by = get_user_model().objects.filter(is_superuser=True).first()
    if by is None:
        sys.exit("The benchmark needs the national data set (make run-national builds it).")
    label = financial_year_label(YEAR)
    approved = ClaimLine.objects.filter(claim__status="approved", arrears=False)
    first, last = financial_year_bounds(YEAR)
    in_year = approved.filter(claim__month__gte=first, claim__month__lte=last).count()
    print(f"approved lines in {label}: {in_year:,} (of {approved.count():,})")
    before = approved_fingerprint()
    changed = uplift_every_row(by)
    print(f"maximum amount rows raised 3%, backdated: {changed}")

    started = time.perf_counter()
    outcome = arrears.work_out_pending(by=by)
    worked = time.perf_counter() - started
    print(
        f"arrears worked out:   {worked:6.1f} s   {len(outcome.claims):,} claims, "
        f"{outcome.lines:,} lines, £{outcome.total:,.2f}; {outcome.reworked:,} draft lines "
        f"worked out again; {outcome.reduced_lines:,} reductions"
    )
    for name, seconds in PHASES.items():
        print(f"  {name:20} {seconds:6.1f} s")
    started = time.perf_counter()
    with transaction.atomic():
        touched = arrears.after_work_out(outcome, by=by)
    print(f"forecasts and e-mails: {time.perf_counter() - started:6.1f} s   {touched:,} networks")

    unchanged = approved_fingerprint() == before
    print(f"approved lines changed in place: {'none' if unchanged else 'SOME'}")
    BackdatedChange.objects.update(worked_out_at=None)
    started = time.perf_counter()
    again = arrears.work_out_pending(by=by)
    print(
        f"worked out again:     {time.perf_counter() - started:6.1f} s   "
        f"{again.lines:,} lines more (0 expected)"
    )
    if not unchanged or again.lines:
        sys.exit(1)


if __name__ == "__main__":
    main()
