"""A network's history, read from the audit history: every change to the network and to
every record that hangs off it, newest first, each change old → new in words.

The records are declared once, in SOURCES: a kind of record joins the history by adding
its model and how its events name the network (a field on the event table, indexed, or a
query over the network's own records). Each page reads the keys of its changes from the
event tables through one UNION over those indexed columns, then each kind's events on the
page, the event before each (for old → new) and the names of the records they point to,
a bounded number of queries whatever the size of the history.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.fields import CharField
from django.utils import timezone
from django.utils.text import capfirst

from networks.models import (
    ClinicalDirector,
    Collaboration,
    NetworkAgreement,
    NetworkAgreementSchedule,
    NetworkTeamMember,
    PartnerOrganisation,
    PrimaryCareNetwork,
    SubICBLocation,
)
from networks.pages import day
from pcn_portal.core.dates import financial_year_label
from pcn_portal.core.names import ods_title
from pcn_portal.core.versions import actor, event_model
from practices.models import Membership, NetworkWeightedPopulation, Practice
from services.models import (
    CareHome,
    CareHomeAlignment,
    CareHomeBeds,
    Evidence,
    LocalPriority,
    Requirement,
    RequirementProgress,
    ServiceDelivery,
    ServiceSpecification,
)
from workforce.models import ARRSAllocation, ARRSRole, Claim, ClaimLine, Post, StaffMember

ACTIONS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}
HIDDEN_FIELDS = {"id", "synthetic", "pcn", "agreement", "claim", "delivery"}


@dataclass(frozen=True)
class Source:
    """A kind of record in a network's history."""

    key: str
    label: str
    model: type
    of_pcn: object  # pcn -> Q over the event table
    name: object  # (event, names) -> the record as the history names it

    @property
    def events(self):
        return event_model(self.model)


def practice_name(event, names):
    return names.get((Practice, event.practice_id), f"practice {event.practice_id}")


def schedule_name(event, names):
    year = names.get((NetworkAgreement, event.agreement_id))
    title = NetworkAgreementSchedule.SCHEDULE_TITLES.get(event.number, "")
    return f"Network Agreement {year or ''} schedule {event.number}: {title}".replace("  ", " ")


