"""The ARRS rule engine: WTE, which maximum amount applies to a post, a post's maximum
reimbursable amount for a month, the share of costs a role reimburses, what a line may
claim, and a network's allocation.

This module is the one engine every reader calls: the stored claim line
(workforce.actions.line_for, and seed_national's lines), the claim page
(workforce.presenters.line_rows), the budget page and its downloads
(workforce.budget.budget_position) and, through the forecasts the budget keeps
(workforce.models.ARRSForecast), the area figures and their downloads
(pcn_portal.areas.figures). A rule is written once, here; a second copy is a defect.

Three caps limit what a network is reimbursed, each in one place:
- A line's maximum: the most ARRS pays for one post in one month, monthly_maximum over
  the MaximumAmount rows (the rows chosen by choose_maximum_rows: the post's band's rows
  where that band has any, else the rows with no band), with the role's share of costs
  (RoleCap rows of kind "share of costs reimbursed", read by share_rules). What a line may
  claim is reimbursable(cost, maximum, share).
- A network's role caps: the most posts or WTE of a role a network may hold at once
  (RoleCap rows of kind "maximum posts" or "maximum WTE"), checked when a post is saved by
  workforce.rules.check_post, which refuses the post or, where the source allows
  exceptions, warns.
- The allocation: the network's ARRS sum for a year, workforce.budget.allocation_for: the
  weighted population at 1 January × the year's AllocationRate, and beside it any
  ring-fenced sum (RingFencedSum: 2024/25's GP sum) that only its role's posts draw on.
  Approvals are checked against the sum recorded for the network (ARRSAllocation,
  workforce.actions.check_ceiling).

The rules of the line's maximum, from DOMAIN.md Appendix A.3:
- Maximum amounts are annual, for one WTE over twelve months; part-time and part-year
  posts are capped pro rata (rule 2). A month's maximum is therefore
  annual ÷ 12 × WTE × (days in post that month ÷ days in the month), taking for each day
  the amount in force on that day, for the post's zone (rule 3) and band (rule 5).
- London amounts exist from 2021/22 (rule 3); before then the national amount applied
  in London too.
- Where a role reimburses only a share of costs (e.g. mental health practitioners at 50%,
  rule 4), the claimable amount is that share of the cost, capped at the maximum.
- A period DOMAIN.md has no figure for is unknown: the maximum is None, never a guess.

A post's terms (hours, band, pay, zone, ARRS funding) change from a day (PostTerms): every
reader of a month works on the post's pieces (terms_pieces), each a copy of the post
holding the terms in force over part of the month, so that a pay rise from 1 April never
changes March, and a month with a change takes each part at its own terms.

Pennies (rate_share): a month's maximum is rounded to the penny, but months are not
rounded one by one. For each rate row, the maximum from the start of its period in the
financial year (or of the year, if the period started before it) to the end of a month is
worked out unrounded and rounded half up; the month's maximum is that running figure less
the same figure at the end of the month before, and the running figure never passes the
row's maximum for all of its days in the year, rounded down (so the last month of a rate
period takes the remainder). Months therefore differ by a penny where the twelfth has
fractions (pharmacy technician 2025/26: 3,612.67, 3,612.66, 3,612.67, …) and twelve months
of a full-time post come to the annual maximum × WTE (43,352.00, not 12 × 3,612.67 =
43,352.04), never more, whatever the hours and dates.
"""

import copy
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import Q

from pcn_portal.core.dates import (
    ONE_DAY,
    days_in,
    financial_year_bounds,
    financial_year_of,
    month_bounds,
    overlap,
)
from workforce.models import (  # wte lives with the post it measures
    FULL_TIME_HOURS,
    TERM_FIELDS,
    CapKind,
    LondonZone,
    MaximumAmount,
    RoleCap,
    wte,  # noqa: F401  (read from here by other modules)
)

PENNY = Decimal("0.01")
# London weighting of the maximum amounts started in 2021/22 (DOMAIN.md A.3 rule 3; S11, S38).
LONDON_WEIGHTING_FROM = datetime.date(2021, 4, 1)


def money(value):
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def amount_for_zone(row, zone):
    """The annual maximum of a MaximumAmount row for a zone, or None when unknown."""
    if row.unknown:
        return None
    amount = row.for_zone(zone)
    if amount is None and zone != LondonZone.NATIONAL:
        ends_before_weighting = (
            row.period_end is not None and row.period_end < LONDON_WEIGHTING_FROM
        )
        if ends_before_weighting:
            return row.national
    return amount


