"""The public directory of networks: no login, published data only (pcn_portal.directory.public).

Pages are cacheable by proxies when served to an anonymous visitor (Cache-Control public;
a signed-in user's page is private), with an ETag from the latest ODS import and the day
(membership "today" changes at midnight), so a conditional request gets 304 Not Modified
until the next import or the next day.
"""

import functools

import django_filters
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_safe

from networks.models import PrimaryCareNetwork
from pcn_portal.core.dates import today
from pcn_portal.core.tables import Column, Table
from pcn_portal.directory import public

CACHE_SECONDS = 3600


def published_etag(request, *args, **kwargs):
    """Changes with each ODS import, each day, and between signed-in and anonymous pages
    (their headers differ)."""
    latest = public.last_import()
    extract = request.last_import = latest if latest.pk is not None else None
    request.patients_at = latest.patients_at
    stamp = f"{extract.pk}.{extract.imported_at.timestamp():.0f}" if extract else "none"
    who = f"u{request.user.pk}" if request.user.is_authenticated else "anon"
    return f"{stamp}-{today().isoformat()}-{who}"


def cache_for_the_public(request, response):
    """Shared caches may keep a page of published data for an hour when it is the same for
    everyone: an anonymous visitor's answer. A signed-in user's page names them (the
    header), and an error is no page to keep: those are the browser's alone, checked
    again each time."""
    if response.status_code in (200, 304) and not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def published(view):
    """A public page of published data: no login, GET or HEAD only, with an ETag, cached
    by shared caches only when anonymous (cache_for_the_public)."""
    conditional = condition(etag_func=published_etag)(view)

    @login_not_required
    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return cache_for_the_public(request, conditional(request, *args, **kwargs))

    return wrapper


def thousands(number):
    return "" if number is None else f"{number:,}"


def choice_of(queryset_function, label, field_name, empty_label):
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=lambda request: queryset_function(),
        to_field_name="code",
        empty_label=empty_label,
    )


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=100,
        help_text=(
            "A network's or a practice's name or ODS code, a postcode such as LS1 4AP or LS1, "
            "or a town"
        ),
    )
    region = choice_of(public.regions, "Region", "lead_commissioner__icb__region", "All regions")
    icb = choice_of(public.icbs, "ICB", "lead_commissioner__icb", "All ICBs")
    sub_icb = choice_of(
        public.sub_icb_locations,
        "Sub-ICB location (formerly CCG)",
        "lead_commissioner",
        "All Sub-ICB locations",
    )

    class Meta:
        model = PrimaryCareNetwork
        fields = []

    def search(self, networks, name, value):
        return public.search(networks, value)


def icb_of(pcn):
    return pcn.lead_commissioner.icb


class DirectoryTable(Table):
    code = Column(
        "ODS code", sort="code", link=lambda pcn: reverse("directory:network", args=[pcn.code])
    )
    name = Column("Network", "display_name", sort="name")
    sub_icb = Column(
        "Sub-ICB location (formerly CCG)",
        "lead_commissioner.display_name",
        sort="lead_commissioner__name",
        link=lambda pcn: reverse("directory:area", args=[pcn.lead_commissioner.code]),
    )
    sub_icb_code = Column("Sub-ICB location code", "lead_commissioner.code", screen=False)
    icb = Column(
        "ICB",
        lambda pcn: icb_of(pcn).display_name if icb_of(pcn) else "",
        sort="lead_commissioner__icb__name",
    )
    icb_code = Column("ICB code", lambda pcn: icb_of(pcn).code if icb_of(pcn) else "", screen=False)
    region = Column(
        "Region",
        lambda pcn: icb_of(pcn).region.display_name if icb_of(pcn) and icb_of(pcn).region else "",
        sort="lead_commissioner__icb__region__name",
    )
    practices = Column("Member practices", "member_count", numeric=True, sort="member_count")
    patients = Column(
        "Registered patients", "registered_patients", numeric=True, sort="registered_patients"
    )

    caption = "Primary care networks"
    default_sort = "name"
    per_page = 50
    filterset_class = DirectoryFilter
    filename = "primary-care-networks"
    empty_message = (
        "No network matches. Check the spelling, search for part of a name, or clear the filters."
    )


