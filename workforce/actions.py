"""Writes to the ARRS register: staff and posts, allocations, and monthly claims.

A claim moves draft → submitted → approved or rejected; a rejected claim is corrected and
submitted again. Every move is recorded as a ClaimStatusChange (who, when, what), and
e-mailed once the transaction commits: a submission to the approvers of the commissioner
areas over the network, a decision to the network's managers.
"""

import contextlib
import functools
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from networks.scopes import check_can_approve_claims, check_can_edit_pcn
from pcn_portal.core.dates import (
    ONE_DAY,
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
    month_bounds,
    today,
)
from pcn_portal.core.versions import actor, latest_change, version_of
from pcn_portal.core.writing import (
    apply_changes,
    delete_checked,
    one_at_a_time,
    save_checked,
    validated_save,
    writing,
)
from practices import actions as practice_actions
from workforce import arrears, budget, calculations, mail, rules, tasks
from workforce.models import (
    TERM_FIELDS,
    AllocationRate,
    ARRSAllocation,
    ARRSRole,
    Claim,
    ClaimLine,
    ClaimStatus,
    ClaimStatusChange,
    LondonZone,
    MaximumAmount,
    Post,
    PostTerms,
    RingFencedSum,
    RoleCap,
    StaffMember,
    kept_totals,
)

# What an edit of a post may change (the person's details are on the StaffMember).
POST_FIELDS = (
    "role",
    "employer_type",
    "employer_practice",
    "employer_name",
    "start_date",
    "end_date",
    "weekly_hours",
    "afc_band",
    "annual_salary",
    "annual_employer_ni",
    "annual_employer_pension",
    "london_zone",
    "arrs_funded",
    # Who the role may fund (workforce.rules.check_eligibility).
    "cct_date",
    "locum",
    "gp_before_scheme",
    "employed_here_in_previous_year",
    "more_senior_nursing_role",
)
PERSON_FIELDS = ("full_name", "professional_registration")


def add_post(
    *,
    pcn,
    by,
    full_name,
    role,
    employer_type,
    start_date,
    weekly_hours,
    annual_salary,
    professional_registration="",
    employer_practice=None,
    employer_name="",
    end_date=None,
    afc_band="",
    annual_employer_ni=0,
    annual_employer_pension=0,
    london_zone=LondonZone.NATIONAL,
    arrs_funded=True,
    cct_date=None,
    locum=None,
    gp_before_scheme=None,
    employed_here_in_previous_year=None,
    more_senior_nursing_role=None,
):
    """Register a person in a post at a network. The post is checked against the ARRS
    rules (workforce.rules); the warnings are on the returned post's `warnings`."""
    with writing(by):
        person = validated_save(
            StaffMember(
                pcn=pcn, full_name=full_name, professional_registration=professional_registration
            )
        )
        return _save_post(
            Post(
                pcn=pcn,
                staff_member=person,
                role=role,
                employer_type=employer_type,
                employer_practice=employer_practice,
                employer_name=employer_name,
                start_date=start_date,
                end_date=end_date,
                weekly_hours=weekly_hours,
                afc_band=afc_band,
                annual_salary=annual_salary,
                annual_employer_ni=annual_employer_ni,
                annual_employer_pension=annual_employer_pension,
                london_zone=london_zone,
                arrs_funded=arrs_funded,
                cct_date=cct_date,
                locum=locum,
                gp_before_scheme=gp_before_scheme,
                employed_here_in_previous_year=employed_here_in_previous_year,
                more_senior_nursing_role=more_senior_nursing_role,
            ),
            by=by,
        )


def _save_post(post, before=None, touched=None, *, by):
    """Save a checked post; `before` is its (first day, last day) as stored, if it was.
    `by` is who saves it (workforce.rules.check_post tells them only of posts in networks
    they may see).
    The network's forecasts are worked out again for the years of both spans, or only of
    the `touched` spans when the change is to days held alone."""
    post.full_clean()
    warnings = rules.check_post(post, by)
    post.save()
    post.warnings = warnings
    spans = touched or [_span(post), before or (None, None)]
    budget.record_forecasts_for_posts(post.pcn, *spans)
    return post


def _span(post):
    return (post.start_date, post.end_date)


def change_post(*, post, by, changes, terms_from=None):
    """Change a post (and its holder's name or registration): `changes` maps field names
    of POST_FIELDS and PERSON_FIELDS to new values; anything else is refused.

    Its terms (TERM_FIELDS: hours, band, pay, zone, ARRS funding) change from a day,
    `terms_from`: earlier days keep the terms they had (DESIGN.md: a post's terms are
    effective-dated). Without a day, or from the post's first day, they are corrected from
    its start. A changed term holds from that day until the next change of that term (a pay
    rise already recorded from next April keeps the hours changed now). A change that
    contradicts a submitted or approved claim is refused (workforce.rules.check_post)."""
    person_changes = {k: v for k, v in changes.items() if k in PERSON_FIELDS}
    term_changes = {k: v for k, v in changes.items() if k in TERM_FIELDS}
    post_changes = {
        k: v for k, v in changes.items() if k not in PERSON_FIELDS and k not in TERM_FIELDS
    }
    with writing(by):
        one_at_a_time("post", post.pk)
        before = _span(post)
        apply_changes(post, post_changes, POST_FIELDS)
        rows = [_terms_like(row, row.first_day, pk=row.pk) for row in post.terms_rows()]
        first_day = post.start_date if terms_from is None else terms_from
        touched, dropped = None, []
        if term_changes:
            _check_terms_day(post, first_day)
            rows, dropped = _terms_with_change(post, rows, first_day, term_changes)
            touched = [before, _span(post), (max(first_day, post.start_date), post.end_date)]
        post.known_terms = rows
        try:
            if person_changes:
                apply_changes(post.staff_member, person_changes, PERSON_FIELDS)
                validated_save(post.staff_member)
            saved = _save_post(post, before, touched, by=by)
            _save_terms(post, rows, dropped)
        finally:
            # Refused or saved, the post reads its stored terms again.
            del post.known_terms
            getattr(post, "_prefetched_objects_cache", {}).pop("later_terms", None)
        return saved


