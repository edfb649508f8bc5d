"""Benchmark: peak memory of a table's CSV and XLSX downloads, at two sizes.

Adds practices (200,000 by default, more than England has, so the figures hold for any
list the portal shows) to the scratch database `make bench-tables` creates and drops,
declares a table over them as a page would, and reads each download to the end as a
server sends it. Prints the time and the peak of Python's memory during each download,
first for a tenth of the rows, then for all: a download in constant memory has about the
same peak for both. Set BENCH_TABLES_ROWS to change the number.
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from networks.models import IntegratedCareBoard, Region, SubICBLocation  # noqa: E402
from pcn_portal.core.tables import Column, Table  # noqa: E402
from practices.models import Practice  # noqa: E402

ROWS = int(os.environ.get("BENCH_TABLES_ROWS", 200_000))


class PracticeTable(Table):
    code = Column("ODS code", sort="code")
    name = Column("Name", sort="name")
    postcode = Column("Postcode")
    commissioner = Column("Commissioner", "commissioner.name")
    opened = Column("Opened", "open_date", sort="open_date")
    status = Column("Status", "get_status_display")

    filename = "practices"


def add_practices(count):
    region = Region.objects.create(code="Y99", name="BENCH REGION")
    icb = IntegratedCareBoard.objects.create(code="QZZ", name="BENCH ICB", region=region)
    commissioner = SubICBLocation.objects.create(code="ZZZ", name="BENCH SUB-ICB", icb=icb)
    with connection.cursor() as cursor:
        # Without the audit history's triggers: the rows are for reading, and recording
        # their insertion would take most of the set-up.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO practices_practice
                (code, name, ons_code, postcode, address_line_1, address_line_2,
                 address_line_3, address_line_4, address_line_5, phone, status,
                 prescribing_setting, open_date, commissioner_id)
            SELECT chr(65 + g / 100000) || lpad((g %% 100000)::text, 5, '0'),
                   '=BENCH SURGERY ' || g, '', 'ZZ1 1ZZ', '', '', '', '', '', '', 'A', 4,
                   date '2000-01-01' + (g %% 9000), %s
            FROM generate_series(0, %s - 1) AS g
            """,
            [commissioner.pk, count],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE practices_practice")


def download(fmt, rows):
    """Read the download of the first `rows` practices to the end; its size in bytes."""
    request = RequestFactory().get("/", {"format": fmt})
    first = Practice.objects.order_by("pk").values_list("pk", flat=True)[0]
    queryset = Practice.objects.filter(pk__lt=first + rows).select_related("commissioner")
    response = PracticeTable(request, queryset).download()
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return size


def measure(fmt, rows):
    """The time of one download, then the peak of Python's memory during another (tracing
    every allocation slows it down several times, so it is not timed)."""
    started = time.perf_counter()
    size = download(fmt, rows)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    download(fmt, rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{fmt.upper():<4} {rows:>9,} rows  {elapsed:6.1f} s  {size / 2**20:6.1f} MiB file  "
        f"peak Python memory {peak / 2**20:5.1f} MiB"
    )


def main():
    if Practice.objects.exists():
        sys.exit("The benchmark needs an empty database.")
    started = time.perf_counter()
    add_practices(ROWS)
    print(f"set-up: {time.perf_counter() - started:.1f} s ({ROWS:,} practices)")
    for fmt in ("csv", "xlsx"):
        for rows in (ROWS // 10, ROWS):
            measure(fmt, rows)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory over the whole run: {maxrss:.0f} MiB")


if __name__ == "__main__":
    main()
