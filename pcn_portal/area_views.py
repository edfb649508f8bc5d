"""Commissioner pages: a Sub-ICB location, ICB, region or England, as of a date.

An area's overview gives its headline figures, each linking to the table of the networks
(or practices) behind it; each table sorts and downloads as CSV and XLSX. Every page
enters through the user's scope: the area through the area loader (404 outside it), the
networks through PrimaryCareNetwork.objects.for_user. Figures and their definitions are
in pcn_portal.area_figures.
"""

import functools

import django_filters
from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from networks.loaders import visible_area
from networks.models import sees_everything
from pcn_portal import area_figures as figures
from pcn_portal.core.dates import ONE_DAY, financial_year_label, financial_year_of, today
from pcn_portal.core.tables import Column, Table, money
from pcn_portal.network_views import AsOfForm, footprint_tag
from practices.calculations import footprint
from services.models import DeliveryStatus

PAGE_SIZE = 50


def load_area_or_england(view):
    """As networks.loaders.load_area, and `england` for national staff (404 for others)."""

    @functools.wraps(view)
    def wrapper(request, code, *args, **kwargs):
        if code == figures.ENGLAND_CODE:
            if not sees_everything(request.user):
                raise Http404("No such area.")
            area = figures.ENGLAND
        else:
            area = visible_area(request, code)
        return view(request, area, *args, **kwargs)

    return wrapper


def optional_url(name, *args):
    """The address of a page when the site has it, else None (the link is left out)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def as_of(request):
    """The date of the page (`?on=2024-04-01`; default today) and whether a given date
    was not one."""
    form = AsOfForm(request.GET)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or today()
    return on, bool(request.GET.get("on")) and not form.is_valid()


def area_url(area, name="area_detail", **query):
    url = reverse(name, args=[area.code])
    query = {k: v for k, v in query.items() if v}
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def breadcrumbs(request, area, current=None):
    items = [{"text": "Home", "href": reverse("home")}]
    for above, visible in figures.ancestors(request.user, area):
        if visible:
            items.append({"text": above.display_name, "href": area_url(above)})
    if current:
        items.append({"text": area.display_name, "href": area_url(area)})
    return items


def page_context(request, area, on, invalid):
    year = financial_year_of(on)
    on_query = "" if on == today() else on.isoformat()
    return {
        "area": area,
        "kind": figures.kind_of(area),
        "on": on,
        "on_query": on_query,
        "is_today": on == today(),
        "as_of_invalid": invalid,
        "year_label": financial_year_label(year),
    }


# --- tables -----------------------------------------------------------------------------


def network_link(row):
    return reverse("network_detail", args=[row.code])


def network_columns():
    return {
        "code": Column("ODS code", sort="code", link=network_link),
        "name": Column("Network", "display_name", sort="name"),
        "sub_icb": Column(
            "Sub-ICB location (formerly CCG)",
            "lead_commissioner.display_name",
            sort="lead_commissioner__name",
        ),
        "sub_icb_code": Column("Sub-ICB location code", "lead_commissioner.code", screen=False),
    }


def network_table(name, columns, **attrs):
    """A table of networks: the common columns, then these."""
    body = {**network_columns(), **columns}
    for order, column in enumerate(body.values()):
        column._order = order  # the network's own columns first
    attrs.setdefault("default_sort", "code")
    attrs.setdefault("per_page", PAGE_SIZE)
    return type(name, (Table,), {**body, **attrs})


class AsOfFilter(django_filters.FilterSet):
    on = django_filters.CharFilter(
        label="As of (a date like 2025-04-01)",
        method="keep",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )

    def keep(self, queryset, name, value):
        return queryset  # the view reads the date itself


def choice_filterset(name, label, choices, apply):
    """A FilterSet with the date and one choice, filtered by `apply(queryset, value)`."""

    def method(self, queryset, field, value):
        return apply(queryset, value) if value else queryset

    return type(
        name,
        (AsOfFilter,),
        {
            "show": django_filters.ChoiceFilter(
                label=label, choices=choices, method="by_show", empty_label="All"
            ),
            "by_show": method,
            "Meta": type("Meta", (), {"model": None, "fields": []}),
        },
    )


FootprintFilter = choice_filterset(
    "FootprintFilter",
    "Footprint",
    [
        ("outside", "Outside 30,000 to 50,000"),
        ("below", "Below 30,000"),
        ("within", "30,000 to 50,000"),
        ("above", "Above 50,000"),
        ("unknown", "No list sizes"),
    ],
    lambda qs, v: qs.filter(figures.footprint_q(v)),
)

FootprintTable = network_table(
    "FootprintTable",
    {
        "practices": Column("Member practices", numeric=True, sort="practices"),
        "population": Column("Registered patients", numeric=True, sort="population"),
        "footprint": Column(
            "Footprint", lambda row: footprint(row.population), format=footprint_tag
        ),
        "notes": Column("Footprint notes", "footprint_notes"),
    },
    caption="Network footprints",
    filename="footprints",
    filterset_class=FootprintFilter,
    empty_message="No network in the area matches these filters.",
)


def no_director_since(row):
    """The first day without a clinical director: the day after the last one's last day,
    else the network's open date (none was ever recorded)."""
    if row.directors:
        return None
    if row.director_last_day:
        return row.director_last_day + ONE_DAY
    return row.open_date


