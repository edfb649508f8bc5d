"""A network's history, read from the audit history: every change to the network and to
every record that hangs off it, newest first, each change old → new in words.

The records are declared once, in SOURCES: a kind of record joins the history by adding
its model and how its events name the network (a field on the event table, indexed, or a
query over the network's own records). Each page reads the keys of its changes from the
event tables through one UNION over those indexed columns; then, whatever kinds of record
the page holds, one UNION query for its events and the event before each (for old → new),
and one for the names of the records they point to: a constant number of queries whatever
the size or the mix of the history.
"""

import datetime
import decimal
import json
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    F,
    FileField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone
from django.utils.text import capfirst
from pghistory.models import Context

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
from pcn_portal.core.names import ods_title, person_name
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
from workforce.models import (
    ARRSAllocation,
    ARRSRole,
    Claim,
    ClaimLine,
    Post,
    PostTerms,
    StaffMember,
)

ACTIONS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}
HIDDEN_FIELDS = {"id", "synthetic", "pcn", "agreement", "claim", "delivery"}
# How an uploaded file is kept: the random token of its stored name, the extension and
# type its content was found to be.
STORAGE_FIELDS = {"token", "extension", "content_type"}


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
    label = NetworkAgreementSchedule.label_of(event.number)
    return f"Network Agreement {year or ''} {label[0].lower()}{label[1:]}".replace("  ", " ")


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
        "post_terms",
        "ARRS posts' changes of terms",
        PostTerms,
        lambda pcn: Q(post_id__in=pcn.posts.values("pk")),
        lambda e, names: (
            f"Terms of {names.get((Post, e.post_id), 'a post')} from {e.first_day:%-d %B %Y}"
        ),
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
            ("Adjustment of the approved line for " if e.corrects_id else "Line for ")
            + f"{names.get((Post, e.post_id), 'a post')} in "
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


# --- records networks share ------------------------------------------------------------
#
# A care home and a partner organisation are one record each, shared by the networks that
# hold or work with them: a change to one shows in the history of each of those networks
# (and of the network it was made for, named in its context), by whoever made it.


def home_changes_of(pcn):
    """Changes to a care home made on a day it was aligned to the network (the day in the
    site's time zone, the last day of an alignment included), and changes made for the
    network itself. A home is aligned to one network at a time, so a change made after the
    network's alignment ended is the next network's, not this one's."""
    made_on = OuterRef("pgh_created_at__date")
    aligned = pcn.care_home_alignments.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=made_on),
        home=OuterRef("pgh_obj_id"),
        start_date__lte=made_on,
    )
    return Q(pgh_obj_id__in=pcn.care_home_alignments.values("home")) & (
        Q(Exists(aligned)) | Q(pgh_context__metadata__pcn=pcn.code)
    )


def partner_changes_of(pcn):
    """Changes to a partner organisation the network works with (a collaboration of any
    dates) or added."""
    return Q(pgh_obj_id__in=pcn.collaborations.values("partner")) | Q(added_by_pcn_id=pcn.pk)


