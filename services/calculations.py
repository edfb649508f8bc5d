"""What the services pages work out: a network's delivery of each specification in a
year, and its Care Home Premium estimate.

Each function reads a bounded number of queries whatever the size of the data: one per
kind of row, never one per row.
"""

import datetime
import functools
import operator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from pcn_portal.core.dates import financial_year_bounds
from services.models import (
    CareHomeBeds,
    CareHomePremiumRate,
    DeliveryStatus,
    Evidence,
    Requirement,
    RequirementProgress,
    ServiceDelivery,
    ServiceSpecification,
)

PENNY = Decimal("0.01")


def specifications_in_year(pcn, year):
    """The specifications and functions in force in a year, each with the network's
    delivery of it (status, named lead, last update) and its progress: how many of the
    year's requirements there are and how many are delivered."""
    first, last = financial_year_bounds(year)
    delivery = ServiceDelivery.objects.filter(
        pcn=pcn, financial_year=year, specification=OuterRef("pk")
    )
    in_year = Q(requirements__valid_until__isnull=True) | Q(requirements__valid_until__gte=first)
    in_year &= Q(requirements__valid_from__isnull=True) | Q(requirements__valid_from__lte=last)
    delivered = RequirementProgress.objects.filter(
        delivery__pcn=pcn,
        delivery__financial_year=year,
        delivery__specification=OuterRef("pk"),
        status=DeliveryStatus.DELIVERED,
        requirement__in=Requirement.objects.in_year(year),
    )
    progress_updated = (
        RequirementProgress.objects.filter(
            delivery__pcn=pcn,
            delivery__financial_year=year,
            delivery__specification=OuterRef("pk"),
        )
        .order_by(F("updated_on").desc(nulls_last=True))
        .values("updated_on")[:1]
    )
    return ServiceSpecification.objects.in_year(year).annotate(
        delivery_status=Subquery(delivery.values("status")[:1]),
        lead_name=Subquery(delivery.values("lead_name")[:1]),
        # The last change to the delivery or any of its requirements (PostgreSQL's
        # GREATEST passes over a blank).
        updated_on=Greatest(
            Subquery(delivery.values("updated_on")[:1]), Subquery(progress_updated)
        ),
        requirement_count=Count("requirements", filter=in_year, distinct=True),
        delivered_count=Subquery(
            delivered.order_by()
            .values("delivery__specification")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
    )


def requirements_with_progress(pcn, specification, year):
    """The year's requirements of a specification, each with `progress` (or None) and its
    evidence."""
    # Each with its sources read in the same query: the page cites every requirement's.
    in_year = specification.requirements.in_year(year)
    requirements = list(Requirement.with_sources(in_year).order_by("pk"))
    progress = {
        p.requirement_id: p
        for p in RequirementProgress.objects.filter(
            delivery__pcn=pcn,
            delivery__specification=specification,
            delivery__financial_year=year,
        ).prefetch_related(Prefetch("evidence_items", to_attr="evidence_list"))
    }
    for requirement in requirements:
        requirement.progress = progress.get(requirement.pk)
        requirement.evidence_list = (
            requirement.progress.evidence_list if requirement.progress else []
        )
    return requirements


def months_of(year):
    """The first days of the twelve months of a financial year, April to March."""
    return [datetime.date(year + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(12)]


@dataclass
class PremiumMonth:
    month: object
    beds: int
    amount: Decimal | None
    paid: bool


@dataclass
class PremiumEstimate:
    year: int
    rate: CareHomePremiumRate | None
    months: list = field(default_factory=list)

    @property
    def total(self):
        if self.rate is None:
            return None
        return sum((m.amount for m in self.months if m.amount is not None), Decimal(0)).quantize(
            PENNY, ROUND_HALF_UP
        )

    @property
    def bed_months(self):
        return sum(m.beds for m in self.months if m.paid)


def rate_for(year):
    return CareHomePremiumRate.objects.filter(financial_year=year).first()


def premium_estimate(pcn, year, alignments=None):
    """The year's Care Home Premium estimate: for each month the premium is paid, the beds
    of the homes aligned to the network on the month's first day (each home's latest
    count from that month or before), times the year's rate a bed a month.

    `alignments`: the network's alignment spells overlapping the year, if already read."""
    first, last = financial_year_bounds(year)
    rate = rate_for(year)
    if alignments is None:
        alignments = list(pcn.care_home_alignments.overlapping(first, last))
    home_ids = {a.home_id for a in alignments}
    counts = {}
    for count in CareHomeBeds.objects.filter(home_id__in=home_ids, month__lte=last).order_by(
        "home_id", "month"
    ):
        counts.setdefault(count.home_id, []).append(count)
    per_month = rate.per_bed_per_month if rate else None
    estimate = PremiumEstimate(year, rate)
    for month in months_of(year):
        beds = 0
        for alignment in alignments:
            if alignment.start_date <= month and (
                alignment.end_date is None or alignment.end_date >= month
            ):
                known = [c.beds for c in counts.get(alignment.home_id, []) if c.month <= month]
                beds += known[-1] if known else 0
        paid = rate is not None and month >= rate.payable_from
        amount = beds * per_month if paid else None
        estimate.months.append(PremiumMonth(month, beds, amount, paid))
    return estimate


def requirement_rows(pcn, specification, year):
    """The year's requirements of a specification, each annotated with the network's
    progress on it and how many evidence items it has (one query)."""
    progress = RequirementProgress.objects.filter(
        delivery__pcn=pcn,
        delivery__specification=specification,
        delivery__financial_year=year,
        requirement=OuterRef("pk"),
    )
    evidence = (
        Evidence.objects.filter(progress__in=progress.values("pk"))
        .order_by()
        .values("progress")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return specification.requirements.in_year(year).annotate(
        progress_status=Subquery(progress.values("status")[:1]),
        progress_note=Subquery(progress.values("note")[:1]),
        progress_due_on=Subquery(progress.values("due_on")[:1]),
        progress_completed_on=Subquery(progress.values("completed_on")[:1]),
        progress_updated_on=Subquery(progress.values("updated_on")[:1]),
        evidence_count=Coalesce(Subquery(evidence), 0),
    )


def progress_of(pcn, specification, year, requirement):
    """A requirement's progress in the network's delivery of the year, or a new unsaved one."""
    return RequirementProgress.objects.filter(
        delivery__in=pcn.service_deliveries.filter(
            specification=specification, financial_year=year
        ),
        requirement=requirement,
    ).first() or RequirementProgress(requirement=requirement)


def alignments_in(pcn, year):
    """The network's care-home alignment spells in force on some day of a year, each with
    its home and the home's latest bed count up to the year's end or the alignment's last
    day, whichever is first (`latest_beds`): a count recorded after the network's
    alignment ended is the next network's, not this one's."""
    first, last = financial_year_bounds(year)
    up_to = Least(Value(last), Coalesce(OuterRef("end_date"), Value(last)))
    latest = (
        CareHomeBeds.objects.filter(home=OuterRef("home"), month__lte=up_to)
        .order_by("-month")
        .values("beds")[:1]
    )
    return (
        pcn.care_home_alignments.overlapping(first, last)
        .select_related("home")
        .annotate(latest_beds=Subquery(latest))
    )


def bed_history(home, spells):
    """A home's bed counts in the months a network held it (`spells`, its alignments of the
    home), each with the month it holds from for the network (`from_month`): the counts
    recorded in those months, and the count each spell began with, shown from the spell's
    first month. Counts from months another network held the home are that network's, and
    are left out (one query)."""
    in_months, began_with = [], []
    for spell in spells:
        first = spell.start_date.replace(day=1)
        months = Q(month__gte=first)
        if spell.end_date is not None:
            months &= Q(month__lte=spell.end_date)
        in_months.append(months)
        count = home.bed_counts.filter(month__lte=first).order_by("-month").values("pk")[:1]
        began_with.append((Subquery(count), first))
    in_months = functools.reduce(operator.or_, in_months)
    from_month = Case(
        When(in_months, then=F("month")),
        *[When(pk=count, then=Value(first)) for count, first in began_with],
        output_field=DateField(),
    )
    shown = functools.reduce(operator.or_, [Q(pk=count) for count, _ in began_with], in_months)
    return home.bed_counts.filter(shown).annotate(from_month=from_month).order_by("-from_month")
