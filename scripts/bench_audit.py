"""Benchmark: the admin's audit history pages with national-scale history behind them.

Imports the national ODS files (their 17,471 rows leave real history), then adds
synthetic claim-line history — by default 2,000,000 events, about what 40,000 ARRS posts
claimed monthly for four years leave — spread over four years, and times the pages a
national admin opens. The synthetic rows exist only in the scratch database `make
bench-audit` creates and drops. Set BENCH_AUDIT_EVENTS to change the number.
"""

import os
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")
django.setup()

from bench_import import FILES  # noqa: E402  (the national files, as bench-import reads them)
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from networks.models import PrimaryCareNetwork  # noqa: E402
from practices.ods.importer import import_files  # noqa: E402

EVENTS = int(os.environ.get("BENCH_AUDIT_EVENTS", 2_000_000))


def add_claim_line_history(count):
    """`count` claim-line insert events, one a minute going back from now."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO workforce_claimlineevent
                (pgh_created_at, pgh_label, id, salary, employer_ni, employer_pension,
                 weekly_hours, maximum_amount, reimbursable_amount, claim_id, post_id,
                 pgh_obj_id, synthetic)
            SELECT now() - make_interval(mins => g), 'insert', g, 3750, 458, 542,
                   37.5, 5000, 4750, 1, 1, g, TRUE
            FROM generate_series(1, %s) AS g
            """,
            [count],
        )
        cursor.execute("ANALYZE workforce_claimlineevent")


def main():
    if PrimaryCareNetwork.objects.exists():
        sys.exit("The benchmark needs an empty database.")
    started = time.perf_counter()
    import_files(FILES)
    add_claim_line_history(EVENTS)
    print(f"set-up:          {time.perf_counter() - started:6.1f} s   (import + {EVENTS:,} events)")

    settings.ALLOWED_HOSTS = ["*"]
    admin = get_user_model().objects.create_superuser("bench", password=None)
    client = Client()
    client.force_login(admin)
    changes = reverse("admin:pghistory_middlewareevents_changelist")
    pcn = PrimaryCareNetwork.objects.get(code="U89141")
    one = {"method": "tracks", "obj": f"networks.PrimaryCareNetwork:{pcn.pk}"}
    pages = [
        ("all changes, page 1", {}),
        ("all changes, page 50", {"p": 50}),
        ("only updates", {"label": "update"}),
        ("claim lines' history", {"model": "workforce.ClaimLine"}),
        ("networks' history", {"model": "networks.PrimaryCareNetwork"}),
        ("one network's history", one),
    ]
    for name, query in pages:
        started = time.perf_counter()
        response = client.get(changes, query, secure=True)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (name, response.status_code)
        print(f"{name + ':':<24}{elapsed:6.2f} s")


if __name__ == "__main__":
    main()
