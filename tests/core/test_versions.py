"""Two people editing the same record: the second save is refused, naming who saved first
and when, showing their value beside yours; nothing of either is lost."""

import re

import pytest
from django.test import Client

from networks.models import PrimaryCareNetwork
from tests.factories import PrimaryCareNetworkFactory, UserFactory

URL = "/admin/networks/primarycarenetwork/{}/change/"


def admin_client(username):
    user = UserFactory(
        username=username,
        email="",
        first_name=username.title(),
        is_staff=True,
        is_superuser=True,
    )
    client = Client()
    client.force_login(user)
    return client


def form_data(page):
    """The change form's fields as the browser would post them (inputs and selects)."""
    data = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        data.setdefault(name, value)
    for name, value in re.findall(r'<input[^>]*value="([^"]*)"[^>]*name="([^"]+)"', page):
        data.setdefault(value, name)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip()
    data.pop("csrfmiddlewaretoken", None)
    return data


@pytest.mark.django_db
def test_the_second_save_is_refused_and_shows_both_values():
    pcn = PrimaryCareNetworkFactory(name="RIVERSIDE PCN", footprint_notes="")
    alice, bob = admin_client("alice"), admin_client("bob")
    url = URL.format(pcn.pk)
    alices_form = form_data(alice.get(url).content.decode())
    bobs_form = form_data(bob.get(url).content.decode())
    assert alices_form["version"] == bobs_form["version"] != ""

    bob_saves = bob.post(url, {**bobs_form, "footprint_notes": "Approved by the ICB in May."})
    assert bob_saves.status_code == 302

    refused = alice.post(url, {**alices_form, "footprint_notes": "Below 30,000 until 2026."})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "bob saved a change to this record on" in page
    assert "Nothing you entered has been saved" in page
    assert (
        "bob saved “Approved by the ICB in May.” here; yours is “Below 30,000 until 2026.”" in page
    )
    assert "Below 30,000 until 2026." in page  # yours, still in the form
    pcn.refresh_from_db()
    assert pcn.footprint_notes == "Approved by the ICB in May."

    # Having seen theirs, saving again keeps yours, knowingly.
    again = alice.post(url, {**form_data(page), "footprint_notes": "Below 30,000 until 2026."})
    assert again.status_code == 302
    pcn.refresh_from_db()
    assert pcn.footprint_notes == "Below 30,000 until 2026."


@pytest.mark.django_db
def test_a_save_with_no_change_in_between_goes_through():
    pcn = PrimaryCareNetworkFactory(name="RIVERSIDE PCN")
    alice = admin_client("alice")
    url = URL.format(pcn.pk)
    form = form_data(alice.get(url).content.decode())
    assert alice.post(url, {**form, "postcode": "ZZ9 9ZZ"}).status_code == 302
    assert PrimaryCareNetwork.objects.get(pk=pcn.pk).postcode == "ZZ9 9ZZ"
