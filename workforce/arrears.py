"""Arrears after a backdated change of maximum amounts.

NHS England has twice raised the maximum reimbursable amounts part way through a year and
backdated them (from 1 July 2023; from 1 August 2025 backdated to 1 April 2025: Network
Contract DES Specification 2025/26, as DOMAIN.md Appendix A.1 and A.3 rule 9 note). When a
national admin changes a maximum over days already past (workforce.figures for a file,
workforce.actions.correct_record in admin), the change is kept (BackdatedChange) and the
task worker works out, for every approved line of every network in its role and months,
what the line is owed at the new maximum:

    owed = reimbursable(cost, new maximum) − reimbursable(cost, maximum it was paid at)

(calculations.reimbursable: the line's cost, times the role's share of costs, capped at the
maximum), so a line whose cost was already under its old maximum gains nothing. The
maximum it was paid at is the line's own, or the one its latest arrears brought it to.
Each network's arrears for a financial year go, as adjustment lines (ClaimLine.arrears,
each correcting its approved line: that line is never changed), into one draft
supplementary claim for the year's latest month among them, which the network checks and
submits and the commissioner approves like any claim. A lower maximum is counted and shown
(BackdatedChange.reduced_by) and never taken back: no public document we hold says how a
reduction is recovered.

Lines not yet claimed (draft and rejected claims) are simply worked out again with the new
figure. A claim submitted before the change and approved after it is worked out when it is
approved (after_decision)."""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from pcn_portal.core.dates import financial_year_of, month_bounds, overlap, today
from pcn_portal.core.writing import ONE_AT_A_TIME_LOCK_CLASS, writing
from workforce import budget, calculations, mail
from workforce.models import (
    BackdatedChange,
    Claim,
    ClaimLine,
    ClaimStatus,
    ClaimStatusChange,
    Post,
)

ZERO = Decimal("0.00")
EDITABLE = (ClaimStatus.DRAFT, ClaimStatus.REJECTED)


def last_claimable_day():
    """The last day of the last month that has ended: no month after it can be claimed."""
    return today().replace(day=1) - datetime.timedelta(days=1)


def record_change(*, role, band, first, last, by, how):
    """Keep a change of the role's maximum amounts from `first` to `last` (None: no last
    day) if it reaches a month already past, for the task worker to work out its arrears
    (the caller enqueues workforce.tasks.work_out_arrears once the transaction commits).
    Returns the change kept, or None for a change that only reaches months to come."""
    past = last_claimable_day()
    last = past if last is None else min(last, past)
    if first > last:
        return None
    change = BackdatedChange.objects.create(
        role=role,
        afc_band=band or "",
        first_day=first,
        last_day=last,
        made_at=timezone.now(),
        made_by=by,
        how=how[:300],
    )
    return change


def record_row_change(before, after, *, by, how):
    """record_change for a maximum amount row saved (`before`: as it was, None for a new
    row; `after`: None for a deleted row): the days either period covers."""
    rows = [r for r in (before, after) if r is not None]
    if not rows:
        return None
    if before is not None and after is not None and same_figures(before, after):
        return None
    first = min(r.period_start for r in rows)
    ends = [r.period_end for r in rows]
    last = None if None in ends else max(ends)
    return record_change(
        role=rows[-1].role, band=rows[-1].afc_band, first=first, last=last, by=by, how=how
    )


FIGURE_FIELDS = (
    "period_start",
    "period_end",
    "national",
    "outer_london",
    "inner_london",
    "unknown",
)


def same_figures(one, other):
    return all(getattr(one, name) == getattr(other, name) for name in FIGURE_FIELDS)


def maximum_now(line):
    """An approved line's maximum as it stands: its own, or the one its latest arrears
    brought it to (what a correction of it must stay within)."""
    latest = line.corrections.filter(arrears=True).order_by("-pk").first()
    return latest.maximum_amount if latest else line.maximum_amount


# --- working out ---------------------------------------------------------------------


@dataclass
class Tally:
    """What one backdated change came to (BackdatedChange's figures)."""

    lines: int = 0
    arrears: Decimal = ZERO
    reduced_lines: int = 0
    reduced_by: Decimal = ZERO
    networks: set = field(default_factory=set)


