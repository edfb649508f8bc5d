"""Benchmark: requests per second that gunicorn (2 workers, production settings) serves for
the busiest pages, against /healthz in the same run, on the data set in DATABASE_URL.

    python scripts/bench_throughput.py [--seconds 10] [--concurrency 8]

Prints each page's requests per second, its ratio to /healthz (the page budget asks the
network overview for at least 25 %), and writes bench-results/throughput.json, which
`make bench-load` reads for the peak it runs at. Traffic goes to 127.0.0.1 only, for a
bounded time. Figures only: nothing here fails a build.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

# bench_pages prepares Django with the benchmark's production-like settings.
from bench_pages import largest_icb, largest_network, personas  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from pcn_portal.access import Access  # noqa: E402

RESULTS = ROOT / "bench-results"


def session_cookie(user):
    """A signed-in session for the user, stored in the database gunicorn reads."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port):
    env = {**os.environ, "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "pcn_portal.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not answer /healthz within 30 s")


def hammer(port, path, cookie, seconds, concurrency):
    """Requests per second over `seconds` from `concurrency` keep-alive connections."""
    counts, errors = [0] * concurrency, [0] * concurrency
    stop = time.monotonic() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def worker(i):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counts[i] += 1
                else:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return sum(counts) / elapsed, sum(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    pcn, icb = largest_network(), largest_icb()
    users = personas(pcn, icb)
    manager = session_cookie(users[Access.NETWORK_READ])
    commissioner = session_cookie(users[Access.AREA_READ])
    pages = [
        ("/healthz", "", "health check"),
        (f"/networks/{pcn.code}/", manager, "network overview (largest network, its manager)"),
        ("/networks/", commissioner, "network list (largest ICB's viewer)"),
        (f"/networks/?icb={icb.code}", commissioner, "largest commissioner page (ICB's networks)"),
    ]
    port = free_port()
    process = serve(port)
    rows = []
    try:
        for path, cookie, what in pages:
            hammer(port, path, cookie, 1, args.concurrency)  # warm every worker
            rps, errors = hammer(port, path, cookie, args.seconds, args.concurrency)
            rows.append({"path": path, "what": what, "rps": round(rps, 1), "errors": errors})
    finally:
        process.terminate()
        process.wait(timeout=30)
    health = rows[0]["rps"]
    print(f"gunicorn, 2 workers, {args.concurrency} connections, {args.seconds:.0f} s each:")
    for row in rows:
        row["ratio"] = round(row["rps"] / health, 3) if health else None
        print(
            f"  {row['rps']:>7.1f} req/s  {row['ratio']:>6.1%} of /healthz  "
            f"{row['errors']} errors  {row['path']}  ({row['what']})"
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "throughput.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
