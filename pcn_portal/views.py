"""The site's own pages: home (the user's networks and areas) and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from networks.models import PrimaryCareNetwork, Scope, user_assignments


@login_not_required
def home(request):
    """Your networks: the networks a user is assigned to, and for commissioner staff their
    areas with the number of networks in each, linking to them. Someone not logged in finds
    the front door: the public directory, the fact sheets and the API beside "Log in"."""
    if not request.user.is_authenticated:
        return render(request, "public_home.html")
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
                "href": reverse("areas:detail", args=[area.code if area else "england"]),
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
