"""Figures derived from memberships and list sizes: who is in a network, and how many
patients it covers, on a given date."""

import datetime
import enum
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery, Sum

from practices.models import ListSize, Membership, Practice, WeightedPopulation

# DOMAIN.md §1.2: networks "typically" cover 30,000–50,000 registered patients; smaller
# or larger footprints are allowed with the commissioner's approval (S8), so this is a
# flag, never an error.
FOOTPRINT_MINIMUM = 30_000
FOOTPRINT_MAXIMUM = 50_000


class Footprint(enum.StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"
    UNKNOWN = "unknown"

    @property
    def label(self):
        return {
            "below": "Below 30,000",
            "within": "30,000 to 50,000",
            "above": "Above 50,000",
            "unknown": "No list sizes",
        }[self.value]


def footprint(population):
    if population is None:
        return Footprint.UNKNOWN
    if population < FOOTPRINT_MINIMUM:
        return Footprint.BELOW
    if population > FOOTPRINT_MAXIMUM:
        return Footprint.ABOVE
    return Footprint.WITHIN


def members_on(pcn, on):
    """The practices in a network on a date."""
    return Practice.objects.filter(
        pk__in=Membership.objects.of_pcn(pcn, on).values("practice_id")
    ).order_by("code")


def latest_list_size(on, field="registered_patients"):
    """A subquery: the practice's (OuterRef "practice") latest figure not after `on`."""
    return Subquery(
        ListSize.objects.filter(
            practice=OuterRef("practice"), extract_date__lte=on, **{f"{field}__isnull": False}
        )
        .order_by("-extract_date")
        .values(field)[:1]
    )


def population_on(pcn, on, field="registered_patients"):
    """A network's population on a date: the sum of its members' latest list sizes not
    after that date. None when no member has a list size by then."""
    return (
        Membership.objects.of_pcn(pcn, on)
        .annotate(size=latest_list_size(on, field))
        .aggregate(total=Sum("size"))["total"]
    )


def weighted_population_on(pcn, on):
    return population_on(pcn, on, field="weighted_patients")


def with_population(pcns, on, field="registered_patients", name="population"):
    """Annotate a PrimaryCareNetwork queryset with its population on a date, in one query."""
    per_pcn = (
        Membership.objects.current(on)
        .filter(pcn=OuterRef("pk"))
        .order_by()
        .annotate(size=latest_list_size(on, field))
        .values("pcn")
        .annotate(total=Sum("size"))
        .values("total")
    )
    return pcns.annotate(**{name: Subquery(per_pcn)})


def has_member_today(practice_code):
    """A filter for networks (a PrimaryCareNetwork queryset) with this practice among
    today's members."""
    return Exists(
        Membership.objects.current().filter(pcn=OuterRef("pk"), practice__code=practice_code)
    )


@dataclass(frozen=True)
class WeightedFigure:
    """A member practice's weighted population as the ARRS sum reads it on a date: the
    latest figure not after that date, with its own date and where it came from."""

    practice: Practice
    weighted_patients: Decimal | None
    on: datetime.date | None
    source: str

    def stale(self, wanted):
        """A figure dated more than STALE_AFTER_DAYS before the date the sum asks for."""
        return self.on is not None and (wanted - self.on).days > STALE_AFTER_DAYS


# The contractor weighted population is refreshed each quarter (the global sum is paid
# quarterly on the list at the quarter's first day), so a figure more than a quarter older
# than 1 January is not the one the ARRS sum uses.
STALE_AFTER_DAYS = 92


def weighted_figures_on(pcn, on):
    """Each member practice of a network on `on` with its latest weighted figure not after
    `on`, from an imported weighted population file or else from a list size record; on the
    same date an imported file wins. Three queries whatever the size of the network."""
    members = list(members_on(pcn, on))
    ids = [p.pk for p in members]
    imported = {
        w.practice_id: w
        for w in WeightedPopulation.objects.filter(practice_id__in=ids, on__lte=on)
        .order_by("practice_id", "-on")
        .distinct("practice_id")
    }
    listed = {
        s.practice_id: s
        for s in ListSize.objects.filter(
            practice_id__in=ids, extract_date__lte=on, weighted_patients__isnull=False
        )
        .order_by("practice_id", "-extract_date")
        .distinct("practice_id")
    }
    figures = []
    for practice in members:
        w, s = imported.get(practice.pk), listed.get(practice.pk)
        if w is not None and (s is None or w.on >= s.extract_date):
            label = w.get_source_display() + (f", {w.file_name}" if w.file_name else "")
            figures.append(WeightedFigure(practice, w.weighted_patients, w.on, label))
        elif s is not None:
            figures.append(
                WeightedFigure(practice, s.weighted_patients, s.extract_date, "List size record")
            )
        else:
            figures.append(WeightedFigure(practice, None, None, ""))
    return figures
