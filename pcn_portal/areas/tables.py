"""The tables of the commissioner pages: one per section of an area, each sortable,
filterable and downloadable (pcn_portal.core.tables), each network linking to its
overview. The rows come from pcn_portal.areas.figures; the views are in pcn_portal.areas.views."""

import django_filters
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from pcn_portal.areas import figures
from pcn_portal.core.dates import ONE_DAY
from pcn_portal.core.forms_nhsuk import DateInputField, LinkedDateInput
from pcn_portal.core.tables import Column, Table, money
from pcn_portal.workspace.views import footprint_tag
from practices.calculations import footprint
from services.models import DeliveryStatus

PAGE_SIZE = 50


def area_url(area, name="areas:detail", **query):
    url = reverse(name, args=[area.code])
    query = {k: v for k, v in query.items() if v}
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def network_link(row):
    return reverse("workspace:network_detail", args=[row.code])


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


class DateBoxesFilter(django_filters.Filter):
    """A date entered in the NHS.UK date input's boxes (or given whole by a link)."""

    field_class = DateInputField


class AsOfFilter(django_filters.FilterSet):
    on = DateBoxesFilter(
        label="As of",
        help_text="For example, 1 4 2025. Leave it empty for today.",
        method="keep",
        widget=LinkedDateInput,
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


def budget_link(row):
    """The network's budget page for the year, where its forecast is worked out month by
    month and role by role."""
    return reverse("workforce:budget_detail", args=[row.code, row.arrs_year])


ARRS_SHOWS = {
    "waiting": Q(claims_waiting__gt=0),
    "no_allocation": Q(allocation__isnull=True),
    "over": Q(headroom__lt=0) | Q(gp_headroom__lt=0),
    "no_forecast": Q(forecast__isnull=True),
    "incomplete": Q(forecast_gaps__gt=0),
}

ArrsFilter = choice_filterset(
    "ArrsFilter",
    "Show",
    [
        ("waiting", "With claims waiting for approval"),
        ("over", "Forecast over the allocation or the GP sum"),
        ("no_allocation", "No allocation"),
        ("incomplete", "Forecast leaving out maxima no source gives"),
        ("no_forecast", "No forecast worked out"),
    ],
    lambda qs, v: qs.filter(ARRS_SHOWS[v]),
)

ArrsTable = network_table(
    "ArrsTable",
    {
        "allocation": Column("Allocation", numeric=True, sort="allocation", format=money),
        "forecast": Column(
            "Forecast year-end", numeric=True, sort="forecast", format=money, link=budget_link
        ),
        "headroom": Column("Headroom", numeric=True, sort="headroom", format=money),
        "approved": Column("Approved", numeric=True, sort="approved", format=money),
        "submitted": Column("Submitted, waiting", numeric=True, sort="submitted", format=money),
        "left": Column("Left", numeric=True, sort="left", format=money),
        "gp_left": Column("GP sum left", numeric=True, sort="gp_left", format=money),
        "gp_headroom": Column("GP sum headroom", numeric=True, sort="gp_headroom", format=money),
        "awaiting": Column(
            "Cost awaiting maximum amounts", numeric=True, sort="awaiting", format=money
        ),
        "arrears_claimed": Column(
            "Arrears claimed", numeric=True, sort="arrears_claimed", format=money
        ),
        "arrears_owed": Column(
            "Arrears owed, not claimed", numeric=True, sort="arrears_owed", format=money
        ),
        "gaps": Column(
            "Maxima left out of the forecast", "forecast_gaps", numeric=True, sort="forecast_gaps"
        ),
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
            reverse("workspace:network_detail", args=[row.network_code])
            if row.network_code
            else None
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
    few_rows = True  # one per ARRS role; counting them apart would join the posts again
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


def sub_area_table(totals):
    """The areas one level down, with their open networks and registered patients from
    `totals` ({area id: (networks, patients)}, summed by the overview from its network rows)."""

    def networks(row):
        return totals.get(row.pk, (0, 0))[0]

    def patients(row):
        return totals.get(row.pk, (0, 0))[1]

    return type(
        "SubAreaTable",
        (Table,),
        {
            "code": Column("ODS code", sort="code", link=lambda row: area_url(row)),
            "name": Column("Name", "display_name", sort="name"),
            "networks": Column("Open networks", networks, numeric=True),
            "population": Column("Registered patients in networks", patients, numeric=True),
            "default_sort": "code",
            "per_page": 100,
            "filterset_class": AsOfFilter,
            "empty_message": "There is no area below this one that you can see.",
        },
    )