def _terms_like(terms, first_day, pk=None):
    """A change of terms from `first_day` holding the terms of `terms` (a post or a change
    of its terms): a copy to change before the checks pass."""
    copied = PostTerms(pk=pk, post_id=terms.post_id if pk else None, first_day=first_day)
    for name in TERM_FIELDS:
        setattr(copied, name, getattr(terms, name))
    return copied


def _check_terms_day(post, first_day):
    if post.end_date is not None and first_day > post.end_date:
        raise ValidationError(
            {
                "terms_from": f"The post's last day is {rules.day_text(post.end_date)}: "
                "new terms must apply from a day in post."
            }
        )


def _terms_with_change(post, rows, first_day, new_terms):
    """The post's later terms once `new_terms` apply from `first_day`, and the stored ones
    that are no longer needed: on or before its first day they are its own terms;
    otherwise a change of terms from that day (an existing one changed). Each changed term
    carries on into later changes that kept it, up to the first that changed it. A change
    left the same as the terms before it is dropped."""
    periods = [post, *rows]
    start = 0
    if first_day > post.start_date:
        start = sum(1 for row in rows if row.first_day <= first_day)
        if periods[start] is post or periods[start].first_day != first_day:
            periods.insert(start + 1, _terms_like(periods[start], first_day))
            start += 1
    for name, value in new_terms.items():
        was = getattr(periods[start], name)
        setattr(periods[start], name, value)
        for later in periods[start + 1 :]:
            if getattr(later, name) != was:
                break
            setattr(later, name, value)
    kept, dropped = [post], []
    for row in periods[1:]:
        if any(getattr(row, n) != getattr(kept[-1], n) for n in TERM_FIELDS):
            kept.append(row)
        elif row.pk:
            dropped.append(row)
    return kept[1:], dropped


def _save_terms(post, rows, dropped):
    """Store the post's later terms as checked: changed and new rows saved, dropped ones
    deleted."""
    PostTerms.objects.filter(pk__in=[row.pk for row in dropped]).delete()
    for row in rows:
        row.post = post
        row.full_clean(exclude=["post"], validate_unique=False)
        row.save()


def end_post(*, post, by, end_date):
    """Record that a post ended: end_date is its last day."""
    with writing(by):
        if end_date < post.start_date:
            raise ValidationError(
                {"end_date": "The last day in post cannot be before the post started."}
            )
        # Only the days between the old last day and the new one change what is expected.
        old = post.end_date
        if old is None or old > end_date:
            touched = (end_date + ONE_DAY, old)
        else:
            touched = (old + ONE_DAY, end_date)
        post.end_date = end_date
        return _save_post(post, touched=[touched], by=by)


def set_allocation(*, pcn, by=None, process=None, financial_year):
    """Record a network's ARRS sum for a year: the figure its budget page shows
    (workforce.budget.allocation_for: the commissioner's weighted population at 1 January
    when one was entered, otherwise its members', × the year's rate). Approvals are checked
    against this recorded sum (check_ceiling)."""
    figure = budget.allocation_for(pcn, financial_year)
    label = financial_year_label(financial_year)
    if figure.rate is None:
        raise ValidationError(
            f"No ARRS rate per weighted patient is recorded for {label}; "
            "a national admin can add it under ARRS allocation rates."
        )
    if figure.weighted_population is None:
        raise ValidationError(
            f"No weighted population is recorded for the members of {pcn.code} on or before "
            f"{figure.population_date:%d %B %Y}."
        )
    with writing(by, process):
        allocation, _ = ARRSAllocation.objects.get_or_create(
            pcn=pcn,
            financial_year=financial_year,
            defaults={
                "weighted_population": 0,
                "population_date": figure.population_date,
                "rate": 0,
                "amount": 0,
            },
        )
        allocation.weighted_population = figure.weighted_population
        allocation.population_date = figure.population_date
        allocation.rate = figure.rate
        allocation.amount = figure.amount
        return validated_save(allocation)


def _record_allocation_if_known(pcn, financial_year, by):
    """Record the year's ARRS sum again from the figures now in force; with no rate or
    population for the year there is no sum to record (the budget page says so)."""
    with contextlib.suppress(ValidationError):
        set_allocation(pcn=pcn, by=by, financial_year=financial_year)


def enter_weighted_population(*, pcn, by, financial_year, weighted_patients, source):
    """A commissioner's weighted population for a network at 1 January before a year
    (practices.actions.set_network_weighted_population), and the year's ARRS sum recorded
    again from it, so approvals are checked against what the budget page shows."""
    with writing(by):
        entry = practice_actions.set_network_weighted_population(
            pcn=pcn,
            by=by,
            financial_year=financial_year,
            weighted_patients=weighted_patients,
            source=source,
        )
        _record_allocation_if_known(pcn, financial_year, by)
        return entry


def remove_weighted_population(*, entry, by):
    """Remove a commissioner's figure: the members' figures apply again, and the year's
    ARRS sum is recorded again from them."""
    with writing(by):
        practice_actions.clear_network_weighted_population(entry=entry, by=by)
        _record_allocation_if_known(entry.pcn, entry.financial_year, by)


