"""Benchmark: a load test of the site's pages as its personas, for five minutes at 80 % of
the peak `bench_throughput.py` found, against a local gunicorn (2 workers) on the data set
in DATABASE_URL; traffic to 127.0.0.1 only, bounded in time. Prints requests, errors and
p50/p95 per page; writes bench-results/load_stats.csv.

    python scripts/bench_load.py [--minutes 5] [--users 8]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_throughput import (  # noqa: E402  (sets up Django)
    RESULTS,
    free_port,
    largest_icb,
    largest_network,
    personas,
    serve,
    session_cookie,
)

from networks.models import PrimaryCareNetwork  # noqa: E402
from pcn_portal.access import Access  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--users", type=int, default=8)
    args = parser.parse_args()
    throughput = json.loads((RESULTS / "throughput.json").read_text())
    pages = [row for row in throughput if row["path"] != "/healthz"]
    peak = min(row["rps"] for row in pages)  # the mix runs no faster than its slowest page
    rate = 0.8 * peak
    pcn, icb = largest_network(), largest_icb()
    users = personas(pcn, icb)
    settings = {
        "manager": session_cookie(users[Access.NETWORK_READ]),
        "commissioner": session_cookie(users[Access.AREA_READ]),
        "network": pcn.code,
        "icb": icb.code,
        "icb_networks": list(
            PrimaryCareNetwork.objects.open()
            .filter(lead_commissioner__icb=icb)
            .values_list("code", flat=True)[:50]
        ),
        "rate_per_user": rate / args.users,
    }
    RESULTS.mkdir(exist_ok=True)
    settings_file = RESULTS / "load-settings.json"
    settings_file.write_text(json.dumps(settings))
    port = free_port()
    process = serve(port)
    print(
        f"Load: {args.users} users for {args.minutes:g} min at {rate:.1f} req/s "
        f"(80 % of the slowest page's peak, {peak:.1f} req/s), gunicorn 2 workers",
        flush=True,
    )
    try:
        subprocess.run(
            [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "scripts/locustfile.py"),
             "--headless", "-u", str(args.users), "-r", str(args.users),
             "-t", f"{int(args.minutes * 60)}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(RESULTS / "load"), "--only-summary", "--loglevel", "WARNING"],
            env={**os.environ, "BENCH_LOAD_SETTINGS": str(settings_file)},
            check=False,
            timeout=args.minutes * 60 + 120,
        )  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=30)
        settings_file.unlink(missing_ok=True)
    with open(RESULTS / "load_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    print(f"{'page':<32} {'requests':>9} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}")
    for row in rows:
        print(
            f"{row['Name']:<32} {row['Request Count']:>9} {row['Failure Count']:>7} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Requests/s']):>7.1f}"
        )


if __name__ == "__main__":
    main()
