"""Bringing a table in line with a published file: create what is new, update what
changed, leave the rest untouched — in bulk, and counting each.

A row whose values already match is not written at all, so a second import of the same
file changes nothing and leaves no audit history.
"""

from dataclasses import dataclass, field

from django.db import models


@dataclass
class Outcome:
    """What an import did (or, on a dry run, would do) to one kind of record."""

    kind: str
    created: int = 0
    updated: int = 0
    closed: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    examples: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    EXAMPLES = 5

    def note(self, text):
        if len(self.examples) < self.EXAMPLES:
            self.examples.append(text)

    @property
    def changed(self):
        return self.created + self.updated + self.closed + self.withdrawn

    def summary(self):
        return (
            f"{self.kind}: {self.created} created, {self.updated} updated, "
            f"{self.closed} closed, "
            + (f"{self.withdrawn} withdrawn, " if self.withdrawn else "")
            + f"{self.unchanged} unchanged"
        )


def comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def sync(
    model,
    key,
    rows,
    outcome,
    *,
    fields,
    existing=None,
    batch_size=2000,
    describe=None,
    closing=None,
):
    """Create or update `model` rows from `rows` ({key value: {field: value}}).

    `key` is the natural key field (e.g. "code"); `fields` the fields the file owns.
    Rows already in the table whose values match are counted unchanged and not written.
    `closing(old, new)` says whether an update is a closure (counted as closed).
    Returns {key value: instance} for every row in the file.
    """
    if existing is None:
        existing = {
            getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": list(rows)})
        }
    describe = describe or (lambda k, values: str(k))
    attnames = {f.name: f.attname for f in model._meta.concrete_fields}

    def stored(obj, name):
        # Foreign keys are compared by id, without loading the related row.
        return getattr(obj, attnames[name])

    to_create, to_update, result = [], [], {}
    for k, values in rows.items():
        obj = existing.get(k)
        if obj is None:
            obj = model(**{key: k}, **values)
            to_create.append(obj)
            outcome.created += 1
            outcome.note(f"created {describe(k, values)}")
        else:
            changes = {f: v for f, v in values.items() if stored(obj, f) != comparable(v)}
            if changes:
                if closing and closing(obj, changes):
                    outcome.closed += 1
                    outcome.note(f"closed {describe(k, values)}")
                else:
                    outcome.updated += 1
                    before = ", ".join(
                        f"{f} {getattr(obj, f)!r} → {v!r}" for f, v in changes.items()
                    )
                    outcome.note(f"updated {describe(k, values)}: {before}")
                for f, v in changes.items():
                    setattr(obj, f, v)
                to_update.append(obj)
            else:
                outcome.unchanged += 1
        result[k] = obj
    if to_create:
        model.objects.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=batch_size)
    return result
