"""Django admin for national admins: every model's pages, search, constraints, history."""

import pghistory.models
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from networks.models import PrimaryCareNetwork
from practices.models import Membership
from tests.factories import (
    FACTORIES,
    MembershipFactory,
    PracticeFactory,
    PrimaryCareNetworkFactory,
    SubICBLocationFactory,
)

DOMAIN_APPS = {"networks", "practices", "workforce", "services"}
# Records of a process rather than domain data: read only in admin, made elsewhere
# (uploads on the Import ODS files page; tests/practices/test_admin_import.py; and on the
# Load maximum amounts page, tests/workforce/test_admin_figures.py).
# A claim's status history is written by the claim actions only; a network's ARRS
# forecast is worked out from its posts and claims (tests/workforce/test_forecasts.py); a
# post's change of terms is made on the post's page, checked against its claims
# (tests/workforce/test_post_terms.py); a backdated change of maximum amounts is kept when
# one is changed, with what it came to (tests/workforce/test_arrears.py).
PROCESS_RECORDS = {
    "workforce.BackdatedChange",
    "practices.ODSUpload",
    "workforce.MaximumAmountUpload",
    "workforce.ClaimStatusChange",
    "workforce.ARRSForecast",
    "workforce.PostTerms",
}
DOMAIN_MODELS = sorted(
    (
        m
        for m in admin.site._registry
        if m._meta.app_label in DOMAIN_APPS and m._meta.label not in PROCESS_RECORDS
    ),
    key=lambda m: m._meta.label,
)


def test_every_domain_model_is_in_the_admin():
    from django.apps import apps

    # The importer's own record of the ePCN extracts applied, and each network's ARRS
    # hours by day, which the database keeps from the posts: no one edits either.
    bookkeeping = {"networks.ImportedExtract", "workforce.ARRSHours"}
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model._meta.label.endswith("Event") and model._meta.label not in bookkeeping:
                assert model in admin.site._registry, model


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m._meta.label)
def test_every_editable_field_is_in_the_admin_form(model, rf, superuser):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = superuser
    form = model_admin.get_form(request)
    shown = set(form.base_fields) | set(model_admin.get_readonly_fields(request))
    editable = {
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "editable", False) and f.concrete and not f.auto_created
    }
    assert editable <= shown, editable - shown


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages(model, login, superuser):
    client = login(superuser)
    obj = FACTORIES[model]()
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200
    response = client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    # The change page links to the row's audit history.
    assert "?method=tracks&amp;obj=" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "make", "query"),
    [
        (PrimaryCareNetwork, lambda: PrimaryCareNetworkFactory(code="U91234"), "U91234"),
        (PracticeFactory._meta.model, lambda: PracticeFactory(code="Z54321"), "Z54321"),
        (SubICBLocationFactory._meta.model, lambda: SubICBLocationFactory(code="Z7Q"), "Z7Q"),
        (
            Membership,
            lambda: MembershipFactory(practice=PracticeFactory(code="Z11111")),
            "Z11111",
        ),
    ],
    ids=["pcn", "practice", "sub-icb", "membership-by-practice"],
)
def test_search_by_ods_code(model, make, query, login, superuser):
    obj = make()
    PrimaryCareNetworkFactory.create_batch(3)
    response = login(superuser).get(admin_url(model, "changelist"), {"q": query})
    assert list(response.context["cl"].result_list) == [obj]


def test_overlapping_membership_is_refused_with_a_message(login, superuser):
    existing = MembershipFactory()
    other = PrimaryCareNetworkFactory()
    response = login(superuser).post(
        admin_url(Membership, "add"),
        {
            "practice": existing.practice.pk,
            "pcn": other.pk,
            "start_date": "2024-01-01",
            "source": "portal",
        },
    )
    assert response.status_code == 200
    assert "already a member of a network on some of these dates" in response.content.decode()
    assert Membership.objects.count() == 1