def choose_maximum_rows(rows, band, first, last):
    """The maximum amount rows that apply to a post on Agenda for Change `band` from `first`
    to `last` (its last day): of `rows` (one role's rows, already read), those in force on
    some day of the span, the band's own where the band has any there, else those with no
    band. The one rule every reader applies, over rows it read once."""
    in_force = [
        r
        for r in rows
        if r.period_start <= last and (r.period_end is None or r.period_end >= first)
    ]
    banded = [r for r in in_force if band and r.afc_band == band]
    return banded or [r for r in in_force if r.afc_band == ""]


def maximum_rows_by_role(first, last, role_ids=None):
    """Every maximum amount row in force on some day from `first` to `last` (of the roles
    `role_ids`, or of every role), by role id: one query, for choose_maximum_rows to choose
    from for each post."""
    rows = MaximumAmount.with_sources(
        MaximumAmount.objects.filter(
            Q(period_end__isnull=True) | Q(period_end__gte=first), period_start__lte=last
        ).select_related("role")
    )
    if role_ids is not None:
        rows = rows.filter(role_id__in=role_ids)
    by_role = defaultdict(list)
    for row in rows:
        by_role[row.role_id].append(row)
    return by_role


def maxima_published(financial_year):
    """Whether a national maximum amount for some role starts in a financial year: for a
    year NHS England has published none for (2026/27 when this was written: DOMAIN.md
    Appendix A), every line of its claims is held, and nothing can be claimed."""
    first, last = financial_year_bounds(financial_year)
    return MaximumAmount.objects.filter(
        period_start__gte=first, period_start__lte=last, national__isnull=False, unknown=False
    ).exists()


def maximum_amount_rows(role, band, first, last):
    """The rows that apply to a post of `role` on `band` from `first` to `last`, read from
    the database (choose_maximum_rows over the role's rows)."""
    rows = maximum_rows_by_role(first, last, role_ids=[role.pk])[role.pk]
    return choose_maximum_rows(rows, band, first, last)


def reimbursed_wte(weekly_hours):
    """The WTE ARRS reimburses for a week's hours: WTE on 37.5 hours, at most 1.0 (a post
    over 37.5 hours a week is reimbursed as one whole-time post). Not rounded, so 25 hours
    is exactly two thirds of the maximum."""
    return min(Decimal(weekly_hours) / FULL_TIME_HOURS, Decimal(1))


@dataclass
class MonthlyMaximum:
    amount: Decimal | None  # None: some day of the month has no known maximum
    days_in_post: int
    days_in_month: int
    reason: str = ""
    rows: list = field(default_factory=list)  # the rate rows in force, in date order
    wte: Decimal | None = None  # the WTE reimbursed (at most 1.0)


ZONE_FIELD_LABELS = {
    LondonZone.NATIONAL: "national",
    LondonZone.OUTER: "outer London",
    LondonZone.INNER: "inner London",
}


def _zone_label(zone):
    return LondonZone(zone).label


def months_between(anchor, day):
    """The months from the start of day `anchor` to the start of day `day`, a part month
    counted by its days (1 April to 16 October is 6 + 15/31)."""
    whole = (day.year - anchor.year) * 12 + day.month - anchor.month
    return (
        Decimal(whole)
        + Decimal(day.day - 1) / _days_of_month(day)
        - Decimal(anchor.day - 1) / _days_of_month(anchor)
    )


def _days_of_month(day):
    first, last = month_bounds(day.replace(day=1))
    return days_in(first, last)


def rate_share(row, annual, first, last):
    """The part of a rate row's `annual` maximum (already × WTE) for the days `first` to
    `last` (inside one month and the row's period), rounded so that the months of a rate
    period add up to no more than its total (the rule in this module's docstring): the
    running maximum from the row's start in the financial year, rounded half up and never
    past the row's maximum for its days in the year rounded down, at the day after `last`
    less the same at `first`. Why: rounding each month on its own makes twelve months of
    £3,612.67 (pharmacy technician 2025/26) claim 4p more than the annual £43,352."""
    year_start, year_end = financial_year_bounds(financial_year_of(first))
    anchor = max(row.period_start, year_start)
    stop = min(row.period_end or year_end, year_end) + ONE_DAY
    per_month = Decimal(annual) / 12
    ceiling = (per_month * months_between(anchor, stop)).quantize(PENNY, rounding=ROUND_DOWN)

    def running(day):
        return min(money(per_month * months_between(anchor, day)), ceiling)

    return running(last + ONE_DAY) - running(first)


