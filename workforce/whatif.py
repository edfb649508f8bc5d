"""What if we hire? A post priced before it is made (issue 26 item 4).

A manager describes a post they might make (role, band, hours, zone, pay, first and last
day) and sees, for the budget page's financial year, what it would cost to the year's end,
what ARRS would reimburse month by month, the caps it would meet and the headroom after it
beside today's. Nothing is saved: the post is built in memory (candidate_post) and fed to
the engine every other reader calls, so the figures are to the penny those the budget
would forecast once the post is added:

- a month's cost is workforce.calculations.monthly_cost, its maximum
  calculations.monthly_maximum over the year's maximum amount rows, and what it is expected
  to claim workforce.budget.expected_claim (the share of the cost, capped at the maximum;
  nothing before the role is reimbursable; None where no maximum is published);
- the caps are workforce.rules.cap_checks and cap_verdict, which the post form's save
  (workforce.rules.check_post) also runs;
- today's position is workforce.budget.budget_position; a month already claimed
  (submitted or approved) counts what was claimed, so a new post does not move its
  forecast, as it would not on the budget page.

Several posts are priced at once, each against today's network on its own (they are
alternatives, not a plan): what they read is read once for all of them, so the page's
queries do not grow with their number.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import DecimalField, F, OuterRef, Q, TextField
from django.db.models.functions import Cast, JSONObject

from networks.models import Cited
from pcn_portal.core.dates import financial_year_bounds, month_bounds, overlap
from workforce import budget, calculations, rules
from workforce.calculations import months_of
from workforce.models import (
    ARRSRole,
    CapKind,
    EmployerType,
    MaximumAmount,
    Post,
    RoleCap,
    StaffMember,
)

ZERO = Decimal("0.00")
# The terms a priced post is described by, as the post form names them.
TERMS = (
    "role",
    "afc_band",
    "weekly_hours",
    "london_zone",
    "annual_salary",
    "annual_employer_ni",
    "annual_employer_pension",
    "start_date",
    "end_date",
)


def candidate_post(pcn, terms):
    """A post of the network with these terms, built in memory and never saved: ARRS-funded,
    with no later change of terms, held by nobody yet."""
    post = Post(
        pcn=pcn,
        staff_member=StaffMember(pcn=pcn, full_name="The post holder"),
        employer_type=EmployerType.LEAD_PROVIDER,  # the employer changes no figure
        arrs_funded=True,
        **{name: terms.get(name) for name in TERMS},
    )
    post.known_terms = []
    return post


@dataclass
class MonthFigure:
    """One month of a priced post: its days, cost, maximum, share and what ARRS would
    reimburse (None: no maximum amount is published for some day of it)."""

    month: object
    days_in_post: int
    days_in_month: int
    cost: Decimal
    maximum: Decimal | None
    share: Decimal
    reimbursed: Decimal | None
    claimed: bool  # the month's claim is submitted or approved: the forecast keeps it
    missing: str = ""


@dataclass
class CapFigure:
    """A cap the post would meet, named, with the network's count with the post."""

    check: rules.CapCheck
    outcome: str  # "within", "warned" or "refused"
    message: str

    @property
    def cap(self):
        return self.check.cap


@dataclass
class Priced:
    post: Post
    months: list
    caps: list
    headroom_today: Decimal | None
    on_ring_fenced_sum: bool
    missing: list = field(default_factory=list)

    @property
    def cost(self):
        """The cost (salary, NI and pension) from its first day to the year's end."""
        return sum((m.cost for m in self.months), ZERO)

    @property
    def known(self):
        """What ARRS would reimburse over the months whose maximum is published."""
        return sum((m.reimbursed for m in self.months if m.reimbursed is not None), ZERO)

    @property
    def awaiting(self):
        """The cost of the months whose maximum is not published: reimbursement not known."""
        return sum((m.cost for m in self.months if m.reimbursed is None), ZERO)

    @property
    def all_known(self):
        return not any(m.reimbursed is None for m in self.months)

    @property
    def forecast(self):
        """What the post adds to the year-end forecast: the months not claimed yet."""
        return sum(
            (m.reimbursed for m in self.months if not m.claimed and m.reimbursed is not None),
            ZERO,
        )

    @property
    def headroom_after(self):
        if self.headroom_today is None:
            return None
        return budget.headroom(self.headroom_today, self.forecast)

    @property
    def missing_summary(self):
        """Why reimbursement is not known, once: the first month's reason (the engine's,
        naming the role and the month) and how many months after it are the same."""
        unknown = [m for m in self.months if m.reimbursed is None and m.missing]
        if not unknown:
            return []
        first, rest = unknown[0], unknown[1:]
        if not rest:
            return [first.missing]
        return [
            first.missing,
            f"No maximum amount is known either for the {len(rest)} months after it, to "
            f"{rest[-1].month:%B %Y}: their reimbursement is not known, their cost is shown.",
        ]

    @property
    def claimed_months(self):
        return [m for m in self.months if m.claimed]

    @property
    def refused(self):
        return any(c.outcome == "refused" for c in self.caps)


