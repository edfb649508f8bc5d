"""Who may see and change what: plain functions over Assignment rows.

Outside a user's scope a network does not exist for them (404); inside it without edit
rights a write is refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from networks.models import Assignment, PrimaryCareNetwork, Role, Scope


def pcns_visible_to(user, queryset=None):
    queryset = PrimaryCareNetwork.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    assignments = list(Assignment.objects.filter(user=user))
    if any(a.scope == Scope.NATIONAL for a in assignments):
        return queryset
    q = Q(pk__in=[])
    for a in assignments:
        if a.scope == Scope.PCN:
            q |= Q(pk=a.pcn_id)
        elif a.scope == Scope.SUB_ICB:
            q |= Q(lead_commissioner_id=a.sub_icb_location_id)
        elif a.scope == Scope.ICB:
            q |= Q(lead_commissioner__icb_id=a.icb_id)
        elif a.scope == Scope.REGION:
            q |= Q(lead_commissioner__icb__region_id=a.region_id)
    return queryset.filter(q)


def can_edit_pcn(user, pcn):
    """Network managers (editors) of the network, and superusers, may change its records."""
    if user.is_superuser:
        return True
    return Assignment.objects.filter(user=user, scope=Scope.PCN, pcn=pcn, role=Role.EDITOR).exists()


def check_can_edit_pcn(user, pcn):
    if not can_edit_pcn(user, pcn):
        raise PermissionDenied("You can view this network but not change it.")


def get_pcn_for_user(request, code):
    """The network with this ODS code if the user may see it (else 404), and whether they
    may edit it."""
    pcn = get_object_or_404(pcns_visible_to(request.user), code=code)
    return pcn, can_edit_pcn(request.user, pcn)


def get_rw_pcn_for_user(request, code):
    pcn, editable = get_pcn_for_user(request, code)
    if not editable:
        raise PermissionDenied("You can view this network but not change it.")
    return pcn
