"""What every write shares: one transaction, validation first, and the actor recorded in
the audit history.

Each app's actions.py builds on these. An actor is a user (`by=user`) or a named system
process (`process="import_ods ePCN.xlsx"`); a write with neither is refused.
"""

from contextlib import contextmanager

import pghistory
from django.db import transaction


def actor_context(by=None, process=None):
    if by is None and not process:
        raise ValueError("Every write needs an actor: a user (by=…) or a named process.")
    context = {}
    if by is not None:
        context["user"] = by.pk
        context["username"] = by.get_username()
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


def apply_changes(instance, changes, allowed):
    """Set the given fields on an instance; refuse fields that may not be changed here."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        setattr(instance, name, value)
    return instance
