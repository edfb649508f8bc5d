"""One object per row of an ARRS page, formatting what the page and its downloads show:
a claim line with its maximum (pro rata, zone, the rate row in force) and the amount
claimed, worked out from rows read once for the whole claim."""

import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from networks.models import Source
from pcn_portal.core.citations import NO_SOURCE, citation_html
from pcn_portal.core.dates import month_bounds
from workforce import calculations
from workforce.models import FULL_TIME_HOURS, ClaimLine, lines_with_terms

# What the claim declaration rests on (workforce.views.claims.DECLARATION): the Network
# Contract DES specification's sections the national declaration refers to, and the NECS
# Primary Care Workforce Portal's "Submit ARRS Claim" page; by their registry keys.
DECLARATION_SOURCES = [("S2", "sections 6, 9.1, 9.2 and 9.10"), ("NECS-claim", "")]


def declaration_source():
    """The documents the declaration rests on, cited as their publishers name them."""
    sources = Source.objects.in_bulk([key for key, _ in DECLARATION_SOURCES], field_name="key")
    return format_html_join(
        "; ",
        "{}",
        (
            (citation_html([sources[key]], section),)
            for key, section in DECLARATION_SOURCES
            if key in sources
        ),
    )


def rate_row_text(row, zone):
    """The rate row a line used, with the public documents its figure comes from, each
    title linking to its document."""
    band = f" band {row.afc_band}" if row.afc_band else ""
    until = f" to {row.period_end.day} {row.period_end:%b %Y}" if row.period_end else ""
    amount = calculations.amount_for_zone(row, zone)
    figure = f"£{amount:,.0f} a year" if amount is not None else "no amount known"
    source = row.citation_html() or NO_SOURCE
    return format_html(
        "{}{} from {} {}{}: {} (source: {})",
        row.role, band, row.period_start.day, f"{row.period_start:%b %Y}", until, figure, source,
    )  # fmt: skip


@dataclass
class LineRow:
    line: object
    maximum: calculations.MonthlyMaximum
    share: Decimal
    claim: object = None

    @property
    def edit_url(self):
        claim = self.claim
        return reverse(
            "workforce:claim_line_edit",
            args=[claim.pcn.code, claim.key, self.line.post_id],
        )

    @functools.cached_property
    def post(self):
        """The line's post with its terms (band, zone) as they were in the claim's month,
        on its first day in post that month."""
        if self.claim is None:
            return self.line.post
        return calculations.terms_on(self.line.post, self.claim.month)

    @property
    def cost(self):
        return self.line.total_cost

    @property
    def held(self):
        """Held: no source gives the line's maximum, so it claims £0 and is claimed later
        by a supplementary claim for the month."""
        return self.line.maximum_amount is None

    @property
    def problem(self):
        """Why the line is held, as recorded when it was worked out."""
        if not self.held:
            return ""
        return self.line.held_reason or self.maximum.reason

    @property
    def rate_rows(self):
        return [rate_row_text(row, self.post.london_zone) for row in self.maximum.rows]

    @property
    def share_text(self):
        return "" if self.share == 1 else f"{self.share * 100:.0f}% of costs"

    @property
    def month_share(self):
        return f"{self.maximum.days_in_post} of {self.maximum.days_in_month} days"

    @property
    def over_full_time(self):
        return self.line.weekly_hours > FULL_TIME_HOURS


def line_rows(claim, lines):
    """The claim's lines as rows: two queries for any number of lines (the rate rows of
    the roles in the claim, the share rules), beside the lines' own. Each line's maximum
    is worked out as its stored amount was (calculations.monthly_maximum, on the hours
    worked), from the rows read once."""
    first, last = month_bounds(claim.month)
    amounts = calculations.maximum_rows_by_role(
        first, last, role_ids={line.post.role_id for line in lines}
    )
    rules = calculations.share_rules() if lines else []
    rows = []
    for line in lines:
        post = line.post
        maximum = calculations.monthly_maximum(
            post, claim.month, amounts.get(post.role_id, []), line.weekly_hours
        )
        share = calculations.reimbursement_share(post.role, claim.month, rules)
        rows.append(LineRow(line, maximum, share, claim))
    return rows


@dataclass
class Totals:
    cost: Decimal
    maximum: Decimal
    claimed: Decimal
    unknown: int
    adjustments: int = 0


def totals(rows):
    """The claim's totals; an adjustment counts in what is claimed (signed) alone."""
    return Totals(
        cost=sum((r.cost for r in rows), Decimal("0.00")),
        maximum=sum((r.line.maximum_amount or 0 for r in rows), Decimal("0.00")),
        claimed=sum((r.line.reimbursable_amount for r in rows), Decimal("0.00")),
        unknown=sum(1 for r in rows if r.line.maximum_amount is None),
        adjustments=sum(1 for r in rows if r.line.is_adjustment),
    )


def with_lines(claims):
    """The claims with their lines, each line's post, staff member and role joined: one
    query for the lines of any number of claims."""
    claims = list(claims)
    lines = lines_with_terms(
        ClaimLine.objects.select_related("post__staff_member", "post__role", "corrects__claim")
    )
    prefetch_related_objects(claims, Prefetch("lines", queryset=lines))
    return claims
