"""A network's ARRS budget position for a financial year: the sums network managers keep in
spreadsheets, each traceable to DOMAIN.md.

- Allocation (the "Additional Roles Reimbursement Sum"): the network's contractor weighted
  population at 1 January before the year × the year's £ per weighted patient (DOMAIN.md
  §3.4 and Appendix A.2; the rate is the AllocationRate row for the year). The population is
  the figure the commissioner entered for the network when there is one, or else the sum of
  the member practices' latest weighted figures on or before 1 January, each with its date
  and source. A member with no figure, or a figure more than a quarter old, is named.
- The 2024/25 GP sum: a separate ring-fenced £1.303 × weighted population for 1 October 2024
  to 31 March 2025, which only GP posts draw on and which no other role may use (DOMAIN.md
  §3.3 "GP ARRS 2024/25", §3.4, A.2; S79, S80, A.S19, A.S21). The figures are reference
  data (workforce.models.RingFencedSum, the year's row naming its role), read with the
  rate. From 2025/26 GPs draw on the main sum (§3.3 "2025/26"): no later year has a
  ring-fenced sum.
- Approved and submitted to date: the reimbursable amounts of the lines of the year's claims
  that are approved, and of those submitted and awaiting a decision.
- Committed: what is approved and submitted so far, plus what every post's known dates
  commit from the month of the position date to the year's end (a starter from their
  first day, a leaver to their last), each month capped at the maximum as a claim line is.
- Forecast year-end: what is claimed (submitted or approved) for each month claimed, with
  what its supplementary claim not yet submitted claims (lines held out of its claim at
  submission, worked out again once their maximum is known); plus, for each month not
  claimed, what the posts in place that month are expected to claim (their share of the
  month, counting the last day; capped at the maximum in force on each day:
  workforce.calculations.monthly_maximum). It is the committed figure and the months
  already passed that are not claimed yet.
- Each sum by its own rule (sums_for_lines): GP posts draw on 2024/25's ring-fenced GP sum
  alone, every other post on the main sum. Left (`left`): a sum less what is approved and
  submitted on it. Headroom (`headroom`): a sum less its forecast. Both are defined here
  once, for the budget page, its downloads, the approval check and the area pages.
- Cost awaiting maximum amounts: the cost (salary, NI and pension) of the months and
  lines whose maximum no source gives yet: a line of a claimed month held out of its claim
  into a supplementary claim (maximum_amount blank), and a month not claimed. Its
  reimbursement is not known, so it is its own figure, never £0 in the forecast nor counted
  in full.

A maximum DOMAIN.md gives no figure for is never counted as £0 nor as the full cost: the
month and role say which maximum is missing, and the totals say they leave it out.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, F, JSONField, Q, Subquery, Sum, TextField
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone

from networks.models import Cited, PrimaryCareNetwork
from pcn_portal.core.citations import Citation
from pcn_portal.core.dates import (
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    month_bounds,
    overlap,
    today,
)
from practices.calculations import STALE_AFTER_DAYS, weighted_figures_on
from practices.models import NetworkWeightedPopulation
from workforce import calculations
from workforce.calculations import months_of
from workforce.models import (
    SEALED_STATUSES,
    AllocationRate,
    ARRSAllocation,
    ARRSForecast,
    Claim,
    ClaimStatus,
    LondonZone,
    MaximumAmount,
    RingFencedSum,
)

ZERO = Decimal("0.00")


@dataclass
class GPSum:
    """The year's ring-fenced sum (workforce.models.RingFencedSum: 2024/25's GP sum) for
    the network: its rate × the allocation's weighted population."""

    rate: Decimal
    first: datetime.date
    last: datetime.date
    source: Citation
    amount: Decimal | None
    role_id: int  # only this role's posts draw on it


