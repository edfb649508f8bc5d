"""Benchmark: every page of the site, as the persona it is for, on the data set in
DATABASE_URL.

Every URL pattern is found from the URL conf with its declared access
(pcn_portal/access.py), so pages added later are measured without editing this script.
Each is requested as a representative persona — the manager of the largest network, a
viewer or approver of the largest ICB, a national admin, or nobody for public pages — with
real codes from the data: the number of queries of one request, and the server time
(Django's test client, in process) p50 and p95 over repeated requests.

    python scripts/bench_pages.py --label national [--repeat 10] [--only networks]
    python scripts/bench_pages.py --label national-2025-06-01 --only areas --on 2025-06-01
    python scripts/bench_pages.py --compare demo national

The first writes bench-results/pages-<label>.json; the second prints the two side by
side and marks N+1 where a page's query count differs between the data sets. Figures
only: nothing here fails a build.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import django
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not apps.ready:  # run as a script; a test importing the personas has its own settings
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-pages-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("PORTAL_URL", "http://127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from networks.actions import assign  # noqa: E402
from networks.models import IntegratedCareBoard, PrimaryCareNetwork  # noqa: E402
from pcn_portal.access import Access, site_patterns  # noqa: E402
from pcn_portal.areas.figures import ENGLAND_CODE  # noqa: E402
from pcn_portal.core.dates import financial_year_of, today  # noqa: E402

RESULTS = ROOT / "bench-results"
BUDGET_QUERIES = 12
BUDGET_P95_MS = 100


def largest_network():
    return (
        PrimaryCareNetwork.objects.open()
        .annotate(n=Count("memberships"))
        .order_by("-n", "code")
        .first()
    )


def largest_icb():
    return (
        IntegratedCareBoard.objects.annotate(n=Count("sub_icb_locations__pcns"))
        .order_by("-n", "code")
        .first()
    )


def bench_user(username, **assignment):
    """A user of the benchmark's own (never a real person's account)."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username, defaults={"first_name": "Bench", "last_name": username}
    )
    if assignment and not user.assignments.exists():
        admin = bench_admin()
        assign(user=user, by=admin, **assignment)
    return user


def bench_admin():
    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", password=None)
    return admin


def personas(pcn, icb):
    return {
        Access.PUBLIC: None,
        Access.ANY_LOGIN: bench_user("bench-icb", scope="icb", role="viewer", organisation=icb),
        Access.NETWORK_READ: bench_user(
            "bench-manager", scope="pcn", role="editor", organisation=pcn
        ),
        Access.NETWORK_WRITE: bench_user(
            "bench-manager", scope="pcn", role="editor", organisation=pcn
        ),
        Access.AREA_READ: bench_user("bench-icb", scope="icb", role="viewer", organisation=icb),
        Access.APPROVER: bench_user(
            "bench-approver", scope="icb", role="approver", organisation=icb
        ),
        Access.AREA_APPROVER: bench_user(
            "bench-approver", scope="icb", role="approver", organisation=icb
        ),
        Access.NATIONAL_ADMIN: bench_admin(),
    }


def arguments(pattern, pcn, icb):
    """Real values for the URL's arguments: the largest network and ICB, and for admin
    pages the first record of the model the page is for."""
    values = {
        "reason": "inactive",
        "url": "no-such-page/",
        "app_label": "networks",
        "path": "no-such-address/",
    }
    values["token"] = "no-such-upload-token"
    values["year"] = financial_year_of(today())
    if pattern.access in (
        Access.NETWORK_READ,
        Access.NETWORK_WRITE,
        Access.APPROVER,
    ):
        values["code"] = pcn.code
        values.update(network_record_arguments(pattern, pcn))
        # ARRS pages: the network's latest claim (a submitted one for the decision page)
        # and its first post.
        claims = pcn.claims.order_by("-month")
        if pattern.access == Access.APPROVER:
            claims = claims.filter(status="submitted")
        claim = claims.first()
        values["month"] = f"{claim.month:%Y-%m}" if claim else "2025-04"
        post = pcn.posts.order_by("pk").first()
        values["post_id"] = post.pk if post else 1
        values.update(services_arguments(pcn))
    elif pattern.access in (Access.AREA_READ, Access.AREA_APPROVER):
        values["code"] = icb.code
        # A network of the area, for its commissioner's notes.
        network = PrimaryCareNetwork.objects.in_area(icb).order_by("code").first()
        values["network"] = network.code if network else pcn.code
    elif pattern.access == Access.PUBLIC:  # the public directory: the largest network
        values.update({"code": pcn.code, "sub_icb": pcn.lead_commissioner.code})
    if pattern.access == Access.NATIONAL_ADMIN:
        model = admin_model(pattern.route)
        obj = None
        if model is PrimaryCareNetwork:
            obj = pcn
        elif model is not None:
            obj = model._default_manager.order_by("pk").first()
        values.update({"object_id": obj.pk if obj else 1, "id": obj.pk if obj else 1})
        values["content_type_id"] = 1
    return values


def network_record_arguments(pattern, pcn):
    """The network workspace's arguments: a member practice, this financial year, and the
    network's first clinical director, team member, collaboration and its partner (0 when
    it has none:
    the page is then a 404, which the bench shows)."""
    if not {"practice", "year", "director", "member", "collaboration", "partner"} & set(
        pattern.kwargs
    ):
        return {}
    spell = pcn.memberships.current().select_related("practice").order_by("pk").first()
    first = lambda records: getattr(records.order_by("pk").first(), "pk", 0)  # noqa: E731
    return {
        "practice": spell.practice.code if spell else "A00000",
        "year": financial_year_of(today()),
        "director": first(pcn.clinical_directors),
        "member": first(pcn.team),
        "collaboration": first(pcn.collaborations),
        "partner": getattr(pcn.collaborations.order_by("pk").first(), "partner_id", 0),
    }


