"""The figures of a commissioner area's pages, each network's in one query.

An area is a Sub-ICB location, an ICB, a region or England (`England`, at /areas/england/,
for national staff). A section's table annotates each network the user may see in the
area with its figures (network_figures). An area's overview sums the same figures in one
query (overview): each network's row (grouped_query: one GROUP BY per kind of row joined
to the networks) joined to its practices' count and population, summed in the database by
the area one level down, with the area's coverage from the same practices. Either way a
page costs the same few queries whatever the number of networks, and an area's totals are
the sums of its networks' rows.

Definitions (the pages state them beside the figures):
- population: the sum of the member practices' latest registered list sizes on or before
  the date (practices.calculations.with_population);
- footprint: 30,000 to 50,000 registered patients (DOMAIN.md §1.2, S8);
- coverage: open GP practices (epraccur prescribing setting 4) commissioned by a Sub-ICB
  location in the area, in a network on the date or not;
- ARRS, for the financial year of the date: the allocation recorded for it; approved and
  submitted: what the claims for its months approved by the date, and submitted by the
  date and not decided by it, asked for (each claim's total kept at its submission,
  Claim.claimed_total, rather than its lines: claim_sums); forecast: the year-end forecast
  (in 2024/25 less GP posts, which draw on their own GP sum) as the network's budget page
  works it out, kept per network and year as workforce.models.ARRSForecast, as recorded
  today; left and headroom of each sum as workforce.budget.left and headroom define them,
  over the main sum (the allocation, less GP lines in 2024/25) and the ring-fenced GP sum
  apart (GP posts draw on it alone): a network with no allocation recorded has no Left nor
  Headroom, and an area's are the sums of its networks' rows; cost awaiting maximum
  amounts: the cost of months and held lines whose maximum no source gives, kept with the
  forecast, as recorded today; WTE: the ARRS-funded posts in post on the date, on a
  37.5-hour week (their weekly hours as workforce.models.ARRSHours keeps them, by network
  and day); claims waiting: claims of any month submitted by the date and not decided by
  it.
- governance: a Network Agreement counts as signed from its signed date; whether its
  data-sharing agreement is in place is as recorded today (no date is kept for it).
"""

import datetime
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from networks.models import (
    ClinicalDirector,
    IntegratedCareBoard,
    NetworkAgreement,
    PrimaryCareNetwork,
    Region,
    SubICBLocation,
    open_q,
    sees_everything,
)
from pcn_portal.core.dates import financial_year_bounds, financial_year_of, today
from practices.calculations import FOOTPRINT_MAXIMUM, FOOTPRINT_MINIMUM, with_population
from practices.models import ListSize, Membership, Practice, PrescribingSetting
from services.models import CareHomeAlignment, CareHomeBeds, ServiceDelivery, ServiceSpecification
from workforce import budget
from workforce.models import (
    FULL_TIME_HOURS,
    ARRSAllocation,
    ARRSForecast,
    ARRSHours,
    ARRSRole,
    Claim,
    ClaimStatus,
    term_on,
)

ENGLAND_CODE = "england"
MONEY = DecimalField(max_digits=15, decimal_places=2)
ZERO = Decimal("0.00")


class England:
    """The whole country, as an area: what national staff see at /areas/england/."""

    code = ENGLAND_CODE
    name = "England"
    display_name = "England"
    name_and_code = "England"
    pk = None

    def __str__(self):
        return "England"


ENGLAND = England()

KINDS = {
    England: "Country",
    Region: "Region",
    IntegratedCareBoard: "ICB",
    SubICBLocation: "Sub-ICB location (formerly CCG)",
}


def kind_of(area):
    return KINDS[type(area)]


def networks_in(user, area):
    """The networks the user may see whose lead commissioner is in the area."""
    visible = PrimaryCareNetwork.objects.for_user(user)
    return visible if isinstance(area, England) else visible.in_area(area)


def sub_icbs_in(user, area):
    """The Sub-ICB locations the user may see in the area."""
    visible = SubICBLocation.objects.for_user(user)
    if isinstance(area, England):
        return visible
    if isinstance(area, SubICBLocation):
        return visible.filter(pk=area.pk)
    if isinstance(area, IntegratedCareBoard):
        return visible.filter(icb=area)
    return visible.filter(icb__region=area)