@dataclass
class Allocation:
    financial_year: int
    population_date: datetime.date
    rate: Decimal | None
    rate_source: Citation | None
    members: list
    member_total: Decimal | None
    override: object  # practices.NetworkWeightedPopulation or None
    weighted_population: Decimal | None
    amount: Decimal | None
    gp_sum: GPSum | None
    recorded: object  # the stored ARRSAllocation for the year, if any
    warnings: list = field(default_factory=list)

    @property
    def missing(self):
        return [m for m in self.members if m.weighted_patients is None]

    @property
    def stale(self):
        return [m for m in self.members if m.stale(self.population_date)]


def population_date(financial_year):
    """1 January before the year starts (DOMAIN.md §3.4: 2025/26 uses 1 Jan 2025)."""
    return calculations.allocation_population_date(financial_year)


def first_of_each(pcn, **querysets):
    """The row of each queryset (or None; each names at most one row), read in one query:
    each row comes back as a JSON object (decimals as text, so exact) beside the
    network's id, a cited row with its sources."""
    columns = {}
    for name, queryset in querysets.items():
        fields = {
            f.attname: Cast(f.attname, TextField()) if isinstance(f, DecimalField) else F(f.attname)
            for f in queryset.model._meta.concrete_fields
        }
        if issubclass(queryset.model, Cited):
            fields["source_list"] = queryset.model.sources_column()
        columns[name] = Subquery(
            queryset.order_by("pk").values(json=JSONObject(**fields))[:1],
            output_field=JSONField(),
        )
    row = PrimaryCareNetwork.objects.filter(pk=pcn.pk).values(**columns).get()
    found = {}
    for name, queryset in querysets.items():
        data = row[name]
        if data is None:
            found[name] = None
            continue
        fields = queryset.model._meta.concrete_fields
        found[name] = queryset.model.from_db(
            connection.alias,
            [f.attname for f in fields],
            [f.to_python(data[f.attname]) for f in fields],
        )
        if "source_list" in data:
            found[name].source_list = data["source_list"]
    return found


def allocation_for(pcn, financial_year):
    """The network's ARRS sum for a year, with where each figure comes from: the year's
    rate, the commissioner's figure and the recorded sum read together."""
    on = population_date(financial_year)
    label = financial_year_label(financial_year)
    rows = first_of_each(
        pcn,
        rate=AllocationRate.objects.filter(financial_year=financial_year),
        override=NetworkWeightedPopulation.objects.filter(pcn=pcn, financial_year=financial_year),
        recorded=ARRSAllocation.objects.filter(pcn=pcn, financial_year=financial_year),
        ring_fenced=RingFencedSum.objects.filter(financial_year=financial_year),
    )
    rate_row = rows["rate"]
    rate = rate_row.pounds_per_weighted_patient if rate_row else None
    rate_source = Citation.of(rate_row, f"ARRS allocation rate {label}") if rate_row else None
    members = weighted_figures_on(pcn, on)
    known = [m.weighted_patients for m in members if m.weighted_patients is not None]
    member_total = sum(known, ZERO) if known else None
    override = rows["override"]
    population = override.weighted_patients if override else member_total
    warnings = []
    if override is None:
        for m in members:
            if m.weighted_patients is None:
                warnings.append(
                    f"{m.practice.code} {m.practice.display_name} has no weighted population on "
                    f"or before {on:%-d %B %Y}: the allocation below leaves it out."
                )
            elif m.stale(on):
                warnings.append(
                    f"{m.practice.code} {m.practice.display_name}'s weighted figure is from "
                    f"{m.on:%-d %B %Y}, more than {STALE_AFTER_DAYS} days before "
                    f"{on:%-d %B %Y}: it may not be the figure NHS England uses."
                )
    if rate is None:
        warnings.append(
            f"No ARRS rate per weighted patient is recorded for {label}"
            + (f" ({rate_row.notes})" if rate_row and rate_row.notes else "")
            + ": the allocation and headroom cannot be worked out."
        )
    amount = (
        calculations.allocation_amount(population, rate) if None not in (population, rate) else None
    )
    ring_fenced = rows["ring_fenced"]
    gp_sum = None
    if ring_fenced:
        gp_rate = ring_fenced.pounds_per_weighted_patient
        gp_sum = GPSum(
            rate=gp_rate,
            first=ring_fenced.first_day,
            last=ring_fenced.last_day,
            source=Citation.of(ring_fenced),
            amount=(
                calculations.allocation_amount(population, gp_rate)
                if population is not None
                else None
            ),
            role_id=ring_fenced.role_id,
        )
    return Allocation(
        financial_year=financial_year,
        population_date=on,
        rate=rate,
        rate_source=rate_source,
        members=members,
        member_total=member_total,
        override=override,
        weighted_population=population,
        amount=amount,
        gp_sum=gp_sum,
        recorded=rows["recorded"],
        warnings=warnings,
    )


