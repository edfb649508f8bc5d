"""The rules a post is checked against when it is saved (DOMAIN.md §3.1, §3.3, A.3).

- An ARRS-funded post cannot start before its role became reimbursable (§3.1: a GP post
  from 1 October 2024), nor run past the role's last reimbursable day.
- The Agenda for Change band is one of the role's bands (§3.1, the ARRSRole catalogue).
- The per-network caps on posts or WTE for a period (§3.3, A.3 rules 4, 5 and 8): a post
  that would take the network past a cap is refused, or only warned about where the source
  allows exceptions (RoleCap.refuses).
- A post over 37.5 hours a week is reimbursed at most as 1.0 WTE, and the manager is told.
- A post's change never contradicts its claims: its days in a month a submitted or approved
  claim paid for stay as they were (a post cannot start after, or end before, days already
  claimed), and a post with claim lines stays in its network (DOMAIN.md §3.6: approved
  claims are kept for audit). A mistake is put right by an adjustment in a later claim.

`check_post` raises ValidationError (a message per field) for a refusal and returns the
warnings to show once the post is saved.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from pcn_portal.core.citations import NO_SOURCE
from pcn_portal.core.dates import month_bounds, overlap
from practices.calculations import population_on
from workforce.models import FULL_TIME_HOURS, CapKind, ClaimLine, Post, wte

AFC_BANDS = ["1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9"]


def role_bands(role):
    """The Agenda for Change bands a role's posts may be on, from its catalogue entry:
    "7–8a" is 7 and 8a, "4–8a" is 4 to 8a, "up to 5" is 1 to 5, "" means none (GPs)."""
    text = (role.afc_bands or "").strip().lower()
    if not text:
        return []
    if match := re.fullmatch(r"up to (\w+)", text):
        last = match.group(1)
        return AFC_BANDS[: AFC_BANDS.index(last) + 1] if last in AFC_BANDS else []
    if match := re.fullmatch(r"(\w+)\s*[–-]\s*(\w+)", text):
        first, last = match.groups()
        if first in AFC_BANDS and last in AFC_BANDS:
            return AFC_BANDS[AFC_BANDS.index(first) : AFC_BANDS.index(last) + 1]
    return [band for band in re.split(r"[,\s]+", text) if band in AFC_BANDS]


def day_text(day):
    return f"{day.day} {day:%B %Y}"


def check_post(post):
    """Refuse a post that breaks a rule (ValidationError); return the warnings to show."""
    errors = check_claimed_days(post)
    role = post.role
    bands = role_bands(role)
    if bands and post.afc_band not in bands:
        errors["afc_band"] = (
            f"Choose the band: {role} posts are on Agenda for Change band "
            f"{' or '.join(bands) if len(bands) < 3 else f'{bands[0]} to {bands[-1]}'}."
        )
    if not bands and post.afc_band:
        errors["afc_band"] = f"{role} posts have no Agenda for Change band: leave it blank."
    if post.arrs_funded and post.start_date < role.reimbursable_from:
        errors["start_date"] = (
            f"{role} posts can be ARRS-funded from {day_text(role.reimbursable_from)} "
            f"({role.citation() or NO_SOURCE}); this post starts on "
            f"{day_text(post.start_date)}. Start it on "
            "or after that day, or record it as not ARRS-funded."
        )
    until = role.reimbursable_until
    if post.arrs_funded and until and (post.end_date is None or post.end_date > until):
        errors["end_date"] = (
            f"{role} posts are ARRS-funded up to and including {day_text(until)}: end the "
            "post by then, or record it as not ARRS-funded."
        )
    if errors:
        raise ValidationError(errors)
    warnings = []
    if post.weekly_hours is not None and Decimal(post.weekly_hours) > FULL_TIME_HOURS:
        warnings.append(
            f"{post.weekly_hours} hours a week is {wte(post.weekly_hours)} WTE: ARRS "
            "reimburses a post at most as 1.0 WTE (37.5 hours), so claims for it are capped "
            "at 1.0 WTE."
        )
    if post.arrs_funded:
        warnings += _check_caps(post)
    return warnings


def check_claimed_days(post):
    """{field: why} for a change of a stored post that contradicts its claims: a move to
    another network once any claim has a line for it (the claim stays in the network it
    was made in), or days in post changed in a month a submitted or approved claim paid."""
    if post.pk is None:
        return {}
    stored = Post.objects.filter(pk=post.pk).values("pcn_id", "start_date", "end_date").first()
    if stored is None:
        return {}
    moved = post.pcn_id != stored["pcn_id"]
    lines = (
        ClaimLine.objects.filter(post_id=post.pk)
        .select_related("claim__pcn")
        .order_by("claim__month", "pk")
    )
    for line in lines:
        claim = line.claim
        if moved:
            return {"pcn": _claimed_in(post, claim, "it stays in that network's register: end "
                                       "it there and add a post at the other network")}  # fmt: skip
        if claim.sealed and _days_in(stored, claim.month) != _days_in(post, claim.month):
            field = "start_date" if post.start_date != stored["start_date"] else "end_date"
            return {field: _claimed_in(post, claim, "its days in that month cannot change")}
    return {}


def _days_in(post, month):
    """The post's days in the month: (first, last), or None."""
    start, end = (
        (post["start_date"], post["end_date"])
        if isinstance(post, dict)
        else (post.start_date, post.end_date)
    )
    return overlap(start, end, *month_bounds(month))


