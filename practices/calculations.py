"""Figures derived from memberships and list sizes: who is in a network, and how many
patients it covers, on a given date."""

import enum

from django.db.models import Exists, OuterRef, Subquery, Sum

from practices.models import ListSize, Membership, Practice

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
