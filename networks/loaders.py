"""Loader decorators for views: a view receives the network or area, never a code to look
up, so it cannot forget the user's scope.

    @load_pcn
    def network_detail(request, pcn): ...

    @load_rw_pcn
    def director_add(request, pcn): ...

The URL carries the ODS code as `code`. A network or area outside the user's scope is a
404 (it does not exist for them); a write without edit rights is a 403.
"""

import functools
import re

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks.models import (
    ClinicalDirector,
    IntegratedCareBoard,
    PrimaryCareNetwork,
    Region,
    SubICBLocation,
)
from networks.scopes import can_edit_pcn, check_can_edit_pcn
from pcn_portal.core.db import ICB_CODE, REGION_CODE, SUB_ICB_CODE

AREAS = [
    (re.compile(f"^(?:{REGION_CODE})$"), Region),
    (re.compile(f"^(?:{ICB_CODE})$"), IntegratedCareBoard),
    (re.compile(f"^(?:{SUB_ICB_CODE})$"), SubICBLocation),
]


def visible_pcn(request, code):
    """The network with this ODS code if the user may see it, else 404, with what the frame
    of its pages needs (networks.pages) in the same query: the areas over it and whether
    it has a clinical director today. The request gets `can_edit` for templates."""
    directors = ClinicalDirector.objects.filter(pcn=OuterRef("pk")).current()
    pcn = get_object_or_404(
        PrimaryCareNetwork.objects.for_user(request.user)
        .select_related("lead_commissioner__icb__region")
        .annotate(has_director_today=Exists(directors)),
        code=code,
    )
    request.can_edit = can_edit_pcn(request.user, pcn)
    return pcn


def load_pcn(view):
    @functools.wraps(view)
    def wrapper(request, code, *args, **kwargs):
        return view(request, visible_pcn(request, code), *args, **kwargs)

    return wrapper


def load_rw_pcn(view):
    @functools.wraps(view)
    def wrapper(request, code, *args, **kwargs):
        pcn = visible_pcn(request, code)
        check_can_edit_pcn(request.user, pcn)
        return view(request, pcn, *args, **kwargs)

    return wrapper


def visible_area(request, code):
    """The Sub-ICB location, ICB or region with this ODS code if the user may see it."""
    for pattern, model in AREAS:
        if pattern.match(code):
            area = model.objects.for_user(request.user).filter(code=code).first()
            if area is not None:
                return area
    raise Http404("No such area.")


def load_area(view):
    @functools.wraps(view)
    def wrapper(request, code, *args, **kwargs):
        return view(request, visible_area(request, code), *args, **kwargs)

    return wrapper