def since_text(day):
    return "" if day is None else format_html("{}", f"{day.day} {day:%B %Y}")


LeadershipFilter = choice_filterset(
    "LeadershipFilter",
    "Clinical director",
    [("none", "No clinical director"), ("some", "At least one")],
    lambda qs, v: qs.filter(directors=0) if v == "none" else qs.filter(directors__gt=0),
)

LeadershipTable = network_table(
    "LeadershipTable",
    {
        "directors": Column("Clinical directors", numeric=True, sort="directors"),
        "since": Column("Without one since", no_director_since, format=since_text),
        "ever": Column(
            "Ever had one",
            lambda row: bool(row.directors or row.director_last_day),
        ),
    },
    caption="Clinical directors",
    filename="clinical-directors",
    filterset_class=LeadershipFilter,
    empty_message="No network in the area matches these filters.",
)

GovernanceFilter = choice_filterset(
    "GovernanceFilter",
    "Governance",
    [
        ("unsigned", "Network Agreement not signed"),
        ("no_data_sharing", "No data-sharing agreement"),
    ],
    lambda qs, v: (
        qs.filter(agreement_signed_on__isnull=True)
        if v == "unsigned"
        else qs.filter(data_sharing=False)
    ),
)

GovernanceTable = network_table(
    "GovernanceTable",
    {
        "signed": Column(
            "Network Agreement signed on", "agreement_signed_on", sort="agreement_signed_on"
        ),
        "data_sharing": Column("Data-sharing agreement in place", "data_sharing"),
    },
    caption="Network Agreements",
    filename="governance",
    filterset_class=GovernanceFilter,
    empty_message="No network in the area matches these filters.",
)


def wte_of(row):
    return figures.arrs_wte(row.arrs_hours)


ArrsFilter = choice_filterset(
    "ArrsFilter",
    "Claims",
    [("waiting", "With claims waiting for approval"), ("no_allocation", "No allocation")],
    lambda qs, v: (
        qs.filter(claims_waiting__gt=0) if v == "waiting" else qs.filter(allocation__isnull=True)
    ),
)

ArrsTable = network_table(
    "ArrsTable",
    {
        "allocation": Column("Allocation", numeric=True, sort="allocation", format=money),
        "approved": Column("Approved", numeric=True, sort="approved", format=money),
        "submitted": Column("Submitted, waiting", numeric=True, sort="submitted", format=money),
        "left": Column("Left", numeric=True, sort="left", format=money),
        "wte": Column("ARRS WTE in post", wte_of, numeric=True, sort="arrs_hours"),
        "claims_waiting": Column("Claims waiting", numeric=True, sort="claims_waiting"),
    },
    caption="ARRS by network",
    filename="arrs",
    filterset_class=ArrsFilter,
    empty_message="No network in the area matches these filters.",
)

CareHomeFilter = choice_filterset(
    "CareHomeFilter",
    "Care homes",
    [("none", "No aligned care home"), ("some", "At least one")],
    lambda qs, v: qs.filter(care_home_count=0) if v == "none" else qs.filter(care_home_count__gt=0),
)

CareHomeTable = network_table(
    "CareHomeTable",
    {
        "care_homes": Column(
            "Aligned care homes", "care_home_count", numeric=True, sort="care_home_count"
        ),
        "beds": Column("Beds", numeric=True, sort="beds"),
    },
    caption="Care homes aligned to networks",
    filename="care-homes",
    filterset_class=CareHomeFilter,
    empty_message="No network in the area matches these filters.",
)

PracticeFilter = choice_filterset(
    "PracticeFilter",
    "Network",
    [("in", "In a network"), ("not", "Not in a network")],
    lambda qs, v: qs.filter(in_network=(v == "in")),
)