def line_for(
    claim,
    post,
    *,
    salary,
    employer_ni=0,
    employer_pension=0,
    weekly_hours=None,
    rows=None,
    rules=None,
):
    """A claim line with its maximum and reimbursable amounts worked out by the ARRS engine
    (workforce.calculations: the maximum from the rows for the post's band and days, the
    role's share of costs, the lesser of the two). `rows` (the role's maximum amounts, read
    for the month or longer) and `rules` (calculations.share_rules) may be passed in when
    making many lines."""
    first, last = month_bounds(claim.month)
    pieces = calculations.terms_pieces(post, first, last, funded_only=True)
    if weekly_hours is not None:
        hours = weekly_hours
    elif pieces:
        hours = calculations.contracted_hours(pieces)
    else:
        hours = post.weekly_hours
    maximum = calculations.monthly_maximum(post, claim.month, rows, weekly_hours=hours)
    share = calculations.reimbursement_share(post.role, claim.month, rules)
    cost = salary + employer_ni + employer_pension
    amount = calculations.reimbursable(cost, maximum.amount, share)
    return ClaimLine(
        claim=claim,
        post=post,
        salary=salary,
        employer_ni=employer_ni,
        employer_pension=employer_pension,
        weekly_hours=hours,
        maximum_amount=maximum.amount,
        reimbursable_amount=amount if amount is not None else 0,
        held_reason=maximum.reason if maximum.amount is None else "",
    )


def line_again(claim, line):
    """A line's costs and hours worked out afresh as a line of `claim`: its maximum as now
    known, the amount claimed, why it is held if it still is."""
    return line_for(
        claim,
        line.post,
        salary=line.salary,
        employer_ni=line.employer_ni,
        employer_pension=line.employer_pension,
        weekly_hours=line.weekly_hours,
    )


def posts_without_lines(claim):
    """ARRS posts in place in the claim's month that have no line in it (added to the
    register after the claim was started); an adjustment of a post's earlier line is not
    its line for this month. A supplementary claim has only the lines it claims for the
    month's held lines, so none."""
    first, last = month_bounds(claim.month)
    if claim.is_supplementary:
        return claim.pcn.posts.none()
    lined = claim.lines.filter(corrects__isnull=True).values("post_id")
    return (
        claim.pcn.posts.arrs()
        .overlapping(first, last)
        .exclude(pk__in=lined)
        .select_related("role", "staff_member")
    )


def funded_in(posts, first, last):
    """The posts (a queryset of posts in place over the days) whose terms are ARRS-funded
    on some day from `first` to `last`, with their terms read once."""
    return [
        post
        for post in posts.with_terms()
        if calculations.terms_pieces(post, first, last, funded_only=True)
    ]


# --- adjustments: a mistake in an approved claim put right in a later one ---------------

# What a manager gives for an adjustment: the approved line it corrects, the signed amount
# and why. Its claim is the later one it is added to; its post is the corrected line's.
ADJUSTMENT_FIELDS = ("corrects", "amount", "reason")


def adjustable_lines(claim):
    """The lines an adjustment in `claim` may correct: the network's lines of approved
    claims for earlier months (not adjustments themselves), newest month first."""
    return (
        ClaimLine.objects.filter(
            claim__pcn=claim.pcn,
            claim__status=ClaimStatus.APPROVED,
            claim__month__lt=claim.month,
            corrects__isnull=True,
        )
        .select_related("claim__pcn", "post__staff_member", "post__role")
        .order_by("-claim__month", "post__staff_member__full_name", "pk")
    )


def corrected_total(line, leaving_out=None):
    """What the approved `line` comes to with every adjustment of it so far (in any claim,
    approved or not yet): the figure an adjustment must keep within 0 and its maximum."""
    corrections = line.corrections.exclude(pk=getattr(leaving_out, "pk", None))
    total = corrections.aggregate(total=Sum("reimbursable_amount"))["total"] or 0
    return line.reimbursable_amount + total


def check_adjustment(claim, corrects, amount):
    """Refuse an adjustment that is not of an approved earlier line of the claim's network,
    or that would take that line's total with its corrections below £0 or above its
    maximum."""
    if corrects is None or not adjustable_lines(claim).filter(pk=corrects.pk).exists():
        raise ValidationError(
            {"corrects": "Choose a line of an approved claim of this network for an earlier "
             "month: only an approved line is put right by an adjustment."}
        )  # fmt: skip
    if amount == 0:
        raise ValidationError({"amount": "Enter the amount to add or take away: not £0."})
    before = corrected_total(corrects)
    after = before + amount
    who = f"{corrects.post.staff_member} in {corrects.claim.month:%B %Y}"
    if after < 0:
        raise ValidationError(
            {"amount": f"The line for {who} comes to £{before:,.2f} with its corrections so "
             f"far: taking away £{-amount:,.2f} would leave less than nothing."}
        )  # fmt: skip
    maximum = arrears.maximum_now(corrects)
    if maximum is not None and after > maximum:
        raise ValidationError(
            {"amount": f"The line for {who} comes to £{before:,.2f} with its corrections so "
             f"far: adding £{amount:,.2f} would take it to £{after:,.2f}, above its maximum "
             f"of £{maximum:,.2f}."}
        )  # fmt: skip


def signed_pounds(amount):
    """-16.66 → "−£16.66": an amount taken away reads as such in messages and history."""
    return f"−£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


