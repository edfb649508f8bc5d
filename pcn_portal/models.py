"""Pieces shared by the domain models: dated spells, ODS code checks, financial years."""

import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Deferrable, F, Func, Q


class DateRange(Func):
    """PostgreSQL daterange(start, end, '[)'): a half-open spell, open-ended when end is null."""

    function = "DATERANGE"
    output_field = models.DateField()  # only ever compared inside constraints and lookups

    def __init__(self, start, end, **extra):
        super().__init__(start, end, models.Value("[)"), **extra)


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


def no_overlap_constraint(name, *equal_fields, start="start_date", end="end_date", message):
    """No two rows with the same `equal_fields` share a day. Checked at each statement, but
    deferrable, so an import that rewrites many spells can check once at commit."""
    return ExclusionConstraint(
        name=name,
        deferrable=Deferrable.IMMEDIATE,
        expressions=[
            *((field, RangeOperators.EQUAL) for field in equal_fields),
            (DateRange(start, end), RangeOperators.OVERLAPS),
        ],
        violation_error_message=message,
    )


class SpellQuerySet(models.QuerySet):
    """Rows with a start date and an optional end date, half-open: [start, end)."""

    start_field = "start_date"
    end_field = "end_date"

    def current(self, on=None):
        on = on or datetime.date.today()
        return self.filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gt": on}),
            **{f"{self.start_field}__lte": on},
        )

    def overlapping(self, start, end):
        """Spells that share at least one day with [start, end) (end None = open)."""
        q = Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gt": start})
        if end is not None:
            q &= Q(**{f"{self.start_field}__lt": end})
        return self.filter(q)


def financial_year_of(day):
    """The financial year (by its starting calendar year) a date falls in: 1 Apr–31 Mar."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year):
    """2025 -> '2025/26'."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_bounds(year):
    """First day of the year and first day of the next: [1 Apr year, 1 Apr year+1)."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 4, 1)


class FinancialYearField(models.PositiveSmallIntegerField):
    """A financial year stored as the calendar year it starts in (2025 = 2025/26)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text", "The calendar year the financial year starts in: 2025 for 2025/26."
        )
        super().__init__(*args, **kwargs)