def sub_areas(user, area):
    """The areas one level down that the user may see, with what groups a network under
    each (the path from a network to its sub-area's id), or (None, None)."""
    if isinstance(area, England):
        return Region.objects.for_user(user), "lead_commissioner__icb__region"
    if isinstance(area, Region):
        return IntegratedCareBoard.objects.for_user(user).filter(
            region=area
        ), "lead_commissioner__icb"
    if isinstance(area, IntegratedCareBoard):
        return SubICBLocation.objects.for_user(user).filter(icb=area), "lead_commissioner"
    return None, None


def ancestors(user, area):
    """The areas above this one, from England down, each with whether the user may open it."""
    chain = []
    if isinstance(area, SubICBLocation) and area.icb_id:
        chain = [area.icb, area.icb.region] if area.icb.region_id else [area.icb]
    elif isinstance(area, IntegratedCareBoard) and area.region_id:
        chain = [area.region]
    chain.reverse()
    if not isinstance(area, England):
        chain.insert(0, ENGLAND)
    everything = sees_everything(user)
    result = []
    for above in chain:
        if isinstance(above, England):
            visible = everything
        else:
            visible = everything or type(above).objects.for_user(user).filter(pk=above.pk).exists()
        result.append((above, visible))
    return result


def _count(queryset):
    return _count_by(queryset, "pcn")


def _sum(queryset, field, output, default=None):
    total = Subquery(
        queryset.order_by().values("pcn").annotate(total=Sum(field)).values("total")[:1],
        output_field=output,
    )
    return total if default is None else Coalesce(total, Value(default), output_field=output)


# --- as of a date -----------------------------------------------------------------------
# A figure on an area page is as it stood on the page's date wherever the records say when
# it changed: an agreement counts as signed from its signed date, a claim as submitted from
# the day it was submitted and as approved or rejected from the day it was decided (site
# time, Europe/London), a post from its first day. What only has its value of today (the
# ARRS forecast, the allocation, the data-sharing agreement, delivery statuses) the page
# says is "as recorded today" beside it (AS_RECORDED_TODAY in the views).


def signed_by(on, signed_on):
    """The agreement's signed date when it was signed on or before `on`, else None (not yet
    signed that day)."""
    signed = LessThanOrEqual(signed_on, Value(on))
    return Case(When(signed, then=signed_on), default=None, output_field=DateField())


