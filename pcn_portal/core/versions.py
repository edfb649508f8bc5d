"""Edits that never overwrite each other.

A record's version is the id of the newest change to it in the audit history (every
write, from a page, admin, an import or the shell, leaves one), so no column is needed and
the version also says who made it and when. A form carries the versions it was opened
with, one for each record it edits (a post's form edits the post and the person in it,
whose name and registration are theirs). Saving over a record someone changed meanwhile is
refused, naming who and when and showing their value beside yours on every field they
changed, whichever record it lives on; nothing of either is lost: theirs stays saved,
yours stays in the form to save again.

Which fields someone changed is read from the history too: the record as it was when the
form was opened (its change with the opened version) against each change since.
"""

import functools
import itertools
from decimal import Decimal
from typing import NamedTuple

import pghistory.core
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.utils import timezone

from pcn_portal.core.form_messages import NHSMessagesMixin


def actor(context):
    """Who made a change: the person by name (as it was when they made it), the named
    process, or both."""
    context = context or {}
    who = context.get("name") or context.get("username")
    who = who or ("a signed-in user" if context.get("user") else "")
    process = context.get("process", "")
    if who and process:
        return f"{who} ({process})"
    return who or process or "not recorded (direct database change)"


@functools.cache
def event_model(model):
    found = pghistory.core.event_models(tracks_model=model)
    return found[0] if found else None


def latest_change(instance):
    """The newest audit history event of a saved record, or None."""
    events = event_model(type(instance)._meta.concrete_model)
    if events is None or instance.pk is None:
        return None
    return (
        events.objects.filter(pgh_obj_id=instance.pk)
        .select_related("pgh_context")
        .order_by("-pgh_id")
        .first()
    )


def version_of(instance):
    change = latest_change(instance)
    return change.pgh_id if change else 0


def person(context):
    """Who made a change, as the people reading a form know them: the person's name (never
    their login), or the named process that made it."""
    context = context or {}
    if context.get("name"):
        return context["name"]
    if context.get("user"):
        user = get_user_model().objects.filter(pk=context["user"]).first()
        name = user.get_full_name().strip() if user else ""
        return name or "Another user"
    return context.get("process") or "A change made directly in the database"


def who_made(change):
    return person(change.pgh_context.metadata if change.pgh_context else {})


def changes_since(record, opened):
    """Which fields of a saved record were changed after its version `opened`, each with
    the change that last set it: {field name: change}. None when the history does not hold
    that version (a record new when the form was opened): no field can be told apart."""
    events = event_model(type(record)._meta.concrete_model)
    since = list(
        events.objects.filter(pgh_obj_id=record.pk, pgh_id__gte=opened)
        .select_related("pgh_context")
        .order_by("pgh_id")
    )
    if not since or since[0].pgh_id != opened:
        return None
    kept = {f.name for f in events._meta.concrete_fields}
    fields = [f for f in type(record)._meta.concrete_fields if not f.primary_key and f.name in kept]
    changed = {}
    for before, change in itertools.pairwise(since):
        for field in fields:
            if getattr(change, field.attname) != getattr(before, field.attname):
                changed[field.name] = change
    return changed


def shown(value):
    """A value as a network manager reads it: a date in words, money with its commas."""
    if value in (None, ""):
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def same(theirs, yours):
    """A stored value and a form's are the same (a blank is a blank, None or "")."""
    if isinstance(yours, models.Model):
        yours = yours.pk
    return (None if theirs == "" else theirs) == (None if yours == "" else yours)


def parse_versions(text):
    """The versions a form was opened with ("812" or, for two records, "812,77"), or None
    when it was posted without them (a script: nothing to compare)."""
    if not text:
        return None
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise ValidationError(
            "This form was sent without the version it was opened with. Nothing has been "
            "saved: open the page again and save from there.",
            code="version",
        ) from None


class Changes(NamedTuple):
    changes: list
    elsewhere: list
    beside: bool


