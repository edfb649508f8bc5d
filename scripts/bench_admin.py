"""Benchmark: every admin page on the national data set, as a national admin.

Requests each admin changelist, the change page of the largest record of each kind and
the audit history's pages through Django's test client (middleware included), and prints
the server-side time (p50, p95) and the number of queries of each. Runs on the national
database `make run-national` builds (pcn_portal_national on the same server); it changes
nothing in it. BENCH_ADMIN_REQUESTS sets the requests per page (20 by default).
"""

import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NAME = os.environ.get("NATIONAL_DATABASE_NAME", "pcn_portal_national")
url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(url._replace(path=f"/{NAME}"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcn_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from networks.models import PrimaryCareNetwork  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_ADMIN_REQUESTS", 20))


def largest(model):
    """The record of `model` with the most rows pointing at it (the heaviest change page),
    or its first."""
    reverse_relations = [
        f for f in model._meta.get_fields() if f.one_to_many and f.related_name != "+"
    ]
    queryset = model.objects.all()
    if reverse_relations:
        name = reverse_relations[0].name
        heaviest = (
            queryset.annotate(n=Count(name)).order_by("-n", "pk").values_list("pk", flat=True)
        )
        pk = heaviest.first()
    else:
        pk = queryset.order_by("pk").values_list("pk", flat=True).first()
    return pk


def pages():
    yield (
        "PCN change: largest network",
        reverse(
            "admin:networks_primarycarenetwork_change",
            args=[
                PrimaryCareNetwork.objects.annotate(n=Count("memberships"))
                .order_by("-n", "code")
                .first()
                .pk
            ],
        ),
    )
    from workforce.models import Claim

    claim = Claim.objects.annotate(n=Count("lines")).order_by("-n", "pk").first()
    yield "Claim change: most lines", reverse("admin:workforce_claim_change", args=[claim.pk])
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        info = model._meta.app_label, model._meta.model_name
        yield f"{model._meta.label} list", reverse(f"admin:{info[0]}_{info[1]}_changelist")
        if model._meta.label.startswith("pghistory."):
            continue
        pk = largest(model)
        if pk is not None:
            yield (
                f"{model._meta.label} change",
                reverse(f"admin:{info[0]}_{info[1]}_change", args=[pk]),
            )
    changes = reverse("admin:pghistory_middlewareevents_changelist")
    yield "Audit: all changes, page 50", f"{changes}?p=50"
    yield "Audit: claim lines' history", f"{changes}?model=workforce.ClaimLine"
    pcn = PrimaryCareNetwork.objects.order_by("code").first()
    yield (
        "Audit: one network's history",
        (f"{changes}?method=tracks&obj=networks.PrimaryCareNetwork:{pcn.pk}"),
    )


def measure(client, path):
    times, queries, status = [], None, None
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
        queries = len(captured)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, queries, status


def main():
    if not PrimaryCareNetwork.objects.exists():
        sys.exit(f"{NAME} has no networks: build it first (make run-national).")
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # as served; static files without the collected manifest
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    print(f"{REQUESTS} requests a page, database {NAME}")
    print(f"{'page':<52}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}  status")
    over = []
    for name, path in pages():
        p50, p95, queries, status = measure(client, path)
        flag = "" if p95 <= 100 else "  over 100 ms"
        print(f"{name:<52}{p50:8.0f}{p95:8.0f}{queries:9d}  {status}{flag}")
        if flag:
            over.append(name)
    print(
        f"{len(over)} pages over the 100 ms budget at p95"
        + (f": {', '.join(over)}" if over else "")
    )
    user.delete()


if __name__ == "__main__":
    main()