# --- the sums and what is left on them ---------------------------------------------------


def left(amount, approved, submitted):
    """Left on a sum: the sum less what is approved and submitted on it, i.e. what claims to
    come may still draw. The one definition: the budget page and the area pages (where the
    arguments are database expressions) both call it."""
    return amount - approved - submitted


def headroom(amount, forecast):
    """Headroom on a sum: the sum less its year-end forecast (negative: forecast over it).
    The one definition, as `left`."""
    return amount - forecast


@dataclass
class FundingSum:
    """One sum a network's lines draw on: the main ARRS sum, or a ring-fenced sum that only
    its role's posts draw on (2024/25's GP sum)."""

    name: str
    amount: Decimal | None
    ring_fenced_role: int | None  # the role of a ring-fenced sum; None for the main sum
    other_ring_fenced: tuple = ()  # for the main sum: the roles drawing on their own sum
    rule: str = ""

    def draws(self, role_id):
        """Whether a line of a post of this role draws on this sum."""
        if self.ring_fenced_role is not None:
            return role_id == self.ring_fenced_role
        return role_id not in self.other_ring_fenced


def sums_for_lines(allocation, ring_fenced):
    """The sums a year's lines draw on, each with its rule (DOMAIN.md §3.3 "GP ARRS
    2024/25": a separate ring-fenced GP sum, not fungible with other roles): the network's
    recorded allocation (ARRSAllocation) and, in a year with a RingFencedSum, that sum at
    its rate × the allocation's weighted population."""
    if ring_fenced is None:
        return [FundingSum("allocation", allocation.amount, None)]
    role = ring_fenced.role
    source = ring_fenced.citation()
    return [
        FundingSum(
            "allocation",
            allocation.amount,
            None,
            (ring_fenced.role_id,),
            f"{role} posts draw on their own sum, not on it",
        ),
        FundingSum(
            f"{role} sum",
            calculations.allocation_amount(
                allocation.weighted_population, ring_fenced.pounds_per_weighted_patient
            ),
            ring_fenced.role_id,
            rule=f"it is ring-fenced for {role} posts and no other role's money may pay for "
            f"them" + (f" ({source})" if source else ""),
        ),
    ]


# --- what posts are expected to claim ---------------------------------------------------


class MaximaTable:
    """Every maximum amount row overlapping the year, read once, handed out per role and
    band as calculations.choose_maximum_rows chooses them.

    A month's maximum depends only on the role, band, zone, hours and the days held that
    month, which many posts share (and a post in place all year is worked out twice, for
    its full-year effect and its forecast): each is worked out once per page."""

    def __init__(self, start, end):
        self.start, self.end = start, end
        self.rows = calculations.maximum_rows_by_role(start, end)
        self._chosen = {}
        self._maxima = {}
        self._expected = {}
        self._months = {}

    def for_post(self, post):
        """The rows that apply to the post's role and band in the year."""
        key = (post.role_id, post.afc_band)
        if key not in self._chosen:
            self._chosen[key] = calculations.choose_maximum_rows(
                self.rows.get(post.role_id, []), post.afc_band, self.start, self.end
            )
        return self._chosen[key]

    def _key(self, post, month):
        if month not in self._months:
            self._months[month] = month_bounds(month)
        first, last = self._months[month]
        if calculations.has_changes_in(post, first, last):
            pieces = calculations.terms_pieces(post, first, last, funded_only=True)
            return (post.role_id, month, *((p.afc_band, p.london_zone, p.weekly_hours,
                                           p.start_date, p.end_date) for p in pieces))  # fmt: skip
        terms = calculations.terms_on(post, first)  # the same all month
        if not terms.arrs_funded:
            return (post.role_id, month, None)
        days_held = overlap(post.start_date, post.end_date, first, last)
        return (post.role_id, terms.afc_band, terms.london_zone, terms.weekly_hours, month,
                days_held)  # fmt: skip

    def monthly_maximum(self, post, month, key=None):
        key = self._key(post, month) if key is None else key
        if key not in self._maxima:
            rows = self.rows.get(post.role_id, [])
            self._maxima[key] = calculations.monthly_maximum(post, month, rows)
        return self._maxima[key]

    def expected(self, post, month, rules):
        """expected_claim, once for a post and the days it holds in a month: a post in
        place all year holds the same days in its full-year effect and in the forecast."""
        key = self._key(post, month)
        if (post.pk, *key) not in self._expected:
            maximum = self.monthly_maximum(post, month, key)
            self._expected[(post.pk, *key)] = expected_claim(post, month, self, rules, maximum)
        return self._expected[(post.pk, *key)]