class PracticeTable(Table):
    code = Column("Practice code", sort="code")
    name = Column("Practice", "display_name", sort="name")
    commissioner = Column(
        "Sub-ICB location (formerly CCG)", "commissioner.display_name", sort="commissioner__name"
    )
    network_code = Column(
        "Network code",
        sort="network_code",
        link=lambda row: (
            reverse("network_detail", args=[row.network_code]) if row.network_code else None
        ),
    )
    network = Column(
        "Network", lambda row: row.network_name.title() if row.network_name else "Not in a network"
    )
    patients = Column("Registered patients", numeric=True, sort="patients")

    caption = "Practices"
    default_sort = "code"
    per_page = PAGE_SIZE
    filename = "practices"
    filterset_class = PracticeFilter
    empty_message = "No practice in the area matches these filters."


class RoleTable(Table):
    name = Column("ARRS role", sort="name")
    posts = Column("Posts in post", "post_count", numeric=True, sort="post_count")
    wte = Column("WTE", lambda row: figures.arrs_wte(row.hours), numeric=True, sort="hours")

    caption = "ARRS workforce by role"
    default_sort = "name"
    per_page = PAGE_SIZE
    filename = "arrs-roles"
    filterset_class = AsOfFilter
    empty_message = "No ARRS-funded post is in post in the area on this date."


STATUS_COLOURS = {
    DeliveryStatus.DELIVERED: "green",
    DeliveryStatus.IN_PROGRESS: "blue",
    DeliveryStatus.NOT_STARTED: "grey",
    DeliveryStatus.AT_RISK: "orange",
    DeliveryStatus.NOT_DELIVERED: "red",
}


def status_tag(value):
    if not value:
        return format_html('<strong class="nhsuk-tag nhsuk-tag--white">{}</strong>', "Not recorded")
    status = DeliveryStatus(value)
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', STATUS_COLOURS[status], status.label
    )


def service_table(specs):
    """The networks × specifications matrix: one column per specification in force."""
    columns = {}
    for spec in specs:
        key = f"spec_{spec.pk}"
        columns[key] = Column(
            spec.name,
            lambda row, key=key: (
                DeliveryStatus(getattr(row, key)).label if getattr(row, key) else "Not recorded"
            ),
            format=lambda label: status_tag(
                {s.label: s.value for s in DeliveryStatus}.get(label, "")
            ),
            sort=key,
        )
    return network_table(
        "ServiceTable",
        columns,
        caption="Service specifications",
        filename="service-specifications",
        filterset_class=AsOfFilter,
        empty_message="No network in the area is open on this date.",
    )


# --- sections ---------------------------------------------------------------------------


def networks_rows(request, area, on):
    return figures.network_figures(
        figures.networks_in(request.user, area), on, only=figures.SUMMARY_FIELDS
    )


SECTIONS = {
    "footprints": {
        "figures": ["population", "practices"],
        "title": "Footprints",
        "table": FootprintTable,
        "definition": (
            "A network's registered population is the sum of its member practices' latest "
            "registered list sizes on or before the date. Networks typically cover 30,000 to "
            "50,000 patients; a smaller or larger footprint needs the commissioner's approval "
            "(Network Contract DES)."
        ),
    },
    "leadership": {
        "figures": ["directors", "director_last_day"],
        "title": "Clinical directors",
        "table": LeadershipTable,
        "definition": (
            "Clinical directors in post on the date. 'Without one since' is the day after the "
            "last clinical director's last day, or the network's open date when none was ever "
            "recorded."
        ),
    },
    "governance": {
        "figures": ["agreement_signed_on", "data_sharing"],
        "title": "Network Agreements",
        "table": GovernanceTable,
        "definition": (
            "The Network Agreement recorded for the financial year of the date: the day it was "
            "signed, and whether the data-sharing agreement between members is in place."
        ),
    },
    "arrs": {
        "figures": ["left", "claims_waiting", "arrs_hours"],
        "title": "ARRS by network",
        "table": ArrsTable,
        "definition": (
            "For the financial year of the date. Allocation: the ARRS sum recorded for the "
            "network. Approved and submitted: the reimbursable amounts of the claim lines of "
            "approved claims and of claims submitted and waiting for a decision, for the "
            "year's months. Left: allocation minus approved minus submitted. ARRS WTE: the "
            "ARRS-funded posts in post on the date, on a 37.5-hour week. Claims waiting: "
            "submitted claims of any month not yet decided."
        ),
    },
    "roles": {
        "title": "ARRS workforce by role",
        "definition": (
            "ARRS-funded posts in post on the date in the area's networks, and their "
            "whole-time equivalent on a 37.5-hour week."
        ),
    },
    "services": {
        "title": "Service specifications",
        "definition": (
            "Each network's recorded delivery of the national service specifications in "
            "force in the financial year of the date."
        ),
    },
    "care-homes": {
        "figures": ["care_home_count", "beds"],
        "title": "Care homes",
        "table": CareHomeTable,
        "definition": (
            "Care homes aligned to each network (Enhanced Health in Care Homes) and their "
            "registered beds as CQC records them."
        ),
    },
    "practices": {
        "title": "Practices",
        "definition": (
            "Open GP practices (prescribing setting 4 in ODS epraccur) commissioned by a "
            "Sub-ICB location in the area, with the network they are a member of on the date "
            "and their latest registered list size."
        ),
    },
}