def terms_pieces(post, first, last, *, funded_only=False):
    """The post's terms over the days from `first` to `last` it holds: one piece per
    period of terms, each a copy of the post with those terms and its days cut to the
    period (its start_date and end_date are the piece's first and last day). The post's
    own terms hold from its start; each later change (Post.terms_rows) from its first day
    to the day before the next. `funded_only`: only pieces ARRS funds."""
    in_post = overlap(post.start_date, post.end_date, first, last)
    if in_post is None:
        return []
    periods = [(post.start_date, post)] + [(t.first_day, t) for t in post.terms_rows()]
    pieces = []
    for index, (begins, terms) in enumerate(periods):
        ends = periods[index + 1][0] - ONE_DAY if index + 1 < len(periods) else post.end_date
        span = overlap(begins, ends, in_post[0], in_post[1])
        if span is None or (funded_only and not terms.arrs_funded):
            continue
        piece = copy.copy(post)
        for name in TERM_FIELDS:
            setattr(piece, name, getattr(terms, name))
        piece.start_date, piece.end_date = span
        pieces.append(piece)
    return pieces


def terms_on(post, day):
    """The post's terms in force on a day (the post itself when none changed them), or on
    its first day for a day before it starts, its last for a day after it ends. Read its
    terms, role and holder only: a piece's dates are that one day."""
    if not post.terms_rows():
        return post
    day = max(day, post.start_date)
    if post.end_date is not None:
        day = min(day, post.end_date)
    pieces = terms_pieces(post, day, day)
    return pieces[0] if pieces else post


def has_changes_in(post, first, last):
    """Whether the post's terms change on some day from `first` to `last`."""
    return any(first <= t.first_day <= last for t in post.terms_rows())


def contracted_hours(pieces):
    """The weekly hours of the post's terms over its days in a month, each piece weighted
    by its days (the hours of a month with no change), to the hundredth of an hour."""
    if len(pieces) == 1:
        return Decimal(pieces[0].weekly_hours)
    days = sum(days_in(p.start_date, p.end_date) for p in pieces)
    if not days:
        return Decimal(0)
    total = sum(Decimal(p.weekly_hours) * days_in(p.start_date, p.end_date) for p in pieces)
    return (total / days).quantize(PENNY, rounding=ROUND_HALF_UP)


def monthly_maximum(post, month, rows=None, weekly_hours=None):
    """The most ARRS reimburses for a post in a month: pro rata for WTE (on the hours
    worked when given, else the post's; at most 1.0) and part months (days in post,
    counting its last day, ÷ days in the month), at the rate in force on each day, for the
    post's zone and band on that day (its terms: terms_pieces; days its terms are not
    ARRS-funded are not reimbursed). `rows` are the role's maximum amount rows when the
    caller has read them (any span covering the month); the rows for each piece's band and
    days are chosen from them here, so every reader gets the same maximum.

    Hours worked (`weekly_hours`) that differ from the hours of the post's terms that month
    (contracted_hours) replace them on every day; the same hours as the terms' keep each
    piece at its own hours."""
    first, last = month_bounds(month)
    pieces = terms_pieces(post, first, last, funded_only=True)
    if not pieces:
        return MonthlyMaximum(Decimal("0.00"), 0, days_in(first, last))
    hours = None
    if weekly_hours is not None and (
        len(pieces) == 1 or Decimal(weekly_hours) != contracted_hours(pieces)
    ):
        hours = weekly_hours
    parts = [_piece_maximum(piece, month, rows, hours) for piece in pieces]
    if len(parts) == 1:
        return parts[0]
    held = next((part for part in parts if part.amount is None), None)
    used = []
    for part in parts:
        used += [row for row in part.rows if row not in used]
    return MonthlyMaximum(
        None if held else sum((part.amount for part in parts), Decimal("0.00")),
        sum(part.days_in_post for part in parts),
        parts[0].days_in_month,
        held.reason if held else "",
        used,
        reimbursed_wte(hours if hours is not None else contracted_hours(pieces)),
    )


