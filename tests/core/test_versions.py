"""Two people editing the same record: the second save is refused, naming who saved first
and when, showing their value beside yours on every field they changed, whichever record
of the form it lives on; nothing of either is lost."""

import re

import pytest
from django import forms
from django.test import Client

from networks import actions
from networks.models import PrimaryCareNetwork
from pcn_portal.core.forms import save_form
from pcn_portal.core.versions import VersionedFormMixin, version_of
from tests.factories import ClinicalDirectorFactory, PrimaryCareNetworkFactory, UserFactory

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
    assert "Bob saved a change to this primary care network on" in page  # his name, not login
    assert "Nothing you entered has been saved" in page
    assert (
        "Bob saved “Approved by the ICB in May.” here; yours is “Below 30,000 until 2026.”" in page
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


class DirectorAndNetworkForm(VersionedFormMixin, forms.Form):
    """A form over two records: a clinical director's name and their network's notes."""

    full_name = forms.CharField()
    footprint_notes = forms.CharField(required=False)

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def versioned_records(self):
        return [self.instance, self.instance.pcn]


def opened_form(director):
    form = DirectorAndNetworkForm(instance=director)
    return {"version": form.initial["version"], "full_name": director.full_name,
            "footprint_notes": director.pcn.footprint_notes}  # fmt: skip


def saved_by_form(data, director):
    """Bind the form as the page would (the records read afresh) and save through
    save_form; the form, and whether anything was saved."""
    director = type(director).objects.select_related("pcn").get(pk=director.pk)
    form = DirectorAndNetworkForm(data, instance=director)
    return form, save_form(form, lambda cleaned: True)


@pytest.fixture
def director(db):
    return ClinicalDirectorFactory(full_name="Dr Ada Lead", pcn__footprint_notes="")


def someone(first_name, last_name=""):
    return UserFactory(username=f"{first_name.lower()}.login", first_name=first_name,
                       last_name=last_name)  # fmt: skip


def test_a_form_of_two_records_carries_a_version_for_each(director):
    data = opened_form(director)
    assert data["version"] == f"{version_of(director)},{version_of(director.pcn)}"


def test_a_change_to_the_second_record_is_refused_with_the_name_of_who_made_it(director):
    data = opened_form(director)
    actions.update_pcn(pcn=director.pcn, by=someone("Bob", "Brown"),
                       changes={"footprint_notes": "Approved in May."})  # fmt: skip

    form, saved = saved_by_form({**data, "full_name": "Dr Ada Lovelace"}, director)

    assert saved is None
    assert form.errors["footprint_notes"] == [
        "Bob Brown saved “Approved in May.” here; yours is “blank”."
    ]
    assert "full_name" not in form.errors  # nobody else changed the name
    assert form.non_field_errors()[0].startswith(
        "Bob Brown saved a change to this clinical director on"
    )
    assert "bob.login" not in str(form.errors)
    # The form now carries the versions saved, so saving again is over Bob's change.
    assert form.data["version"] == f"{version_of(director)},{version_of(director.pcn)}"


def test_a_change_to_a_field_the_form_does_not_show_is_named(director):
    data = opened_form(director)
    actions.update_clinical_director(director=director, by=someone("Cy"), changes={"share": "0.5"})

    form, saved = saved_by_form(data, director)

    assert saved is None
    message = form.non_field_errors()[0]
    assert message.startswith("Cy saved a change to this clinical director on")
    assert "Check the page, then save again to keep yours." in message
    assert "They also changed what this form does not show, and saving keeps it: " in message
    assert "share “0.50” (Cy)" in message


def test_each_person_is_named_beside_the_field_they_changed(director):
    data = opened_form(director)
    actions.update_clinical_director(director=director, by=someone("Cy"),
                                     changes={"full_name": "Dr Ada Byron"})  # fmt: skip
    actions.update_pcn(pcn=director.pcn, by=someone("Di"), changes={"footprint_notes": "Small."})

    form, _ = saved_by_form({**data, "full_name": "Dr Ada Lovelace"}, director)

    assert form.errors["full_name"] == ["Cy saved “Dr Ada Byron” here; yours is “Dr Ada Lovelace”."]
    assert form.errors["footprint_notes"] == ["Di saved “Small.” here; yours is “blank”."]
    assert form.non_field_errors()[0].startswith(
        "Cy and Di saved changes to this clinical director"
    )


def test_a_version_that_is_not_one_is_refused_not_a_server_error(director):
    form, saved = saved_by_form({**opened_form(director), "version": "12;DROP"}, director)
    assert saved is None
    assert "sent without the version it was opened with" in form.non_field_errors()[0]
