"""Benchmark: import the national ODS files into an empty database, then again unchanged.

Prints the time spent only reading the files, the wall time of each import, and peak
memory. Run through `make bench-import` (which gives it an empty database).
"""

import os
import resource
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")
django.setup()

from networks.models import PrimaryCareNetwork  # noqa: E402
from practices.ods import readers  # noqa: E402
from practices.ods.importer import import_files  # noqa: E402

ODS = ROOT.parent / "shared" / "data" / "ods"
FILES = [
    ODS / n
    for n in ("ePCN_2024-10.xlsx", "epraccur_2024-01.csv", "gp-reg-pat-prac-map_2025-10.csv")
]


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    if PrimaryCareNetwork.objects.exists():
        sys.exit("The benchmark needs an empty database.")
    started = time.perf_counter()
    for path in FILES:
        readers.read(path, readers.detect_kind(path))
    read = time.perf_counter() - started
    print(f"read only:          {read:6.2f} s   ({', '.join(p.name for p in FILES)})")

    started = time.perf_counter()
    first = import_files(FILES)
    cold = time.perf_counter() - started
    print(f"import from empty:  {cold:6.2f} s   {cold / read:4.1f}× read   {first.changed} rows")

    started = time.perf_counter()
    again = import_files(FILES)
    warm = time.perf_counter() - started
    print(f"import unchanged:   {warm:6.2f} s   {warm / read:4.1f}× read   {again.changed} rows")
    print(f"peak memory:        {peak_mib():6.0f} MiB")


if __name__ == "__main__":
    main()
