"""Every change to a domain row leaves history: who or what made it, when, old and new."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pghistory.models
import pytest
from django.db import connection

from networks import actions
from tests.factories import PrimaryCareNetworkFactory, RegionFactory, SubICBLocationFactory
from tests.factories.worlds import lone_network

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pcn(db):
    return lone_network(name="OLD NAME PCN")


def last_change(obj):
    return (
        pghistory.models.Events.objects.references(obj)
        .filter(pgh_label="update")
        .order_by("-pgh_created_at")
        .first()
    )


def test_change_through_an_action_names_the_user(pcn, outsider):
    actions.update_pcn(pcn=pcn, by=outsider, changes={"name": "NEW NAME PCN"})

    event = last_change(pcn)
    assert event.pgh_diff["name"] == ["OLD NAME PCN", "NEW NAME PCN"]
    assert event.pgh_context["user"] == outsider.pk
    assert event.pgh_context["username"] == outsider.username


def test_a_change_saved_from_a_page_names_the_user_who_saved_it(
    network_manager_client, network_manager, world
):
    from tests.pages import opened

    url = "/networks/U99001/governance/footprint/"
    notes = "Below 30,000: approved by the Sub-ICB."
    form = opened(network_manager_client, url)
    response = network_manager_client.post(url, {**form, "footprint_notes": notes})
    assert response.status_code == 302
    event = last_change(world["pcn"])
    assert event.pgh_diff["footprint_notes"] == ["", notes]
    assert event.pgh_context["username"] == network_manager.username


def test_write_without_an_actor_is_refused(pcn):
    with pytest.raises(ValueError, match="needs an actor"):
        actions.update_pcn(pcn=pcn, changes={"name": "ANONYMOUS CHANGE"})
    pcn.refresh_from_db()
    assert pcn.name == "OLD NAME PCN"


def test_change_through_a_named_process(pcn):
    actions.update_pcn(pcn=pcn, process="import_ods ePCN.xlsx", changes={"name": "IMPORTED NAME"})
    assert last_change(pcn).pgh_context["process"] == "import_ods ePCN.xlsx"


def test_delete_keeps_the_old_values(pcn, outsider):
    director = actions.add_clinical_director(
        pcn=pcn,
        by=outsider,
        full_name="Dr Test",
        profession="gp",
        start_date=datetime.date(2024, 1, 1),
    )
    pk = director.pk
    director.delete()
    deleted = pghistory.models.Events.objects.filter(
        pgh_model="networks.ClinicalDirectorEvent", pgh_obj_id=str(pk), pgh_label="delete"
    ).get()
    assert deleted.pgh_data["full_name"] == "Dr Test"


@pytest.mark.django_db(transaction=True)
def test_plain_orm_update_in_the_shell_names_the_process(pcn):
    # The same server as the suite, but the test database.
    parts = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    code = (
        "from networks.models import PrimaryCareNetwork as P;"
        "P.objects.filter(code='U99001').update(name='SHELL NAME')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "true", "ENV_FILE": os.devnull},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr

    event = last_change(pcn)
    assert event.pgh_diff["name"] == ["OLD NAME PCN", "SHELL NAME"]
    assert event.pgh_context["process"] == "manage.py shell"


def test_all_changes_pages_run_newest_first_across_every_kind_of_record(
    login, superuser, monkeypatch
):
    """The list reads each kind of record's newest events only as far as the page needs;
    the pages must still interleave kinds strictly by time, and count every change."""
    from django.contrib import admin
    from django.urls import reverse
    from django.utils import timezone

    from networks.models import RegionEvent, SubICBLocationEvent

    regions = [RegionFactory(code=f"Y9{i}", name=f"REGION {i}") for i in range(3)]
    sub_icbs = [SubICBLocationFactory(code=f"Z9{i}", name=f"SUB {i}", icb=None) for i in range(3)]
    # Newer than anything else in the database, interleaved: Y90, Z90, Y91, Z91, Y92, Z92.
    soon = timezone.now() + datetime.timedelta(days=10)
    for i, (region, sub_icb) in enumerate(zip(regions, sub_icbs, strict=True)):
        RegionEvent.objects.filter(pgh_obj=region).update(
            pgh_created_at=soon - datetime.timedelta(hours=2 * i)
        )
        SubICBLocationEvent.objects.filter(pgh_obj=sub_icb).update(
            pgh_created_at=soon - datetime.timedelta(hours=2 * i + 1)
        )
    events_admin = admin.site._registry[pghistory.models.MiddlewareEvents]
    monkeypatch.setattr(events_admin, "list_per_page", 2)
    client = login(superuser)
    url = reverse("admin:pghistory_middlewareevents_changelist")

    def codes(page):
        html = client.get(url, {"p": page}).content.decode()
        table = html.split('id="result_list"')[1].split("</table>")[0]
        return re.findall(r"\b([YZ]9\d)\b", table), html

    first, html = codes(1)
    total = pghistory.models.Events.objects.count()
    assert re.search(rf"(?<![\d,]){total} changes", html)
    assert first == ["Y90", "Z90"]
    assert codes(2)[0] == ["Y91", "Z91"]
    assert codes(3)[0] == ["Y92", "Z92"]


def test_history_of_a_deleted_record_still_opens(login, superuser, pcn, outsider):
    from django.urls import reverse

    director = actions.add_clinical_director(
        pcn=pcn,
        by=outsider,
        full_name="Dr Gone",
        profession="gp",
        start_date=datetime.date(2024, 1, 1),
    )
    pk = director.pk
    director.delete()
    response = login(superuser).get(
        reverse("admin:pghistory_middlewareevents_changelist"),
        {"method": "tracks", "obj": f"networks.ClinicalDirector:{pk}"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Clinical director {pk} (deleted)" in page
    listed = page.split('id="result_list"')[1].split("</table>")[0]
    assert re.findall(r"<td[^>]*>(Created|Changed|Deleted)</td>", listed) == ["Deleted", "Created"]
    assert listed.count("Dr Gone") == 2
    filters = page.split('id="changelist-filter"')[1]
    assert "This record&#x27;s" in filters and "With records that refer to it" in filters
    assert ">networks.ClinicalDirector:" not in filters


def test_an_unknown_kind_of_record_in_the_address_is_refused_not_a_crash(login, superuser):
    from django.urls import reverse

    url = reverse("admin:pghistory_middlewareevents_changelist")
    response = login(superuser).get(url, {"event_model": "nope.nothing"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


HISTORY_URL = "/admin/pghistory/middlewareevents/"


@pytest.fixture
def history_reader(db):
    """Staff who may read the audit history and networks in admin, but not users."""
    from django.contrib.auth.models import Permission

    from tests.conftest import make_user

    user = make_user("hana.history", first_name="Hana", last_name="History", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_middlewareevents"),
        Permission.objects.get(codename="view_primarycarenetwork"),
    )
    return user


def listed_rows(response):
    return response.content.decode().split('id="result_list"')[1].split("</table>")[0]


@pytest.mark.parametrize("method", [None, "", "everything"])
def test_a_record_history_without_a_known_method_shows_only_that_record(
    login, superuser, pcn, outsider, method
):
    other = PrimaryCareNetworkFactory(
        code="U99002", name="UNRELATED PCN", lead_commissioner=pcn.lead_commissioner, bare=True
    )
    actions.update_pcn(pcn=other, by=outsider, changes={"name": "STILL UNRELATED PCN"})
    query = {"obj": f"networks.PrimaryCareNetwork:{pcn.pk}"}
    if method is not None:
        query["method"] = method
    client = login(superuser)

    response = client.get(HISTORY_URL, query)
    assert response.status_code == 302
    assert "method=tracks" in response["Location"]

    rows = listed_rows(client.get(response["Location"]))
    assert "U99001" in rows
    assert "U99002" not in rows


@pytest.mark.parametrize(
    "obj",
    [
        "networks.PrimaryCareNetwork:abc",
        "networks.PrimaryCareNetwork:",
        "networks.PrimaryCareNetwork",
        "nope.nothing:1",
    ],
)
def test_a_malformed_record_in_the_address_is_not_found(login, superuser, obj):
    response = login(superuser).get(HISTORY_URL, {"method": "tracks", "obj": obj})
    assert response.status_code == 404


def test_staff_without_the_history_permission_are_refused_before_the_record_is_read(login, db):
    from tests.conftest import make_user

    staff = make_user("sam.staff", is_staff=True)
    response = login(staff).get(
        HISTORY_URL, {"method": "tracks", "obj": "networks.PrimaryCareNetwork:abc"}
    )
    assert response.status_code == 403


def test_a_record_the_reader_may_not_see_in_admin_cannot_be_named(
    login, history_reader, superuser, pcn
):
    client = login(history_reader)
    response = client.get(HISTORY_URL, {"method": "tracks", "obj": f"auth.User:{superuser.pk}"})
    assert response.status_code == 404
    assert superuser.username not in response.content.decode()
    assert client.get(HISTORY_URL, {"model": "auth.User"}).status_code == 404

    # A network, which they may view in admin, opens under its name.
    response = client.get(
        HISTORY_URL, {"method": "tracks", "obj": f"networks.PrimaryCareNetwork:{pcn.pk}"}
    )
    assert response.status_code == 200
    assert "Old Name PCN (U99001)" in response.content.decode()


@pytest.mark.parametrize(
    ("back", "shown"),
    [
        ("/admin/networks/primarycarenetwork/", True),
        ("https://evil.example/phish", False),
        ("//evil.example/phish", False),
        ("/\\evil.example/phish", False),
        ("javascript:alert(1)", False),
    ],
)
def test_the_back_link_only_leads_to_this_site(login, superuser, pcn, back, shown):
    response = login(superuser).get(
        HISTORY_URL,
        {"method": "tracks", "obj": f"networks.PrimaryCareNetwork:{pcn.pk}", "back": back},
    )
    assert response.status_code == 200
    links = re.findall(r'<a href="([^"]*)" class="back">Back</a>', response.content.decode())
    assert links == ([back] if shown else [])