def end_of(on):
    """The first moment after the day, in the site's time zone (Europe/London): a claim
    submitted or decided before it was on or before the day. Compared as a moment, the
    claims' times are read as they are stored, not each turned into a date."""
    after = on + datetime.timedelta(days=1)
    return datetime.datetime.combine(
        after, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def submitted_by(on):
    """Claims submitted on or before the day (a draft never was)."""
    return Q(submitted_at__lt=end_of(on))


def decided_by(on):
    return Q(decided_at__lt=end_of(on))


def waiting_on(on):
    """Claims waiting for a decision on the day: submitted by then and not decided by then
    (decided later, or not yet). Today that is the claims submitted now, read through the
    index of waiting claims; a rejected claim submitted again waits from its new day."""
    if on >= today():
        return Q(status=ClaimStatus.SUBMITTED)
    # For a month begun by the day (claimed once it has ended), not a draft: read from
    # the index of claims submitted (claims_submitted_by_month) alone.
    submitted = Q(month__lte=on) & ~Q(status=ClaimStatus.DRAFT) & submitted_by(on)
    return submitted & ~decided_by(on)  # ~: not decided, or decided later


def approved_on(on):
    return Q(status=ClaimStatus.APPROVED) & decided_by(on)


def year_claims_q(year):
    """The claims of the year's months that were ever submitted: a draft counts nowhere
    (about half the claims nationally: the latest month's, and those whose every line is
    held)."""
    return Q(month__range=financial_year_bounds(year)) & ~Q(status=ClaimStatus.DRAFT)


def claim_sums(on):
    """The year's money on its claims as of the day, each a kept total (Claim.claimed_total,
    gp_total: what a claim asked for as submitted) summed over the claims in a state that
    day: {figure: (total, condition)}. GP totals are those on the year's ring-fenced GP sum."""
    return {
        "approved": ("claimed_total", approved_on(on)),
        "submitted": ("claimed_total", waiting_on(on)),
        "gp_approved": ("gp_total", approved_on(on)),
        "gp_submitted": ("gp_total", waiting_on(on)),
    }


def network_figures(networks, on, only=None):
    """The networks open on `on`, each annotated with its figures for that date (and for
    the financial year it falls in): all of them, or the names in `only` (a table asks
    for its own, so the query computes no more)."""
    year = financial_year_of(on)
    pcn = OuterRef("pk")
    # Each subquery without its model's default ordering: the ordering's joins (the
    # network's code, the post's role) would run once per network for nothing.
    agreement = NetworkAgreement.objects.filter(pcn=pcn, financial_year=year).order_by()
    # The year's forecast, as the network's budget page works it out (kept per network and
    # year, as recorded today); what was approved and submitted on `on`, from its claims'
    # kept totals (claims_on).
    forecasts = ARRSForecast.objects.filter(pcn=pcn, financial_year=year).order_by()
    claims = Claim.objects.filter(pcn=pcn).order_by()
    year_claims = claims.filter(year_claims_q(year))
    homes = homes_with_beds(on).filter(pcn=pcn)
    qs = networks.open(on).select_related("lead_commissioner__icb__region")
    if only is None or "population" in only:
        qs = with_population(qs, on)
    figures = {
        "practices": _count(Membership.objects.current(on).filter(pcn=pcn)),
        "directors": _count(ClinicalDirector.objects.current(on).filter(pcn=pcn)),
        "director_last_day": Subquery(
            ClinicalDirector.objects.filter(pcn=pcn, end_date__lt=on)
            .order_by("-end_date")
            .values("end_date")[:1]
        ),
        "agreement_signed_on": Subquery(
            agreement.values(signed=signed_by(on, F("signed_on")))[:1], output_field=DateField()
        ),
        "data_sharing": Coalesce(
            Subquery(agreement.values("data_sharing_agreement_in_place")[:1]), Value(False)
        ),
        "allocation": Subquery(
            ARRSAllocation.objects.filter(pcn=pcn, financial_year=year)
            .order_by()
            .values("amount")[:1]
        ),
        **{
            name: _sum(year_claims.filter(condition), field, output=MONEY, default=ZERO)
            for name, (field, condition) in claim_sums(on).items()
        },
        "forecast": Subquery(forecasts.values("main_forecast")[:1]),
        "forecast_gaps": Subquery(forecasts.values("missing_maxima")[:1]),
        "gp_sum": Subquery(forecasts.values("gp_sum")[:1]),
        "gp_forecast": Subquery(
            forecasts.values(gp=F("forecast") - F("main_forecast"))[:1], output_field=MONEY
        ),
        "awaiting": kept_money(forecasts, "awaiting"),
        "arrears_claimed": kept_money(forecasts, "arrears_claimed"),
        "arrears_owed": kept_money(forecasts, "arrears_owed"),
        "claims_waiting": _count(claims.filter(waiting_on(on))),
        "arrs_hours": arrs_hours_on(on),
        "care_home_count": _count(homes),
        "beds": Coalesce(_sum(homes, "latest_beds", output=IntegerField()), 0),
    }
    wanted = set(figures) | set(SUM_FIGURES) if only is None else set(only)
    for name, needs in SUM_FIGURES.items():
        if name in wanted:
            wanted |= needs
    qs = qs.annotate(**{name: value for name, value in figures.items() if name in wanted})
    sums = sum_figures()
    qs = qs.annotate(**{name: sums[name] for name in SUM_FIGURES if name in wanted})
    if "headroom" in wanted:
        qs = qs.annotate(arrs_year=Value(year))
    return qs


def kept_money(forecasts, field):
    """A money figure of the network's kept ARRS position (0 when none is kept)."""
    return Coalesce(Subquery(forecasts.values(field)[:1]), Value(ZERO), output_field=MONEY)


# Each sum's Left and Headroom, and the figures each is worked out from.
SUM_FIGURES = {
    "left": {"allocation", "approved", "submitted", "gp_approved", "gp_submitted"},
    "headroom": {"allocation", "forecast"},
    "gp_left": {"gp_sum", "gp_approved", "gp_submitted"},
    "gp_headroom": {"gp_sum", "gp_forecast"},
}


def sum_figures(column=F):
    """A network row's Left and Headroom of its main sum and of its ring-fenced GP sum,
    as workforce.budget.left and headroom define them, over the row's figures (`column`
    of a figure's name: an F expression, or the overview's SQL, SqlTerm): GP lines and GP
    posts count on the GP sum alone (DOMAIN.md §3.3). NULL where the sum is not known (no
    allocation recorded; no GP sum outside 2024/25)."""
    c = column
    return {
        "left": budget.left(
            c("allocation"),
            c("approved") - c("gp_approved"),
            c("submitted") - c("gp_submitted"),
        ),
        "headroom": budget.headroom(c("allocation"), c("forecast")),
        "gp_left": budget.left(c("gp_sum"), c("gp_approved"), c("gp_submitted")),
        "gp_headroom": budget.headroom(c("gp_sum"), c("gp_forecast")),
    }


HOURS = DecimalField(max_digits=9, decimal_places=2)


def arrs_hours_on(on):
    """A network's ARRS-funded weekly hours in post on `on`, the posts'
    (Post.objects.arrs().current(on)) as workforce.models.ARRSHours keeps them: its row on
    or before the day, read from the index alone; 0 for a network with none yet."""
    kept = Subquery(
        ARRSHours.objects.filter(pcn=OuterRef("pk"), from_date__lte=on)
        .order_by("-from_date")
        .values("weekly_hours")[:1],
        output_field=HOURS,
    )
    return Coalesce(kept, Value(Decimal("0")), output_field=HOURS)


def homes_with_beds(on):
    """The care homes' alignments on the day, each with its home's latest bed count
    recorded on or before it (`latest_beds`; beds are recorded month by month:
    services.models.CareHomeBeds)."""
    latest_beds = (
        CareHomeBeds.objects.filter(home=OuterRef("home"), month__lte=on)
        .order_by("-month")
        .values("beds")[:1]
    )
    return CareHomeAlignment.objects.current(on).annotate(
        latest_beds=Subquery(latest_beds, output_field=IntegerField())
    )


def arrs_wte(hours):
    """Weekly hours as whole-time equivalents, to two places, rounded as PostgreSQL's
    round() does (half away from zero) so that the area's total, which adds up its networks'
    rounded rows in SQL (SUMMARY_SQL), is the sum of the rows its table shows."""
    return (Decimal(hours or 0) / FULL_TIME_HOURS).quantize(Decimal("0.01"), ROUND_HALF_UP)


def footprint_q(which):
    """A filter on population-annotated networks for a footprint band."""
    return {
        "below": Q(population__lt=FOOTPRINT_MINIMUM),
        "within": Q(population__gte=FOOTPRINT_MINIMUM, population__lte=FOOTPRINT_MAXIMUM),
        "above": Q(population__gt=FOOTPRINT_MAXIMUM),
        "outside": Q(population__lt=FOOTPRINT_MINIMUM) | Q(population__gt=FOOTPRINT_MAXIMUM),
        "unknown": Q(population__isnull=True),
    }[which]


# Bands of the footprint chart, in thousands of registered patients.
BANDS = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 80), (80, 100)]