@dataclass
class Expected:
    amount: Decimal | None  # None: no known maximum for some day of the month
    missing: str = ""
    awaiting: Decimal = ZERO  # the cost whose maximum is not known


def expected_claim(post, month, maxima, rules, maximum=None):
    """What a post is expected to be reimbursed for a month: its salary, NI and pension pro
    rata for the days held (counting the last day), times the role's share, capped at the
    month's maximum; None (with the missing figure named) when no maximum is known."""
    if maximum is None:
        maximum = maxima.monthly_maximum(post, month)
    if maximum.days_in_post == 0 or not reimbursable_in(post.role, month):
        return Expected(ZERO)
    cost = calculations.monthly_cost(post, month)
    if maximum.amount is None:
        return Expected(None, maximum.reason, cost)
    share = calculations.reimbursement_share(post.role, month, rules)
    return Expected(calculations.reimbursable(cost, maximum.amount, share))


def reimbursable_in(role, month):
    """Whether some day of the month is one the role is reimbursable on
    (ARRSRole.reimbursable_from/until): before a role is reimbursable no maximum is missing,
    there is none to have."""
    first, last = month_bounds(month)
    return overlap(role.reimbursable_from, role.reimbursable_until, first, last) is not None


# --- the position ---------------------------------------------------------------------


@dataclass
class MonthRow:
    month: datetime.date
    status: str  # the claim's status label, or "No claim"
    approved: Decimal = ZERO
    submitted: Decimal = ZERO
    expected: Decimal | None = None  # for a month not claimed
    gp: Decimal = ZERO  # the part of the month's forecast that is for GP posts
    awaiting: Decimal = ZERO  # cost whose maximum is not known (held lines, or expected)
    missing: list = field(default_factory=list)
    cumulative: Decimal = ZERO

    @property
    def claimed(self):
        return self.status in (ClaimStatus.SUBMITTED.label, ClaimStatus.APPROVED.label)

    @property
    def forecast(self):
        """A claimed month's approved and submitted amounts, with what its supplementary
        claim not yet submitted is expected to claim; else what its posts are expected to."""
        return self.approved + self.submitted + (self.expected or ZERO)


@dataclass
class RoleRow:
    role: object
    posts_today: int = 0
    wte_today: Decimal = Decimal(0)
    committed: Decimal = ZERO
    approved: Decimal = ZERO
    submitted: Decimal = ZERO
    expected: Decimal = ZERO
    awaiting: Decimal = ZERO
    missing: list = field(default_factory=list)

    @property
    def forecast(self):
        return self.approved + self.submitted + self.expected


