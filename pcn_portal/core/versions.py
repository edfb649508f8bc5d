"""Edits that never overwrite each other.

A record's version is the id of the newest change to it in the audit history (every
write, from a page, admin, an import or the shell, leaves one), so no column is needed and
the version also says who made it and when. A form carries the version it was opened
with; saving over a record someone changed meanwhile is refused, naming who and when and
showing their value beside yours, and nothing of either is lost: theirs stays saved, yours
stays in the form to save again.
"""

import functools

import pghistory.core
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone


def actor(context):
    """Who made a change: the user, the named process, or both."""
    context = context or {}
    who = context.get("username") or (f"user {context['user']}" if context.get("user") else "")
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


def shown(value):
    if value in (None, ""):
        return "blank"
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    return str(value)


class VersionedFormMixin:
    """For a ModelForm: a hidden version, checked when the form is cleaned. Clean it inside
    the transaction that saves (admin's change form does; a view saves through
    pcn_portal.core.forms.save_form), so the row is locked between the check and the save."""

    conflict_message = (
        "{who} saved a change to this record on {when}, after you opened it. Nothing you "
        "entered has been saved. Their values are shown beside the fields you changed; "
        "check them, then save again to keep yours."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["version"] = version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        if connection.in_atomic_block:
            type(instance)._default_manager.select_for_update().filter(pk=instance.pk).exists()
        opened = cleaned.get("version")
        if opened is None:
            return cleaned  # posted without the form's version (a script): nothing to compare
        change = latest_change(instance)
        current = change.pgh_id if change else 0
        if current == opened:
            return cleaned
        saved = type(instance)._default_manager.get(pk=instance.pk)
        context = change.pgh_context.metadata if change.pgh_context else {}
        who, when = actor(context), timezone.localtime(change.pgh_created_at)
        for name in self.changed_data:
            if name == "version" or name not in self.fields:
                continue
            field = type(instance)._meta.get_field(name)
            theirs = getattr(saved, field.attname if field.is_relation else name)
            yours = cleaned.get(name)
            yours = getattr(yours, "pk", yours) if field.is_relation else yours
            if theirs != yours:
                theirs_text = shown(getattr(saved, name)) if field.is_relation else shown(theirs)
                self.add_error(
                    name,
                    f"{who} saved “{theirs_text}” here; yours is “{shown(cleaned.get(name))}”.",
                )
        # The next save is over their change, knowingly: carry its version.
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = current
        raise ValidationError(
            self.conflict_message.format(who=who, when=f"{when:%d %B %Y at %H:%M}"),
            code="conflict",
        )


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    pass
