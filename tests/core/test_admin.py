"""Django admin saves and deletes through the apps' actions, so it obeys the rules the
portal's pages obey: each action's fixed list of fields is the most an admin form may
offer, and a record an action may not delete has no delete button."""

import importlib

import pghistory.models
import pytest
from django.contrib import admin
from django.urls import reverse

from networks.models import NetworkAgreement, NetworkAgreementSchedule
from pcn_portal.core.admin import Inline, VersionedAdmin, Writes
from pcn_portal.core.writing import NotWritable
from practices.models import Membership, Practice
from tests.factories import (
    ClaimFactory,
    ClinicalDirectorFactory,
    NetworkAgreementFactory,
    PracticeFactory,
)
from workforce import actions as workforce_actions
from workforce.models import ClaimStatus

DOMAIN_APPS = ("networks", "practices", "workforce", "services")


def admin_problems(site, request):
    """What is wrong with how a site's admin pages write: an admin that does not write
    through actions, a form field its action may not change, a delete button for a record
    its action may not delete."""
    problems = []
    for model, model_admin in site._registry.items():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        actions = importlib.import_module(f"{model._meta.app_label}.actions")
        if not model_admin.has_change_permission(request) and not model_admin.has_add_permission(
            request
        ):
            continue  # read only (the record of ODS uploads)
        if not isinstance(model_admin, VersionedAdmin) or model_admin.writes is None:
            problems.append(f"{type(model_admin).__name__} does not write through actions")
            continue
        problems += _field_problems(model_admin, model_admin.get_form(request), actions)
        if model_admin.has_delete_permission(request) and model not in actions.ADMIN_DELETABLE:
            problems.append(f"{type(model_admin).__name__} offers a delete its action refuses")
        for inline in model_admin.get_inline_instances(request):
            if not isinstance(inline, Inline):
                problems.append(f"{type(inline).__name__} does not write through actions")
                continue
            if inline.writes is None:
                continue
            inline_actions = importlib.import_module(f"{inline.model._meta.app_label}.actions")
            formset = inline.get_formset(request)
            problems += _field_problems(inline, formset.form, inline_actions, inline.fk_name)
            deletes = inline.has_delete_permission(request) and inline.can_delete
            if deletes and inline.model not in inline_actions.ADMIN_DELETABLE:
                problems.append(f"{type(inline).__name__} offers a delete its action refuses")
    return problems


def _field_problems(owner, form, actions, *implied):
    allowed = set(actions.ADMIN_FIELDS.get(owner.model, ()))
    offered = set(form.base_fields) - {"version", "id", "DELETE", *implied}
    offered -= {owner.fk_name} if hasattr(owner, "fk_name") and owner.fk_name else set()
    refused = sorted(f for f in offered if f not in allowed and f in _field_names(owner.model))
    return [
        f"{type(owner).__name__} offers {name}, which its action may not change" for name in refused
    ]


def _field_names(model):
    return {f.name for f in model._meta.concrete_fields}


@pytest.fixture
def admin_request(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    return request


def test_every_admin_page_writes_through_its_action(admin_request):
    assert admin_problems(admin.site, admin_request) == []


def test_an_admin_offering_more_than_its_action_allows_is_found(admin_request):
    site = admin.AdminSite(name="bad")

    class MembershipWithInForce(VersionedAdmin):
        writes = Writes(save=lambda **kw: None)
        fields = ["practice", "pcn", "start_date", "in_force"]

    class PlainAdmin(admin.ModelAdmin):
        pass

    site.register(Membership, MembershipWithInForce)
    site.register(NetworkAgreementSchedule, PlainAdmin)
    assert admin_problems(site, admin_request) == [
        "MembershipWithInForce offers in_force, which its action may not change",
        "PlainAdmin does not write through actions",
    ]


def test_an_action_refuses_a_field_outside_its_list(superuser):
    claim = ClaimFactory()
    claim.status = ClaimStatus.APPROVED
    with pytest.raises(NotWritable, match="status cannot be changed here"):
        workforce_actions.correct_record(record=claim, by=superuser)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_an_admin_delete_the_action_refuses_is_not_offered(login, superuser):
    practice = PracticeFactory()
    url = reverse("admin:practices_practice_delete", args=[practice.pk])
    assert login(superuser).post(url, {"post": "yes"}).status_code == 403
    assert Practice.objects.filter(pk=practice.pk).exists()


def test_an_admin_delete_the_action_allows_is_in_the_history_with_the_admin(login, superuser):
    director = ClinicalDirectorFactory()
    url = reverse("admin:networks_clinicaldirector_delete", args=[director.pk])
    assert login(superuser).post(url, {"post": "yes"}).status_code == 302
    event = pghistory.models.Events.objects.filter(
        pgh_label="delete", pgh_obj_model="networks.ClinicalDirector", pgh_obj_id=director.pk
    ).get()
    assert event.pgh_context["username"] == superuser.username


def test_an_inline_row_added_in_admin_is_saved(login, superuser):
    agreement = NetworkAgreementFactory()
    url = reverse("admin:networks_networkagreement_change", args=[agreement.pk])
    client = login(superuser)
    form = client.get(url).context["adminform"].form
    data = {
        "pcn": agreement.pcn.pk,
        "financial_year": agreement.financial_year,
        "signed_on": "",
        "notes": "",
        "version": form.initial.get("version", form["version"].value()),
        "schedules-TOTAL_FORMS": 1,
        "schedules-INITIAL_FORMS": 0,
        "schedules-0-number": 1,
        "schedules-0-status": "signed",
        "schedules-0-notes": "Signed by every member.",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    schedule = NetworkAgreementSchedule.objects.get(agreement=agreement)
    assert schedule.notes == "Signed by every member."
    assert NetworkAgreement.objects.get(pk=agreement.pk).pcn == agreement.pcn


def test_a_network_manager_edit_cannot_reach_the_ods_fields(superuser):
    from networks import actions as network_actions
    from tests.factories import PrimaryCareNetworkFactory

    pcn = PrimaryCareNetworkFactory(name="OLD NAME PCN")
    with pytest.raises(TypeError, match="code"):
        network_actions.update_pcn(pcn=pcn, by=superuser, changes={"code": "U00001"})
    network_actions.update_pcn(
        pcn=pcn, by=superuser, changes={"footprint_notes": "Rural: approved in May."}
    )
    pcn.refresh_from_db()
    assert (pcn.name, pcn.footprint_notes) == ("OLD NAME PCN", "Rural: approved in May.")
