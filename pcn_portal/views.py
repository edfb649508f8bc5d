from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from networks.models import PrimaryCareNetwork, Scope, user_assignments


def home(request):
    """Your networks: the networks a user is assigned to, and for commissioner staff their
    areas with the number of networks in each, linking to them."""
    assignments = user_assignments(request.user)
    pcn_ids = [a.pcn_id for a in assignments if a.scope == Scope.PCN]
    visible = PrimaryCareNetwork.objects.for_user(request.user)
    networks = visible.filter(pk__in=pcn_ids).order_by("code")
    roles = {a.pcn_id: a.get_role_display() for a in assignments if a.scope == Scope.PCN}
    areas = []
    for a in assignments:
        if a.scope == Scope.PCN:
            continue
        area = a.sub_icb_location or a.icb or a.region
        in_area = visible.open().in_area(area) if area else visible.open()
        areas.append(
            {
                "name": area.display_name if area else "England",
                "code": area.code if area else "",
                "kind": a.get_scope_display(),
                "role": a.get_role_display(),
                "networks": in_area.count(),
                "filter": filter_query(a.scope, area),
                "href": reverse("area_detail", args=[area.code if area else "england"]),
            }
        )
    return render(
        request,
        "home.html",
        {
            "networks": [(pcn, roles[pcn.pk]) for pcn in networks],
            "areas": areas,
            "sees_everything": request.user.is_superuser,
        },
    )


def filter_query(scope, area):
    """The network list's filter for an area: '?icb=QHM'."""
    key = {Scope.SUB_ICB: "sub_icb", Scope.ICB: "icb", Scope.REGION: "region"}.get(scope)
    return f"?{key}={area.code}" if key else ""


@require_GET
@never_cache
@login_not_required
def healthz(request):
    """Answer 200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


SIGNED_OUT_REASONS = {"inactive", "expired"}


@require_GET
@never_cache
@login_not_required
def signed_out(request, reason):
    """Why the session ended, with a way back in to the page the user was on."""
    if reason not in SIGNED_OUT_REASONS:
        raise Http404("No such page.")
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {
        "reason": reason,
        "next": next_url,
        "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
        "max_hours": settings.SESSION_COOKIE_AGE // 3600,
    }
    return render(request, "registration/signed_out.html", context)


def client_address(request):
    """The address a login attempt came from, for throttling: the one the nearest
    TRUSTED_PROXIES proxies report in X-Forwarded-For, else the connection's own."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def login_locked_out(request, response=None, credentials=None):
    """django-axes' answer to a login attempt while its username or address is locked."""
    attempts = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)
    last_failure = max(
        (at for queryset in attempts for at in queryset.values_list("attempt_time", flat=True)),
        default=timezone.now(),
    )
    context = {
        "until": last_failure + settings.AXES_COOLOFF_TIME,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