@dataclass
class Outcome:
    """What a work-out came to: the claims it wrote arrears into ({claim: (lines, £)}),
    the lines of draft claims worked out again, and the reductions not recovered."""

    claims: dict = field(default_factory=dict)
    reworked: int = 0
    reduced_lines: int = 0
    reduced_by: Decimal = ZERO
    by_change: dict = field(default_factory=lambda: defaultdict(Tally))

    @property
    def lines(self):
        return sum(n for n, _ in self.claims.values())

    @property
    def total(self):
        return sum((amount for _, amount in self.claims.values()), ZERO)


def _scope_q(changes, prefix="claim__"):
    """Lines of the changes' roles in their months."""
    q = Q(pk__in=[])
    for change in changes:
        q |= Q(
            post__role_id=change.role_id,
            **{
                f"{prefix}month__gte": change.first_day.replace(day=1),
                f"{prefix}month__lte": change.last_day,
            },
        )
    return q


def _change_for(changes, role_id, month):
    for change in changes:
        if (
            change.role_id == role_id
            and change.first_day.replace(day=1) <= month <= change.last_day
        ):
            return change
    return None


LINE_VALUES = (
    "pk", "claim_id", "post_id", "salary", "employer_ni", "employer_pension",
    "weekly_hours", "maximum_amount", "reimbursable_amount",
)  # fmt: skip


class Engine:
    """The maxima and share rules read once for a work-out, and each post's monthly
    maximum worked out once for its month and hours."""

    def __init__(self, posts, first, last):
        self.posts = posts
        self.rows = calculations.maximum_rows_by_role(
            first, last, {p.role_id for p in posts.values()}
        )
        self.rules = calculations.share_rules()
        self._maxima = {}
        self._shares = {}

    def maximum(self, post_id, month, hours):
        post = self.posts[post_id]
        key = self._shape(post, month, hours)
        if key not in self._maxima:
            rows = self.rows.get(post.role_id, [])
            self._maxima[key] = calculations.monthly_maximum(post, month, rows, weekly_hours=hours)
        return self._maxima[key]

    @staticmethod
    def _shape(post, month, hours):
        """What a post's maximum in a month depends on: the role, and (in a month its terms
        do not change) its band, zone and funding then, its days in post and the hours
        worked; so posts alike share one working out. A month its terms change in is worked
        out for the post alone."""
        first, last = month_bounds(month)
        if calculations.has_changes_in(post, first, last):
            return (post.pk, month, hours)
        terms = calculations.terms_on(post, first)
        days = overlap(post.start_date, post.end_date, first, last)
        return (post.role_id, terms.afc_band, terms.london_zone, terms.arrs_funded, days, hours)

    def share(self, role, month):
        key = (role.pk, month)
        if key not in self._shares:
            self._shares[key] = calculations.reimbursement_share(role, month, self.rules)
        return self._shares[key]

    def reimbursable(self, line, month, maximum):
        post = self.posts[line["post_id"]]
        cost = line["salary"] + line["employer_ni"] + line["employer_pension"]
        return calculations.reimbursable(cost, maximum, self.share(post.role, month))


def _read_posts(post_ids):
    """The posts with their terms, as the maximum needs them (not their people)."""
    posts = Post.objects.filter(pk__in=post_ids).select_related("role").with_terms()
    return {post.pk: post for post in posts.iterator(chunk_size=5000)}


def _arrears_so_far(line_query):
    """The arrears lines of each line of `line_query` so far, oldest first: {corrected line
    id: [(pk, claim id, claim status, maximum, amount)]}."""
    found = defaultdict(list)
    rows = (
        ClaimLine.objects.filter(arrears=True, corrects__in=line_query.values("pk"))
        .values_list(
            "corrects_id",
            "pk",
            "claim_id",
            "claim__status",
            "maximum_amount",
            "reimbursable_amount",
        )
        .order_by("pk")
    )
    for corrects, *rest in rows.iterator(chunk_size=5000):
        found[corrects].append(rest)
    return found