@published
def directory(request):
    """Every open network with its commissioners, member practices and patients."""
    table = DirectoryTable(request, public.networks())
    if download := table.download():
        return download
    return render(
        request,
        "directory/directory_list.html",
        {
            "table": table,
            "import": request.last_import,
            "patients_at": request.patients_at,
        },
    )


class MemberTable(Table):
    code = Column("ODS code", sort="code")
    name = Column("Practice", "display_name", sort="name")
    address = Column("Address", public.practice_address)
    postcode = Column("Postcode", sort="postcode")
    member_since = Column("Member since", sort="member_since")
    patients = Column(
        "Registered patients", "registered_patients", numeric=True, sort="registered_patients"
    )
    patients_at = Column("Registered patients at", "registered_patients_at")

    caption = "Member practices today"
    default_sort = "code"
    per_page = 100
    filename = "member-practices"
    empty_message = "ODS publishes no member practice for this network today."


@published
def directory_network(request, code):
    """A network's public page: its commissioners and member practices today."""
    pcn = public.network(code)
    if pcn is None:
        raise Http404("No open network has this ODS code.")
    pcn.registered_patients_text = thousands(pcn.registered_patients)
    table = MemberTable(request, public.members(pcn), filename=f"{pcn.code}-member-practices")
    if download := table.download():
        return download
    return render(
        request,
        "directory/directory_network.html",
        {
            "pcn": pcn,
            "table": table,
            "address": public.address(pcn),
            "import": request.last_import,
            "patients_at": request.patients_at,
        },
    )


class FactSheetTable(Table):
    network_code = Column("Network code", "pcn.code")
    network = Column("Network", "pcn.display_name")
    practice_code = Column("Practice code", "practice.code")
    practice = Column("Practice", "practice.display_name")
    postcode = Column("Postcode", "practice.postcode")
    patients = Column("Registered patients", "registered_patients", numeric=True)

    per_page = 10_000
    empty_message = "No open network is led by this Sub-ICB location today."


@published
def directory_area(request, sub_icb):
    """A Sub-ICB location's fact sheet: every network it leads, with its practices."""
    area = public.sub_icb_location(sub_icb)
    if area is None:
        raise Http404("No open Sub-ICB location has this ODS code.")
    rows = public.fact_sheet_rows(area)
    table = FactSheetTable(
        request, rows, filename=f"{area.code}-networks-and-practices", caption=area.display_name
    )
    if download := table.download():
        return download
    networks = []
    for row in rows:
        if not networks or networks[-1]["pcn"].pk != row.pcn_id:
            networks.append({"pcn": row.pcn, "practices": [], "patients": 0})
        row.registered_patients_text = thousands(row.registered_patients)
        networks[-1]["practices"].append(row)
        networks[-1]["patients"] += row.registered_patients or 0
    return render(
        request,
        "directory/directory_area.html",
        {
            "area": area,
            "networks": networks,
            "practices": sum(len(n["practices"]) for n in networks),
            "table": table,
            "on": today(),
            "import": request.last_import,
            "patients_at": request.patients_at,
        },
    )


@published
def directory_areas(request):
    """Every open Sub-ICB location, by region and ICB, each linking to its fact sheet."""
    regions = {}
    for area in public.sub_icb_locations().order_by(
        "icb__region__name", "icb__name", "name", "code"
    ):
        icb = area.icb
        region = icb.region if icb else None
        by_icb = regions.setdefault(region, {})
        by_icb.setdefault(icb, []).append(area)
    return render(
        request,
        "directory/directory_areas.html",
        {"regions": regions, "import": request.last_import},
    )


@published
def api_documentation(request):
    """What the JSON API gives, field by field, with where each is published."""
    return render(
        request,
        "directory/api.html",
        {
            "network_fields": public.NETWORK_FIELDS,
            "practice_fields": public.PRACTICE_FIELDS,
            "page_size": 100,
            "import": request.last_import,
        },
    )