class VersionedFormMixin(NHSMessagesMixin):
    """For a ModelForm, or a Form given the record it changes as `self.instance` before
    this __init__ runs: a hidden version for each record the form edits
    (`versioned_records`), checked when the form is cleaned. Clean it inside the
    transaction that saves (admin's change form does; a view saves through
    pcn_portal.core.forms.save_form), so the rows are locked between the check and the
    save."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["version"] = self.versions()

    def versioned_records(self):
        """The records the form edits, in the order their rows are locked: its instance. A
        form that edits more names them all; each field is checked on the first of them
        whose model has it."""
        return [self.instance]

    def versions(self):
        return ",".join(str(version_of(record)) for record in self.versioned_records())

    def clean(self):
        cleaned = super().clean()
        records = self.versioned_records()
        saved = [record for record in records if record.pk is not None]
        if not saved:
            return cleaned
        if connection.in_atomic_block:
            for record in saved:
                type(record)._default_manager.select_for_update().filter(pk=record.pk).exists()
        opened = parse_versions(cleaned.get("version"))
        if opened is None:
            return cleaned
        opened = (opened + [0] * len(records))[: len(records)]
        current = [version_of(record) for record in records]
        if opened != current:
            self.refuse(records, opened, current, cleaned)
        return cleaned

    def refuse(self, records, opened, current, cleaned):
        """Show who changed what since the form was opened, beside the form's values, and
        carry the versions saved now, so that saving again is over their change, knowingly."""
        changes, elsewhere, beside = [], [], False
        for record, was, now in zip(records, opened, current, strict=True):
            if record.pk is not None and was != now:
                found = self.show_changes(record, was, cleaned)
                changes += found.changes
                elsewhere += found.elsewhere
                beside = beside or found.beside
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = ",".join(map(str, current))
        raise ValidationError(self.conflict_text(changes, elsewhere, beside), code="conflict")

    def show_changes(self, record, opened, cleaned):
        """Put their value beside yours on each field of the form someone changed on this
        record since the form was opened. Returns those changes, the changes to fields the
        form does not show as (who, what, their value), and whether any value was put beside
        a field."""
        model = type(record)
        latest = latest_change(record)
        if latest is None:  # its history is gone: nothing to name
            return Changes([], [], False)
        stored = model._default_manager.filter(pk=record.pk).first()
        if stored is None:  # removed meanwhile: the message says who and when
            return Changes([latest], [], False)
        on_form = self.fields_on(record)
        changed = changes_since(record, opened)
        if changed is None:  # the version opened is not in the history: compare values
            changed = {
                name: latest
                for name in on_form
                if name in cleaned and not same(stored_value(stored, name), cleaned[name])
            }
        elsewhere, beside = [], False
        for name, change in changed.items():
            field = model._meta.get_field(name)
            theirs, who = self.text(field, getattr(stored, name)), who_made(change)
            if name not in on_form:
                elsewhere.append((who, field.verbose_name, theirs))
            elif name not in cleaned:
                self.add_error(name, f"{who} saved “{theirs}” here.")
                beside = True
            elif not same(stored_value(stored, name), cleaned[name]):
                yours = self.text(field, cleaned[name])
                self.add_error(name, f"{who} saved “{theirs}” here; yours is “{yours}”.")
                beside = True
        return Changes([latest, *changed.values()], elsewhere, beside)

    def fields_on(self, record):
        """The form's fields that live on this record (and on no record named before it)."""
        records = self.versioned_records()
        before = [type(r) for r in records[: records.index(record)]]
        return [
            name
            for name in self.fields
            if has_field(type(record), name) and not any(has_field(m, name) for m in before)
        ]

    def text(self, field, value):
        """A value as the form offers it: a choice by its label, a record by its name."""
        if field.is_relation or value in (None, ""):
            return shown(value)
        choices = getattr(self.fields.get(field.name), "choices", None) or field.flatchoices
        labels = {str(key): label for key, label in choices if not isinstance(label, list | tuple)}
        return str(labels.get(str(value), shown(value)))

    def conflict_text(self, changes, elsewhere, beside):
        """Who saved over the form, and when; what to do now. `beside`: whether their
        values are shown beside the form's fields."""
        changes = sorted(dict.fromkeys(changes), key=lambda change: change.pgh_created_at)
        noun = type(self.instance)._meta.verbose_name
        if not changes:
            return (
                f"This {noun} was changed after you opened it. Nothing you entered has been saved."
            )
        people = list(dict.fromkeys(who_made(change) for change in changes))
        last = timezone.localtime(changes[-1].pgh_created_at)
        who, when = " and ".join(people), f"{last.day} {last:%B %Y at %H:%M}"
        if any(change.pgh_label == "delete" for change in changes):
            return (
                f"{who} removed this {noun} on {when}, after you opened it. Nothing you "
                "entered has been saved."
            )
        saved = "a change" if len(changes) == 1 else "changes"
        text = (
            f"{who} saved {saved} to this {noun} on {when}, after you opened it. Nothing you "
            "entered has been saved."
        )
        if beside:
            text += (
                " Their values are shown beside the fields they changed; check them, then "
                "save again to keep yours."
            )
        else:
            text += " Check the page, then save again to keep yours."
        if elsewhere:
            listed = "; ".join(f"{what} “{theirs}” ({by})" for by, what, theirs in elsewhere)
            text += (
                f" They also changed what this form does not show, and saving keeps it: {listed}."
            )
        return text


def has_field(model, name):
    """Whether a model keeps a field by this name (the form's own fields, such as its
    version or a confirmation, are on no model)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and not field.primary_key


def stored_value(record, name):
    return getattr(record, record._meta.get_field(name).attname)


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    pass