@dataclass
class Owed:
    line: dict  # the approved line's values (LINE_VALUES, with pcn and month)
    maximum: Decimal  # its new monthly maximum
    amount: Decimal  # what it is owed (less than 0: a reduction)
    paid_at: Decimal  # the maximum it was paid at (its own, or its arrears')
    change: BackdatedChange | None
    unclaimed: Decimal = ZERO  # its latest arrears, while not yet submitted

    @property
    def not_recovered(self):
        """Of a reduction, what no unclaimed arrears can absorb: never taken back."""
        return max(-self.amount - self.unclaimed, ZERO)


def lines_in_scope(changes, claims, statuses):
    """The lines (not adjustments, each with a maximum) of claims in `statuses` in the
    changes' roles and months, of `claims` only if given: a queryset."""
    lines = ClaimLine.objects.filter(
        _scope_q(changes),
        claim__status__in=statuses,
        corrects__isnull=True,
        maximum_amount__isnull=False,
    )
    return lines if claims is None else lines.filter(claim__in=claims)


def read_values(lines):
    return list(
        lines.values(*LINE_VALUES, "claim__pcn_id", "claim__month")
        .order_by()
        .iterator(chunk_size=5000)
    )


def engine_for(values):
    """An Engine over the posts and months of the lines' values, read once for them all."""
    if not values:
        return None
    posts = _read_posts({v["post_id"] for v in values})
    first = min(v["claim__month"] for v in values)
    last = month_bounds(max(v["claim__month"] for v in values))[1]
    return Engine(posts, first, last)


def owed_lines(changes, lines, values, engine):
    """Of the approved `lines` (their `values` read), those whose new maximum changes what
    they are owed: [Owed]."""
    if not values:
        return []
    so_far = _arrears_so_far(lines)
    owed = []
    for v in values:
        month = v["claim__month"]
        new = engine.maximum(v["post_id"], month, v["weekly_hours"]).amount
        earlier = so_far.get(v["pk"])
        paid_at = earlier[-1][3] if earlier else v["maximum_amount"]
        if new is None or new == paid_at:
            continue
        amount = engine.reimbursable(v, month, new) - engine.reimbursable(v, month, paid_at)
        if amount:
            change = _change_for(changes, engine.posts[v["post_id"]].role_id, month)
            # Arrears worked out before and not yet claimed can still be taken down.
            unclaimed = earlier[-1][4] if earlier and earlier[-1][2] in EDITABLE else ZERO
            owed.append(Owed(v, new, amount, paid_at, change, unclaimed))
    return owed


def reason_for(owed):
    """Why an arrears line is owed, in the network's words (beside the month it corrects)."""
    change = owed.change
    when = f" on {timezone.localtime(change.made_at):%-d %B %Y}" if change else ""
    return (
        f"Its maximum is now £{owed.maximum:,.2f}, not £{owed.paid_at:,.2f}: NHS England's "
        f"maximum reimbursable amounts were revised{when}."
    )


def work_out(*, by, changes, claims=None):
    """Work out the arrears the `changes` (BackdatedChange) make owed to approved lines (of
    `claims` only, if given) and write each network's into its arrears claim for the year,
    all in one transaction; lines not yet claimed are worked out again. Returns an
    Outcome."""
    outcome = Outcome()
    if not changes:
        return outcome
    approved = lines_in_scope(changes, claims, [ClaimStatus.APPROVED])
    approved_values = read_values(approved)
    unclaimed_values = read_values(lines_in_scope(changes, claims, EDITABLE))
    engine = engine_for(approved_values + unclaimed_values)
    owed = owed_lines(changes, approved, approved_values, engine)
    by_network = defaultdict(list)
    reduced = defaultdict(lambda: [0, ZERO])  # by (network id, year): lines, £ not recovered
    for o in owed:
        key = (o.line["claim__pcn_id"], financial_year_of(o.line["claim__month"]))
        if o.amount < 0 and o.not_recovered:
            reduced[key][0] += 1
            reduced[key][1] += o.not_recovered
            outcome.reduced_lines += 1
            outcome.reduced_by += o.not_recovered
            if o.change:
                tally = outcome.by_change[o.change.pk]
                tally.reduced_lines += 1
                tally.reduced_by += o.not_recovered
            if not o.unclaimed:
                continue
        by_network[key].append(o)
    with writing(by):
        written = _write_all(by_network, by, reduced)
    for (pcn_id, _), (claim, lines, amount) in written.items():
        outcome.claims[claim] = (lines, amount)
        for o in by_network[(pcn_id, financial_year_of(claim.month))]:
            if o.change:
                tally = outcome.by_change[o.change.pk]
                tally.lines += 1
                tally.arrears += o.amount
                tally.networks.add(pcn_id)
    outcome.reworked = rework_unclaimed(unclaimed_values, engine, by=by)
    return outcome