def add_adjustment(*, claim, by, corrects, amount, reason):
    """An adjustment line in a draft (or rejected) claim putting right an approved line of
    an earlier month: the signed `amount` is what it adds to (or takes from) what was
    reimbursed, counted in this claim's month; it is approved with the claim."""
    with writing(by):
        claim = _locked(claim)
        check_can_edit_pcn(by, claim.pcn)
        _check_editable(claim)
        if not (reason or "").strip():
            raise ValidationError({"reason": "Say why the approved line is corrected."})
        if corrects is not None:
            corrects = ClaimLine.objects.select_for_update().get(pk=corrects.pk)
        check_adjustment(claim, corrects, amount)
        if claim.lines.filter(corrects=corrects).exists():
            raise ValidationError(
                {"corrects": "This claim already corrects that line: one adjustment of a "
                 "line per claim."}
            )  # fmt: skip
        line = validated_save(
            ClaimLine(
                claim=claim,
                post=corrects.post,
                corrects=corrects,
                reason=reason.strip(),
                salary=0,
                weekly_hours=0,
                # Not a month's maximum of its own (nor held: it is known); the corrected
                # line's maximum bounds it (check_adjustment).
                maximum_amount=0,
                reimbursable_amount=amount,
            )
        )
        _record(
            claim,
            claim.status,
            by,
            f"Added an adjustment of {signed_pounds(amount)} to the line for "
            f"{corrects.post.staff_member} in {corrects.claim.month:%B %Y}: {line.reason}",
        )
        budget.record_forecast(claim.pcn, financial_year_of(claim.month))
        return line


def add_missing_lines(*, claim, by):
    """Add a line, prefilled as a new claim's are, for each post in place that month that
    has none yet. Only while the network may still change the claim."""
    with writing(by):
        claim = _locked(claim)
        check_can_edit_pcn(by, claim.pcn)
        _check_editable(claim)
        first, last = month_bounds(claim.month)
        missing = funded_in(posts_without_lines(claim), first, last)
        lines = [_prefilled_line(claim, post) for post in missing]
        ClaimLine.objects.bulk_create(lines)
        if lines:
            _record(claim, claim.status, by, f"Added {len(lines)} line(s) for posts added since.")
        return lines


def _prefilled_line(claim, post, rows=None, rules=None):
    costs = calculations.monthly_costs(post, claim.month)
    return line_for(
        claim, post, salary=costs.salary, employer_ni=costs.employer_ni,
        employer_pension=costs.employer_pension, rows=rows, rules=rules,
    )  # fmt: skip


def start_claim(*, pcn, by, month):
    """A draft claim for a month with a line for every ARRS post in place that month, its
    costs estimated pro rata from the post's salary, NI and pension (the manager corrects
    them to what was paid)."""
    first, last = month_bounds(month)
    _check_month_ended(first)
    with writing(by):
        one_at_a_time("claim", pcn.pk, first)  # two people starting it at once: one claim
        if pcn.claims.filter(month=first).exists():
            raise ValidationError(
                f"{pcn.display_name} already has a claim for {first:%B %Y}: open it instead.",
                code="claim_exists",
            )
        claim = validated_save(Claim(pcn=pcn, month=first))
        posts = funded_in(
            pcn.posts.arrs().overlapping(first, last).select_related("role"), first, last
        )
        rules_ = calculations.share_rules()
        rows = calculations.maximum_rows_by_role(first, last, {post.role_id for post in posts})
        lines = [_prefilled_line(claim, post, rows.get(post.role_id, []), rules_) for post in posts]
        # Worked out here from validated posts; the database still checks every rule.
        ClaimLine.objects.bulk_create(lines)
        _record(claim, ClaimStatus.DRAFT, by, f"Started with {len(lines)} line(s).")
        return claim


def claimable_from(month):
    """The first day a month can be claimed: the day after its last day. ARRS is claimed
    monthly in arrears, for what was paid in a month once all its days were worked."""
    return month_bounds(month)[1] + ONE_DAY


def _check_month_ended(month):
    day = claimable_from(month)
    if day > today():
        raise ValidationError(
            {
                "month": f"{month:%B %Y} can be claimed from {day.day} {day:%B %Y}, the day "
                "after its last day: a month is claimed once all its days have been worked."
            }
        )


def _record(claim, status, by, note=""):
    return ClaimStatusChange.objects.create(
        claim=claim, status=status, by=by, at=timezone.now(), note=note
    )


def _locked(claim):
    """The claim as it is now, its row locked until the transaction ends."""
    return Claim.objects.select_for_update().select_related("pcn").get(pk=claim.pk)


def _check_status(claim, *allowed):
    if claim.status not in allowed:
        raise ValidationError(
            f"The claim for {claim.month:%B %Y} is {claim.get_status_display().lower()}; "
            f"it must be {' or '.join(ClaimStatus(s).label.lower() for s in allowed)}."
        )


def not_editable_message(claim):
    """Why no one may change a claim's lines now, in the network's and admin's words."""
    status = claim.get_status_display().lower()
    message = (
        f"The claim of {claim.pcn.display_name} for {claim.month:%B %Y} is {status}, so its "
        "lines can no longer be added, changed or removed."
    )
    if claim.sealed:
        message += (
            " A submitted or approved claim is kept as it is for audit: put a mistake right "
            "with an adjustment line in a later claim."
        )
    return message


def _check_editable(claim):
    if not claim.editable:
        raise ValidationError(not_editable_message(claim))


# What a manager may change on a claim line: what was actually paid and the hours worked.
# Its maximum and the amount claimed are worked out from them (line_for), never entered.
LINE_FIELDS = ("salary", "employer_ni", "employer_pension", "weekly_hours")


def change_line(*, line, by, changes):
    """A manager's figures for a line: `changes` maps fields of LINE_FIELDS to new values
    (anything else is refused). Its maximum (on the hours) and the amount claimed are
    worked out again."""
    with writing(by):
        claim = _locked(line.claim)
        check_can_edit_pcn(by, claim.pcn)
        _check_editable(claim)
        if line.is_adjustment:
            raise ValidationError("An adjustment has no costs or hours to change.")
        apply_changes(line, changes, LINE_FIELDS)
        worked = line_again(claim, line)
        if worked.maximum_amount is not None and line.maximum_amount is None:
            _check_not_claimed_elsewhere(claim, line.post)
        line.weekly_hours = worked.weekly_hours
        line.maximum_amount = worked.maximum_amount
        line.reimbursable_amount = worked.reimbursable_amount
        line.held_reason = worked.held_reason
        return validated_save(line)


