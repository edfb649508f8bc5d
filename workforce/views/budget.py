"""A network's ARRS budget position for a financial year, and the commissioner's entry of
its weighted population at 1 January.

The URL writes a financial year as the calendar year it starts in: /budget/2025/ is
2025/26. /budget/ alone goes to the current financial year.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html

from networks.loaders import load_pcn
from networks.pages import render_network
from networks.scopes import (
    WEIGHTED_POPULATION_REFUSAL,
    can_approve_claims,
    check_can_approve_claims,
)
from pcn_portal.core.citations import Citation, citation_cell
from pcn_portal.core.dates import financial_year_label, financial_year_of, today
from pcn_portal.core.forms import posted, save_form
from pcn_portal.core.forms_nhsuk import NHSFormHelper
from pcn_portal.core.tables import Column, RowsTable, money
from pcn_portal.core.versions import VersionedModelForm
from practices.models import NetworkWeightedPopulation
from workforce import actions as workforce_actions
from workforce.budget import budget_position

FIRST_YEAR = 2019  # ARRS began in July 2019 (DOMAIN.md §3.1)


def pounds(value):
    return "Not known" if value is None else money(value)


def missing_text(texts):
    return " ".join(texts)


class SummaryTable(RowsTable):
    figure = Column("Figure", "name")
    amount = Column("Amount (£)", "amount", numeric=True, format=pounds)
    working = Column("How it is worked out", "working")
    source = Column("Source", "source", format=citation_cell)

    key = "summary"
    caption = "Budget position"
    filename = "arrs-budget-summary"
    row_header = True


class MemberTable(RowsTable):
    code = Column("Practice", lambda m: m.practice.code)
    name = Column("Name", lambda m: m.practice.display_name)
    weighted = Column(
        "Weighted population",
        "weighted_patients",
        numeric=True,
        format=lambda v: "No figure" if v is None else f"{v:,}",
    )
    on = Column("Date of the figure", "on")
    source = Column("Source", "source")

    key = "members"
    caption = "Member practices' weighted populations"
    filename = "arrs-weighted-populations"
    row_header = True


def month_cell(row):
    """The month with its claim's state under it: in a column of their own they were one of
    the columns that pushed the table past a 1280 px screen (the downloads keep both)."""
    return format_html(
        '{} <br><span class="nhsuk-body-s">{}</span>', f"{row.month:%B %Y}", row.status
    )


def awaiting_cell(row):
    """The cost awaiting maximum amounts, with how many maximum amounts it waits for under
    it, linked to the page's list of them at the top: the missing maxima named in full on
    every row made the table far wider or taller than the screen, and the list above names
    each once (the downloads keep them in their own column)."""
    if not row.missing:
        return money(row.awaiting)
    count = len(row.missing)
    return format_html(
        '{} <br><a class="nhsuk-link nhsuk-body-s" href="#check-figures">{} maximum {} not '
        "known</a>",
        money(row.awaiting),
        count,
        "amount" if count == 1 else "amounts",
    )


class MonthTable(RowsTable):
    month_and_claim = Column("Month", month_cell, download=False)
    month = Column("Month", lambda r: f"{r.month:%B %Y}", screen=False)
    status = Column("Claim", "status", screen=False)
    approved = Column("Approved (£)", "approved", numeric=True, format=money)
    submitted = Column("Submitted (£)", "submitted", numeric=True, format=money)
    expected = Column("Expected, not yet claimed (£)", "expected", numeric=True, format=money)
    forecast = Column("Forecast (£)", "forecast", numeric=True, format=money)
    cumulative = Column("Forecast to date (£)", "cumulative", numeric=True, format=money)
    awaiting_on_screen = Column(
        "Awaiting maximum amounts (£)",
        lambda r: r,
        numeric=True,
        format=awaiting_cell,
        download=False,
    )
    awaiting = Column(
        "Cost awaiting maximum amounts (£)", "awaiting", numeric=True, format=money, screen=False
    )
    missing = Column("Missing maximum", lambda r: missing_text(r.missing), screen=False)

    key = "months"
    caption = "Claims and forecast, month by month"
    filename = "arrs-budget-months"
    row_header = True
    compact = True


def role_cell(row):
    """The role with its posts and whole-time equivalents in place today under it: in
    columns of their own they pushed the table past a 1280 px screen (the downloads keep
    each in its own column)."""
    posts = "post" if row.posts_today == 1 else "posts"
    return format_html(
        '{} <br><span class="nhsuk-body-s">{} {} in place, {} WTE</span>',
        row.role.name,
        row.posts_today,
        posts,
        floatformat(row.wte_today, -2),
    )


class RoleTable(RowsTable):
    role_on_screen = Column("Role", role_cell, download=False)
    role = Column("Role", lambda r: r.role.name, screen=False)
    posts = Column("Posts in place", "posts_today", numeric=True, screen=False)
    wte = Column("WTE in place", "wte_today", numeric=True, screen=False)
    committed_on_screen = Column("Committed (£)", "committed", numeric=True, format=money,
                                 download=False)  # fmt: skip
    committed = Column(
        "Committed: claimed + known dates to year end (£)",
        "committed",
        numeric=True,
        format=money,
        screen=False,
    )
    approved = Column("Approved (£)", "approved", numeric=True, format=money)
    submitted = Column("Submitted (£)", "submitted", numeric=True, format=money)
    expected = Column("Expected, not yet claimed (£)", "expected", numeric=True, format=money)
    forecast = Column("Forecast (£)", "forecast", numeric=True, format=money)
    awaiting_on_screen = Column(
        "Awaiting maximum amounts (£)",
        lambda r: r,
        numeric=True,
        format=awaiting_cell,
        download=False,
    )
    awaiting = Column(
        "Cost awaiting maximum amounts (£)", "awaiting", numeric=True, format=money, screen=False
    )
    missing = Column("Missing maximum", lambda r: missing_text(r.missing), screen=False)

    key = "roles"
    caption = "Posts, claims and forecast by role"
    filename = "arrs-budget-roles"
    row_header = True
    compact = True
    empty_message = "The network has no ARRS-funded posts in this year."


class MaximaUsedTable(RowsTable):
    role = Column("Role", lambda u: u.row.role.name)
    band = Column("Band", lambda u: u.row.afc_band or "All")
    start = Column("From", lambda u: u.row.period_start)
    end = Column("Last day", lambda u: u.row.period_end)
    zone = Column("Zone", "zone_label")
    amount = Column("Annual maximum per WTE (£)", "amount", numeric=True, format=pounds)
    source = Column("Source", lambda u: Citation.of(u.row), format=citation_cell)

    key = "maxima"
    caption = "Maximum amounts used"
    filename = "arrs-maximum-amounts-used"
    empty_message = "No maximum amount is used: the network has no ARRS posts this year."


class Line:
    def __init__(self, name, amount, working, source):
        self.name, self.amount, self.working, self.source = name, amount, working, source


def arrears_lines(position):
    """Arrears after NHS England revised maximum amounts for months already claimed
    (workforce.arrears), apart: those claimed, and those owed and not yet claimed."""
    if not (position.arrears_claimed or position.arrears_owed):
        return []
    source = "Claims; maximum amounts (the rows below, each with its source)"
    return [
        Line(
            "Arrears claimed (in the figures above)",
            position.arrears_claimed,
            "What approved lines were owed at the revised maximum amounts, in claims "
            "submitted or approved: counted in Approved and Submitted above",
            source,
        ),
        Line(
            "Arrears owed, not yet claimed",
            position.arrears_owed,
            "Arrears worked out into a claim the network has not submitted yet: counted in "
            "the forecast, not in Approved or Submitted",
            source,
        ),
    ]


def summary_lines(position):
    a = position.allocation
    label = position.label
    on = f"{a.population_date:%-d %B %Y}"
    if a.override:
        population_from = f"the commissioner's figure for the network, from {a.override.source}"
    else:
        population_from = "the sum of the member practices' figures below"
    population = f"{a.weighted_population:,}" if a.weighted_population is not None else "no figure"
    rate = f"£{a.rate}" if a.rate is not None else "no rate"
    lines = [
        Line(
            f"Allocation {label}",
            a.amount,
            f"{population} weighted patients at {on} ({population_from}) × {rate} per "
            "weighted patient",
            a.rate_source or "No rate recorded",
        )
    ]
    if a.gp_sum:
        gp = a.gp_sum
        lines.append(
            Line(
                "GP sum (GP posts only)",
                gp.amount,
                f"{population} weighted patients × £{gp.rate}, for {gp.first:%-d %B %Y} to "
                f"{gp.last:%-d %B %Y}",
                gp.source,
            )
        )
    claims = "lines' reimbursable amounts (the lesser of cost and maximum)"
    main = " on the main sum" if position.uses_gp_sum else ""
    from_month = f"{position.as_of:%B %Y}"
    lines += [
        Line("Approved to date", position.approved, f"Approved claims' {claims}", "Claims"),
        Line(
            "Submitted, awaiting approval",
            position.submitted,
            f"Submitted claims' {claims}",
            "Claims",
        ),
        *arrears_lines(position),
        Line(
            f"Left{main}",
            position.left,
            LEFT_DEFINITION + (" (GP lines are on the GP sum)" if main else ""),
            "The allocation and claims above",
        ),
        Line(
            "Committed (claimed so far + posts' known dates to the year end)",
            position.committed,
            "Approved and submitted so far, plus every post's known dates from "
            f"{from_month} to 31 March (starters from their first day, leavers to their "
            "last): salary, NI and pension, capped month by month at the role's maximum as "
            "a claim line is" + leaves_out(position.committed_awaiting),
            "Claims; maximum amounts (the rows below, each with its source)",
        ),
        Line(
            "Forecast year end",
            position.forecast,
            "Claimed (submitted or approved) for the months claimed, plus the posts in "
            "place each month not claimed, pro rata for part months counting the last day"
            + leaves_out(position.awaiting),
            "Claims; maximum amounts (the rows below, each with its source)",
        ),
    ]
    if position.awaiting:
        lines.append(
            Line(
                "Cost awaiting national maximum amounts",
                position.awaiting,
                AWAITING_DEFINITION,
                "Maximum amounts: no source gives these yet (named above)",
            )
        )
    if position.uses_gp_sum:
        gp_source = Citation(
            a.gp_sum.source.sources, a.gp_sum.source.section, "Not usable for other roles"
        )
        lines += [
            Line(
                "Forecast on the main sum",
                position.main_forecast,
                "Forecast year end less GP posts, which draw on the GP sum",
                a.gp_sum.source,
            ),
            Line("GP sum left", position.gp_left, f"GP sum − {LEFT_DEFINITION}", gp_source),
            Line("GP sum headroom", position.gp_headroom, "GP sum − GP posts' forecast", gp_source),
        ]
    lines.append(
        Line(
            f"Headroom{main}",
            position.headroom,
            HEADROOM_DEFINITION
            + (" (GP posts are on the GP sum)" if main else "")
            + "; unspent money is not carried forward",
            "The allocation and forecast above",
        )
    )
    return lines


def leaves_out(awaiting):
    """What a figure cannot count: the cost whose maximum no source gives yet."""
    if not awaiting:
        return ""
    return (
        f". It leaves out £{awaiting:,.2f} of cost awaiting national maximum amounts: what "
        "ARRS will reimburse for it is not known yet (it is not £0)"
    )


# The definitions the page shows beside Left and Headroom (workforce.budget.left and
# headroom), and beside the cost whose reimbursement is not known.
LEFT_DEFINITION = "Allocation − approved − submitted on it: what claims to come may still draw"
HEADROOM_DEFINITION = "Allocation − forecast year end on it"
AWAITING_DEFINITION = (
    "Salary, NI and pension of the months (and held claim lines) whose maximum no source "
    "gives yet: what ARRS will reimburse for them is not known, so the committed, forecast "
    "and headroom figures leave it out; it is not £0"
)


def chart_data(position):
    """The chart's figures, all on one scale (the year to date) so that the allocation is
    read against what is spent: each month's forecast to date (the table's column) split
    into what was claimed and what the posts are expected to claim. Monthly amounts on a
    second scale beside it put the allocation's line just above the monthly bars, where it
    read as overspending."""
    a = position.allocation
    claimed, to_date = [], Decimal(0)
    for r in position.months:
        if r.claimed:
            to_date += r.forecast
        claimed.append(to_date)
    return {
        "labels": [f"{r.month:%b %Y}" for r in position.months],
        "claimed": [float(c) for c in claimed],
        "expected": [
            float(r.cumulative - c) for r, c in zip(position.months, claimed, strict=True)
        ],
        "allocation": float(a.amount) if a.amount is not None else None,
    }


def valid_year(year):
    if year < FIRST_YEAR or year > financial_year_of(today()) + 1:
        raise Http404("No ARRS budget for that year.")
    return year


@load_pcn
def budget_current(request, pcn):
    return redirect("workforce:budget_detail", code=pcn.code, year=financial_year_of(today()))


@load_pcn
def budget_detail(request, pcn, year):
    """The network's ARRS budget position for the financial year starting in `year`."""
    position = budget_position(pcn, valid_year(year))
    tables = {
        "summary": SummaryTable(request, summary_lines(position)),
        "members": MemberTable(request, position.allocation.members),
        "months": MonthTable(request, position.months),
        "roles": RoleTable(request, position.roles),
        "maxima": MaximaUsedTable(request, position.maxima_used),
    }
    for table in tables.values():
        if download := table.download():
            return download
    current = financial_year_of(today())
    years = [
        (y, financial_year_label(y))
        for y in range(max(FIRST_YEAR, year - 2), min(current + 1, year + 2) + 1)
    ]
    return render_network(
        request,
        pcn,
        "workforce/budget_detail.html",
        {
            "position": position,
            "allocation": position.allocation,
            "tables": tables,
            "chart": chart_data(position),
            "years": years,
            "year": year,
            "can_enter_population": can_approve_claims(request.user, pcn),
        },
        section="budget",
    )