def section_table(request, area, on, slug):
    if slug == "practices":
        return PracticeTable(request, figures.area_practices(request.user, area, on))
    networks = figures.networks_in(request.user, area)
    if slug == "roles":
        return RoleTable(request, figures.roles_wte(networks.open(on), on))
    rows = figures.network_figures(networks, on, only=SECTIONS[slug].get("figures", ()))
    if slug == "services":
        year = financial_year_of(on)
        specs = list(figures.specifications_in_force(year))
        rows = rows.annotate(
            **{f"spec_{spec.pk}": figures.delivery_status(spec, year) for spec in specs}
        )
        return service_table(specs)(request, rows)
    return SECTIONS[slug]["table"](request, rows)


def area_section(slug):
    @load_area_or_england
    def view(request, area):
        on, invalid = as_of(request)
        table = section_table(request, area, on, slug)
        if download := table.download():
            return download
        context = page_context(request, area, on, invalid)
        context.update(
            {
                "section": SECTIONS[slug],
                "slug": slug,
                "table": table,
                "breadcrumbs": breadcrumbs(request, area, current=True),
                "claim_queue_url": optional_url("claim_queue", area.code),
            }
        )
        return render(request, "areas/area_section.html", context)

    view.__name__ = f"area_{slug.replace('-', '_')}"
    return view


# --- the overview -----------------------------------------------------------------------


class SubAreaTable(Table):
    code = Column("ODS code", sort="code", link=lambda row: area_url(row))
    name = Column("Name", "display_name", sort="name")
    networks = Column("Open networks", numeric=True, sort="networks")
    population = Column("Registered patients in networks", numeric=True, sort="population")

    default_sort = "code"
    per_page = 100
    filterset_class = AsOfFilter
    empty_message = "There is no area below this one that you can see."


@load_area_or_england
def area_detail(request, area):
    """An area's overview as of a date: every headline figure, linking to its rows."""
    on, invalid = as_of(request)
    rows = figures.summary_rows(networks_rows(request, area, on))
    summary = figures.summarise(rows)
    sub_rows = figures.sub_area_figures(request.user, area, on)
    sub_table = None
    if sub_rows is not None:
        sub_table = SubAreaTable(
            request, sub_rows, caption=SUB_AREA_CAPTIONS[type(area)], filename="areas"
        )
        if download := sub_table.download():
            return download
    bands = figures.distribution([row.population for row in rows])
    context = page_context(request, area, on, invalid)
    query = {"on": context["on_query"]}
    links = {slug: area_url(area, f"area_{slug.replace('-', '_')}", **query) for slug in SECTIONS}

    def link(slug, **filters):
        return area_url(area, f"area_{slug.replace('-', '_')}", **query, **filters)

    context.update(
        {
            "breadcrumbs": breadcrumbs(request, area),
            "summary": summary,
            "coverage": figures.coverage(request.user, area, on),
            "sub_table": sub_table,
            "bands": bands,
            "chart": {
                "labels": [b["label"] for b in bands],
                "networks": [b["networks"] for b in bands],
                "within": [b["within"] for b in bands],
            },
            "links": links,
            "link": {
                "below": link("footprints", show="below"),
                "within": link("footprints", show="within"),
                "above": link("footprints", show="above"),
                "unknown": link("footprints", show="unknown"),
                "outside": link("footprints", show="outside"),
                "no_director": link("leadership", show="none"),
                "unsigned": link("governance", show="unsigned"),
                "no_data_sharing": link("governance", show="no_data_sharing"),
                "waiting": link("arrs", show="waiting"),
                "no_allocation": link("arrs", show="no_allocation"),
                "in_network": link("practices", show="in"),
                "not_in_network": link("practices", show="not"),
                "no_care_home": link("care-homes", show="none"),
            },
            "claim_queue_url": optional_url("claim_queue", area.code),
        }
    )
    return render(request, "areas/area_detail.html", context)


SUB_AREA_CAPTIONS = {
    figures.England: "Regions",
    figures.Region: "ICBs",
    figures.IntegratedCareBoard: "Sub-ICB locations (formerly CCGs)",
}