@dataclass
class Position:
    financial_year: int
    as_of: datetime.date
    allocation: Allocation
    months: list
    roles: list
    approved: Decimal
    submitted: Decimal
    committed: Decimal
    forecast: Decimal
    gp_forecast: Decimal
    missing: list  # every missing maximum, named once
    maxima_used: list = field(default_factory=list)
    gp_approved: Decimal = ZERO  # approved on the GP sum (GP lines in a GP-sum year)
    gp_submitted: Decimal = ZERO
    awaiting: Decimal = ZERO  # cost awaiting maximum amounts, in the forecast's months
    committed_awaiting: Decimal = ZERO  # the same, in the committed figure's months
    # Arrears after NHS England revised maximum amounts (workforce.arrears), inside the
    # figures above: those claimed (submitted or approved), and those owed, worked out into
    # a claim the network has not submitted yet.
    arrears_claimed: Decimal = ZERO
    arrears_owed: Decimal = ZERO

    @property
    def label(self):
        return financial_year_label(self.financial_year)

    @property
    def uses_gp_sum(self):
        return self.allocation.gp_sum is not None

    @property
    def main_forecast(self):
        """The forecast the main sum carries: all of it, less GP posts in a GP-sum year."""
        return self.forecast - self.gp_forecast if self.uses_gp_sum else self.forecast

    @property
    def main_approved(self):
        return self.approved - self.gp_approved

    @property
    def main_submitted(self):
        return self.submitted - self.gp_submitted

    @property
    def left(self):
        """Left on the main sum (`left`); GP lines are on the GP sum (gp_left)."""
        if self.allocation.amount is None:
            return None
        return left(self.allocation.amount, self.main_approved, self.main_submitted)

    @property
    def gp_left(self):
        gp = self.allocation.gp_sum
        if gp is None or gp.amount is None:
            return None
        return left(gp.amount, self.gp_approved, self.gp_submitted)

    @property
    def headroom(self):
        if self.allocation.amount is None:
            return None
        return headroom(self.allocation.amount, self.main_forecast)

    @property
    def gp_headroom(self):
        gp = self.allocation.gp_sum
        if gp is None or gp.amount is None:
            return None
        return headroom(gp.amount, self.gp_forecast)


def position_date(financial_year):
    """Today inside the year; its last day for a past year, its first for a future one."""
    start, end = financial_year_bounds(financial_year)
    return min(max(today(), start), end)


HELD_COST = F("lines__salary") + F("lines__employer_ni") + F("lines__employer_pension")


