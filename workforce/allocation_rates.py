"""A year's ARRS allocation rate (£ per weighted patient) and any ring-fenced sum, set by
a national admin with its source; every network's ARRS sum for the year is then recorded
again from it (workforce.actions.set_allocation, the figure approvals are checked against),
and its forecast worked out again (workforce.budget.refresh_forecasts), by the task worker:
a national year is some 1,300 networks.

No rate is shipped for a year no source the portal holds gives (2026/27: DOMAIN.md
Appendix A.2); it comes in here.
"""

import contextlib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task

from networks.models import PrimaryCareNetwork
from pcn_portal.core.dates import financial_year_bounds
from pcn_portal.core.writing import validated_save, writing
from workforce import actions, budget
from workforce.models import AllocationRate, RingFencedSum

RATE_FIELDS = ("pounds_per_weighted_patient", "population_basis", "national_total", "notes")
SUM_FIELDS = ("role", "pounds_per_weighted_patient", "first_day", "last_day")


def set_rate(*, financial_year, by, rate, sources, section="", ring_fenced=None):
    """Record the year's rate (`rate`: RATE_FIELDS) and, given `ring_fenced` (SUM_FIELDS),
    its ring-fenced sum, both citing `sources` at `section`; then have the task worker
    record every network's ARRS sum and forecast for the year again. Returns the rate."""
    with writing(by):
        record = AllocationRate.objects.filter(financial_year=financial_year).first()
        record = record or AllocationRate(financial_year=financial_year)
        _cite(record, rate, RATE_FIELDS, sources, section)
        if ring_fenced is not None:
            fenced = RingFencedSum.objects.filter(financial_year=financial_year).first()
            fenced = fenced or RingFencedSum(financial_year=financial_year)
            _cite(fenced, ring_fenced, SUM_FIELDS, sources, section)
        transaction.on_commit(lambda: record_year.enqueue(financial_year, by.pk))
    return record


def _cite(record, values, allowed, sources, section):
    for name in allowed:
        if name in values:
            setattr(record, name, values[name])
    record.section = section
    validated_save(record)
    record.sources.set(sources)


@task
def record_year(financial_year, user_id):
    """Every network open in the year: its ARRS sum recorded again from the year's rate
    (none where its weighted population is not known: its budget page says so), then its
    forecast. Returns how many sums were recorded."""
    by = get_user_model().objects.get(pk=user_id)
    return record_allocations(financial_year, by=by)


def record_allocations(financial_year, *, by):
    first, last = financial_year_bounds(financial_year)
    recorded = 0
    for pcn in PrimaryCareNetwork.objects.open_between(first, last).order_by("code"):
        with contextlib.suppress(ValidationError):
            actions.set_allocation(pcn=pcn, by=by, financial_year=financial_year)
            recorded += 1
    budget.refresh_forecasts(years=[financial_year])
    return recorded