def pricing_roles(financial_year):
    """Every ARRS role, by name, each with what pricing its posts reads: its maximum amount
    rows in force in the year (`maximum_rows`) and its caps and share rules (`rule_rows`,
    with their documents), in one query however many posts are priced."""
    start, end = financial_year_bounds(financial_year)
    maxima = MaximumAmount.objects.filter(
        Q(period_end__isnull=True) | Q(period_end__gte=start),
        role=OuterRef("pk"),
        period_start__lte=end,
    ).order_by("period_start", "pk")
    caps = RoleCap.objects.filter(
        Q(kind__in=rules.CAP_KINDS) | Q(kind=CapKind.REIMBURSEMENT_SHARE, share__isnull=False),
        role=OuterRef("pk"),
    ).order_by("valid_from", "pk")
    roles = ARRSRole.with_sources(ARRSRole.objects.order_by("name")).annotate(
        maximum_json=_json_rows(maxima), rule_json=_json_rows(caps)
    )
    for role in roles:
        role.maximum_rows = [_from_json(MaximumAmount, row) for row in role.maximum_json]
        role.rule_rows = [_from_json(RoleCap, row) for row in role.rule_json]
        for row in role.maximum_rows + role.rule_rows:
            row.role = role
    return list(roles)


def _json_rows(queryset):
    """The rows of a queryset as a list of JSON objects (decimals as text, so exact; a
    cited row with its documents), for a subquery of another model's rows."""
    model = queryset.model
    fields = {
        f.attname: Cast(f.attname, TextField()) if isinstance(f, DecimalField) else F(f.attname)
        for f in model._meta.concrete_fields
    }
    if issubclass(model, Cited):
        fields["source_list"] = model.sources_column()
    return ArraySubquery(queryset.values(json=JSONObject(**fields)))


def _from_json(model, data):
    """A row of `model` from its JSON object (_json_rows), as if read from the database."""
    fields = model._meta.concrete_fields
    row = model.from_db(
        connection.alias,
        [f.attname for f in fields],
        [f.to_python(data[f.attname]) for f in fields],
    )
    if "source_list" in data:
        row.source_list = data["source_list"]
    return row


def price(pcn, financial_year, candidates, roles=None, position=None):
    """Each candidate's terms (a mapping of TERMS) priced for the financial year against
    the network as it is today (`position`: its budget_position). `roles` are
    pricing_roles(financial_year) when the caller has read them; each candidate's role is
    taken from them. Both are read when not given."""
    if roles is None:
        roles = pricing_roles(financial_year)
    share_rules = [
        row for role in roles for row in role.rule_rows if row.kind == CapKind.REIMBURSEMENT_SHARE
    ]
    if position is None:
        position = budget.budget_position(pcn, financial_year, share_rules)
    if not candidates:
        return position, []
    by_id = {role.pk: role for role in roles}
    posts = [candidate_post(pcn, {**t, "role": by_id[t["role"].pk]}) for t in candidates]
    others = _posts_under_caps(pcn, posts)
    claimed = {row.month for row in position.months if row.claimed}
    gp_sum = position.allocation.gp_sum
    priced = []
    for post in posts:
        on_gp_sum = gp_sum is not None and post.role_id == gp_sum.role_id
        rows = post.role.maximum_rows
        months = _months(post, financial_year, rows, share_rules, claimed)
        priced.append(
            Priced(
                post=post,
                months=months,
                caps=_cap_figures(post, others),
                headroom_today=position.gp_headroom if on_gp_sum else position.headroom,
                on_ring_fenced_sum=on_gp_sum,
                missing=list(dict.fromkeys(m.missing for m in months if m.missing)),
            )
        )
    return position, priced


def _caps_met(post):
    """The role's caps on posts or WTE in force on some of the post's days."""
    return [
        cap
        for cap in post.role.rule_rows
        if cap.kind in rules.CAP_KINDS
        and overlap(cap.valid_from, cap.valid_until, post.start_date, post.end_date)
    ]


def _posts_under_caps(pcn, posts):
    """The network's ARRS-funded posts of the roles whose caps some priced post meets (read
    only when one does: most roles have no cap today)."""
    role_ids = sorted({post.role_id for post in posts if _caps_met(post)})
    if not role_ids:
        return []
    return list(pcn.posts.arrs().with_terms().filter(role_id__in=role_ids))


def _months(post, financial_year, rows, share_rules, claimed):
    """The post's months in the year, each worked out as the budget forecasts a month."""
    figures = []
    for month in months_of(financial_year):
        first, last = month_bounds(month)
        if overlap(post.start_date, post.end_date, first, last) is None:
            continue
        maximum = calculations.monthly_maximum(post, month, rows)
        expected = budget.expected_claim(post, month, None, share_rules, maximum)
        figures.append(
            MonthFigure(
                month=month,
                days_in_post=maximum.days_in_post,
                days_in_month=maximum.days_in_month,
                cost=calculations.monthly_cost(post, month),
                maximum=maximum.amount,
                share=calculations.reimbursement_share(post.role, month, share_rules),
                reimbursed=expected.amount,
                claimed=month in claimed,
                missing=expected.missing,
            )
        )
    return figures


def _cap_figures(post, others):
    checks = rules.cap_checks(post, caps=_caps_met(post), others=others)
    return [CapFigure(check, *rules.cap_verdict(post, check)) for check in checks]
