"""Commissioner pages: a Sub-ICB location, ICB, region or England, as of a date.

An area's overview gives its headline figures, each linking to the table of the networks
(or practices) behind it; each table sorts and downloads as CSV and XLSX. Every page
enters through the user's scope: the area through the area loader (404 outside it), the
networks through PrimaryCareNetwork.objects.for_user. Figures and their definitions are
in pcn_portal.areas.figures.
"""

import copy
import functools
from dataclasses import replace

from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from networks.loaders import load_area, visible_area
from networks.models import sees_everything
from pcn_portal.areas import figures
from pcn_portal.areas.tables import (
    ArrsTable,
    CareHomeTable,
    FootprintTable,
    GovernanceTable,
    LeadershipTable,
    PracticeTable,
    RoleTable,
    area_url,
    service_table,
    sub_area_table,
)
from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from pcn_portal.core.form_messages import NHSMessagesMixin
from pcn_portal.core.forms_nhsuk import DateInputField, LinkedDateInput
from pcn_portal.core.tables import MONEY_FORMAT, About, Formatted, Sheet, money, workbook_response
from workforce.views import claims


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


class AreaDateForm(NHSMessagesMixin, forms.Form):
    on = DateInputField(
        label="Show the area as of a date",
        help_text="For example, 1 4 2025. Leave it empty for today.",
        required=False,
        widget=LinkedDateInput,
    )


def as_of(request):
    """The date of the page, from the date boxes or a link's `?on=2025-04-01` (default
    today), its form, and whether a link's date was not one. A date typed that is not one
    leaves the page on today with the form saying what is wrong."""
    form = AreaDateForm(request.GET)
    found = form.cleaned_data.get("on") if form.is_valid() else None
    # A link's date reads as none when it is not one (LinkedDateInput); boxes typed in
    # have their own errors.
    invalid = form.is_valid() and found is None and bool(request.GET.get("on"))
    return found or today(), invalid, form


def breadcrumbs(request, area, current=None):
    items = [{"text": "Home", "href": reverse("home")}]
    for above, visible in figures.ancestors(request.user, area):
        if visible:
            items.append({"text": above.display_name, "href": area_url(above)})
    if current:
        items.append({"text": area.display_name, "href": area_url(area)})
    return items


def page_context(request, area, on, invalid, date_form=None):
    year = financial_year_of(on)
    on_query = "" if on == today() else on.isoformat()
    return {
        "area": area,
        "kind": figures.kind_of(area),
        "on": on,
        "on_query": on_query,
        "is_today": on == today(),
        "as_of_invalid": invalid,
        "date_form": date_form,
        "year_label": financial_year_label(year),
    }


# --- sections ---------------------------------------------------------------------------


