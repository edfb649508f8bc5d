"""The one way from a form to an action: cleaned and saved in one transaction, the action's
refusals shown on the form, nothing saved when anything is refused."""

import datetime

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ValidationError
from django.db import IntegrityError, connection
from django.test import RequestFactory

from networks.actions import add_partner_organisation
from networks.models import PartnerOrganisation
from pcn_portal.core.forms import add_errors, changes_from, fields_from, posted, save_form

D = datetime.date


class PersonForm(forms.Form):
    full_name = forms.CharField(max_length=40)
    start_date = forms.DateField()

    def clean(self):
        # The transaction the form is cleaned in (a versioned form locks its row here).
        self.cleaned_in = connection.atomic_blocks[-1] if connection.in_atomic_block else None
        return super().clean()


class RoleForm(forms.Form):
    prefix = "role"
    role = forms.CharField(max_length=40)


def valid_person():
    return PersonForm({"full_name": "Dr Ada Lead", "start_date": "2025-04-01"})


def test_a_valid_form_runs_the_action_once_in_the_transaction_that_cleaned_it(db):
    outer = list(connection.atomic_blocks)
    calls = []

    def action(data):
        calls.append((dict(data), connection.atomic_blocks[-1]))
        return "saved"

    form = valid_person()
    assert save_form(form, action) == "saved"
    assert len(calls) == 1
    data, transaction = calls[0]
    assert data == {"full_name": "Dr Ada Lead", "start_date": D(2025, 4, 1)}
    assert transaction is form.cleaned_in
    assert not any(transaction is block for block in outer)  # its own, not the caller's


def test_an_invalid_form_never_calls_the_action(db):
    calls = []
    form = PersonForm({"full_name": "", "start_date": "not a date"})
    assert save_form(form, calls.append) is None
    assert calls == []
    assert set(form.errors) == {"full_name", "start_date"}


def test_the_actions_refusal_lands_beside_each_field_and_at_the_top_with_nothing_saved(
    superuser,
):
    def action(data):
        add_partner_organisation(by=superuser, name="Half Saved Trust", kind="other")
        raise ValidationError(
            {
                "full_name": "Someone of that name is already in post.",
                NON_FIELD_ERRORS: "Someone changed this record after you opened it.",
                "pcn": "The record belongs to another network.",  # a field the form lacks
            }
        )

    form = valid_person()
    assert save_form(form, action) is None
    assert form.errors["full_name"] == ["Someone of that name is already in post."]
    assert form.non_field_errors() == [
        "Someone changed this record after you opened it.",
        "The record belongs to another network.",
    ]
    assert not PartnerOrganisation.objects.filter(name="Half Saved Trust").exists()


def test_a_refusal_with_no_field_lands_at_the_top(db):
    def action(data):
        raise ValidationError(["The claim is approved.", "It cannot be changed."])

    form = valid_person()
    assert save_form(form, action) is None
    assert form.non_field_errors() == ["The claim is approved.", "It cannot be changed."]
    assert "full_name" not in form.errors


def test_more_forms_on_the_page_are_cleaned_with_it_and_take_their_fields_errors(db):
    calls = []
    person, role = valid_person(), RoleForm({"role-role": ""})
    assert save_form(person, calls.append, others=[role]) is None
    assert calls == [] and "role" in role.errors

    def action(data):
        raise ValidationError({"role": "Not a role in this network.", "full_name": "Too long."})

    person, role = valid_person(), RoleForm({"role-role": "Pharmacist"})
    assert save_form(person, action, others=[role]) is None
    assert role.errors["role"] == ["Not a role in this network."]
    assert person.errors["full_name"] == ["Too long."]


def test_a_clash_the_database_refuses_is_shown_on_the_form_with_nothing_saved(superuser):
    """Validation passed before someone else's save of the same thing committed: the
    database's refusal reads as the constraint's meaning, not a server error."""
    PartnerOrganisation.objects.create(name="Hill Hospice", kind="voluntary")

    def action(data):
        add_partner_organisation(by=superuser, name="Half Saved Trust", kind="other")
        return PartnerOrganisation.objects.create(name="Hill Hospice", kind="voluntary")

    form = valid_person()
    assert save_form(form, action) is None
    assert form.non_field_errors() == ["A partner of this kind with this name already exists."]
    assert not PartnerOrganisation.objects.filter(name="Half Saved Trust").exists()


def test_a_row_the_database_refuses_for_another_reason_is_not_hidden(db):
    """A check constraint no validation ran is a defect to see, not a clash to explain."""
    from tests.factories import ClinicalDirectorFactory

    def action(data):
        return ClinicalDirectorFactory(share=5)

    with pytest.raises(IntegrityError, match="clinical_director_share_0_to_1"):
        save_form(valid_person(), action)


def test_add_errors_keeps_each_message_once():
    form = valid_person()
    form.is_valid()
    add_errors(form, ValidationError({"start_date": ["Too early.", "Before the network."]}))
    assert form.errors["start_date"] == ["Too early.", "Before the network."]


def test_a_post_binds_the_form_even_when_empty_and_a_get_does_not():
    requests = RequestFactory()
    assert posted(requests.get("/")) is None
    empty = posted(requests.post("/", {}))
    assert empty is not None and PersonForm(empty).is_bound
    assert not PersonForm(empty).is_valid()


def test_an_actions_changes_are_its_own_fields_from_the_form():
    cleaned = {"full_name": "Dr Ada Lead", "version": 7, "share": 1}
    assert changes_from(cleaned, ["full_name", "start_date", "share"]) == {
        "full_name": "Dr Ada Lead",
        "share": 1,
    }


def test_a_form_showing_fewer_fields_names_only_fields_its_action_allows():
    assert fields_from(["name", "postcode"], "postcode") == ["postcode"]
    with pytest.raises(ImproperlyConfigured, match="code"):
        fields_from(["name", "postcode"], "code")