def services_arguments(pcn):
    """The services pages' arguments: Enhanced Health in Care Homes in 2023/24, and the
    network's first care home, priority and evidence (a page 404s when it has none)."""
    alignment = pcn.care_home_alignments.select_related("home").order_by("pk").first()
    priority = pcn.local_priorities.order_by("pk").first()
    evidence = pcn.service_evidence.exclude(file="").order_by("pk").first()
    return {
        "year": 2023,
        "spec": "enhanced-health-in-care-homes",
        "requirement": "EHCH-1",
        "cqc": alignment.home.cqc_location_id if alignment else "1-0",
        "priority": priority.pk if priority else 0,
        "evidence": evidence.pk if evidence else 0,
    }


def admin_model(route):
    from django.apps import apps

    parts = route.split("/")
    if len(parts) > 2 and parts[0] == "admin":
        try:
            return apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            return None
    return None


def measure(client, url, repeat):
    client.get(url)  # warm: the session, the connection, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # now: the next request clears the query log
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "status": response.status_code,
        "queries": count,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
    }


# Area pages England has no page of: approval queues are an area's approvers'.
NOT_FOR_ENGLAND = {"areas:claim_queue"}


def run(label, repeat, only, on=None):
    # As Django's test runner does: keep one connection, so every query is counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    pcn, icb = largest_network(), largest_icb()
    if pcn is None or icb is None:
        sys.exit("No networks in this database: build the data set first.")
    users = personas(pcn, icb)
    clients = {}
    rows = []

    def client_of(user):
        key = user.username if user else "anonymous"
        if key not in clients:
            clients[key] = Client()
            if user:
                clients[key].force_login(user)
        return key, clients[key]

    for pattern in site_patterns():
        if pattern.access is None or (only and only not in pattern.route):
            continue
        if pattern.name in (
            "accounts:logout",
            "admin:logout",
            "accounts:oidc_authentication_callback",
        ):
            continue  # a GET would log the persona out, or needs the provider
        values = arguments(pattern, pcn, icb)
        targets = [(users[pattern.access], pattern.url(values))]
        if pattern.access == Access.AREA_READ and pattern.name not in NOT_FOR_ENGLAND:
            # England's page of the same kind too, as national staff see it: every network.
            admin = users[Access.NATIONAL_ADMIN]
            targets.append((admin, pattern.url({**values, "code": ENGLAND_CODE})))
        if on and pattern.access == Access.AREA_READ:  # the area pages as of a date
            targets = [(user, f"{url}?on={on}") for user, url in targets]
        for user, url in targets:
            key, client = client_of(user)
            result = measure(client, url, repeat)
            rows.append({"page": str(pattern), "url": url, "as": key, **result})
            print(
                f"{result['queries']:>4} q {result['p50_ms']:>7.1f} {result['p95_ms']:>7.1f} ms "
                f"{result['status']}  {url}  ({key})",
                flush=True,
            )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"pages-{label}.json"
    data = {
        "label": label,
        "date": today().isoformat(),
        "largest_network": pcn.code,
        "largest_icb": icb.code,
        "networks": PrimaryCareNetwork.objects.count(),
        "repeat": repeat,
        "pages": rows,
    }
    out.write_text(json.dumps(data, indent=1))
    print(f"Written {out.relative_to(ROOT)}: {len(rows)} pages.")


def compare(small, large):
    a = json.loads((RESULTS / f"pages-{small}.json").read_text())
    b = json.loads((RESULTS / f"pages-{large}.json").read_text())
    by_page = {row["page"]: row for row in a["pages"]}
    lines = [
        f"Pages: {small} ({a['networks']} networks) against {large} ({b['networks']} networks), "
        f"{b['repeat']} requests each; budget ≤ {BUDGET_QUERIES} queries (portal pages), "
        f"p95 ≤ {BUDGET_P95_MS} ms.",
        "",
        f"| page | as | q {small} | q {large} | p50 ms | p95 ms | status | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in b["pages"]:
        before = by_page.get(row["page"])
        notes = []
        if before and before["queries"] != row["queries"]:
            notes.append("N+1")
        portal = not row["url"].startswith("/admin/")
        if portal and row["queries"] > BUDGET_QUERIES:
            notes.append(f"over {BUDGET_QUERIES} queries")
        if row["p95_ms"] > BUDGET_P95_MS:
            notes.append(f"p95 over {BUDGET_P95_MS} ms")
        lines.append(
            f"| {row['url']} | {row['as']} | {before['queries'] if before else '–'} | "
            f"{row['queries']} | {row['p50_ms']} | {row['p95_ms']} | {row['status']} | "
            f"{', '.join(notes)} |"
        )
    text = "\n".join(lines) + "\n"
    (RESULTS / "pages.md").write_text(text)
    print(text)
    print(f"Written {(RESULTS / 'pages.md').relative_to(ROOT)}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--only", help="Only URLs whose route contains this text.")
    parser.add_argument("--on", help="The area pages as of this date (2025-06-01).")
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        run(args.label or "run", args.repeat, args.only, args.on)


if __name__ == "__main__":
    main()