SECTIONS = {
    "footprints": {
        "figures": ["population", "practices"],
        "title": "Footprints",
        "table": FootprintTable,
        "recorded_today": "Footprint notes are as recorded today.",
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
        "recorded_today": (
            "An agreement counts as signed from the day it was signed. Whether the "
            "data-sharing agreement is in place is as recorded today: the portal does not "
            "record the day it was put in place."
        ),
        "definition": (
            "The Network Agreement recorded for the financial year of the date: the day it was "
            "signed, and whether the data-sharing agreement between members is in place."
        ),
    },
    "arrs": {
        "figures": [
            "left",
            "headroom",
            "gp_left",
            "gp_headroom",
            "awaiting",
            "arrears_claimed",
            "arrears_owed",
            "forecast_gaps",
            "claims_waiting",
            "arrs_hours",
        ],
        "title": "ARRS by network",
        "table": ArrsTable,
        "recorded_today": (
            "Approved, submitted, left, WTE and claims waiting are as they stood on the date: "
            "a claim counts as submitted from the day it was submitted, as approved or "
            "rejected from the day it was decided. The allocation, forecast year-end, "
            "headroom, cost awaiting maximum amounts, arrears and maxima left out are as "
            "recorded today: the portal keeps them for the year, not day by day."
        ),
        "definition": (
            "For the financial year of the date. Allocation: the ARRS sum recorded for the "
            "network. Approved and submitted: the reimbursable amounts of the claim lines of "
            "claims approved by the date and of claims submitted by the date and waiting for a "
            "decision on it, for the year's months. Left: allocation minus what is approved "
            "and submitted on it. "
            "Forecast year-end: the forecast the network's budget page shows — what was "
            "claimed for each month claimed, and what the posts in place are expected to "
            "claim for the others; worked out again whenever the network's posts or claims "
            "change. Headroom: allocation minus forecast. In 2024/25 GP posts draw on their "
            "own ring-fenced GP sum alone, not on the allocation: their lines and forecast "
            "count against the GP sum (GP sum left, GP sum headroom), every other role's "
            "against the allocation. A network without an allocation recorded has no Left "
            "nor Headroom, and the area's totals add up the networks' rows. Cost awaiting "
            "maximum amounts: the salary, NI and pension of months and held claim lines "
            "whose maximum no source gives yet, which the forecast cannot count (its budget "
            "page names them); it is not £0. Arrears: after NHS England revised maximum "
            "amounts for months already claimed, what approved lines are owed at the new "
            "maximum — claimed (in Approved and Submitted), or owed and not yet claimed (in "
            "the forecast). Maxima left out: how many such maxima. ARRS "
            "WTE: the ARRS-funded posts in post on the date, on a 37.5-hour week. Claims "
            "waiting: "
            "claims of any month submitted by the date and not yet decided on it."
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
        "recorded_today": (
            "Delivery statuses are as recorded today: the portal does not record the day "
            "each changed."
        ),
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
            "Care homes aligned to each network on the date (Enhanced Health in Care Homes) "
            "and their beds as the network last recorded them for that month or before."
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


# The sections whose figures are those of the financial year of the date (their downloads
# say the year as well as the date).
YEAR_SECTIONS = {"governance", "arrs", "services"}


def download_about(area, on, *, year=False):
    """What an area's download is of: the area and the page's date (and its financial
    year), in the file's name and its first rows."""
    return About(
        code=area.code,
        name=area.name_and_code,
        on=on,
        year=financial_year_of(on) if year else None,
    )


# The columns of a section whose figures the records hold only as they are today (nothing
# in them says when they changed): on a page of another date their headings say so, on the
# page and in the downloads. Every specification's column of the services section too.
RECORDED_TODAY = " (as recorded today)"
AS_RECORDED_TODAY = {
    "footprints": {"notes"},
    "governance": {"data_sharing"},
    "arrs": {
        "allocation",
        "forecast",
        "headroom",
        "gp_headroom",
        "awaiting",
        "arrears_claimed",
        "arrears_owed",
        "gaps",
    },
}


def recorded_today(column, slug):
    return column.key in AS_RECORDED_TODAY.get(slug, ()) or (
        slug == "services" and column.key.startswith("spec_")
    )


def mark_recorded_today(table, slug, on):
    """On a date other than today, the table's columns of figures as recorded today say so
    in their headings (copies: the table's class keeps its own)."""
    if on == today():
        return table
    marked = []
    for column in table.columns:
        if recorded_today(column, slug):
            column = copy.copy(column)
            column.heading += RECORDED_TODAY
        marked.append(column)
    table.columns = marked
    return table


def section_table(request, area, on, slug):
    # A Sub-ICB location's own tables leave its name off the screen (it would be the same
    # on every row); their downloads keep it.
    one_sub_icb = isinstance(area, figures.SubICBLocation)
    about = download_about(area, on, year=slug in YEAR_SECTIONS)
    if slug == "practices":
        off_screen = ("commissioner",) if one_sub_icb else ()
        return PracticeTable(
            request,
            figures.area_practices(request.user, area, on),
            off_screen=off_screen,
            about=about,
        )
    networks = figures.networks_in(request.user, area)
    if slug == "roles":
        return RoleTable(request, figures.roles_wte(networks.open(on), on), about=about)
    off_screen = ("sub_icb",) if one_sub_icb else ()
    rows = figures.network_figures(networks, on, only=SECTIONS[slug].get("figures", ()))
    if slug == "services":
        year = financial_year_of(on)
        specs = list(figures.specifications_in_force(year))
        rows = rows.annotate(
            **{f"spec_{spec.pk}": figures.delivery_status(spec, year) for spec in specs}
        )
        return service_table(specs)(request, rows, off_screen=off_screen, about=about)
    return SECTIONS[slug]["table"](request, rows, off_screen=off_screen, about=about)


def area_section(slug):
    @load_area_or_england
    def view(request, area):
        # The date's boxes are the table's filter form's (AsOfFilter).
        on, invalid, _ = as_of(request)
        table = mark_recorded_today(section_table(request, area, on, slug), slug, on)
        if download := table.download():
            return download
        context = page_context(request, area, on, invalid)
        context.update(
            {
                "section": SECTIONS[slug],
                "slug": slug,
                "table": table,
                "breadcrumbs": breadcrumbs(request, area, current=True),
                "claim_queue_url": optional_url("areas:claim_queue", area.code),
            }
        )
        return render(request, "areas/area_section.html", context)

    view.__name__ = f"area_{slug.replace('-', '_')}"
    return view


# --- the overview -----------------------------------------------------------------------


@load_area_or_england
def area_detail(request, area):
    """An area's overview as of a date: every headline figure, linking to its rows."""
    on, invalid, date_form = as_of(request)
    areas, path = figures.sub_areas(request.user, area)
    found = figures.overview(request.user, area, on, group=path)
    sub_table = None
    if areas is not None:
        sub_table = sub_area_table(found.by_group)(
            request,
            areas,
            caption=SUB_AREA_CAPTIONS[type(area)],
            filename="areas",
            about=download_about(area, on),
        )
        if download := sub_table.download():
            return download
    bands = found.bands
    context = page_context(request, area, on, invalid, date_form)
    query = {"on": context["on_query"]}
    # Keyed as a template reads them: `links.care_homes` for the care-homes section.
    links = {
        slug.replace("-", "_"): area_url(area, f"areas:{slug.replace('-', '_')}", **query)
        for slug in SECTIONS
    }

    def link(slug, **filters):
        return area_url(area, f"areas:{slug.replace('-', '_')}", **query, **filters)

    context.update(
        {
            "breadcrumbs": breadcrumbs(request, area),
            "summary": found.summary,
            "coverage": found.coverage,
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
                "over": link("arrs", show="over"),
                "no_forecast": link("arrs", show="no_forecast"),
                "incomplete": link("arrs", show="incomplete"),
                "by_headroom": link("arrs", sort="headroom"),
                "by_left": link("arrs", sort="left"),
                "by_wte": link("arrs", sort="-wte"),
                "in_network": link("practices", show="in"),
                "not_in_network": link("practices", show="not"),
                "no_care_home": link("care-homes", show="none"),
            },
            "claim_queue_url": optional_url("areas:claim_queue", area.code),
        }
    )
    return render(request, "areas/area_detail.html", context)


SUB_AREA_CAPTIONS = {
    figures.England: "Regions",
    figures.Region: "ICBs",
    figures.IntegratedCareBoard: "Sub-ICB locations (formerly CCGs)",
}


@load_area
def claim_queue(request, area):
    """The area's queue of ARRS claims to decide (workforce's page), under the breadcrumbs
    of the area's pages: Home, the areas above it the user may open, the area."""
    return claims.claim_queue(request, area, breadcrumbs=breadcrumbs(request, area, current=True))


@load_area
def claim_queue_approve(request, area):
    """Approving clean claims of the area's queue together (workforce's page), under the
    area's breadcrumbs."""
    return claims.claim_queue_approve(
        request, area, breadcrumbs=breadcrumbs(request, area, current=True)
    )


# --- the board pack ---------------------------------------------------------------------


def overview_figures(summary, coverage, year_label):
    """The overview's figures as its page shows them, in its order: (part, [(label, kind,
    value)]), kind being "count", "money" or "text". The board pack's page and workbook
    both read them, so the two say the same as the overview."""
    arrs = [
        ("Allocation", "money", summary.allocation),
        ("Networks without an allocation", "count", summary.without_allocation),
        ("Approved", "money", summary.approved),
        ("Submitted, waiting for approval", "money", summary.submitted),
        ("Left (allocation − approved − submitted on it)", "money", summary.left),
        ("Forecast year-end", "money", summary.forecast),
        ("Networks without a forecast", "count", summary.without_forecast),
        (
            "Networks whose forecast leaves out maximum amounts no source gives yet",
            "count",
            summary.incomplete_forecasts,
        ),
        ("Headroom (allocation − forecast on it)", "money", summary.headroom),
        (
            "Networks forecast over their allocation or GP sum",
            "count",
            summary.over_allocation,
        ),
    ]
    if summary.gp_sum:
        arrs += [
            ("GP sum (GP posts only, not usable for other roles)", "money", summary.gp_sum),
            ("GP sum left", "money", summary.gp_left),
            ("GP sum headroom", "money", summary.gp_headroom),
        ]
    if summary.awaiting:
        arrs.append(("Cost awaiting national maximum amounts", "money", summary.awaiting))
    arrs += [
        ("ARRS WTE in post", "count", summary.wte),
        ("Claims waiting for approval", "count", summary.claims_waiting),
    ]
    covered = f"{coverage.patients_covered_text} of {coverage.patients_text}"
    if coverage.share is not None:
        covered += f" ({coverage.share}%)"
    return [
        (
            "Networks and coverage",
            [
                ("Open networks", "count", summary.networks),
                ("Registered patients in the networks", "count", summary.population),
                ("GP practices in the area", "count", coverage.practices),
                ("In a network", "count", coverage.in_network),
                ("Not in a network", "count", coverage.not_in_network),
                ("Registered patients covered", "text", covered),
            ],
        ),
        (
            "Footprints",
            [
                ("Below 30,000", "count", summary.below),
                ("30,000 to 50,000", "count", summary.within),
                ("Above 50,000", "count", summary.above),
                ("No list sizes", "count", summary.unknown),
            ],
        ),
        (
            "Leadership and governance",
            [
                ("No clinical director", "count", summary.without_director),
                (f"Network Agreement {year_label} not signed", "count", summary.agreement_unsigned),
                ("No data-sharing agreement", "count", summary.no_data_sharing),
            ],
        ),
        (f"ARRS {year_label}", arrs),
        (
            "Services and care homes",
            [
                ("Aligned care homes", "count", summary.care_homes),
                ("Beds in aligned care homes", "count", summary.beds),
                ("Networks without an aligned care home", "count", summary.without_care_home),
            ],
        ),
    ]


def figure_text(kind, value):
    """A figure as the overview page writes it."""
    if kind == "money":
        return money(value)
    if kind == "count":
        return f"{value:,}"
    return value


def figure_cell(kind, value):
    """A figure as the workbook holds it: a number stays a number (money shown as money)."""
    return Formatted(value, MONEY_FORMAT) if kind == "money" else value


def pack_request(request, on):
    """The request the pack's tables are built from: the date alone, so each section holds
    all its rows in its own default order, as its unfiltered download does, whatever else
    the pack's address carries."""
    pack = copy.copy(request)
    pack.GET = QueryDict(mutable=True)
    pack.GET["on"] = on.isoformat()
    return pack


def pack_about(area, on, extracted, *, year):
    """The first rows of a pack's sheet: the area, the date, the financial year where the
    sheet's figures are the year's, and when the figures were read."""
    return replace(download_about(area, on, year=year), extracted=extracted)


def pack_workbook(area, on, extracted, overview, tables):
    """The pack as one workbook: the overview's figures, then a sheet per section with the
    same rows and columns as the section's own download."""
    rows = [
        [label, figure_cell(kind, value)] for _, found in overview for label, kind, value in found
    ]
    sheets = [
        Sheet(
            title="Overview",
            preamble=[*pack_about(area, on, extracted, year=True).rows, []],
            headings=["Figure", "Value"],
            rows=rows,
        )
    ]
    for slug, table in tables.items():
        about = pack_about(area, on, extracted, year=slug in YEAR_SECTIONS)
        sheets.append(table.sheet(title=SECTIONS[slug]["title"], about=about))
    name = f"board-pack-{download_about(area, on).file_tag}.xlsx"
    return workbook_response(sheets, name)


def pack_sections(tables):
    """Each section for the printable page: its title, definition and table with every
    row (one query each; no pagination)."""
    return [
        {
            "slug": slug,
            "title": SECTIONS[slug]["title"],
            "definition": SECTIONS[slug]["definition"],
            "table": table,
            "rows": [table.cells(row) for row in table.queryset],
        }
        for slug, table in tables.items()
    ]


@load_area_or_england
def board_pack(request, area):
    """An area's board pack as of a date: the overview and every section's table, as one
    printable page or (`format=xlsx`) one workbook. One query for the overview and a few
    per section, however many networks the area has."""
    on, invalid, _ = as_of(request)
    extracted = timezone.now().replace(microsecond=0)
    year_label = financial_year_label(financial_year_of(on))
    found = figures.overview(request.user, area, on)
    overview = overview_figures(found.summary, found.coverage, year_label)
    table_request = pack_request(request, on)
    tables = {slug: section_table(table_request, area, on, slug) for slug in SECTIONS}
    if request.GET.get("format") == "xlsx":
        return pack_workbook(area, on, extracted, overview, tables)
    context = page_context(request, area, on, invalid)
    context.update(
        {
            "breadcrumbs": breadcrumbs(request, area, current=True),
            "extracted": extracted,
            "overview": [
                (part, [(label, figure_text(kind, value)) for label, kind, value in found])
                for part, found in overview
            ],
            "sections": pack_sections(tables),
            "workbook_url": area_url(area, "areas:board_pack", on=on.isoformat(), format="xlsx"),
        }
    )
    return render(request, "areas/board_pack.html", context)