def budget_position(pcn, financial_year, share_rules=None):
    """The year's position: a bounded number of queries whatever the number of posts,
    claims and members. `share_rules` (calculations.share_rules) may be passed in by a
    caller that has read them."""
    start, end = financial_year_bounds(financial_year)
    as_of = position_date(financial_year)
    from_month = as_of.replace(day=1)  # committed counts posts from this month on
    allocation = allocation_for(pcn, financial_year)
    # The role whose posts draw on the year's ring-fenced sum (GPs in 2024/25), if any.
    gp_role = allocation.gp_sum.role_id if allocation.gp_sum else None

    months = {m: MonthRow(m, "No claim") for m in months_of(financial_year)}
    # The year's claims, each with its lines' sums by role (and the cost of its held lines:
    # those without a known maximum), in one query. A month is claimed once any claim of it
    # is submitted or approved; its status is its own claim's (a supplementary claim's lines
    # are counted apart, below).
    rows = list(
        pcn.claims.filter(month__gte=start, month__lte=end)
        .values("month", "supplement", "status", role=F("lines__post__role"))
        .annotate(
            total=Sum("lines__reimbursable_amount"),
            held=Sum(HELD_COST, filter=Q(lines__maximum_amount__isnull=True)),
            arrears=Sum("lines__reimbursable_amount", filter=Q(lines__arrears=True)),
        )
        .order_by("month", "supplement")
    )
    claimed_months = {r["month"] for r in rows if r["status"] in SEALED_STATUSES}
    for r in rows:
        row, sealed = months[r["month"]], r["status"] in SEALED_STATUSES
        own = r["supplement"] == 0 and (sealed or r["month"] not in claimed_months)
        if own or (sealed and not row.claimed):  # own claim rejected, a supplementary not
            row.status = ClaimStatus(r["status"]).label
    # Lines that count: those of sealed claims (approved or submitted), and in a claimed
    # month those of its draft or rejected supplementary claims (held lines moved there at
    # submission), which are expected to be claimed. A draft claim of a month not claimed
    # is left to the posts' forecast.
    sums = [r for r in rows if r["role"] is not None and r["month"] in claimed_months]
    roles = {}

    def role_row(role):
        if role.pk not in roles:
            roles[role.pk] = RoleRow(role)
        return roles[role.pk]

    posts = list(
        pcn.posts.arrs()
        .overlapping(start, end)
        .select_related("role")
        .with_terms()
        .order_by("role", "pk")
    )
    role_by_id = {p.role_id: p.role for p in posts}
    missing_roles = {s["role"] for s in sums} - set(role_by_id)
    if missing_roles:
        from_lines = pcn.posts.filter(role_id__in=missing_roles).select_related("role")
        role_by_id.update({p.role_id: p.role for p in from_lines})
    gp_claimed = {ClaimStatus.APPROVED: ZERO, ClaimStatus.SUBMITTED: ZERO}
    arrears = {"claimed": ZERO, "owed": ZERO}
    for s in sums:
        row, role = months[s["month"]], role_row(role_by_id[s["role"]])
        total, held = s["total"] or ZERO, s["held"] or ZERO
        arrears["claimed" if s["status"] in SEALED_STATUSES else "owed"] += s["arrears"] or ZERO
        row.awaiting += held
        role.awaiting += held
        if s["status"] == ClaimStatus.APPROVED:
            row.approved += total
            role.approved += total
        elif s["status"] == ClaimStatus.SUBMITTED:
            row.submitted += total
            role.submitted += total
        else:  # a supplementary claim not yet submitted: expected
            row.expected = (row.expected or ZERO) + total
            role.expected += total
        role.committed += total
        if role.role.pk == gp_role:
            row.gp += total
            if s["status"] in SEALED_STATUSES:
                gp_claimed[s["status"]] += total

    maxima = MaximaTable(start, end)
    rules = calculations.share_rules() if share_rules is None else share_rules
    missing, used = [], {}
    committed_awaiting = sum((r.awaiting for r in months.values()), ZERO)
    for post in posts:
        role = role_row(post.role)
        for piece in calculations.terms_pieces(post, start, end, funded_only=True):
            for row in maxima.for_post(piece):
                used.setdefault((row.pk, piece.london_zone), MaximumUsed(row, piece.london_zone))
        if post.start_date <= as_of and (post.end_date is None or post.end_date >= as_of):
            terms = calculations.terms_on(post, as_of)
            if terms.arrs_funded:
                role.posts_today += 1
                role.wte_today += terms.wte
        for month, row in months.items():
            if row.claimed:
                continue
            e = maxima.expected(post, month, rules)
            if e.amount is None:
                _note(missing, row.missing, e.missing)
                _note(missing, role.missing, e.missing)
                row.awaiting += e.awaiting
                role.awaiting += e.awaiting
                if month >= from_month:
                    committed_awaiting += e.awaiting
                continue
            row.expected = (row.expected or ZERO) + e.amount
            role.expected += e.amount
            if month >= from_month:
                role.committed += e.amount
            if post.role_id == gp_role:
                row.gp += e.amount
    running = ZERO
    for row in months.values():
        running += row.forecast
        row.cumulative = running
    role_rows = sorted(roles.values(), key=lambda r: r.role.name)
    return Position(
        financial_year=financial_year,
        as_of=as_of,
        allocation=allocation,
        months=list(months.values()),
        roles=role_rows,
        approved=sum((r.approved for r in months.values()), ZERO),
        submitted=sum((r.submitted for r in months.values()), ZERO),
        committed=sum((r.committed for r in role_rows), ZERO),
        forecast=running,
        gp_forecast=sum((r.gp for r in months.values()), ZERO),
        missing=missing,
        maxima_used=sorted(
            used.values(), key=lambda u: (u.row.role.name, u.row.afc_band, u.row.period_start)
        ),
        gp_approved=gp_claimed[ClaimStatus.APPROVED],
        gp_submitted=gp_claimed[ClaimStatus.SUBMITTED],
        awaiting=sum((r.awaiting for r in months.values()), ZERO),
        committed_awaiting=committed_awaiting,
        arrears_claimed=arrears["claimed"],
        arrears_owed=arrears["owed"],
    )