def test_bad_pcn_code_and_dates_are_refused_with_messages(login, superuser):
    sub_icb = SubICBLocationFactory()
    response = login(superuser).post(
        admin_url(PrimaryCareNetwork, "add"),
        {
            "code": "X12345",
            "name": "BAD PCN",
            "lead_commissioner": sub_icb.pk,
            "open_date": "2024-01-01",
            "close_date": "2023-01-01",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "clinical_directors-TOTAL_FORMS": 0,
            "clinical_directors-INITIAL_FORMS": 0,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid PCN code" in html
    assert not PrimaryCareNetwork.objects.filter(name="BAD PCN").exists()


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda m: m._meta.label)
def test_reference_data_cannot_be_deleted_in_admin(model, login, superuser):
    reference = {
        "networks.Region",
        "networks.IntegratedCareBoard",
        "networks.SubICBLocation",
        "networks.PrimaryCareNetwork",
        "networks.Source",  # corrected in place: reference rows cite it
        "practices.Practice",  # closed by its close date: its spells hang off it
        "workforce.ARRSRole",
        "workforce.MaximumAmount",
        "workforce.RoleCap",
        "workforce.AllocationRate",
        "workforce.RingFencedSum",
        "services.ServiceSpecification",
        "services.Requirement",
        "services.CareHomePremiumRate",
    }
    obj = FACTORIES[model]()
    status = login(superuser).get(admin_url(model, "delete", obj.pk)).status_code
    assert status == (403 if model._meta.label in reference else 200)


def test_admin_change_is_attributed_to_the_user(login, superuser):
    pcn = PrimaryCareNetworkFactory(name="OLD NAME")
    data = {
        "code": pcn.code,
        "name": "NEW NAME",
        "lead_commissioner": pcn.lead_commissioner.pk,
        "open_date": "2019-10-01",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "clinical_directors-TOTAL_FORMS": 0,
        "clinical_directors-INITIAL_FORMS": 0,
    }
    response = login(superuser).post(admin_url(PrimaryCareNetwork, "change", pcn.pk), data)
    assert response.status_code == 302
    event = (
        pghistory.models.Events.objects.references(pcn)
        .filter(pgh_label="update")
        .latest("pgh_created_at")
    )
    assert event.pgh_diff["name"] == ["OLD NAME", "NEW NAME"]
    assert event.pgh_context["user"] == superuser.pk
    assert event.pgh_context["username"] == superuser.username
    assert event.pgh_context["url"].startswith("/admin/")

    # The list of all changes reads in plain words.
    changes = login(superuser).get(reverse("admin:pghistory_middlewareevents_changelist"))
    rows = changes.content.decode().split('id="result_list"')[1].split("<tr")
    row = next(r for r in rows if "Changed" in r and pcn.code in r)
    assert "Primary care network" in row and "Changed" in row
    assert "name: &#x27;OLD NAME&#x27; → &#x27;NEW NAME&#x27;" in row
    assert ">Nadia National<" in row and superuser.username not in row


def test_users_without_staff_status_cannot_use_admin(login, outsider):
    response = login(outsider).get("/admin/")
    assert response.status_code == 302
    assert get_user_model().objects.filter(pk=outsider.pk, is_staff=False).exists()


def test_networks_without_a_known_icb_can_be_found(login, superuser):
    """An ePCN file imported alone leaves the ICB blank; the filter names that choice."""
    orphan = PrimaryCareNetworkFactory(
        name="ORPHAN PCN", lead_commissioner=SubICBLocationFactory(icb=None)
    )
    placed = PrimaryCareNetworkFactory(name="PLACED PCN")
    url = reverse("admin:networks_primarycarenetwork_changelist")
    client = login(superuser)

    page = client.get(url).content.decode()
    assert "Not known yet" in page

    listed = client.get(url, {"lead_commissioner__icb__isnull": "True"}).content.decode()
    assert f">{orphan.code}<" in listed
    assert f">{placed.code}<" not in listed


def test_audit_history_is_named_for_admins(login, superuser):
    client = login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Audit history" in index and ">Changes</a>" in index
    assert "Middleware events" not in index
    changes = client.get(reverse("admin:pghistory_middlewareevents_changelist")).content.decode()
    assert "<title>All changes |" in changes
    filters = changes.split('id="changelist-filter"')[1]
    assert "By kind of record" in filters and "Primary care networks" in filters
    assert "networks.PrimaryCareNetworkEvent" not in filters


def test_one_history_button_opens_the_full_audit_history(login, superuser):
    pcn = PrimaryCareNetworkFactory()
    client = login(superuser)
    events = reverse("admin:pghistory_middlewareevents_changelist")

    change = client.get(admin_url(PrimaryCareNetwork, "change", pcn.pk)).content.decode()
    tools = change.split('class="object-tools"')[1].split("</ul>")[0]
    assert tools.count(">History<") == 1 and "Events" not in tools
    assert f'href="{events}?method=tracks&amp;obj=networks.PrimaryCareNetwork:{pcn.pk}' in tools

    listed = client.get(reverse("admin:networks_primarycarenetwork_changelist")).content.decode()
    tools = listed.split('class="object-tools"')[1].split("</ul>")[0]
    assert f'href="{events}?model=networks.PrimaryCareNetwork' in tools
    assert ">History<" in tools and "Add primary care network" in tools

    history = client.get(f"{events}?method=tracks&obj=networks.PrimaryCareNetwork:{pcn.pk}")
    listed = history.content.decode().split('id="result_list"')[1].split("</table>")[0]
    assert f"Primary care network {pcn.code} (id {pcn.pk})" in listed
    assert "Created" in listed