def _lock_networks(pcn_ids):
    """one_at_a_time("arrears", network) for each network, in one statement, in order (two
    work-outs never wait on each other in a circle)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext('arrears:' || id)) "
            "FROM unnest(%s::bigint[]) AS id ORDER BY id",
            [ONE_AT_A_TIME_LOCK_CLASS, sorted(pcn_ids)],
        )


def _open_arrears_claims(pcn_ids):
    """Each network's arrears claims it may still change, locked, by (network id, financial
    year): the one a work-out adds to."""
    found = {}
    holding = ClaimLine.objects.filter(arrears=True).values("claim_id")
    claims = (
        Claim.objects.select_for_update()
        .filter(pcn_id__in=pcn_ids, status__in=EDITABLE, pk__in=holding)
        .order_by("month", "supplement")
    )
    for claim in claims:
        found[(claim.pcn_id, financial_year_of(claim.month))] = claim
    return found


def _last_supplements(groups):
    """The highest claim number of each network's month among `groups` ({(network id,
    month)}): a new supplementary claim takes the next."""
    pcn_ids = {pcn for pcn, _ in groups}
    months = {month for _, month in groups}
    rows = (
        Claim.objects.filter(pcn_id__in=pcn_ids, month__in=months)
        .values("pcn_id", "month")
        .annotate(n=Max("supplement"))
        .order_by()
    )
    return {(r["pcn_id"], r["month"]): r["n"] for r in rows}


def _write_all(by_network, by, reduced):
    """Every network's arrears for each year into its arrears claim: its open one if it is
    for the latest month owed or later (an adjustment corrects a month up to its claim's),
    else a new supplementary claim for that month. A line already in the claim's arrears is
    brought to the new maximum; a line the network corrects by hand in the claim is left to
    it. Returns {(network id, year): (claim, lines, amount)}."""
    if not by_network:
        return {}
    _lock_networks({pcn for pcn, _ in by_network})
    open_claims = _open_arrears_claims({pcn for pcn, _ in by_network})
    chosen = {}
    for (pcn_id, year), owed in by_network.items():
        month = max(o.line["claim__month"] for o in owed)
        claim = open_claims.get((pcn_id, year))
        chosen[(pcn_id, year)] = claim if claim and claim.month >= month else month
    in_open = [c for c in chosen.values() if isinstance(c, Claim)]
    existing, manual = {}, set()
    for line in ClaimLine.objects.filter(claim__in=in_open, corrects__isnull=False):
        if line.arrears:
            existing[(line.claim_id, line.corrects_id)] = line
        else:
            manual.add((line.claim_id, line.corrects_id))
    last = _last_supplements({(p, m) for (p, _), m in chosen.items() if not isinstance(m, Claim)})
    plans, new_claims = {}, []
    for key, target in chosen.items():
        plan = _plan(by_network[key], target, existing, manual)
        if plan is None:
            continue
        if not isinstance(target, Claim):
            target = Claim(
                pcn_id=key[0], month=target, supplement=last.get((key[0], target), 0) + 1
            )
            new_claims.append(target)
            for line in plan.create:
                line.claim = target
        plans[key] = (target, plan)
    Claim.objects.bulk_create(new_claims)
    for claim, plan in plans.values():
        for line in plan.create:
            line.claim = claim  # its primary key is known now
    every = [plan for _, plan in plans.values()]
    _insert_lines([line for p in every for line in p.create])
    ClaimLine.objects.bulk_update(
        [line for p in every for line in p.update],
        ["reimbursable_amount", "maximum_amount", "reason"],
        batch_size=2000,
    )
    ClaimLine.objects.filter(pk__in=[line.pk for p in every for line in p.delete]).delete()
    now = timezone.now()
    ClaimStatusChange.objects.bulk_create(
        ClaimStatusChange(
            claim=claim,
            status=claim.status,
            by=by,
            at=now,
            note="Arrears worked out after NHS England's maximum amounts were revised: "
            f"{_lines_text(plan.count)}, {_pounds(plan.total)}." + _reduced_note(reduced, key),
        )
        for key, (claim, plan) in plans.items()
    )
    return {key: (claim, plan.count, plan.total) for key, (claim, plan) in plans.items()}


@dataclass
class Plan:
    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    delete: list = field(default_factory=list)
    count: int = 0
    total: Decimal = ZERO


def _plan(owed, target, existing, manual):
    """What writing one network's arrears for a year into `target` (a claim, or the month
    of a new one) takes, or None when nothing would be written."""
    plan = Plan()
    claim_id = target.pk if isinstance(target, Claim) else None
    for o in sorted(owed, key=lambda o: (o.line["post_id"], o.line["claim__month"])):
        corrects = o.line["pk"]
        if (claim_id, corrects) in manual:
            continue  # the network corrects the line by hand in this claim: left to it
        line = existing.get((claim_id, corrects))
        if line is not None:
            line.reimbursable_amount = max(line.reimbursable_amount + o.amount, ZERO)
            line.maximum_amount = o.maximum
            line.reason = reason_for(o)
            (plan.update if line.reimbursable_amount > 0 else plan.delete).append(line)
        elif o.amount > 0:
            plan.create.append(
                ClaimLine(
                    claim=target if claim_id else None,
                    post_id=o.line["post_id"],
                    corrects_id=corrects,
                    arrears=True,
                    reason=reason_for(o),
                    salary=0,
                    weekly_hours=0,
                    maximum_amount=o.maximum,
                    reimbursable_amount=o.amount,
                )
            )
        else:
            continue
        plan.count += 1
        plan.total += o.amount
    return plan if plan.count else None


def _reduced_note(reduced, key):
    """What a lower maximum would have taken from the network's approved lines, said and
    not recovered: no public document we hold says how a reduction is recovered."""
    if key not in reduced:
        return ""
    count, amount = reduced[key]
    verb = "has" if count == 1 else "have"
    return (
        f" {_lines_text(count)} {verb} a lower maximum now and would come to "
        f"£{amount:,.2f} less: that is not taken back."
    )


LINE_COLUMNS = (
    "claim_id", "post_id", "corrects_id", "arrears", "reason", "salary", "employer_ni",
    "employer_pension", "weekly_hours", "maximum_amount", "reimbursable_amount",
    "held_reason", "synthetic",
)  # fmt: skip


def _insert_lines(lines):
    """New arrears lines written with COPY (a national change makes tens of thousands;
    Django's INSERT spends longer building the statement than the database writing it).
    The database's checks and the audit history's trigger run for each row all the same,
    in the transaction's history context."""
    if not lines:
        return
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY workforce_claimline ({', '.join(LINE_COLUMNS)}) FROM STDIN"
        ) as copy,
    ):
        for line in lines:
            copy.write_row(
                (line.claim.pk, line.post_id, line.corrects_id, True, line.reason, 0, 0, 0,
                 0, line.maximum_amount, line.reimbursable_amount, "", False)
            )  # fmt: skip


