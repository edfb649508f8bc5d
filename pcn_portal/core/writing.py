"""What every write shares: one transaction, validation first, and the actor recorded in
the audit history.

Each app's actions.py builds on these. An actor is a user (`by=user`) or a named system
process (`process="import_ods ePCN.xlsx"`); a write with neither is refused.
"""

from contextlib import contextmanager

import pghistory
from django.db import transaction

from pcn_portal.core.names import person_name


def actor_context(by=None, process=None):
    if by is None and not process:
        raise ValueError("Every write needs an actor: a user (by=…) or a named process.")
    context = {}
    if by is not None:
        context["user"] = by.pk
        context["username"] = by.get_username()
        context["name"] = person_name(by)
    if process:
        context["process"] = process
    return context


@contextmanager
def writing(by=None, process=None):
    """A transaction whose changes the audit history attributes to the actor."""
    with transaction.atomic(), pghistory.context(**actor_context(by, process)):
        yield


def validated_save(instance, **save_kwargs):
    """Validate against every field rule and database constraint, then save.

    Raises ValidationError with a message per field, never an IntegrityError for a rule
    the model declares.
    """
    instance.full_clean()
    instance.save(**save_kwargs)
    return instance


class NotWritable(TypeError):
    """A write tried to set a field its action may not change: a programming error, never
    the user's (forms only offer the fields their action allows)."""


def apply_changes(instance, changes, allowed):
    """Set the given fields on an instance; refuse fields that may not be changed here
    (`allowed` is the calling action's own constant), before setting any."""
    refused = set(changes) - set(allowed)
    if refused:
        model = type(instance)._meta.verbose_name
        raise NotWritable(f"A {model}'s {', '.join(sorted(refused))} cannot be changed here.")
    for name, value in changes.items():
        setattr(instance, name, value)
    return instance


def stored_values(instance):
    """A record's concrete field values as the database holds them (a new record: as a
    record made with no arguments would hold them)."""
    model = type(instance)
    if instance._state.adding or instance.pk is None:
        stored = model()
    else:
        stored = model._base_manager.get(pk=instance.pk)
    return {f.attname: f.value_from_object(stored) for f in fields_of(model)}


def fields_of(model):
    # auto_now fields and the primary key are the database's to set, not a writer's.
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]  # fmt: skip


def changed_fields(instance):
    """The names of the fields whose values differ from what the database holds."""
    before = stored_values(instance)
    return sorted(
        f.name
        for f in fields_of(type(instance))
        if f.value_from_object(instance) != before[f.attname]
        and not (instance._state.adding and callable(f.default))  # a default made now
    )


def save_checked(instance, *, by=None, process=None, allowed):
    """Save a record some form has changed (Django admin's change form, an inline row),
    after checking that every field that differs from the stored row is one of `allowed` —
    the fixed list of the action that calls this — and validating every rule."""
    refused = [name for name in changed_fields(instance) if name not in allowed]
    if refused:
        model = type(instance)._meta.verbose_name
        raise NotWritable(f"A {model}'s {', '.join(refused)} cannot be changed here.")
    with writing(by, process):
        return validated_save(instance)


def delete_checked(instance, *, by=None, process=None, deletable):
    """Delete a record when its kind is one of `deletable` (the calling action's fixed
    list); the delete is in the audit history with its actor."""
    if not isinstance(instance, tuple(deletable)):
        raise NotWritable(f"A {type(instance)._meta.verbose_name} cannot be deleted here.")
    with writing(by, process):
        instance.delete()
