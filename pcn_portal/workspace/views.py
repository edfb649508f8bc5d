"""The networks a user may see, and each network's overview.

These pages gather records of every app (members and list sizes, people, agreements), so
they belong to the site layer. They enter through the user's scope: the list through
PrimaryCareNetwork.objects.for_user, the overview through the load_pcn loader.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from networks.loaders import load_pcn
from networks.models import (
    IntegratedCareBoard,
    NetworkAgreementStatus,
    PrimaryCareNetwork,
    Region,
    SubICBLocation,
    TeamRole,
)
from networks.pages import no_director_warning, render_network
from networks.scopes import areas_seen, can_keep_notes
from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.tables import Column, Table
from practices.calculations import (
    Footprint,
    footprint,
    has_member_today,
    latest_list_size,
    with_population,
)

PAGE_SIZE = 50


def area_filter(model, label, field_name, empty_label):
    """A filter on the areas of one kind the user may see, chosen by ODS code."""

    def choices(request):
        if request is None:
            return model.objects.none()
        return model.objects.for_user(request.user).order_by("name")

    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=choices,
        to_field_name="code",
        empty_label=empty_label,
    )


class NetworkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=100,
        help_text="A network's ODS code or name, or a member practice's ODS code",
    )
    status = django_filters.ChoiceFilter(
        label="Open or closed",
        choices=[("open", "Open today"), ("closed", "Closed"), ("all", "Open or closed")],
        method="by_status",
        empty_label=None,
    )
    region = area_filter(Region, "Region", "lead_commissioner__icb__region", "All regions")
    icb = area_filter(IntegratedCareBoard, "ICB", "lead_commissioner__icb", "All ICBs")
    sub_icb = area_filter(
        SubICBLocation,
        "Sub-ICB location (formerly CCG)",
        "lead_commissioner",
        "All Sub-ICB locations",
    )

    class Meta:
        model = PrimaryCareNetwork
        fields = []

    def search(self, networks, name, value):
        if not (q := value.strip()):
            return networks
        return networks.filter(
            Q(code__iexact=q) | Q(name__icontains=q) | has_member_today(q.upper())
        )

    def by_status(self, networks, name, value):
        return {"open": networks.open(), "closed": networks.closed()}.get(value, networks)


def footprint_tag(flag):
    colour = {"within": "green", "unknown": "grey"}.get(flag.value, "orange")
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, flag.label)


class NetworkTable(Table):
    code = Column(
        "ODS code",
        sort="code",
        link=lambda pcn: reverse("workspace:network_detail", args=[pcn.code]),
    )
    name = Column("Name", "display_name", sort="name")
    sub_icb = Column(
        "Sub-ICB location (formerly CCG)",
        "lead_commissioner.display_name",
        sort="lead_commissioner__name",
    )
    sub_icb_code = Column("Sub-ICB location code", "lead_commissioner.code", screen=False)
    icb = Column(
        "ICB",
        lambda pcn: (
            pcn.lead_commissioner.icb.display_name if pcn.lead_commissioner.icb else "Not known yet"
        ),
        sort="lead_commissioner__icb__name",
    )
    icb_code = Column(
        "ICB code",
        lambda pcn: pcn.lead_commissioner.icb.code if pcn.lead_commissioner.icb else "",
        screen=False,
    )
    population = Column("Registered patients today", numeric=True, sort="population")
    footprint = Column("Footprint", lambda pcn: footprint(pcn.population), format=footprint_tag)
    closed = Column("Closed after (last day open)", "close_date", screen=False)

    caption = "Networks"
    default_sort = "code"
    per_page = PAGE_SIZE
    filterset_class = NetworkFilter
    filename = "networks"
    empty_message = (
        "No network you can see matches these filters. Clear the search or choose other filters."
    )


def network_list(request):
    """Every network the user may see, with its commissioner and population today."""
    visible = PrimaryCareNetwork.objects.for_user(request.user)
    networks = visible.select_related("lead_commissioner__icb__region")
    if not request.GET.get("status"):
        networks = networks.open()  # open today unless the user asks otherwise
    table = NetworkTable(request, with_population(networks, today()))
    if download := table.download():
        return download
    return render(
        request,
        "networks/network_list.html",
        {"table": table, "sees_none": not visible.exists()},
    )


class AsOfForm(NHSMessagesMixin, forms.Form):
    on = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


@load_pcn
def network_detail(request, pcn):
    """A network's overview, as of a date (`?on=2023-04-01`; default today)."""
    as_of = AsOfForm(request.GET)
    on = (as_of.cleaned_data.get("on") if as_of.is_valid() else None) or today()
    members = list(
        pcn.memberships.current(on)
        .select_related("practice")
        .annotate(
            list_size=latest_list_size(on),
            list_size_at=latest_list_size(on, field="extract_date"),
        )
        .order_by("practice__code")
    )
    sizes = [m.list_size for m in members if m.list_size is not None]
    population = sum(sizes) if sizes else None
    extracts = {m.list_size_at for m in members if m.list_size is not None}
    flag = footprint(population)
    directors = list(pcn.clinical_directors.current(on).select_related("practice"))
    managers = list(pcn.team.current(on).filter(role=TeamRole.NETWORK_MANAGER))
    year = financial_year_of(on)
    agreement = pcn.agreements.filter(financial_year=year).prefetch_related("schedules").first()
    warnings = []
    if pcn.is_open_on(on):
        if not directors:
            warnings.append(
                no_director_warning(request, pcn, "The network has no clinical director.")
            )
        if flag in (Footprint.BELOW, Footprint.ABOVE):
            warnings.append(
                f"The registered population ({population:,}) is outside 30,000 to 50,000: "
                "allowed only with the commissioner's approval."
            )
        if agreement is None or agreement.signed_on is None:
            warnings.append(
                f"The Network Agreement for {financial_year_label(year)} is not recorded as signed."
            )
    partners = pcn.collaborations.current(on).count()
    rows = overview_rows(
        pcn,
        population=population,
        extracts=extracts,
        flag=flag,
        directors=directors,
        managers=managers,
        year=year,
        agreement=agreement,
        partners=partners,
        can_edit=request.can_edit,
        areas_open=areas_seen(request.user, pcn),
    )
    today_url = reverse("workspace:network_detail", args=[pcn.code])
    return render_network(
        request,
        pcn,
        "networks/network_detail.html",
        {
            "partners": partners,
            "on": on,
            "is_today": on == today(),
            "as_of_invalid": bool(request.GET.get("on")) and not as_of.is_valid(),
            "members": members,
            "population": population,
            "footprint": flag,
            "directors": directors,
            "managers": managers,
            "year_label": financial_year_label(year),
            "agreement": agreement,
            "agreement_status": agreement_status(agreement),
            "summary_rows": rows,
            "commissioner_notes_url": commissioner_notes_url(request.user, pcn),
            "as_of_note": format_html(
                'As it was on {}. <a href="{}">See it today</a>.', f"{on.day} {on:%B %Y}", today_url
            ),
        },
        section="overview",
        warnings=warnings,
    )