def band_label(low, high):
    first = f"{low},000" if low else "0"
    return f"{first} to {high - 1},999" if high else f"{first} and over"


def distribution(counts):
    """The footprint chart's bands (thousands of registered patients, the last band open),
    each with its number of networks from `counts` (one per band, as the overview counts
    them in SUMMARY_SQL)."""
    return [
        {
            "label": band_label(low, high),
            "networks": n,
            "within": low >= 30 and high is not None and high <= 50,
        }
        for (low, high), n in zip(ALL_BANDS, counts, strict=True)
    ]


ALL_BANDS = [*BANDS, (100, None)]


@dataclass
class Summary:
    """An area's totals over its networks' rows (SUMMARY_SQL says how each is counted)."""

    networks: int = 0
    population: int = 0
    member_practices: int = 0
    below: int = 0
    within: int = 0
    above: int = 0
    unknown: int = 0
    without_director: int = 0
    agreement_unsigned: int = 0
    no_data_sharing: int = 0
    allocation: Decimal = Decimal("0.00")
    without_allocation: int = 0
    approved: Decimal = Decimal("0.00")
    submitted: Decimal = Decimal("0.00")
    forecast: Decimal = Decimal("0.00")
    without_forecast: int = 0
    headroom: Decimal = Decimal("0.00")
    left: Decimal = Decimal("0.00")
    gp_sum: Decimal = Decimal("0.00")
    gp_left: Decimal = Decimal("0.00")
    gp_headroom: Decimal = Decimal("0.00")
    awaiting: Decimal = Decimal("0.00")
    over_allocation: int = 0
    incomplete_forecasts: int = 0
    claims_waiting: int = 0
    arrs_hours: Decimal = Decimal("0")
    arrs_wte: Decimal = Decimal("0.00")
    care_homes: int = 0
    beds: int = 0
    without_care_home: int = 0

    def __add__(self, other):
        return Summary(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def population_text(self):
        return f"{self.population:,}"

    @property
    def allocation_text(self):
        return f"£{self.allocation:,.2f}"

    @property
    def approved_text(self):
        return f"£{self.approved:,.2f}"

    @property
    def submitted_text(self):
        return f"£{self.submitted:,.2f}"

    @property
    def forecast_text(self):
        return f"£{self.forecast:,.2f}"

    @property
    def headroom_text(self):
        return f"£{self.headroom:,.2f}"

    @property
    def left_text(self):
        return f"£{self.left:,.2f}"

    @property
    def gp_sum_text(self):
        return f"£{self.gp_sum:,.2f}"

    @property
    def gp_left_text(self):
        return f"£{self.gp_left:,.2f}"

    @property
    def gp_headroom_text(self):
        return f"£{self.gp_headroom:,.2f}"

    @property
    def awaiting_text(self):
        return f"£{self.awaiting:,.2f}"

    @property
    def wte(self):
        """The sum of the networks' rounded WTE, as their rows show each."""
        return Decimal(self.arrs_wte).quantize(Decimal("0.01"))


def grouped_figures(on, networks=None):
    """Each network's sums and counts for the overview, one GROUP BY query per kind of
    row, each of its network's id (`network`) and figures: {kind: (figures, queryset)}. A
    network with no rows of a kind has none in it. Over the rows of these networks, or of
    every network (closed ones too: grouped_query joins them to the open networks, which
    leaves those out for less than a filter by network would cost). Each figure is a
    count or a sum: a network with no rows of a kind has 0 (grouped_query says so)."""

    def per_network(queryset, **values):
        if networks is not None:
            queryset = queryset.filter(pcn__in=networks.values("pk"))
        grouped = queryset.order_by().annotate(network=F("pcn")).values("network")
        return list(values), grouped.annotate(**values).values_list("network", *values)

    year_claims = Claim.objects.filter(year_claims_q(financial_year_of(on)))
    return {
        "directors": per_network(ClinicalDirector.objects.current(on), directors=Count("pk")),
        "claims": per_network(
            year_claims,
            **{
                name: Sum(field, filter=condition)
                for name, (field, condition) in claim_sums(on).items()
            },
        ),
        "waiting": per_network(Claim.objects.filter(waiting_on(on)), claims_waiting=Count("pk")),
        "homes": per_network(
            homes_with_beds(on), care_home_count=Count("pk"), beds=Sum("latest_beds")
        ),
    }


def one_per_year(on):
    """The figures of a network's rows at most one per year (its Network Agreement, its
    ARRS allocation and its kept ARRS forecast), read through grouped_query's joins of the
    year's rows, with network_figures' value when the network has none."""
    return {
        "agreement_signed_on": signed_by(on, F("year_agreement__signed_on")),
        "data_sharing": Coalesce(
            F("year_agreement__data_sharing_agreement_in_place"), Value(False)
        ),
        "allocation": F("year_allocation__amount"),
        "forecast": F("year_kept__main_forecast"),
        "forecast_gaps": F("year_kept__missing_maxima"),
        "gp_sum": F("year_kept__gp_sum"),
        "gp_forecast": ExpressionWrapper(
            F("year_kept__forecast") - F("year_kept__main_forecast"), output_field=MONEY
        ),
        "awaiting": Coalesce(F("year_kept__awaiting"), Value(ZERO), output_field=MONEY),
    }


@dataclass
class RowsQuery:
    """The SQL of one row per open network (`pk`, with `group` its sub-area's id when
    grouped, and its figures), its parameters and its columns' names in order."""

    sql: str
    params: tuple
    names: list


def grouped_query(networks, on, group=None, every_network=False):
    """The overview's rows of the open networks, in one query: the networks, each with its
    rows of the year (ONE_PER_YEAR) and its ARRS hours joined, and joined to each of
    grouped_figures' queries by the network's id, those over the networks' own rows (or,
    with `every_network`, over whole tables: England's, for someone who sees every
    network). A network with no rows of a kind has 0 for its counts and sums. The section
    tables read the same figures network by network (network_figures):
    tests/site/test_area_england.py holds the two to the same rows."""
    year = financial_year_of(on)
    own = {**one_per_year(on), "arrs_hours": arrs_hours_on(on)}
    found = (
        networks.open(on)
        .order_by()
        .annotate(
            network_id=F("pk"),
            year_agreement=FilteredRelation(
                "agreements", condition=Q(agreements__financial_year=year)
            ),
            year_allocation=FilteredRelation(
                "arrs_allocations", condition=Q(arrs_allocations__financial_year=year)
            ),
            year_kept=FilteredRelation(
                "arrs_forecasts", condition=Q(arrs_forecasts__financial_year=year)
            ),
        )
        .annotate(**own)
        .values_list("network_id", *([group] if group else []), *own)
    )
    # The networks' query joined to each kind's by the network's id, in SQL composed of
    # the ORM's own (each subquery's SQL and parameters as Django compiles them); each
    # sum's Left and Headroom over the joined row's figures (sum_figures, in SQL).
    sql, params = found.query.sql_with_params()
    names, columns, joins = [*own], [], []
    kinds = grouped_figures(on, None if every_network else networks)
    for kind, (figures, queryset) in kinds.items():
        kind_sql, kind_params = queryset.query.sql_with_params()
        names += figures
        columns += [f'coalesce({kind}."{name}", 0) AS "{name}"' for name in figures]
        joins.append(f'LEFT JOIN ({kind_sql}) {kind} ON {kind}."network" = n."network_id"')
        params = (*params, *kind_params)
    row = f"SELECT n.*, {', '.join(columns)} FROM ({sql}) n {' '.join(joins)}"
    sums = sum_figures(column=lambda name: SqlTerm(f'nr."{name}"'))
    computed = ", ".join(f'{sums[name]} AS "{name}"' for name in SUM_FIGURES)
    query = f"SELECT nr.*, {computed} FROM ({row}) nr"
    return RowsQuery(query, params, ["pk", *(["group"] if group else []), *names, *SUM_FIGURES])


class SqlTerm(str):
    """A column of a query in SQL text, with the arithmetic workforce.budget.left and
    headroom use, so that the overview's SQL works each sum out by their one definition."""

    def __sub__(self, other):
        return SqlTerm(f"({self} - {other})")


def _within(low, high):
    return f"r.population >= {low * 1000:d}" + (
        f" AND r.population < {high * 1000:d}" if high else ""
    )


# Each Summary figure (and each footprint band's count) summed or counted in SQL over the
# rows `r`: each network's grouped_query row with its `population` (None
# when no member practice has a list size) and `member_practices`. Left and headroom sum
# the rows' own (workforce.budget.left and headroom, per sum: sum_figures), so a network
# without an allocation, which has none, adds nothing; over allocation: a forecast above
# the main sum or the GP sum.
SUMMARY_SQL = {
    "networks": "count(r.pk)",
    "population": "coalesce(sum(r.population), 0)::bigint",
    "member_practices": "coalesce(sum(r.member_practices), 0)::bigint",
    "below": f"count(r.pk) FILTER (WHERE r.population < {FOOTPRINT_MINIMUM:d})",
    "within": "count(r.pk) FILTER (WHERE r.population "
    f"BETWEEN {FOOTPRINT_MINIMUM:d} AND {FOOTPRINT_MAXIMUM:d})",
    "above": f"count(r.pk) FILTER (WHERE r.population > {FOOTPRINT_MAXIMUM:d})",
    "unknown": "count(r.pk) FILTER (WHERE r.population IS NULL)",
    "without_director": "count(r.pk) FILTER (WHERE r.directors = 0)",
    "agreement_unsigned": "count(r.pk) FILTER (WHERE r.agreement_signed_on IS NULL)",
    "no_data_sharing": "count(r.pk) FILTER (WHERE NOT r.data_sharing)",
    "allocation": "coalesce(sum(r.allocation), 0)",
    "without_allocation": "count(r.pk) FILTER (WHERE r.allocation IS NULL)",
    "approved": "coalesce(sum(r.approved), 0)",
    "submitted": "coalesce(sum(r.submitted), 0)",
    "forecast": "coalesce(sum(r.forecast), 0)",
    "without_forecast": "count(r.pk) FILTER (WHERE r.forecast IS NULL)",
    "headroom": "coalesce(sum(r.headroom), 0)",
    "left": "coalesce(sum(r.left), 0)",
    "gp_sum": "coalesce(sum(r.gp_sum), 0)",
    "gp_left": "coalesce(sum(r.gp_left), 0)",
    "gp_headroom": "coalesce(sum(r.gp_headroom), 0)",
    "awaiting": "coalesce(sum(r.awaiting), 0)",
    "over_allocation": "count(r.pk) FILTER (WHERE r.headroom < 0 OR r.gp_headroom < 0)",
    "incomplete_forecasts": "count(r.pk) FILTER (WHERE r.forecast_gaps > 0)",
    "claims_waiting": "coalesce(sum(r.claims_waiting), 0)::bigint",
    "arrs_hours": "coalesce(sum(r.arrs_hours), 0)",
    # The networks' WTE each rounded as its row shows it (arrs_wte), then added up.
    "arrs_wte": f"coalesce(sum(round(r.arrs_hours / {FULL_TIME_HOURS}, 2)), 0)",
    "care_homes": "coalesce(sum(r.care_home_count), 0)::bigint",
    "beds": "coalesce(sum(r.beds), 0)::bigint",
    "without_care_home": "count(r.pk) FILTER (WHERE r.care_home_count = 0)",
}
BANDS_SQL = [f"count(r.pk) FILTER (WHERE {_within(low, high)})" for low, high in ALL_BANDS]
COVERAGE_FIELDS = ["practices", "in_network", "patients", "patients_covered"]
COVERAGE_COLUMNS = [
    "coverage.covered_practices",
    "coverage.in_network",
    "coverage.patients",
    "coverage.patients_covered",
]


@dataclass
class Overview:
    """An area's overview: its totals, its coverage, each area one level down's
    (networks, registered patients) and the networks in each footprint band."""

    summary: Summary
    coverage: "Coverage"
    by_group: dict
    bands: list


def overview(user, area, on, group=None):
    """The overview's figures in one query: each network's row (grouped_query) joined to
    its practices' count and population, summed in the database
    by the area one level down (`group`, as sub_areas), and the coverage. Each practice's
    latest list size is looked up once, for both the populations of the networks it is a
    member of and the area's coverage."""
    networks = networks_in(user, area)
    every_network = isinstance(area, England) and sees_everything(user)
    rows = grouped_query(networks, on, group, every_network=every_network)
    # practices_in as a condition on the row, not a subquery of the practices.
    area_condition = in_area(user, area, on)
    practices = (
        Practice.objects.order_by()
        .annotate(
            in_area=ExpressionWrapper(area_condition, output_field=BooleanField()),
            # The practice's membership on the day, joined once (not looked up practice
            # by practice): Membership.objects.current(on), in force and spanning the day.
            membership=FilteredRelation(
                "memberships",
                condition=Q(memberships__in_force=True, memberships__start_date__lte=on)
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=on)),
            ),
            network=F("membership__pcn"),
        )
        .filter(area_condition | Q(network__in=networks.open(on).values("pk")))
    )
    # Counted and summed in the database by network and whether in the area: a row per
    # network (two for one with members outside the area), not one per practice.
    practices = (
        with_latest_size(practices, on)
        .values("in_area", "network")
        .annotate(count=Count("pk"), patients=Sum("size"))
        .values_list("in_area", "network", "count", "patients")
    )
    practices_sql, practices_params = practices.query.sql_with_params()
    # A network's practices are its members that day and its population the sum of their
    # latest list sizes (None when none has one), as practices.calculations.with_population;
    # a practice is in one network on a day (practices.models.Membership). The coverage
    # row is always there, so an area without networks still has its one row.
    names = ", ".join(f'"{name}"' for name in rows.names)
    grouped = 'r."group"' if group else "NULL"
    figures = [*SUMMARY_SQL.values(), *BANDS_SQL]
    # A SELECT at the top (the WITH inside it), as a read: pghistory adds its context
    # to statements that do not begin with SELECT.
    query = f"""
        SELECT * FROM (
        WITH practices (in_area, network, practices, patients) AS ({practices_sql}),
        networks ({names}) AS ({rows.sql}),
        members AS (
            SELECT network, sum(practices) AS practices, sum(patients) AS population
            FROM practices WHERE network IS NOT NULL GROUP BY network
        ),
        r AS (
            SELECT n.*, m.practices AS member_practices, m.population
            FROM networks n LEFT JOIN members m ON m.network = n.pk
        ),
        coverage (covered_practices, in_network, patients, patients_covered) AS (
            SELECT
                coalesce(sum(practices) FILTER (WHERE in_area), 0)::bigint,
                coalesce(sum(practices) FILTER (WHERE in_area AND network IS NOT NULL), 0)
                    ::bigint,
                coalesce(sum(patients) FILTER (WHERE in_area), 0)::bigint,
                coalesce(sum(patients) FILTER (WHERE in_area AND network IS NOT NULL), 0)
                    ::bigint
            FROM practices
        )
        SELECT coverage.*, {grouped}, {", ".join(figures)}
        FROM coverage LEFT JOIN r ON true
        GROUP BY {", ".join([*COVERAGE_COLUMNS, *([grouped] if group else [])])}
        ) AS overview
    """
    with connection.cursor() as cursor:
        cursor.execute(query, (*practices_params, *rows.params))
        fetched = cursor.fetchall()
    summary, bands, by_group = Summary(), [0] * len(ALL_BANDS), {}
    for values in fetched:
        covered, group_id = values[: len(COVERAGE_FIELDS)], values[len(COVERAGE_FIELDS)]
        sums = values[len(COVERAGE_FIELDS) + 1 :]
        of_group = Summary(**dict(zip(SUMMARY_SQL, sums[: len(SUMMARY_SQL)], strict=True)))
        if of_group.networks:
            by_group[group_id] = (of_group.networks, of_group.population)
        summary += of_group
        bands = [a + b for a, b in zip(bands, sums[len(SUMMARY_SQL) :], strict=True)]
    coverage = Coverage(**dict(zip(COVERAGE_FIELDS, covered, strict=True)))
    return Overview(summary, coverage, by_group, distribution(bands))


