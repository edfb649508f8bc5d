"""Dates as the portal reads them.

An end date is the **last day** (inclusive), everywhere: ODS publishes end and close dates
that way and people read them that way ("a member up to and including 31 March 2026").
A spell that starts and ends on the same day is one day long; an open spell has no end
(None). Every span below is a pair of first and last day.
"""

import calendar
import datetime

from django.utils import timezone

ONE_DAY = datetime.timedelta(days=1)


def today():
    """Today in the site's time zone (Europe/London), not the server's."""
    return timezone.localdate()


def covers(start, end, day):
    """Whether the spell from `start` to `end` (its last day; None = open) includes `day`."""
    return start <= day and (end is None or day <= end)


def overlap(start_a, end_a, start_b, end_b):
    """The days two spells share, as (first, last), last None when both are open; None
    when they share no day."""
    start = max(start_a, start_b)
    ends = [e for e in (end_a, end_b) if e is not None]
    end = min(ends) if ends else None
    if end is not None and end < start:
        return None
    return start, end


def days_in(start, end):
    """How many days a spell from `start` to its last day `end` holds: one when equal."""
    return (end - start).days + 1


def month_bounds(month):
    """The first and last day of the month `month` falls in."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def financial_year_of(day):
    """The financial year (by its starting calendar year) a date falls in: 1 Apr–31 Mar."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year):
    """2025 -> '2025/26'."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_bounds(year):
    """The first and last day of a financial year: 1 April `year` to 31 March `year + 1`."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def last_day_text(end):
    """'up to and including 31 Mar 2026', or 'with no end', for messages."""
    return f"up to and including {end:%d %b %Y}" if end else "with no end"