def commissioner_notes_url(user, pcn):
    """The commissioner's notes on the network, under the lowest area over it whose pages
    the user may open, for those who may keep them (never the network's own staff); None
    for anyone else. No query: the loader read the areas over the network."""
    areas = areas_seen(user, pcn)
    if not areas or not can_keep_notes(user, pcn):
        return None
    return reverse("areas:network_notes", args=[areas[-1].code, pcn.code])


def joined(values):
    """Lines of a summary-list value, each escaped."""
    return format_html_join(mark_safe("<br>"), "{}", ((v,) for v in values))


def population_text(population, extracts):
    """A network's registered patients with the date they are at: public figures carry
    their date ("47,497 at 1 October 2025"), and where members' latest extracts differ, the
    latest of them."""
    latest = max(extracts)
    at = f"{latest.day} {latest:%B %Y}"
    if len(extracts) == 1:
        return f"{population:,} at {at}"
    return f"{population:,}, each member practice's latest figure (the latest at {at})"


def overview_rows(
    pcn,
    *,
    population,
    extracts,
    flag,
    directors,
    managers,
    year,
    agreement,
    partners,
    can_edit,
    areas_open,
):
    """The network overview's summary list: one row per fact, with a link to the page that
    keeps it ("Change" for its managers, "See all" for everyone else). The commissioner
    areas over the network link to their pages where the user may open them (`areas_open`,
    networks.scopes.areas_seen)."""
    area = pcn.lead_commissioner
    icb = area.icb
    region = icb.region if icb else None
    verb = "Change" if can_edit else "See all"

    def org(o):
        if not o:
            return "Not known yet"
        if o not in areas_open:
            return o.name_and_code
        href = reverse("areas:detail", args=[o.code])
        return format_html('<a class="nhsuk-link" href="{}">{}</a>', href, o.name_and_code)

    opened = (
        f"Since {pcn.open_date.day} {pcn.open_date:%B %Y}"
        if pcn.open_date
        else ("Open date not published")
    )
    if pcn.close_date:
        opened += f"; closed after {pcn.close_date.day} {pcn.close_date:%B %Y} (its last day)"
    patients = render_to_string("networks/_footprint_tag.html", {"flag": flag})
    if population is not None:
        patients = format_html("{} {}", population_text(population, extracts), mark_safe(patients))
    director_lines = [
        f"{d.full_name} ({d.get_profession_display()}"
        + (f", {floatformat(d.share, -2)} of the role" if d.share < 1 else "")
        + ")"
        for d in directors
    ]
    agreement_text = agreement_status(agreement)
    if agreement:
        agreement_text += (
            "; data-sharing agreement in place"
            if agreement.data_sharing_agreement_in_place
            else "; no data-sharing agreement recorded"
        )
    return [
        {"key": "ODS code", "value": pcn.code},
        {"key": "Sub-ICB location (formerly CCG)", "value": org(area)},
        {"key": "ICB", "value": org(icb)},
        {"key": "Region", "value": org(region)},
        {"key": "Address", "value": joined(pcn.address_lines) or "Not published"},
        {"key": "Open", "value": opened},
        {"key": "Registered patients", "value": patients},
        {
            "key": "Clinical director" + ("s" if len(directors) != 1 else ""),
            "value": joined(director_lines) or "No clinical director recorded",
            "href": reverse("networks:director_list", args=[pcn.code]),
            "action": verb,
            "hidden": "clinical directors",
        },
        {
            "key": "Network manager",
            "value": joined(m.full_name for m in managers) or "No network manager recorded",
            "href": reverse("networks:team_list", args=[pcn.code]),
            "action": verb,
            "hidden": "network team",
        },
        {
            "key": f"Network Agreement {financial_year_label(year)}",
            "value": agreement_text,
            "href": reverse("networks:governance", args=[pcn.code]),
            "action": verb,
            "hidden": "Network Agreements",
        },
        {
            "key": "Partner organisations",
            "value": (
                f"{partners} collaboration{'s' if partners != 1 else ''} in force"
                if partners
                else "No collaboration recorded"
            ),
            "href": reverse("networks:collaboration_list", args=[pcn.code]),
            "action": verb,
            "hidden": "partner organisations",
        },
        {
            "key": "History",
            "value": "Every change to the network's records, with who made it",
            "href": reverse("history:network", args=[pcn.code]),
            "action": "See",
            "hidden": "the network's history",
        },
    ]


def agreement_status(agreement):
    if agreement is None:
        return "Not recorded"
    if agreement.signed_on:
        return f"Signed on {agreement.signed_on.day} {agreement.signed_on:%B %Y}"
    statuses = {s.status for s in agreement.schedules.all()}
    if statuses and statuses <= {NetworkAgreementStatus.AGREED, NetworkAgreementStatus.SIGNED}:
        return "Agreed, not yet signed"
    return "In progress" if statuses - {NetworkAgreementStatus.NOT_STARTED} else "Not started"