def held_lines(claim):
    """The claim's held lines, each with why it is held: {line: reason}. A line is held when
    no source gives its maximum amount (maximum_amount is blank); it claims £0, and when
    the claim is submitted it moves to a supplementary claim for the month, to be claimed
    there once the figure is known."""
    held = {}
    lines = claim.lines.filter(maximum_amount__isnull=True)
    for line in lines.select_related("post__role", "post__staff_member"):
        reason = (
            line.held_reason
            or calculations.monthly_maximum(line.post, claim.month, None, line.weekly_hours).reason
        )
        held[line] = f"{line.post.staff_member}: {reason}"
    return held


def nothing_to_claim(claim):
    """Why a claim whose every line is held cannot be submitted, in the manager's words."""
    year = financial_year_label(financial_year_of(claim.month))
    if not calculations.maxima_published(financial_year_of(claim.month)):
        return (
            f"Nothing can be claimed for {claim.month:%B %Y} until NHS England publishes the "
            f"{year} maximum amounts: every line is held until then."
        )
    return (
        f"Every line of the {_of(claim)} is held, as no maximum amount is known for any of "
        "them, so there is nothing to claim yet."
    )


def submit_claim(*, claim, by, declaration):
    """Submit a draft (or corrected rejected) claim to the commissioner. The manager must
    tick the declaration. Held lines (no known maximum) are never submitted: they move to a
    draft supplementary claim for the month (hold_lines_out) and the rest is submitted; a
    claim whose every line is held is refused and stays a draft."""
    with writing(by):
        claim = _locked(claim)
        check_can_edit_pcn(by, claim.pcn)
        _check_status(claim, ClaimStatus.DRAFT, ClaimStatus.REJECTED)
        if not declaration:
            raise ValidationError({"declaration": "Tick the declaration to submit the claim."})
        if not claim.lines.exists():
            raise ValidationError("A claim needs at least one line before it is submitted.")
        if not claim.lines.filter(maximum_amount__isnull=False).exists():
            reasons = [nothing_to_claim(claim), *held_lines(claim).values()]
            raise ValidationError([ValidationError(r, code="all_held") for r in reasons])
        later, held = hold_lines_out(claim, by)
        keep_totals(claim)
        claim.status = ClaimStatus.SUBMITTED
        claim.submitted_by = by
        claim.submitted_at = timezone.now()
        claim.decided_by = None
        claim.decided_at = None
        validated_save(claim)
        _record(claim, ClaimStatus.SUBMITTED, by, "Declaration made." + _held_note(held, later))
        budget.record_forecast(claim.pcn, financial_year_of(claim.month))
        transaction.on_commit(lambda: mail.claim_submitted(claim))
        return claim


def keep_totals(claim):
    """Keep on the claim what it asks for as it is submitted (workforce.models.kept_totals),
    once its held lines are out: its lines never change after, so an area's figures as of
    any date sum the claims themselves, not their lines."""
    totals = kept_totals()
    claim.claimed_total, claim.gp_total = (
        Claim.objects.filter(pk=claim.pk)
        .values_list(totals["claimed_total"], totals["gp_total"])
        .get()
    )


def hold_lines_out(claim, by):
    """Move the claim's held lines (no maximum known) to a draft supplementary claim for its
    month, before the claim is submitted: the month's open supplementary claim numbered
    after it if there is one, else a new one. Each line keeps its costs, hours and reason,
    and names the claim it was held out of (held_from: the first, if it moves again).
    Returns (the supplementary claim, the number of lines moved), or (None, 0)."""
    held = list(claim.lines.filter(maximum_amount__isnull=True, corrects__isnull=True))
    if not held:
        return None, 0
    later = (
        claim.pcn.claims.select_for_update()
        .filter(month=claim.month, supplement__gt=claim.supplement)
        .filter(status=ClaimStatus.DRAFT)
        .order_by("supplement")
        .first()
    )
    if later is None:
        last = claim.pcn.claims.filter(month=claim.month).aggregate(n=Max("supplement"))["n"]
        later = validated_save(Claim(pcn=claim.pcn, month=claim.month, supplement=last + 1))
    for line in held:
        line.held_from_id = line.held_from_id or claim.pk
        line.claim = later
    ClaimLine.objects.bulk_update(held, ["claim", "held_from"])
    _record(
        later,
        ClaimStatus.DRAFT,
        by,
        f"{_lines(len(held))} held out of the {_of(claim)} at its submission: no maximum "
        "amount is known for them yet.",
    )
    return later, len(held)


def _of(claim):
    """ "claim for June 2025" or "supplementary claim for June 2025 (1)", mid-sentence."""
    return f"{claim.title[0].lower()}{claim.title[1:]}"


def _lines(count):
    return f"{count} line" if count == 1 else f"{count} lines"


def _held_note(count, later):
    if not count:
        return ""
    verb = "was" if count == 1 else "were"
    return (
        f" {_lines(count)} without a known maximum amount {verb} held out of it, to the "
        f"{_of(later)}, to be claimed once the figure is published."
    )


def claim_total(claim):
    """What the claim asks for: its lines with a known maximum (a held line counts £0 and is
    never counted by an approval)."""
    lines = claim.lines.filter(maximum_amount__isnull=False)
    return lines.aggregate(total=Sum("reimbursable_amount"))["total"] or Decimal("0.00")


