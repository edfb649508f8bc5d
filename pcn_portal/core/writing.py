"""What every write shares: one transaction, validation first, and the actor recorded in
the audit history.

Each app's actions.py builds on these. An actor is a user (`by=user`) or a named system
process (`process="import_ods ePCN.xlsx"`); a write with neither is refused.
"""

from contextlib import contextmanager

import pghistory
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

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


# SQLSTATEs of the portal's own triggers that refuse a write breaking a rule the database
# holds (workforce.models: a submitted or approved claim is kept as it is). Their message
# is written for the person who tried: it reaches them as a ValidationError.
REFUSED_BY_DATABASE = {"23S01"}


def refusal_message(error):
    """The message of a database error raised by one of the portal's refusing triggers,
    or None for any other error."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) not in REFUSED_BY_DATABASE:
        return None
    return cause.diag.message_primary


@contextmanager
def refusals_as_validation_errors():
    """Turn a refusal by the portal's triggers into a ValidationError with its message (the
    one place that does), so a form or admin page shows it instead of a server error.
    Outside the transaction it wraps: the refused statement's savepoint is rolled back
    first, and an enclosing transaction goes on."""
    try:
        yield
    except DatabaseError as error:
        if (message := refusal_message(error)) is None:
            raise
        raise ValidationError(message, code="refused_by_database") from error


@contextmanager
def writing(by=None, process=None):
    """A transaction whose changes the audit history attributes to the actor. A write the
    database refuses (REFUSED_BY_DATABASE) ends as a ValidationError."""
    with (
        refusals_as_validation_errors(),
        transaction.atomic(),
        pghistory.context(**actor_context(by, process)),
    ):
        yield


def validated_save(instance, **save_kwargs):
    """Validate against every field rule and database constraint, then save.

    Raises ValidationError with a message per field, never an IntegrityError for a rule
    the model declares.
    """
    instance.full_clean()
    instance.save(**save_kwargs)
    return instance


# The first key of the portal's transaction-scoped advisory locks (PostgreSQL's two-key
# form; the ARRS hours triggers hold 20260001, workforce.models).
ONE_AT_A_TIME_LOCK_CLASS = 20260002


def one_at_a_time(*key):
    """Hold, until the transaction ends, the lock of what `key` names (the claim for a
    network's month, a new partner's name): writers of the same thing go one at a time,
    each seeing what the one before it saved, where the check that it exists and the
    insert would otherwise both pass for two at once. Waits while another holds it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
            [ONE_AT_A_TIME_LOCK_CLASS, ":".join(str(part) for part in key)],
        )


# PostgreSQL's codes for a row refused for clashing with another (a unique constraint, an
# exclusion constraint): two people saving the same thing at the same moment.
CLASHES = {"23505", "23P01"}
CLASH = (
    "Someone else saved the same details at the same moment, so nothing of yours has been "
    "saved. Check the page, then save again."
)


def is_clash(error):
    """An IntegrityError for a row that clashes with another one: the database's last word
    on a rule that validation checked before someone else's save of the same thing
    committed."""
    return getattr(error.__cause__, "sqlstate", None) in CLASHES


def clash_message(error):
    """What a clash means, in the words of the constraint the models declare for it."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    return constraint_messages().get(name, CLASH)


def constraint_messages():
    """{constraint name: its violation message} of every model's declared constraints that
    says one of its own."""
    return {
        constraint.name: constraint.get_violation_error_message()
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if constraint.violation_error_message != constraint.default_violation_error_message
    }


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