def practice_size(on):
    return Subquery(
        ListSize.objects.filter(practice=OuterRef("pk"), extract_date__lte=on)
        .order_by("-extract_date")
        .values("registered_patients")[:1]
    )


def with_latest_size(practices, on):
    """Practices annotated with `size`, their latest registered list size on or before
    `on` (as practice_size), for many practices at once: most have a figure in the last
    extract on or before the date, which is then their latest, read by one join on that
    extract date; only the others are looked up one by one."""
    last_extract = (
        ListSize.objects.filter(extract_date__lte=on)
        .order_by("-extract_date")
        .values("extract_date")[:1]
    )
    return practices.annotate(
        last_extract=FilteredRelation(
            "list_sizes", condition=Q(list_sizes__extract_date=Subquery(last_extract))
        )
    ).annotate(
        size=Coalesce(
            F("last_extract__registered_patients"), practice_size(on), output_field=IntegerField()
        )
    )


def in_area(user, area, on):
    """The condition on a practice of practices_in: open on `on` (networks.models.open_q,
    as Practice.objects.open), a GP practice, and commissioned by a Sub-ICB location in
    the area that the user may see."""
    return (
        open_q(on)
        & Q(prescribing_setting=PrescribingSetting.GP_PRACTICE)
        & Q(commissioner__in=sub_icbs_in(user, area))
    )