SOURCES = [
    Source(
        "network",
        "Network details",
        PrimaryCareNetwork,
        lambda pcn: Q(pgh_obj_id=pcn.pk),
        lambda e, names: "Network details",
    ),
    Source(
        "members",
        "Member practices",
        Membership,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Membership of {practice_name(e, names)}",
    ),
    Source(
        "directors",
        "Clinical directors",
        ClinicalDirector,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Clinical director {e.full_name}",
    ),
    Source(
        "team",
        "Network team",
        NetworkTeamMember,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Team member {e.full_name}",
    ),
    Source(
        "agreements",
        "Network Agreements",
        NetworkAgreement,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Network Agreement {financial_year_label(e.financial_year)}",
    ),
    Source(
        "schedules",
        "Network Agreement schedules",
        NetworkAgreementSchedule,
        lambda pcn: Q(agreement_id__in=pcn.agreements.values("pk")),
        schedule_name,
    ),
    Source(
        "partners",
        "Partner collaborations",
        Collaboration,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: (
            "Collaboration with "
            + names.get((PartnerOrganisation, e.partner_id), f"partner {e.partner_id}")
        ),
    ),
]
SOURCES += [
    Source(
        "posts",
        "ARRS posts",
        Post,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Post of {names.get((StaffMember, e.staff_member_id), 'a person')}",
    ),
    Source(
        "staff",
        "ARRS staff",
        StaffMember,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Staff member {e.full_name}",
    ),
    Source(
        "allocations",
        "ARRS allocations",
        ARRSAllocation,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"ARRS allocation {financial_year_label(e.financial_year)}",
    ),
    Source(
        "claims",
        "ARRS claims",
        Claim,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"ARRS claim for {e.month:%B %Y}",
    ),
    Source(
        "claim_lines",
        "ARRS claim lines",
        ClaimLine,
        lambda pcn: Q(claim_id__in=pcn.claims.values("pk")),
        lambda e, names: (
            f"Line for {names.get((Post, e.post_id), 'a post')} in "
            f"{names.get((Claim, e.claim_id), 'a claim')}"
        ),
    ),
    Source(
        "weighted",
        "Commissioner's weighted population",
        NetworkWeightedPopulation,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Weighted population for {financial_year_label(e.financial_year)}",
    ),
    Source(
        "deliveries",
        "Service delivery",
        ServiceDelivery,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: (
            "Delivery of "
            + names.get((ServiceSpecification, e.specification_id), "a specification")
            + f" {financial_year_label(e.financial_year)}"
        ),
    ),
    Source(
        "requirements",
        "Requirement progress",
        RequirementProgress,
        lambda pcn: Q(delivery_id__in=pcn.service_deliveries.values("pk")),
        lambda e, names: (
            f"Progress on {names.get((Requirement, e.requirement_id), 'a requirement')} "
            f"({names.get((ServiceDelivery, e.delivery_id), 'a delivery')})"
        ),
    ),
    Source(
        "evidence",
        "Service evidence",
        Evidence,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: "Evidence" + (f" {e.file_name}" if e.file_name else ""),
    ),
    Source(
        "care_homes",
        "Care home alignments",
        CareHomeAlignment,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Alignment of {names.get((CareHome, e.home_id), 'a care home')}",
    ),
    Source(
        "beds",
        "Care home beds",
        CareHomeBeds,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: (
            f"Beds at {names.get((CareHome, e.home_id), 'a care home')} in {e.month:%B %Y}"
        ),
    ),
    Source(
        "priorities",
        "Local priorities",
        LocalPriority,
        lambda pcn: Q(pcn_id=pcn.pk),
        lambda e, names: f"Local priority {e.title}",
    ),
]
BY_KEY = {source.key: source for source in SOURCES}


