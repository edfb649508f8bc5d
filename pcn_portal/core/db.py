"""Pieces shared by the domain models: dated spells, ODS code checks, financial years.

Every end date is the last day (inclusive): see pcn_portal.core.dates."""

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Deferrable, F, Func, Q

from pcn_portal.core.dates import (  # noqa: F401 (the models' one place for these)
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    today,
)


class DateRange(Func):
    """PostgreSQL daterange(start, end, '[]'): a spell from its first to its last day
    inclusive, open-ended when end is null."""

    function = "DATERANGE"
    output_field = models.DateField()  # only ever compared inside constraints and lookups
    bounds = "[]"

    def __init__(self, start, end, **extra):
        super().__init__(start, end, models.Value(self.bounds), **extra)


def ods_code_validator(pattern, description):
    return RegexValidator(f"^(?:{pattern})$", f"Enter a valid {description}.")


# ODS code formats (DOMAIN.md §1.6). The check constraints below repeat these patterns in
# the database, so a row that bypasses the forms still cannot break them.
PCN_CODE = r"U[0-9]{5}"
PRACTICE_CODE = r"[A-Z][0-9]{5}"
SUB_ICB_CODE = r"[0-9A-Z]{3}|[0-9A-Z]{5}"
ICB_CODE = r"Q[0-9A-Z]{2}"
REGION_CODE = r"Y[0-9]{2}"


def code_format_constraint(name, pattern, field="code"):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__regex": f"^({pattern})$"}),
        name=name,
        violation_error_message="The ODS code is not in the format ODS uses for this organisation.",
    )


def dates_in_order_constraint(name, start="start_date", end="end_date"):
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
        violation_error_message="The end date must not be before the start date.",
    )


def no_overlap_constraint(
    name, *equal_fields, start="start_date", end="end_date", message, condition=None
):
    """No two rows with the same `equal_fields` share a day (end dates inclusive, so a
    spell ending on 31 March and one starting on 31 March share it). Checked at each
    statement, but deferrable, so an import that rewrites many spells can check once at
    commit. `condition` limits the rule to the rows it matches."""
    return ExclusionConstraint(
        name=name,
        deferrable=Deferrable.IMMEDIATE,
        condition=condition,
        expressions=[
            *((field, RangeOperators.EQUAL) for field in equal_fields),
            (DateRange(start, end), RangeOperators.OVERLAPS),
        ],
        violation_error_message=message,
    )


class SpellQuerySet(models.QuerySet):
    """Rows with a start date and an optional end date, the last day (inclusive): the one
    way to ask which rows are in force on a day or over a span."""

    start_field = "start_date"
    end_field = "end_date"

    def in_force(self):
        """The rows that hold days at all; a model whose rows can hold none narrows this."""
        return self

    def current(self, on=None):
        """Rows in force on `on` (default today): started on or before it, and ending on
        or after it or not at all."""
        on = on or today()
        return self.in_force().filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": on}),
            **{f"{self.start_field}__lte": on},
        )

    def overlapping(self, start, end):
        """Rows in force on at least one day from `start` to `end` (its last day; None =
        open)."""
        q = Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gte": start})
        if end is not None:
            q &= Q(**{f"{self.start_field}__lte": end})
        return self.in_force().filter(q)


def track_history():
    """django-pghistory's tracking of every insert, update and delete, with the event table
    indexed on (time, event id) and on (kind of change, time, event id): the orders the
    audit history reads each table's newest events in (pcn_portal.history.audit.page_keys)."""
    return pghistory.track(
        meta={
            "indexes": [
                models.Index(fields=["pgh_created_at", "pgh_id"]),
                # The list filtered by kind of change (only updates, only deletions).
                models.Index(fields=["pgh_label", "pgh_created_at", "pgh_id"]),
            ]
        }
    )


def synthetic_field():
    """Marks a row made up by `manage.py seed_national` (a synthetic layer over the real
    ODS files, for trying the portal at national scale): never a real record, never shown
    as one."""
    return models.BooleanField(
        default=False,
        editable=False,
        help_text="Made up by manage.py seed_national for national-scale testing; not real.",
    )


class FinancialYearField(models.PositiveSmallIntegerField):
    """A financial year stored as the calendar year it starts in (2025 = 2025/26)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text", "The calendar year the financial year starts in: 2025 for 2025/26."
        )
        super().__init__(*args, **kwargs)