def _check_not_claimed_elsewhere(claim, post):
    """A post is claimed once a month: refuse a line that would count where another claim
    of the month already counts the post's line (the database refuses it too)."""
    other = (
        ClaimLine.objects.filter(
            post=post, claim__pcn=claim.pcn, claim__month=claim.month, maximum_amount__isnull=False
        )
        .exclude(claim=claim)
        .select_related("claim")
        .first()
    )
    if other is not None:
        raise ValidationError(
            f"{post.staff_member} is already claimed for {claim.month:%B %Y} in the "
            f"{_of(other.claim)}: a post is claimed once a month."
        )


def known_now(claim):
    """The claim's held lines whose maximum amount is known now: {line: the line worked out
    again}, for a draft whose lines were held when it was started or held out of an earlier
    claim, once a national admin has entered the figure. The rate rows and share rules are
    read once for the claim."""
    held = list(
        claim.lines.filter(maximum_amount__isnull=True, corrects__isnull=True).select_related(
            "post__role"
        )
    )
    if not held:
        return {}
    first, last = month_bounds(claim.month)
    rows = calculations.maximum_rows_by_role(first, last, {line.post.role_id for line in held})
    rules = calculations.share_rules()
    ready = {}
    for line in held:
        worked = line_for(
            claim, line.post, salary=line.salary, employer_ni=line.employer_ni,
            employer_pension=line.employer_pension, weekly_hours=line.weekly_hours,
            rows=rows.get(line.post.role_id, []), rules=rules,
        )  # fmt: skip
        if worked.maximum_amount is not None:
            ready[line] = worked
    return ready


def _claim_ready(claim, ready, by, why):
    """Claim the held lines `ready` ({line: worked out again}) with their maximum now known."""
    for line, worked in ready.items():
        _check_not_claimed_elsewhere(claim, line.post)
        line.weekly_hours = worked.weekly_hours
        line.maximum_amount = worked.maximum_amount
        line.reimbursable_amount = worked.reimbursable_amount
        line.held_reason = ""
        validated_save(line)
    _record(claim, claim.status, by, f"{_lines(len(ready))} worked out again {why}.")


def work_out_held_lines(*, claim, by):
    """Work the claim's held lines out again with the maximum amounts known now, so that
    those with a figure are claimed with the claim; the others stay held, with their reason.
    Returns the lines now claimed."""
    with writing(by):
        claim = _locked(claim)
        check_can_edit_pcn(by, claim.pcn)
        _check_editable(claim)
        ready = known_now(claim)
        if not ready:
            reasons = "; ".join(dict.fromkeys(held_lines(claim).values()))
            raise ValidationError(
                f"No maximum amount is known yet for the held lines of the {_of(claim)}, so "
                f"they cannot be claimed yet. {reasons}",
                code="still_held",
            )
        _claim_ready(claim, ready, by, "with the maximum amounts now known, and claimed with it")
        budget.record_forecast(claim.pcn, financial_year_of(claim.month))
        return list(ready)


def claim_held_lines_now_known(*, by):
    """After a national admin (`by`) enters maximum amounts: in every claim a network may
    still change (the drafts its held lines were moved to, and drafts started while no
    figure was known), the held lines whose maximum is now known are worked out again and
    claimed with it, each claim in its own transaction; each network's managers are
    e-mailed which claims are ready to check and submit. Returns {network: [(claim, number
    of lines)]}."""
    waiting = (
        Claim.objects.filter(status__in=(ClaimStatus.DRAFT, ClaimStatus.REJECTED))
        .filter(lines__maximum_amount__isnull=True, lines__corrects__isnull=True)
        .distinct()
        .order_by("pcn", "month", "supplement")
    )
    ready_by_pcn = defaultdict(list)
    for claim in waiting:
        with writing(by):
            claim = _locked(claim)
            if not claim.editable:
                continue  # submitted meanwhile
            ready = known_now(claim)
            if ready:
                _claim_ready(claim, ready, by, "when the maximum amounts were published")
                ready_by_pcn[claim.pcn].append((claim, len(ready)))
    for pcn, claims in ready_by_pcn.items():
        # Each network's forecast once for each year its claims touched, not once a claim.
        for year in sorted({financial_year_of(claim.month) for claim, _ in claims}):
            with writing(by):
                budget.record_forecast(pcn, year)
        transaction.on_commit(functools.partial(mail.held_lines_claimable, pcn, claims))
    return dict(ready_by_pcn)


def check_ceiling(claim):
    """Refuse an approval that would take the year's approved total on any of the
    network's sums past that sum (DOMAIN.md A.3 rule 2: a claim can never exceed the PCN's
    ARRS sum), each sum by its own rule (workforce.budget.sums_for_lines): in 2024/25 GP
    lines draw on the ring-fenced GP sum alone and every other line on the main sum, so a
    GP line neither uses the main sum nor slips past its own (§3.3 "GP ARRS 2024/25"). The
    allocation row is locked, so two approvals for one network cannot both slip under."""
    year = financial_year_of(claim.month)
    label = financial_year_label(year)
    allocation = (
        ARRSAllocation.objects.select_for_update()
        .filter(pcn=claim.pcn, financial_year=year)
        .first()
    )
    if allocation is None:
        raise ValidationError(
            f"No ARRS allocation is recorded for {claim.pcn.display_name} for {label}, so "
            "the claim cannot be checked against it: record the allocation first."
        )
    first, last = financial_year_bounds(year)
    by_claim_and_role = list(
        ClaimLine.objects.filter(
            claim__pcn=claim.pcn, claim__month__gte=first, claim__month__lte=last
        )
        .filter(Q(claim__status=ClaimStatus.APPROVED) | Q(claim=claim))
        .values("claim_id", role=F("post__role_id"))
        .annotate(total=Sum("reimbursable_amount"))
        .order_by()
    )
    ring_fenced = RingFencedSum.objects.filter(financial_year=year).select_related("role").first()
    for each in budget.sums_for_lines(allocation, ring_fenced):
        approved = this = Decimal("0.00")
        for row in by_claim_and_role:
            if each.draws(row["role"]):
                if row["claim_id"] == claim.pk:
                    this += row["total"] or 0
                else:
                    approved += row["total"] or 0
        if this and approved + this > each.amount:
            raise ValidationError(_past_sum_message(claim, each, label, approved, this))


