"""The loaders views enter through: a network or area outside the user's scope does not
exist for them (404), a write without edit rights is refused (403)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from networks.loaders import load_area, load_pcn, load_rw_pcn


@load_pcn
def read(request, pcn):
    return HttpResponse(f"{pcn.code} {request.can_edit}")


@load_rw_pcn
def write(request, pcn):
    return HttpResponse(pcn.code)


@load_area
def area(request, area):
    return HttpResponse(f"{type(area).__name__} {area.code}")


def call(view, user, code):
    request = RequestFactory().get("/")
    request.user = user
    return view(request, code=code).content.decode()


def test_a_network_is_loaded_with_the_users_edit_rights(network_manager, network_viewer):
    assert call(read, network_manager, "U99001") == "U99001 True"
    assert call(read, network_viewer, "U99001") == "U99001 False"


def test_a_network_outside_the_scope_does_not_exist(network_manager, outsider):
    with pytest.raises(Http404):
        call(read, network_manager, "U99002")
    with pytest.raises(Http404):
        call(read, outsider, "U99001")


def test_writes_need_edit_rights(network_manager, network_viewer, icb_viewer, other_manager):
    assert call(write, network_manager, "U99001") == "U99001"
    for user in (network_viewer, icb_viewer):
        with pytest.raises(PermissionDenied):
            call(write, user, "U99001")
    with pytest.raises(Http404):
        call(write, other_manager, "U99001")


def test_areas_are_loaded_by_their_ods_code_within_the_scope(subicb_viewer, icb_viewer):
    assert call(area, icb_viewer, "QZ1") == "IntegratedCareBoard QZ1"
    assert call(area, icb_viewer, "Z02") == "SubICBLocation Z02"
    assert call(area, subicb_viewer, "Z01") == "SubICBLocation Z01"
    for code in ("Z02", "QZ1", "Y99", "NOT-A-CODE"):
        with pytest.raises(Http404):
            call(area, subicb_viewer, code)


def test_network_staff_see_no_areas(network_manager):
    with pytest.raises(Http404):
        call(area, network_manager, "Z01")