def _update_amounts(rows):
    """Each line's maximum and amount claimed, [(line id, maximum, amount)], in one
    statement (Django's bulk_update writes a CASE over every id of a batch for each row:
    slow for tens of thousands of lines)."""
    if not rows:
        return
    ids, maxima, amounts = zip(*rows, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workforce_claimline AS line "
            "SET maximum_amount = new.maximum, reimbursable_amount = new.amount "
            "FROM unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS new(id, maximum, amount) "
            "WHERE line.id = new.id",
            [list(ids), list(maxima), list(amounts)],
        )


def _lines_text(count):
    return f"{count} line" if count == 1 else f"{count} lines"


def _pounds(amount):
    return f"−£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


def rework_unclaimed(values, engine, *, by):
    """Lines of claims not yet submitted (draft, rejected; their `values` read) worked out
    again with the figures known now; returns how many changed."""
    if not values:
        return 0
    changed = defaultdict(list)
    for v in values:
        month = v["claim__month"]
        new = engine.maximum(v["post_id"], month, v["weekly_hours"]).amount
        if new is None or new == v["maximum_amount"]:
            continue
        changed[v["claim_id"]].append((v["pk"], new, engine.reimbursable(v, month, new)))
    if not changed:
        return 0
    with writing(by):
        # Claims submitted meanwhile are left as they are: their lines are sealed.
        still = set(
            Claim.objects.select_for_update()
            .filter(pk__in=changed, status__in=EDITABLE)
            .values_list("pk", flat=True)
        )
        _update_amounts([row for claim_id in still for row in changed[claim_id]])
        statuses = dict(Claim.objects.filter(pk__in=still).values_list("pk", "status"))
        now = timezone.now()
        ClaimStatusChange.objects.bulk_create(
            ClaimStatusChange(
                claim_id=claim_id,
                status=statuses[claim_id],
                by=by,
                at=now,
                note=f"{_lines_text(len(changed[claim_id]))} worked out again with NHS "
                "England's revised maximum amounts.",
            )
            for claim_id in sorted(still)
        )
    changed = {claim_id: rows for claim_id, rows in changed.items() if claim_id in still}
    return sum(len(rows) for rows in changed.values())