def _past_sum_message(claim, each, label, approved, this):
    after = approved + this
    message = (
        f"Approving {claim.pcn.display_name}'s claim for {claim.month:%B %Y} would take what "
        f"is approved on its {each.name} for {label} from £{approved:,.2f} to "
        f"£{after:,.2f} (this claim's lines on it: £{this:,.2f}), past the network's "
        f"{each.name} of £{each.amount:,.2f} by £{after - each.amount:,.2f}. A claim can "
        "never exceed the network's ARRS sum"
    )
    if each.rule:
        message += f"; {each.rule}"
    return message + "."


def decide_claim(*, claim, by, approve, note="", version=None):
    """An approver's decision; a rejection must say why. Only approvers of a commissioner
    area over the network (or national admins) decide. `version` is the claim's version
    when the approver opened it: if someone decided (or the network changed it) since,
    the decision is refused, saying who did what."""
    check_can_approve_claims(by, claim.pcn)
    with writing(by):
        claim = _locked(claim)
        if claim.status != ClaimStatus.SUBMITTED or (
            version is not None and version != version_of(claim)
        ):
            raise ValidationError(_changed_meanwhile(claim))
        if not approve and not note.strip():
            raise ValidationError({"decision_note": "Say why the claim is rejected."})
        if approve:
            check_ceiling(claim)
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.decided_by = by
        claim.decided_at = timezone.now()
        claim.decision_note = note.strip()
        validated_save(claim)
        _record(claim, claim.status, by, claim.decision_note)
        # Submitted before a backdated change of maximum amounts: worked out with it now.
        arrears.after_decision(claim, by=by)
        # Approved moves the claim's amount from submitted to approved; rejected makes
        # its month count as not claimed again.
        budget.record_forecast(claim.pcn, financial_year_of(claim.month))
        transaction.on_commit(lambda: mail.claim_decided(claim))
        return claim


def _changed_meanwhile(claim):
    change = latest_change(claim)
    who = actor(change.pgh_context.metadata if change and change.pgh_context else {})
    when = timezone.localtime(change.pgh_created_at) if change else None
    status = claim.get_status_display().lower()
    at = f" on {when:%d %B %Y at %H:%M}" if when else ""
    if claim.status == ClaimStatus.SUBMITTED:
        return (
            f"The claim for {claim.month:%B %Y} was changed by {who}{at} after you opened it, "
            "so your decision was not recorded. Look at it again, then decide."
        )
    return (
        f"The claim for {claim.month:%B %Y} is already {status}: {who} decided it{at}, after "
        "you opened it, so your decision was not recorded."
    )


# What a national admin may change in Django admin, by kind of record. Reference figures
# (roles, maximum amounts, caps, allocation rates, ring-fenced sums) are corrected in place
# with their source; a claim's status and who decided it change only through submit_claim
# and decide_claim, and a line's amounts are worked out from its post and costs
# (workforce.forms).
REFERENCE_FIELDS = ["sources", "section", "notes"]
ADMIN_FIELDS = {
    ARRSRole: [
        *REFERENCE_FIELDS, "code", "name", "reimbursable_from", "reimbursable_until",
        "afc_bands",
    ],
    MaximumAmount: [
        *REFERENCE_FIELDS, "role", "afc_band", "period_start", "period_end", "national",
        "outer_london", "inner_london", "unknown",
    ],
    RoleCap: [
        *REFERENCE_FIELDS, "role", "valid_from", "valid_until", "kind", "max_count",
        "population_threshold", "max_count_above_threshold", "share", "rule", "refuses",
    ],
    AllocationRate: [
        *REFERENCE_FIELDS, "financial_year", "pounds_per_weighted_patient",
        "population_basis", "national_total",
    ],
    RingFencedSum: [
        *REFERENCE_FIELDS, "financial_year", "role", "pounds_per_weighted_patient",
        "first_day", "last_day",
    ],
    StaffMember: ["pcn", "full_name", "professional_registration"],
    Post: [
        "pcn", "staff_member", "role", "employer_type", "employer_practice", "employer_name",
        "start_date", "end_date", "weekly_hours", "afc_band", "annual_salary",
        "annual_employer_ni", "annual_employer_pension", "london_zone", "arrs_funded",
        "cct_date", "locum", "gp_before_scheme", "employed_here_in_previous_year",
        "more_senior_nursing_role",
    ],
    ARRSAllocation: [
        "pcn", "financial_year", "weighted_population", "population_date", "rate", "amount",
    ],
    Claim: ["pcn", "month"],
    ClaimLine: [
        "claim", "post", "salary", "employer_ni", "employer_pension", "weekly_hours",
        "maximum_amount", "reimbursable_amount", "held_reason",
    ],
}  # fmt: skip
ADMIN_DELETABLE = (StaffMember, Post, ARRSAllocation, Claim, ClaimLine)