@dataclass
class MaximumUsed:
    """A maximum amount row the position used, for a London zone (DOMAIN.md A.1), with the
    public documents its figure comes from."""

    row: MaximumAmount
    zone: str

    @property
    def zone_label(self):
        return LondonZone(self.zone).label

    @property
    def amount(self):
        return calculations.amount_for_zone(self.row, self.zone)


def _note(everything, here, text):
    if text not in here:
        here.append(text)
    if text not in everything:
        everything.append(text)


# --- the forecasts kept for the area pages (workforce.models.ARRSForecast) -------------


def record_forecast(pcn, financial_year):
    """Work out the network's position for the year as its budget page does (approved,
    submitted, forecast), and keep it."""
    position = budget_position(pcn, financial_year)
    ARRSForecast.objects.update_or_create(
        pcn=pcn,
        financial_year=financial_year,
        defaults={
            "approved": position.approved,
            "submitted": position.submitted,
            "forecast": position.forecast,
            "main_forecast": position.main_forecast,
            "missing_maxima": len(position.missing),
            "gp_sum": position.allocation.gp_sum.amount if position.uses_gp_sum else None,
            "gp_approved": position.gp_approved,
            "gp_submitted": position.gp_submitted,
            "awaiting": position.awaiting,
            "arrears_claimed": position.arrears_claimed,
            "arrears_owed": position.arrears_owed,
            "worked_out_at": timezone.now(),
        },
    )
    return position


def last_forecast_year():
    """Forecasts are kept up to the next financial year: a post with no last day would
    otherwise reach every year to come."""
    return financial_year_of(today()) + 1


def years_of(*spans):
    """The financial years the spans (first day, last day or None) overlap, up to
    last_forecast_year()."""
    last_year = last_forecast_year()
    years = set()
    for first, last in spans:
        if first is None:
            continue
        end = last_year if last is None else min(financial_year_of(last), last_year)
        years.update(range(financial_year_of(first), end + 1))
    return sorted(years)


def years_posts_count_in(pcn, years):
    """The years among these with a month not claimed: only there do posts count towards
    the forecast (a claimed month counts what was claimed)."""
    claimed = defaultdict(int)
    for month in (
        pcn.claims.filter(status__in=(ClaimStatus.SUBMITTED, ClaimStatus.APPROVED))
        .values_list("month", flat=True)
        .distinct()  # a month's supplementary claims do not claim it again
    ):
        claimed[financial_year_of(month)] += 1
    return [year for year in years if claimed[year] < 12]


def record_forecasts_for_posts(pcn, *spans):
    """After posts of the network changed (each span: a post's first and last day, before
    and after the change): its forecasts for the years they touch."""
    for year in years_posts_count_in(pcn, years_of(*spans)):
        record_forecast(pcn, year)


def refresh_forecasts(years=None, networks=None, progress=None):
    """Work out again the kept forecasts of the networks open in each year (default: the
    years already kept, every year with a claim, and this one); `progress(done, total)` is
    told as it goes. Each network's forecast is saved on its own: a long run leaves each
    finished one kept."""
    if years is None:
        kept = ARRSForecast.objects.values_list("financial_year", flat=True).distinct()
        claimed = {financial_year_of(month) for month in Claim.objects.dates("month", "month")}
        years = sorted({*kept, *claimed, financial_year_of(today())})
    work = []
    for year in years:
        start, end = financial_year_bounds(year)
        every = PrimaryCareNetwork.objects.all() if networks is None else networks
        work += [(pcn, year) for pcn in every.open_between(start, end).order_by("code")]
    for done, (pcn, year) in enumerate(work, start=1):
        record_forecast(pcn, year)
        if progress:
            progress(done, len(work))
    return len(work)
