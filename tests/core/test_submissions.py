"""An add form saves once however many times it is sent: a copy sent again (a double
click, a second tab) is answered with what the first saved; a copy with other values, or
of a record since removed, saves nothing and says so; a form refused leaves its token free
for the corrected form."""

import datetime
import threading

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection

from networks.actions import add_partner_organisation
from networks.models import ClinicalDirector, PartnerOrganisation
from pcn_portal.core import submissions
from pcn_portal.core.forms import save_form
from pcn_portal.core.models import Submission
from pcn_portal.core.submissions import CHANGED, GONE, TOKEN_FIELD, SubmitOnceMixin
from tests.factories import ClinicalDirectorFactory

D = datetime.date


class PartnerForm(SubmitOnceMixin, forms.Form):
    name = forms.CharField(max_length=200)


class DirectorForm(SubmitOnceMixin, forms.ModelForm):
    class Meta:
        model = ClinicalDirector
        fields = ["full_name"]


def drawn():
    """The form as a page draws it: its token among its values."""
    return PartnerForm().initial[TOKEN_FIELD]


def sent(token, name="Riverside Community Trust"):
    return PartnerForm({"name": name, TOKEN_FIELD: token})


def adds_partner(by):
    calls = []

    def action(data):
        calls.append(data["name"])
        return add_partner_organisation(by=by, name=data["name"], kind="community")

    return action, calls


def test_each_form_drawn_carries_a_token_of_its_own_and_an_edit_carries_none(db):
    first, second = drawn(), drawn()
    assert first != second and len(first) >= 40
    assert TOKEN_FIELD not in DirectorForm(instance=ClinicalDirectorFactory()).fields
    assert TOKEN_FIELD in DirectorForm().fields


def test_a_copy_sent_again_gets_what_the_first_saved_and_saves_nothing(superuser):
    action, calls = adds_partner(superuser)
    token = drawn()
    first = save_form(sent(token), action)
    copy = sent(token)
    again = save_form(copy, action)
    assert again == first and again.name == "Riverside Community Trust"
    assert calls == ["Riverside Community Trust"]
    assert copy.already_saved
    assert PartnerOrganisation.objects.filter(name="Riverside Community Trust").count() == 1


def test_a_form_sent_without_its_token_saves_each_time_as_before(superuser):
    saved = []
    for _ in range(2):
        form = PartnerForm({"name": "Hill Hospice"})
        saved.append(save_form(form, lambda data: add_director(superuser)))
    assert saved[0] != saved[1]


def add_director(by):
    from networks.actions import add_clinical_director
    from tests.factories import PrimaryCareNetworkFactory

    return add_clinical_director(
        pcn=PrimaryCareNetworkFactory(),
        by=by,
        full_name="Dr Ada Lead",
        profession="gp",
        start_date=D(2025, 4, 1),
    )


def test_a_copy_with_other_values_saves_nothing_says_so_and_can_then_be_saved(superuser):
    action, calls = adds_partner(superuser)
    token = drawn()
    save_form(sent(token, "Riverside Community Trust"), action)
    changed = sent(token, "Hill Hospice")
    assert save_form(changed, action) is None
    assert changed.non_field_errors() == [CHANGED]
    fresh = changed.data[TOKEN_FIELD]
    assert fresh != token
    assert save_form(sent(fresh, "Hill Hospice"), action).name == "Hill Hospice"
    assert calls == ["Riverside Community Trust", "Hill Hospice"]


def test_a_copy_of_a_form_whose_record_was_removed_since_says_so(superuser):
    action, _ = adds_partner(superuser)
    token = drawn()
    save_form(sent(token), action).delete()
    copy = sent(token)
    assert save_form(copy, action) is None
    assert copy.non_field_errors() == [GONE]
    assert not PartnerOrganisation.objects.exists()


def test_a_form_refused_leaves_its_token_for_the_corrected_form(superuser):
    action, calls = adds_partner(superuser)
    token = drawn()
    invalid = sent(token, "")
    assert save_form(invalid, action) is None and "name" in invalid.errors

    def refused(data):
        raise ValidationError("The partner's name is taken.")

    assert save_form(sent(token), refused) is None
    assert save_form(sent(token), action).name == "Riverside Community Trust"
    assert calls == ["Riverside Community Trust"]


def test_an_add_action_returns_the_record_it_saved(db):
    with pytest.raises(ImproperlyConfigured, match="returns the record it saved"):
        save_form(sent(drawn()), lambda data: "saved")


def test_an_action_that_saved_nothing_leaves_the_token_free(superuser):
    action, calls = adds_partner(superuser)
    token = drawn()
    assert save_form(sent(token), lambda data: None) is None
    assert save_form(sent(token), action) is not None
    assert calls == ["Riverside Community Trust"]


def test_tokens_are_forgotten_a_day_after(superuser, time_machine):
    time_machine.move_to("2026-03-01 09:00")
    action, _ = adds_partner(superuser)
    save_form(sent(drawn()), action)
    time_machine.move_to("2026-03-02 08:59")
    submissions.forget_old()
    assert Submission.objects.count() == 1
    time_machine.move_to("2026-03-02 09:01")
    submissions.forget_old()
    assert Submission.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_copies_sent_at_the_same_moment_save_once_and_both_get_the_record(superuser):
    """Each copy in its own database connection: the second waits on the first's token
    until the first commits, then finds what it saved."""
    token, start, results = drawn(), threading.Barrier(2), {}

    def send(name):
        try:
            action, _ = adds_partner(superuser)
            start.wait(timeout=10)
            form = sent(token)
            results[name] = (save_form(form, action).pk, getattr(form, "already_saved", False))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert PartnerOrganisation.objects.count() == 1
    pk = PartnerOrganisation.objects.get().pk
    assert sorted(results.values()) == [(pk, False), (pk, True)]