SOURCES += [
    Source(
        "care_home_details",
        "Care home details",
        CareHome,
        home_changes_of,
        lambda e, names: f"Care home {ods_title(e.name)}",
    ),
    Source(
        "partner_organisations",
        "Partner organisations",
        PartnerOrganisation,
        partner_changes_of,
        lambda e, names: f"Partner organisation {e.name}",
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
    """The fields a change lists: not the ids and links every row has, nor where an
    uploaded file is stored and the token in its stored name ("evidence/U99001/3f9c….pdf"),
    which mean nothing to a reader; the file is named as it was uploaded."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS
        and f.name not in STORAGE_FIELDS
        and not isinstance(f, FileField)
    ]


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


class DecimalDecoder(json.JSONDecoder):
    """JSON numbers with a fraction as Decimal: an event row's 37.50 stays 37.50."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_float=decimal.Decimal, **kwargs)


def page_events(by_source):
    """The events of each kind {source key: [event id]} and the event before each update,
    in one query whatever the kinds: a UNION over the event tables of (kind, the event
    before, the event row as JSON, its context's metadata). Returns
    {(source key, event id): event}, each with `before_id`."""
    parts = []
    for key, pks in by_source.items():
        model = BY_KEY[key].events
        before = (
            model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
            .order_by("-pgh_id")
            .values("pgh_id")[:1]
        )
        befores = model.objects.filter(pgh_id__in=pks, pgh_label="update").values(
            before_pk=Subquery(before)
        )
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(
            model.objects.filter(Q(pgh_id__in=pks) | Q(pgh_id__in=befores))
            .order_by()
            .annotate(
                history_kind=Value(key, output_field=CharField()),
                before_id=Subquery(before, output_field=BigIntegerField()),
                row=RawSQL(
                    f"to_jsonb({table})", [], output_field=JSONField(decoder=DecimalDecoder)
                ),
                context=F("pgh_context__metadata"),
            )
            .values_list("history_kind", "before_id", "row", "context")
        )
    if not parts:
        return {}
    first, *rest = parts
    events = {}
    for key, before_id, row, metadata in first.union(*rest, all=True).order_by():
        event = event_from_row(BY_KEY[key].events, row, metadata)
        event.before_id = before_id
        events[(key, event.pgh_id)] = event
    return events


def event_from_row(model, row, metadata):
    """An event model instance from its row as JSON, its context from the metadata."""
    fields = model._meta.concrete_fields
    event = model.from_db(
        DEFAULT_DB_ALIAS,
        [field.attname for field in fields],
        [field.to_python(row[field.column]) for field in fields],
    )
    if event.pgh_context_id is not None:
        event.pgh_context = Context(id=event.pgh_context_id, metadata=metadata or {})
    return event


def resolve(keys):
    """The Entry of each (source key, event id), in the order given, in two queries
    whatever the kinds of record: the events with the event before each, then the names
    of the records they point to."""
    by_source = {}
    for key, pk in keys:
        by_source.setdefault(key, []).append(pk)
    found = page_events(by_source)
    names = referenced_names(found.values())
    entries = []
    for key, pk in keys:
        event = found.get((key, pk))
        if event is not None:
            before = found.get((key, event.before_id)) if event.pgh_label == "update" else None
            entries.append(Entry(BY_KEY[key], event, before, names))
    return entries


User = get_user_model()


@dataclass(frozen=True)
class Namer:
    """How the history names a record another record points to: the fields it reads
    (paths from the record) and the name made of them (from a dict of their JSON values)."""

    fields: tuple
    name: object


def _titled_with_code(values):
    """An ODS organisation's name as the site shows it (display_name), with its code."""
    return f"{ods_title(values['name'])} ({values['code']})"


NAMERS = {
    Practice: Namer(("name", "code"), _titled_with_code),
    PartnerOrganisation: Namer(("name",), lambda v: v["name"]),
    PrimaryCareNetwork: Namer(("name", "code"), _titled_with_code),
    SubICBLocation: Namer(("name", "code"), _titled_with_code),
    NetworkAgreement: Namer(
        ("financial_year",),
        lambda v: financial_year_label(v["financial_year"]),
    ),
    ARRSRole: Namer(("name",), lambda v: v["name"]),
    StaffMember: Namer(("full_name",), lambda v: v["full_name"]),
    Post: Namer(
        ("staff_member__full_name", "role__name"),
        lambda v: f"{v['staff_member__full_name']} ({v['role__name']})",
    ),
    Claim: Namer(
        ("month",),
        lambda v: f"the claim for {datetime.date.fromisoformat(v['month']):%B %Y}",
    ),
    ServiceSpecification: Namer(("name",), lambda v: v["name"]),
    Requirement: Namer(("code",), lambda v: v["code"]),
    ServiceDelivery: Namer(
        ("specification__name", "financial_year"),
        lambda v: f"{v['specification__name']} {financial_year_label(v['financial_year'])}",
    ),
    RequirementProgress: Namer(
        ("requirement__code",),
        lambda v: f"requirement {v['requirement__code']}",
    ),
    CareHome: Namer(("name",), lambda v: ods_title(v["name"])),
    User: Namer(
        ("first_name", "last_name", "email", "username"),
        lambda v: person_name(User(**v)),
    ),
}
NAMED = {model._meta.label: model for model in NAMERS}


def referenced_names(events):
    """{(model, id): name} of every record the events point to, in one query: a UNION of
    (kind, id, the fields its name is made of, as JSON)."""
    wanted = {}
    for event in events:
        for field in event._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target in NAMERS:
                value = getattr(event, field.attname)
                if value is not None:
                    wanted.setdefault(target, set()).add(value)
    parts = [
        model.objects.filter(pk__in=pks)
        .order_by()
        .annotate(
            named_kind=Value(model._meta.label, output_field=CharField()),
            named_id=Cast("pk", BigIntegerField()),
            named=JSONObject(**{path: path for path in NAMERS[model].fields}),
        )
        .values_list("named_kind", "named_id", "named")
        for model, pks in wanted.items()
    ]
    if not parts:
        return {}
    first, *rest = parts
    names = {}
    for label, pk, values in first.union(*rest, all=True).order_by():
        model = NAMED[label]
        names[(model, pk)] = NAMERS[model].name(values)
    return names


def event_keys(pcn, sources, *, who=None, since=None, until=None):
    """A union of (source key, time, event id) of the network's events, newest first."""
    parts = []
    for source in sources:
        qs = source.events.objects.filter(source.of_pcn(pcn))
        if who:
            qs = qs.filter(pgh_context__metadata__user=who)
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


def keys_with_total(keys, offset, limit):
    """One page of `keys` (event_keys) and how many keys there are in all, in one query (a
    window count over the union): (the page's [(source key, time, event id)], the total,
    the offset of the page). A page past the end is the last page, as the paginator
    shows it."""
    try:
        sql, params = keys.query.get_compiler(using=keys.db).as_sql()
    except EmptyResultSet:  # a filter that matches nothing
        return [], 0, 0
    with connections[keys.db].cursor() as cursor:
        cursor.execute(
            "SELECT history_kind, pgh_created_at, pgh_id, total, number FROM ("
            " SELECT *, COUNT(*) OVER () AS total,"
            "  ROW_NUMBER() OVER (ORDER BY pgh_created_at DESC, pgh_id DESC) - 1 AS number"
            f" FROM ({sql}) AS keys) AS numbered "
            "WHERE number >= LEAST(%s, (GREATEST(total - 1, 0) / %s) * %s) "
            "ORDER BY number LIMIT %s",
            [*params, offset, limit, limit, limit],
        )
        rows = cursor.fetchall()
    if not rows:
        return [], 0, 0
    return [row[:3] for row in rows], rows[0][3], rows[0][4]


def start_of(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time()))


def people_who_changed(pcn):
    """(user id, name) of everyone who changed one of the network's records, by name (one
    query): the name as the change recorded it, else the username it recorded."""
    parts = [
        s.events.objects.filter(s.of_pcn(pcn), pgh_context__metadata__user__isnull=False)
        .annotate(
            who=F("pgh_context__metadata__user"),
            who_name=F("pgh_context__metadata__name"),
            who_login=F("pgh_context__metadata__username"),
        )
        .values_list("who", "who_name", "who_login")
        for s in SOURCES
    ]
    first, *rest = parts
    people = {}
    for who, name, login in first.union(*rest):
        people.setdefault(who, name or login or "a signed-in user")
    return sorted(people.items(), key=lambda person: (person[1].lower(), person[0]))