class WeightedPopulationForm(VersionedModelForm):
    weighted_patients = forms.DecimalField(
        label="Weighted population at 1 January",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="The network's contractor weighted population, e.g. 48213.57",
        error_messages={
            "required": "Enter the weighted population at 1 January",
            "invalid": "Enter the weighted population as a number, like 48213.57",
        },
    )
    source = forms.CharField(
        label="Source of the figure",
        max_length=300,
        help_text="e.g. NHS England's published figure for the network, or your letter",
        error_messages={"required": "Enter where the figure comes from"},
    )

    class Meta:
        model = NetworkWeightedPopulation
        fields = ["weighted_patients", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NHSFormHelper(submit_label=None)
        self.helper.form_tag = False


@load_pcn
def weighted_population_edit(request, pcn, year):
    """A commissioner's approver enters the network's weighted population at 1 January before the
    year; it takes precedence over the members' figures."""
    valid_year(year)
    check_can_approve_claims(request.user, pcn, WEIGHTED_POPULATION_REFUSAL)
    entry = pcn.weighted_populations.filter(financial_year=year).first()
    form = WeightedPopulationForm(posted(request), instance=entry)
    label = financial_year_label(year)
    back = reverse("workforce:budget_detail", kwargs={"code": pcn.code, "year": year})
    if request.method == "POST":
        if "remove" in request.POST and entry is not None:
            # Through the form, so a figure changed since the page opened is not removed
            # unseen: its version check refuses, showing the figure now saved.
            removed = save_form(
                form,
                lambda data: (
                    workforce_actions.remove_weighted_population(entry=entry, by=request.user)
                    or True
                ),
            )
            if removed:
                messages.success(
                    request,
                    f"The commissioner's weighted population for {label} was removed: the "
                    "members' figures apply again.",
                )
                return redirect(back)
        elif saved := save_form(
            form,
            lambda data: workforce_actions.enter_weighted_population(
                pcn=pcn,
                by=request.user,
                financial_year=year,
                weighted_patients=data["weighted_patients"],
                source=data["source"],
            ),
        ):
            messages.success(
                request,
                f"Weighted population at 1 January {year} set to "
                f"{saved.weighted_patients:,.2f} for {pcn.display_name}: the {label} "
                "allocation now uses it.",
            )
            return redirect(back)
    return render_network(
        request,
        pcn,
        "workforce/weighted_population_form.html",
        {"form": form, "entry": entry, "label": label, "year": year},
        section="budget",
        crumbs=[{"text": f"ARRS budget {label}", "href": back}],
    )