def _piece_maximum(post, month, rows, weekly_hours):
    """monthly_maximum over one piece of a post (one set of terms)."""
    first, last = month_bounds(month)
    days_in_month = days_in(first, last)
    in_post = overlap(post.start_date, post.end_date, first, last)
    if in_post is None:
        return MonthlyMaximum(Decimal("0.00"), 0, days_in_month)
    start, end = in_post[0], in_post[1] or last
    days_in_post = days_in(start, end)
    if rows is None:
        rows = maximum_amount_rows(post.role, post.afc_band, start, end)
    rows = choose_maximum_rows(rows, post.afc_band, start, end)
    hours = post.weekly_hours if weekly_hours is None else weekly_hours
    post_wte = reimbursed_wte(hours)
    total = Decimal(0)
    covered = 0
    used = []
    for row in sorted(rows, key=lambda r: r.period_start):
        span = overlap(row.period_start, row.period_end, start, end)
        if span is None:
            continue
        used.append(row)
        days = days_in(span[0], span[1] or end)
        annual = amount_for_zone(row, post.london_zone)
        if annual is None:
            band = f" band {row.afc_band}" if row.afc_band else ""
            return MonthlyMaximum(
                None,
                days_in_post,
                days_in_month,
                f"No maximum amount is known for {post.role}{band} "
                f"({_zone_label(post.london_zone)}) from {row.period_start.day} "
                f"{row.period_start:%B %Y}: a national admin must enter its "
                f"{ZONE_FIELD_LABELS[post.london_zone]} amount under ARRS maximum amounts "
                "before this line can be claimed.",
                used,
                post_wte,
            )
        total += rate_share(row, annual * post_wte, span[0], span[1] or end)
        covered += days
    if covered < days_in_post:
        band = f" band {post.afc_band}" if post.afc_band else ""
        return MonthlyMaximum(
            None,
            days_in_post,
            days_in_month,
            f"No maximum amount is recorded for {post.role}{band} for all of {first:%B %Y}: "
            "a national admin must add it in ARRS maximum amounts before this line can be "
            "claimed.",
            used,
            post_wte,
        )
    return MonthlyMaximum(money(total), days_in_post, days_in_month, "", used, post_wte)


def share_rules():
    """Every rule that a role reimburses only a share of costs (RoleCap, kind "share of
    costs reimbursed"), read once for reimbursement_share to choose from."""
    return list(RoleCap.objects.filter(kind=CapKind.REIMBURSEMENT_SHARE, share__isnull=False))


def reimbursement_share(role, on, rules=None):
    """The share of costs a role reimburses on a date (1 unless a rule says otherwise)."""
    rules = share_rules() if rules is None else rules
    in_force = [
        r
        for r in rules
        if r.role_id == role.pk
        and r.valid_from <= on
        and (r.valid_until is None or r.valid_until >= on)
    ]
    return max(in_force, key=lambda r: r.valid_from).share if in_force else Decimal(1)


def reimbursable(cost, maximum, share=Decimal(1)):
    """What can be reimbursed for a cost: the share of it, capped at the maximum (None =
    no known maximum, so no cap can be applied and nothing is reimbursable yet)."""
    if maximum is None:
        return None
    return money(min(Decimal(cost) * share, maximum))


def month_fraction(post, month):
    """The part of a month a post is held: days in post, counting its last day, ÷ days in
    the month (a post whose last day is 16 November holds 16 of its 30 days)."""
    first, last = month_bounds(month)
    in_post = overlap(post.start_date, post.end_date, first, last)
    if in_post is None:
        return Decimal(0)
    return Decimal(days_in(in_post[0], in_post[1] or last)) / days_in(first, last)


@dataclass
class MonthlyCosts:
    """A post's expected costs in a month, each to the penny."""

    salary: Decimal
    employer_ni: Decimal
    employer_pension: Decimal

    @property
    def total(self):
        return self.salary + self.employer_ni + self.employer_pension


def _unrounded_costs(post, month):
    """A post's salary, NI and pension for a month, not rounded: for each piece of its
    terms ARRS funds, a twelfth of the year's actual salary (the full-time equivalent
    salary × weekly hours ÷ 37.5), NI and pension, pro rata for the piece's days."""
    first, last = month_bounds(month)
    salary = ni = pension = Decimal(0)
    for piece in terms_pieces(post, first, last, funded_only=True):
        fraction = month_fraction(piece, month) / 12
        salary += piece.actual_salary * fraction
        ni += piece.annual_employer_ni * fraction
        pension += piece.annual_employer_pension * fraction
    return salary, ni, pension


def monthly_costs(post, month):
    """A post's expected ARRS-funded costs in a month, each to the penny (what a new claim
    line is filled in with); days whose terms are not ARRS-funded cost ARRS nothing."""
    return MonthlyCosts(*(money(cost) for cost in _unrounded_costs(post, month)))


def monthly_cost(post, month):
    """A post's expected cost in a month, rounded once (the forecast's figure)."""
    return money(sum(_unrounded_costs(post, month)))


def allocation_amount(weighted_population, rate):
    """A network's ARRS sum: weighted population × the year's £ per weighted patient."""
    return money(Decimal(weighted_population) * Decimal(rate))


def allocation_population_date(financial_year):
    """The ARRS sum uses the weighted population at 1 January before the year starts
    (DOMAIN.md §3.4: 2025/26 uses 1 Jan 2025)."""
    return datetime.date(financial_year, 1, 1)


def months_of(financial_year):
    start, _ = financial_year_bounds(financial_year)
    return [
        datetime.date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1)
        for i in range(12)
    ]