def field_value(field, value, names):
    """A value as a person reads it."""
    if value in (None, ""):
        return "blank"
    if field.is_relation:
        return names.get((field.related_model, value), f"record {value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.date):
        return day(value)
    return str(value)


def shown_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


class Entry:
    """One change, as a row of the history."""

    def __init__(self, source, event, previous, names):
        self.source, self.event = source, event
        self.when = event.pgh_created_at
        self.kind = source.label
        self.record = source.name(event, names)
        self.action = ACTIONS.get(event.pgh_label, event.pgh_label)
        self.by = actor(event.pgh_context.metadata if event.pgh_context_id else {})
        self.changes = []
        for field in shown_fields(source.model):
            new = getattr(event, field.attname)
            if event.pgh_label == "update" and previous is not None:
                old = getattr(previous, field.attname)
                if old != new:
                    self.changes.append(
                        (
                            capfirst(field.verbose_name),
                            field_value(field, old, names),
                            field_value(field, new, names),
                        )
                    )
            elif event.pgh_label == "insert" and new not in (None, ""):
                self.changes.append(
                    (capfirst(field.verbose_name), None, field_value(field, new, names))
                )

    @property
    def changes_text(self):
        return "; ".join(
            f"{n}: {o} → {v}" if o is not None else f"{n}: {v}" for n, o, v in self.changes
        )


def resolve(keys):
    """The Entry of each (source key, event id), in the order given, in a bounded number
    of queries: per kind of record one query for its events and the event before each;
    then the names
    of the practices, partners and agreements they point to."""
    by_source = {}
    for key, pk in keys:
        by_source.setdefault(key, []).append(pk)
    events, previous = {}, {}
    for key, pks in by_source.items():
        model = BY_KEY[key].events
        before = (
            model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
            .order_by("-pgh_id")
            .values("pgh_id")[:1]
        )
        # The page's events and the event before each update, in one query per kind.
        befores = model.objects.filter(pgh_id__in=pks, pgh_label="update").values(
            before_pk=Subquery(before)
        )
        rows = (
            model.objects.filter(Q(pgh_id__in=pks) | Q(pgh_id__in=befores))
            .select_related("pgh_context")
            .annotate(before_id=Subquery(before))
        )
        wanted = set(pks)
        for row in rows:
            if row.pgh_id in wanted:
                events[(key, row.pgh_id)] = row
            previous.setdefault((key, row.pgh_id), row)
    names = referenced_names(list(events.values()) + list(previous.values()))
    entries = []
    for key, pk in keys:
        event = events.get((key, pk))
        if event is not None:
            before = previous.get((key, getattr(event, "before_id", None)))
            entries.append(Entry(BY_KEY[key], event, before, names))
    return entries


# How the history names a record another record points to: (the query, the name).
NAMERS = {
    Practice: (Practice.objects.all(), lambda p: f"{p.display_name} ({p.code})"),
    PartnerOrganisation: (PartnerOrganisation.objects.all(), lambda p: p.name),
    SubICBLocation: (SubICBLocation.objects.all(), lambda a: f"{a.display_name} ({a.code})"),
    NetworkAgreement: (
        NetworkAgreement.objects.only("financial_year"),
        lambda a: financial_year_label(a.financial_year),
    ),
    ARRSRole: (ARRSRole.objects.only("name"), lambda r: r.name),
    StaffMember: (StaffMember.objects.only("full_name"), lambda m: m.full_name),
    Post: (
        Post.objects.select_related("staff_member", "role"),
        lambda p: f"{p.staff_member.full_name} ({p.role.name})",
    ),
    Claim: (Claim.objects.only("month"), lambda c: f"the claim for {c.month:%B %Y}"),
    ServiceSpecification: (ServiceSpecification.objects.only("name"), lambda s: s.name),
    Requirement: (Requirement.objects.only("code"), lambda r: r.code),
    ServiceDelivery: (
        ServiceDelivery.objects.select_related("specification"),
        lambda d: f"{d.specification.name} {financial_year_label(d.financial_year)}",
    ),
    RequirementProgress: (
        RequirementProgress.objects.select_related("requirement"),
        lambda p: f"requirement {p.requirement.code}",
    ),
    CareHome: (CareHome.objects.only("name"), lambda h: ods_title(h.name)),
}


def referenced_names(events):
    wanted = {}
    for event in events:
        for field in event._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target in NAMERS:
                value = getattr(event, field.attname)
                if value is not None:
                    wanted.setdefault(target, set()).add(value)
    names = {}
    for model, pks in wanted.items():
        queryset, name = NAMERS[model]
        for record in queryset.filter(pk__in=pks):
            names[(model, record.pk)] = name(record)
    return names


def event_keys(pcn, sources, *, who=None, since=None, until=None):
    """A union of (source key, time, event id) of the network's events, newest first."""
    parts = []
    for source in sources:
        qs = source.events.objects.filter(source.of_pcn(pcn))
        if who:
            qs = qs.filter(pgh_context__metadata__username=who)
        if since:
            qs = qs.filter(pgh_created_at__gte=start_of(since))
        if until:
            qs = qs.filter(pgh_created_at__lt=start_of(until + datetime.timedelta(days=1)))
        parts.append(
            qs.annotate(history_kind=Value(source.key, output_field=CharField())).values_list(
                "history_kind", "pgh_created_at", "pgh_id"
            )
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-pgh_created_at", "-pgh_id")


def start_of(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def people_who_changed(pcn):
    """The names of everyone who changed one of the network's records (one query)."""
    parts = [
        s.events.objects.filter(s.of_pcn(pcn), pgh_context__isnull=False)
        .annotate(who=F("pgh_context__metadata__username"))
        .values_list("who", flat=True)
        for s in SOURCES
    ]
    first, *rest = parts
    return sorted({p for p in first.union(*rest) if p})