# --- the national run and the hook at a decision -----------------------------------


def work_out_pending(*, by):
    """The changes not yet worked out, all at once (the task worker's job after a change):
    arrears written, each change's effect kept on it, each network's managers e-mailed,
    the forecasts of the networks and years touched worked out again."""
    changes = list(
        BackdatedChange.objects.filter(worked_out_at__isnull=True).select_related("role")
    )
    outcome = work_out(by=by, changes=changes)
    now = timezone.now()
    for change in changes:
        tally = outcome.by_change.get(change.pk, Tally())
        BackdatedChange.objects.filter(pk=change.pk).update(
            worked_out_at=now,
            networks=len(tally.networks),
            lines=tally.lines,
            arrears=tally.arrears,
            reduced_lines=tally.reduced_lines,
            reduced_by=tally.reduced_by,
        )
    return outcome


def after_work_out(outcome, *, by):
    """The forecasts of the networks and years an outcome touched, and the e-mails."""
    touched = {(claim.pcn, financial_year_of(claim.month)) for claim in outcome.claims}
    for pcn, year in sorted(touched, key=lambda t: (t[0].code, t[1])):
        with writing(by):
            budget.record_forecast(pcn, year)
    _mail_outcome(outcome)
    return len(touched)


def changes_since(claim):
    """The backdated changes made after the claim was submitted that reach its months and
    roles: its lines were worked out before them."""
    if claim.submitted_at is None:
        return []
    roles = claim.lines.values("post__role_id")
    return list(
        BackdatedChange.objects.filter(
            made_at__gt=claim.submitted_at,
            role_id__in=roles,
            first_day__lte=month_bounds(claim.month)[1],
            last_day__gte=claim.month,
        ).select_related("role")
    )


def after_decision(claim, *, by):
    """A claim submitted before a backdated change and decided after it: approved, its
    arrears are worked out like every other approved line's; rejected, its lines are
    worked out again with the figures known now, before the network corrects it."""
    changes = changes_since(claim)
    if not changes:
        return None
    if claim.status == ClaimStatus.APPROVED:
        outcome = work_out(by=by, changes=changes, claims=[claim])
        transaction.on_commit(functools.partial(_mail_outcome, outcome))
        return outcome
    values = read_values(lines_in_scope(changes, [claim], EDITABLE))
    rework_unclaimed(values, engine_for(values), by=by)
    return None


def _mail_outcome(outcome):
    """Each network's managers told of the arrears claims written for it."""
    by_pcn = defaultdict(list)
    for claim, (lines, amount) in outcome.claims.items():
        by_pcn[claim.pcn].append((claim, lines, amount))
    for pcn, claims in by_pcn.items():
        mail.arrears_claimable(pcn, claims)