def practices_in(user, area, on):
    """Open GP practices commissioned by a Sub-ICB location in the area on `on`."""
    return Practice.objects.filter(in_area(user, area, on))


def area_practices(user, area, on):
    """The area's practices with their network that day (or none) and their latest
    registered list size."""
    current = Membership.objects.current(on).filter(practice=OuterRef("pk"))
    return (
        practices_in(user, area, on)
        .select_related("commissioner")
        .annotate(
            in_network=Exists(current),
            network_code=Subquery(current.values("pcn__code")[:1]),
            network_name=Subquery(current.values("pcn__name")[:1]),
            patients=practice_size(on),
        )
    )


@dataclass
class Coverage:
    practices: int
    in_network: int
    patients: int
    patients_covered: int

    @property
    def patients_text(self):
        return f"{self.patients:,}"

    @property
    def patients_covered_text(self):
        return f"{self.patients_covered:,}"

    @property
    def not_in_network(self):
        return self.practices - self.in_network

    @property
    def share(self):
        """The share of the registered population covered, in per cent (one decimal)."""
        if not self.patients:
            return None
        return round(100 * self.patients_covered / self.patients, 1)


def roles_wte(networks, on):
    """ARRS roles with the WTE and number of ARRS-funded posts in post on `on` across
    these networks (roles with none left out): the posts joined to their roles once and
    grouped, not looked up role by role over every network's posts. Each post counts with
    its terms in force on the day (a later change of terms, PostTerms, replaces the post's
    own from its first day). The filter comes before the sums, so they add up only the
    posts it keeps."""
    hours = term_on("weekly_hours", on, through="posts__")
    funded = term_on("arrs_funded", on, through="posts__")
    return (
        ARRSRole.objects.filter(
            # Post.objects.current(on), through the roles' join to their posts.
            Q(posts__end_date__isnull=True) | Q(posts__end_date__gte=on),
            posts__start_date__lte=on,
            posts__pcn__in=networks.values("pk"),
        )
        .alias(funded_on=funded)
        .filter(funded_on=True)
        .annotate(hours=Sum(hours), post_count=Count("posts"))
        .order_by("name")
    )


def _count_by(queryset, group):
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def specifications_in_force(year):
    start, end = financial_year_bounds(year)
    return ServiceSpecification.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


def delivery_status(spec, year):
    """A subquery: the network's (OuterRef "pk") delivery status of a specification."""
    return Subquery(
        ServiceDelivery.objects.filter(
            pcn=OuterRef("pk"), specification=spec, financial_year=year
        ).values("status")[:1]
    )