def _claimed_in(post, claim, consequence):
    status = claim.get_status_display().lower()
    message = (
        f"{post.staff_member}'s post as {post.role} was claimed for in the {status} claim of "
        f"{claim.pcn.display_name} for {claim.month:%B %Y}; {consequence}."
    )
    if claim.sealed:
        message += (
            " A submitted or approved claim is kept as it is: put a mistake right with an "
            "adjustment line in a later claim."
        )
    return message


def _check_caps(post):
    """Refuse (or warn about) a post that would take the network past a cap on posts or
    WTE for the role in a period the post overlaps."""
    warnings = []
    caps = post.role.caps.filter(kind__in=[CapKind.MAX_POSTS, CapKind.MAX_WTE])
    for cap in caps:
        span = overlap(cap.valid_from, cap.valid_until, post.start_date, post.end_date)
        if span is None:
            continue
        limit, population_note = _limit(cap, post.pcn, span[0])
        if limit is None:
            continue
        others = list(
            post.pcn.posts.arrs()
            .filter(role=post.role)
            .exclude(pk=post.pk)
            .overlapping(span[0], span[1])
        )
        peak = _peak(post, others, span, by_wte=cap.kind == CapKind.MAX_WTE)
        if peak <= limit:
            continue
        unit = "WTE" if cap.kind == CapKind.MAX_WTE else "posts"
        message = (
            f"With this post the network would have {peak.normalize():f} {unit} of "
            f"{post.role} at once from {day_text(span[0])}; the cap is {limit.normalize():f} "
            f"({cap.rule} Source: {cap.citation() or NO_SOURCE}){population_note}."
        )
        if cap.refuses:
            raise ValidationError(message)
        warnings.append(message + " The source allows exceptions, so the post is saved.")
    return warnings


def _limit(cap, pcn, on):
    if cap.max_count is None:
        return None, ""
    if cap.population_threshold is None or cap.max_count_above_threshold is None:
        return cap.max_count, ""
    population = population_on(pcn, on)
    if population is None:
        return cap.max_count, (
            f"; the network's population on {day_text(on)} is not known, so the lower cap applies"
        )
    if population >= cap.population_threshold:
        return cap.max_count_above_threshold, f"; {population:,} patients on {day_text(on)}"
    return cap.max_count, f"; {population:,} patients on {day_text(on)}"


def _peak(post, others, span, *, by_wte):
    """The most posts (or WTE) of the role in place on any one day of the span, this post
    included: the count can only rise on a day some post starts."""
    spells = [post, *others]
    days = {span[0]} | {p.start_date for p in spells if p.start_date >= span[0]}
    if span[1] is not None:
        days = {d for d in days if d <= span[1]}
    peak = Decimal(0)
    for day in days:
        in_place = [
            p for p in spells if p.start_date <= day and (p.end_date is None or p.end_date >= day)
        ]
        total = sum((wte(p.weekly_hours) if by_wte else Decimal(1)) for p in in_place)
        peak = max(peak, Decimal(total))
    return peak
