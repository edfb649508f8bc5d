"""Benchmark: every add form of a network's pages, and the claim start, sent many times at
the same moment by two users, on the data set in DATABASE_URL, against gunicorn.

    python scripts/bench_races.py [--copies 10] [--rounds 1]

The largest network's manager and a national admin (the benchmark's own users), each in
their own HTTP session, send --copies submissions of each form at once (threads released
together), alternately: identical ones (one form: the same one-time token and values, as a
double click sends them), where one record is expected, and different ones (a form each),
where one record each is expected, or one in all where they are for the same thing (the
claim for one month, one care home, one practice joining; the others are refused in the
product's words). The cases are tests/races.py's, which the race tests run too.

Prints, for each form and kind: the records expected and made, how many were lost and
doubled, the server errors (5xx), the refusals and any other answer; exits 1 when any
record is lost or doubled, or any answer is a server error or neither a save nor a
refusal. Traffic goes to 127.0.0.1 only.
"""

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

# bench_pages prepares Django with the benchmark's production-like settings.
from bench_pages import bench_admin, bench_user, largest_network  # noqa: E402
from bench_throughput import free_port  # noqa: E402

from tests.races import BUILDERS, Browser, RaceWorld, send  # noqa: E402

COLUMNS = ("Form", "Sent as", "Expected", "Made", "Lost", "Doubled", "5xx", "Refused", "Other")


def serve(port, media):
    """gunicorn with enough threads to take every copy at once."""
    env = {**os.environ, "MEDIA_ROOT": media, "CONN_MAX_AGE": "0"}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "pcn_portal.wsgi", "--workers", "2",
         "--threads", "12", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
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


def row(outcome):
    return (
        outcome.case.name,
        "identical" if outcome.identical else "different",
        outcome.expected,
        outcome.made,
        outcome.lost,
        outcome.doubled,
        outcome.count("5xx"),
        outcome.count("refused"),
        len(outcome.unclear),
    )


def table(rows):
    widths = [max(len(str(r[i])) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    lines = []
    for r in (COLUMNS, *rows):
        cells = [
            str(v).ljust(w) if i < 2 else str(v).rjust(w)
            for i, (v, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells))
        if r is COLUMNS:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=int(os.environ.get("BENCH_RACES_N", 10)))
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    pcn = largest_network()
    manager = bench_user("bench-manager", scope="pcn", role="editor", organisation=pcn)
    world = RaceWorld(pcn, manager)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-races-media-") as media:
        server = serve(port, media)
        try:
            base = f"http://127.0.0.1:{port}"
            browsers = [Browser(base, manager), Browser(base, bench_admin())]
            print(
                f"{pcn.display_name} ({pcn.code}): {args.copies} copies of each form at once, "
                f"as its manager and a national admin, {args.rounds} round(s)\n"
            )
            outcomes = []
            for _ in range(args.rounds):
                for build in BUILDERS.values():
                    for identical in (True, False):
                        case = build(world)
                        outcomes.append(
                            send(case, browsers, world.base, identical=identical, n=args.copies)
                        )
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = [row(o) for o in outcomes]
    print(table(rows))
    failed = [r for r in rows if any(r[i] for i in (4, 5, 6, 8))]
    print(
        f"\n{len(rows)} runs: {sum(r[4] for r in rows)} lost, {sum(r[5] for r in rows)} "
        f"doubled, {sum(r[6] for r in rows)} server errors, {sum(r[8] for r in rows)} other "
        "answers."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