def correct_record(*, record, by):
    """A national admin's new or corrected record, from Django admin: only the fields
    ADMIN_FIELDS lists for its kind may differ from the stored row."""
    with transaction.atomic():
        stored = _stored(record)
        saved = save_checked(record, by=by, allowed=ADMIN_FIELDS[type(record)])
        _keep_forecasts(record, stored)
        if isinstance(record, MaximumAmount):
            # A figure entered may let held lines be claimed, and one changed over months
            # already claimed makes arrears owed.
            transaction.on_commit(functools.partial(tasks.claim_held_lines.enqueue, by.pk))
            if arrears.record_row_change(stored, saved, by=by, how="changed in admin"):
                transaction.on_commit(functools.partial(tasks.work_out_arrears.enqueue, by.pk))
        return saved


def delete_record(*, record, by):
    """A national admin's delete, from Django admin: only the kinds in ADMIN_DELETABLE."""
    with transaction.atomic():
        stored = _stored(record)
        delete_checked(record, by=by, deletable=ADMIN_DELETABLE)
        _keep_forecasts(record, stored)
        if isinstance(record, MaximumAmount) and arrears.record_row_change(
            stored, None, by=by, how="deleted in admin"
        ):
            transaction.on_commit(functools.partial(tasks.work_out_arrears.enqueue, by.pk))


# National figures a network's forecast depends on (workforce.budget.budget_position; a
# ring-fenced sum sets which posts the forecast on the main sum leaves out).
FORECAST_REFERENCES = (ARRSRole, MaximumAmount, RoleCap, RingFencedSum)


def _stored(record):
    if record.pk is None:
        return None
    return type(record).objects.filter(pk=record.pk).first()


def _keep_forecasts(record, stored):
    """Keep the networks' forecasts (ARRSForecast) true to an admin's change: those of the
    network and years a post or claim touched, before and after; every network's, by the
    task worker, after a national figure they depend on changed."""
    if isinstance(record, FORECAST_REFERENCES):
        transaction.on_commit(tasks.refresh_forecasts.enqueue)
    elif isinstance(record, Post):
        spans = defaultdict(list)
        for post in (stored, record):
            if post is not None:
                spans[post.pcn].append(_span(post))
        for pcn, touched in spans.items():
            budget.record_forecasts_for_posts(pcn, *touched)
    elif isinstance(record, (Claim, ClaimLine)):
        claims = [r if isinstance(r, Claim) else r.claim for r in (stored, record) if r]
        for pcn, year in {(c.pcn, financial_year_of(c.month)) for c in claims}:
            budget.record_forecast(pcn, year)


# --- approving clean claims together (the approval queue) -------------------------------
#
# A clean claim asks for nothing an approver has to weigh line by line: no held line, no
# line held out of it at its submission, no adjustment of an earlier month, and its
# approval keeps the network within its allocation (check_ceiling, the one approval
# check). The queue offers such claims to be approved together after one confirmation.


def with_clean_counts(claims):
    """The claims with what says whether each is clean on its face: their totals
    (Claim.objects.with_totals: lines, held lines, lines held out, amount claimed) and
    their adjustment lines (`adjustment_count`), in the same query."""
    return claims.with_totals().annotate(
        adjustment_count=Count("lines", filter=Q(lines__corrects__isnull=False))
    )


def not_clean_reason(claim):
    """Why a claim (read through with_clean_counts) must be decided on its own page, or
    "" when nothing on its face stops it being approved with others. The allocation is
    checked apart (ceiling_refusal): it reads the network's approved claims."""
    if claim.status != ClaimStatus.SUBMITTED:
        return f"it is {claim.get_status_display().lower()}, not waiting for a decision"
    if claim.held_count:
        return f"{_lines(claim.held_count)} held: no maximum amount is known for them"
    if claim.held_out_count:
        return f"{_lines(claim.held_out_count)} held out of it at its submission"
    if claim.adjustment_count:
        return f"it corrects an earlier month ({_lines(claim.adjustment_count)} of adjustment)"
    return ""


def ceiling_refusal(claim):
    """What refuses the claim's approval against the network's allocation
    (check_ceiling's reason), or "" when approving it keeps the network within it."""
    try:
        with transaction.atomic():
            check_ceiling(claim)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def clean_refusal(claim):
    """Why the claim (read through with_clean_counts) cannot be approved together with
    others, or "" when it is clean."""
    return not_clean_reason(claim) or ceiling_refusal(claim)


def approve_clean_claims(*, claims, by):
    """Approve clean claims together after the approver's one confirmation. `claims` are
    (claim, version) pairs, the version each had when the confirmation page listed it.

    Each claim is approved through decide_claim, so its history, e-mail, forecast and
    checks are those of a decision made on its own page, and each in its own transaction:
    a claim that changed meanwhile, is no longer clean, or would take its network past its
    allocation (perhaps only once another claim of the list is approved) is left out with
    its reason while the others are approved; and a network's allocation row stays locked
    only while its own claim is decided, not until the last claim of the list is.

    Every claim's network is checked first: only its approvers (decide_claim's check)
    approve any of the list. Returns (the claims approved, [(claim, why it was left out)])."""
    claims = list(claims)
    for claim, _ in claims:
        check_can_approve_claims(by, claim.pcn)
    approved, left_out = [], []
    for claim, version in claims:
        try:
            with writing(by):
                approved.append(_approve_if_clean(claim, version, by))
        except ValidationError as error:
            left_out.append((claim, " ".join(error.messages)))
    return approved, left_out


def _approve_if_clean(claim, version, by):
    """Lock the claim, check it is still clean and approve it (in the caller's
    transaction). A claim decided or changed since the confirmation is refused by
    decide_claim, naming who did what."""
    _locked(claim)
    counted = with_clean_counts(Claim.objects.filter(pk=claim.pk)).get()
    if counted.status == ClaimStatus.SUBMITTED and (reason := not_clean_reason(counted)):
        raise ValidationError(f"It is not clean: {reason}.")
    return decide_claim(claim=claim, by=by, approve=True, version=version)
