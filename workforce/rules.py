"""The rules a post is checked against when it is saved (DOMAIN.md §3.1, §3.3, A.3).

- An ARRS-funded post cannot start before its role became reimbursable (§3.1: a GP post
  from 1 October 2024), nor run past the role's last reimbursable day.
- The Agenda for Change band is one of the role's bands (§3.1, the ARRSRole catalogue).
- The per-network caps on posts or WTE for a period (§3.3, A.3 rules 4, 5 and 8): a post
  that would take the network past a cap is refused, or only warned about where the source
  allows exceptions (RoleCap.refuses).
- A post over 37.5 hours a week is reimbursed at most as 1.0 WTE, and the manager is told.
- Who a role may fund (§3.1, A.3 rules 10 and 11), from RoleCap rows of kinds "recent_gp"
  and "prior_employment" and the manager's answers on the post. See check_eligibility.
- One person, paid once: a person's ARRS-funded hours on any day, over every network's
  register, are at most one whole-time post (37.5 hours a week). See check_one_person.
- A post's change never contradicts its claims: its days in a month a submitted or approved
  claim paid for stay as they were (a post cannot start after, or end before, days already
  claimed), and a post with claim lines stays in its network (DOMAIN.md §3.6: approved
  claims are kept for audit). A mistake is put right by an adjustment in a later claim.

`check_post` raises ValidationError (a message per field) for a refusal and returns the
warnings to show once the post is saved.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q

from networks.models import PrimaryCareNetwork
from pcn_portal.core.citations import NO_SOURCE
from pcn_portal.core.dates import ONE_DAY, month_bounds, overlap
from pcn_portal.core.writing import one_at_a_time
from practices.calculations import population_on
from workforce import calculations
from workforce.models import (
    FULL_TIME_HOURS,
    REGISTERS,
    TERM_FIELDS,
    CapKind,
    ClaimLine,
    Post,
    StaffMember,
    registration_number,
    wte,
)

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


def check_post(post, by=None):
    """Refuse a post that breaks a rule (ValidationError); return the warnings to show.
    `by` is who saves it: a clash with a post in a network they cannot see is refused
    without a word about that post."""
    errors = check_claimed_days(post)
    role = post.role
    bands = role_bands(role)
    pieces = calculations.terms_pieces(post, post.start_date, post.end_date)
    funded = [piece for piece in pieces if piece.arrs_funded]
    for piece in pieces:
        if bands and piece.afc_band not in bands:
            errors["afc_band"] = (
                f"Choose the band: {role} posts are on Agenda for Change band "
                f"{' or '.join(bands) if len(bands) < 3 else f'{bands[0]} to {bands[-1]}'}."
            )
        if not bands and piece.afc_band:
            errors["afc_band"] = f"{role} posts have no Agenda for Change band: leave it blank."
    if funded and funded[0].start_date < role.reimbursable_from:
        errors["start_date"] = (
            f"{role} posts can be ARRS-funded from {day_text(role.reimbursable_from)} "
            f"({role.citation() or NO_SOURCE}); this post is ARRS-funded from "
            f"{day_text(funded[0].start_date)}. Start it on "
            "or after that day, or record it as not ARRS-funded."
        )
    until = role.reimbursable_until
    if funded and until and (funded[-1].end_date is None or funded[-1].end_date > until):
        errors["end_date"] = (
            f"{role} posts are ARRS-funded up to and including {day_text(until)}: end the "
            "post by then, or record it as not ARRS-funded."
        )
    if errors:
        raise ValidationError(errors)
    warnings = []
    over = next((p for p in pieces if Decimal(p.weekly_hours) > FULL_TIME_HOURS), None)
    if over is not None:
        warnings.append(
            f"{over.weekly_hours} hours a week is {wte(over.weekly_hours)} WTE: ARRS "
            "reimburses a post at most as 1.0 WTE (37.5 hours), so claims for it are capped "
            "at 1.0 WTE."
        )
    if funded:
        warnings += check_eligibility(post)
        warnings += _check_caps(post)
        warnings += check_one_person(post, by)
    return warnings


def funded_hours_on(post, day):
    """A post's ARRS-funded weekly hours on a day: its terms' hours that day, 0 on a day
    it is not in post or its terms are not ARRS-funded."""
    pieces = calculations.terms_pieces(post, day, day, funded_only=True)
    return Decimal(pieces[0].weekly_hours) if pieces else Decimal(0)


def change_days(post):
    """The days a post's funded hours can rise: its first day and each change of terms."""
    return {post.start_date} | {t.first_day for t in post.terms_rows()}


# --- Who a role may fund (issue 25 item 9) -----------------------------------------------
#
# The rule rows (RoleCap, kinds RECENT_GP and PRIOR_EMPLOYMENT) carry the dates and the
# documents; the post carries the manager's answers. A rule applies to an ARRS-funded post
# that starts while the row is in force. An answer that breaks the rule refuses the post;
# an answer not given leaves it saved with a warning saying what to give, since the portal
# cannot tell and posts entered before the question existed have no answer.

GP_CCT_YEARS = 2  # "within 2 years of CCT at start" (DOMAIN.md §3.1, A.3 rule 10)


ELIGIBILITY_KINDS = (CapKind.RECENT_GP, CapKind.PRIOR_EMPLOYMENT)


def check_eligibility(post, role_rows=None):
    """Refuse a post its role's eligibility rules exclude; return warnings for answers
    the rules need and the post does not give. `role_rows` are the role's RoleCap rows of
    ELIGIBILITY_KINDS when the caller has read them (the national seed, for 40,000 posts)."""
    if role_rows is None:
        role_rows = post.role.caps.filter(kind__in=ELIGIBILITY_KINDS).prefetch_related("sources")
    rows = [
        row
        for row in role_rows
        if row.valid_from <= post.start_date
        and (row.valid_until is None or post.start_date <= row.valid_until)
    ]
    errors, warnings = {}, []
    for row in rows:
        check = _recent_gp if row.kind == CapKind.RECENT_GP else _not_employed_here
        for field, (refusal, missing) in check(post, row).items():
            if refusal:
                errors[field] = f"{refusal} ({row.citation() or NO_SOURCE})."
            elif missing:
                warnings.append(f"{missing} ({row.citation() or NO_SOURCE}).")
    if errors:
        raise ValidationError(errors)
    return warnings


def _recent_gp(post, row):
    """A.3 rule 10: only GPs within two years of their CCT when the post starts, not locums,
    not already employed as GPs before the role became reimbursable."""
    rule_start = day_text(row.valid_from)
    found = {}
    if post.cct_date is None:
        found["cct_date"] = (None, "Give the GP's CCT date: ARRS funds only GPs within two "
                                   "years of their CCT when the post starts, and the portal "
                                   "cannot check this post until it has it")  # fmt: skip
    elif post.start_date > _years_after(post.cct_date, GP_CCT_YEARS):
        found["cct_date"] = (
            f"This post starts on {day_text(post.start_date)}, more than two years after the "
            f"GP's CCT on {day_text(post.cct_date)}: ARRS funds only GPs within two years of "
            "their CCT when the post starts. Record it as not ARRS-funded",
            None,
        )
    if post.locum is None:
        found["locum"] = (None, "Say whether the GP is engaged as a locum: ARRS does not fund "
                                "locum GPs")  # fmt: skip
    elif post.locum:
        found["locum"] = (
            "ARRS does not fund locum GPs: the GP must be employed on salaried terms. Record "
            "the post as not ARRS-funded",
            None,
        )
    if post.gp_before_scheme is None:
        found["gp_before_scheme"] = (
            None,
            f"Say whether the GP was already employed as a GP before {rule_start}: ARRS does "
            "not fund GPs already in post then",
        )
    elif post.gp_before_scheme:
        found["gp_before_scheme"] = (
            f"ARRS does not fund GPs already employed as GPs before {rule_start}. Record the "
            "post as not ARRS-funded",
            None,
        )
    return found


def _not_employed_here(post, row):
    """A.3 rule 11: not for someone employed by the network or its member practices in the
    12 months before, unless recruited to a more senior or specialist nursing role."""
    answer = post.employed_here_in_previous_year
    if answer is None:
        return {
            "employed_here_in_previous_year": (
                None,
                f"Say whether the {post.role} was employed by the network or a member "
                "practice in the 12 months before the post: ARRS does not fund them if so, "
                "unless recruited to a more senior or specialist nursing role",
            )
        }
    if answer and not post.more_senior_nursing_role:
        return {
            "employed_here_in_previous_year": (
                f"ARRS does not fund a {post.role} employed by the network or a member "
                "practice in the 12 months before the post, unless recruited to a more "
                "senior or specialist nursing role. Record the post as not ARRS-funded, or "
                "say that it is such a role",
                None,
            )
        }
    return {}


def _years_after(day, years):
    """The same day `years` later (28 February for 29 February in a year without it)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


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
    as_stored = None
    for line in lines:
        claim = line.claim
        if moved:
            return {"pcn": _claimed_in(post, claim, "it stays in that network's register: end "
                                       "it there and add a post at the other network")}  # fmt: skip
        if not claim.sealed:
            continue
        if _days_in(stored, claim.month) != _days_in(post, claim.month):
            field = "start_date" if post.start_date != stored["start_date"] else "end_date"
            return {field: _claimed_in(post, claim, "its days in that month cannot change")}
        as_stored = as_stored or Post.objects.with_terms().get(pk=post.pk)
        if _terms_in(as_stored, claim.month) != _terms_in(post, claim.month):
            after = month_bounds(claim.month)[1] + ONE_DAY
            return {
                NON_FIELD_ERRORS: _claimed_in(
                    post,
                    claim,
                    "its hours, band, pay, zone and ARRS funding in that month cannot change: "
                    f"let the change apply from {day_text(after)} or later",
                )
            }
    return {}


def _terms_in(post, month):
    """The post's terms over its days in a month: each piece's days and terms."""
    first, last = month_bounds(month)
    return [
        (p.start_date, p.end_date, *(getattr(p, name) for name in TERM_FIELDS))
        for p in calculations.terms_pieces(post, first, last)
    ]


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


CAP_KINDS = (CapKind.MAX_POSTS, CapKind.MAX_WTE)


@dataclass
class CapCheck:
    """A cap on posts or WTE of a role over some of a post's days, and where the network
    would stand with the post: its most posts (or WTE) of the role at once from `first`."""

    cap: object  # the RoleCap row
    first: datetime.date
    limit: Decimal
    population_note: str
    peak: Decimal

    @property
    def unit(self):
        return "WTE" if self.cap.kind == CapKind.MAX_WTE else "posts"

    @property
    def over(self):
        return self.peak > self.limit


def cap_checks(post, caps=None, others=None):
    """Each cap on posts or WTE of the post's role in force on some of its days, with the
    network's peak with the post. `caps` (the role's RoleCap rows) and `others` (the
    network's ARRS-funded posts, with their terms) when the caller has read them: a page
    pricing several posts reads them once."""
    if caps is None:
        caps = post.role.caps.filter(kind__in=CAP_KINDS)
    checks = []
    for cap in caps:
        span = overlap(cap.valid_from, cap.valid_until, post.start_date, post.end_date)
        if cap.kind not in CAP_KINDS or cap.role_id != post.role_id or span is None:
            continue
        limit, population_note = _limit(cap, post.pcn, span[0])
        if limit is None:
            continue
        peak = _peak(post, _same_role_in(post, span, others), span,
                     by_wte=cap.kind == CapKind.MAX_WTE)  # fmt: skip
        checks.append(CapCheck(cap, span[0], limit, population_note, peak))
    return checks


def _same_role_in(post, span, others):
    """The network's other ARRS-funded posts of the post's role over some of the span."""
    if others is None:
        return list(
            post.pcn.posts.arrs()
            .with_terms()
            .filter(role=post.role)
            .exclude(pk=post.pk)
            .overlapping(span[0], span[1])
        )
    return [
        other
        for other in others
        if other.role_id == post.role_id
        and (post.pk is None or other.pk != post.pk)
        and overlap(other.start_date, other.end_date, span[0], span[1]) is not None
    ]


def cap_verdict(post, check):
    """(outcome, message) for a post past a cap: "refused" where the cap refuses it,
    "warned" where the source allows exceptions or a larger network's cap is not known;
    ("within", "") for a post inside the cap."""
    if not check.over:
        return "within", ""
    cap = check.cap
    message = (
        f"With this post the network would have {check.peak.normalize():f} {check.unit} of "
        f"{post.role} at once from {day_text(check.first)}; the cap is "
        f"{check.limit.normalize():f} ({cap.rule} Source: {cap.citation() or NO_SOURCE})"
        f"{check.population_note}."
    )
    if _above_threshold_without_figure(cap, post.pcn, check.first):
        return "warned", message + (
            f" Networks of more than {cap.population_threshold - 1:,} patients "
            "were entitled to more, and no source the portal holds says how much, so "
            "the post is saved: check it against the network's entitlement."
        )
    if cap.refuses:
        return "refused", message
    return "warned", message + " The source allows exceptions, so the post is saved."


def _check_caps(post):
    """Refuse (or warn about) a post that would take the network past a cap on posts or
    WTE for the role in a period the post overlaps."""
    warnings = []
    for check in cap_checks(post):
        outcome, message = cap_verdict(post, check)
        if outcome == "refused":
            raise ValidationError(message)
        if outcome == "warned":
            warnings.append(message)
    return warnings


def _above_threshold_without_figure(cap, pcn, on):
    """A cap the source says was higher for larger networks without saying how much
    (DOMAIN.md A.2, 2019/20: "more for PCNs over 100k"): whether this network is one."""
    if cap.population_threshold is None or cap.max_count_above_threshold is not None:
        return False
    population = population_on(pcn, on)
    return population is not None and population >= cap.population_threshold


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
    days = {span[0]} | {d for p in spells for d in change_days(p) if d >= span[0]}
    if span[1] is not None:
        days = {d for d in days if d <= span[1]}
    peak = Decimal(0)
    for day in days:
        hours = [funded_hours_on(p, day) for p in spells]
        total = sum((wte(h) if by_wte else Decimal(1)) for h in hours if h)
        peak = max(peak, Decimal(total))
    return peak


# --- One person, paid once (issue 25 item 3) ---------------------------------------------
#
# ARRS reimburses a person's pay at most as one whole-time post (DOMAIN.md A.3 rule 2: the
# maxima are per WTE; §3.6: claims cover the staff member "in post for the period"), yet a
# network's register has a StaffMember row per network, so the same person can be in two
# networks' registers, or entered twice in one. Who is the same person:
#
# - the same StaffMember row (two posts of one holder), always;
# - the same professional registration, in any network: compared as registration_number
#   reads it (capitals and digits, a register's name in front taken off), and two entries
#   that both name a register must name the same one (GMC 1234567 is not GPhC 1234567).
#   Their posts together above 37.5 hours on any day are refused;
# - with no registration to compare (either entry blank), the same full name in the same
#   network: most likely the person entered twice, but two colleagues can share a name, so
#   this only warns. Another network's person with the same name and no registration is
#   not looked for: a name alone says too little, and the warning would tell a manager
#   about another network's staff.
#
# Two saves at once for the same registration (or holder) are made to go one at a time by
# a transaction-scoped lock on it (core.writing.one_at_a_time), so both cannot pass the
# check before either commits.


def registration_key(text):
    """(register, number) of a professional registration as people type it, or None when
    it is blank: ("GPHC", "2071234") for "GPhC 2071234", ("", "PA12345") for "PA12345"."""
    compact = re.sub(r"[^A-Z0-9]", "", (text or "").upper())
    if not compact:
        return None
    for register in REGISTERS:
        if compact.startswith(register) and len(compact) > len(register):
            return register, compact[len(register) :]
    return "", compact


def same_registration(one, other):
    """Whether two typed registrations name the same entry of the same register."""
    a, b = registration_key(one), registration_key(other)
    if a is None or b is None or a[1] != b[1]:
        return False
    return a[0] == b[0] or "" in (a[0], b[0])


def check_one_person(post, by=None):
    """Refuse an ARRS-funded post that would fund its holder for more than one whole-time
    post on some day, with the holder's other posts in any network; warn where only the
    name (no registration) says it is the same person. Returns the warnings."""
    person = post.staff_member
    key = registration_key(person.professional_registration)
    if key is not None:
        one_at_a_time("arrs person", key[1])
    elif person.pk is not None:
        one_at_a_time("arrs holder", person.pk)
    others = _overlapping_funded(post)
    same = [
        other
        for other in others
        if other.staff_member_id == person.pk
        or same_registration(person.professional_registration,
                             other.staff_member.professional_registration)
    ]  # fmt: skip
    clash = _first_clash(post, same)
    if clash is not None:
        raise ValidationError(_clash_message(post, *clash, by=by))
    named = [
        other
        for other in others
        if other not in same
        and other.pcn_id == post.pcn_id
        and _same_name(other.staff_member.full_name, person.full_name)
        and not (key and other.staff_member.professional_registration.strip())
    ]
    clash = _first_clash(post, named)
    if clash is None:
        return []
    day, other, total = clash
    return [
        f"{person.full_name} also has an ARRS-funded {other.role} post here "
        f"({_post_dates(other)}, {_hours(funded_hours_on(other, day))} hours a week) with no "
        "professional registration to tell them apart: if they are the same person, they "
        f"would be funded for {_hours(total)} hours a week on {day_text(day)}, more than one "
        "whole-time post (37.5 hours), and ARRS pays for one person at most once. If it is "
        "the same person, end or correct one of the posts; if not, add each one's "
        "professional registration."
    ]


def _same_name(one, other):
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def _overlapping_funded(post):
    """Other ARRS-funded posts, in any network, over some of this post's days, whose
    holder may be this post's: the same holder, the same registration number, or (in this
    network) the same name."""
    person = post.staff_member
    key = registration_key(person.professional_registration)
    who = Q(staff_member__pcn=post.pcn, staff_member__full_name__iexact=person.full_name.strip())
    if person.pk is not None:
        who |= Q(staff_member=person)
    if key is not None:
        numbers = StaffMember.objects.exclude(professional_registration="").annotate(
            number=registration_number()
        )
        who |= Q(staff_member__in=numbers.filter(number=key[1]).values("pk"))
    return list(
        Post.objects.arrs()
        .with_terms()
        .filter(who)
        .exclude(pk=post.pk)
        .overlapping(post.start_date, post.end_date)
        .select_related("pcn", "role", "staff_member")
        .order_by("start_date", "pk")
    )


def _first_clash(post, others):
    """(day, the other post, hours that day) for the first day this post and `others`
    together fund more than 37.5 hours a week, or None. The hours can only rise on a day
    one of the posts starts."""
    if not others:
        return None
    spells = [post, *others]
    days = sorted({max(d, post.start_date) for p in spells for d in change_days(p)})
    for day in days:
        if post.end_date is not None and day > post.end_date:
            break
        in_post = [(o, funded_hours_on(o, day)) for o in others]
        in_post = [(o, hours) for o, hours in in_post if hours]
        total = funded_hours_on(post, day) + sum(hours for _, hours in in_post)
        if in_post and total > FULL_TIME_HOURS:
            return day, in_post[0][0], total
    return None


def _hours(value):
    return f"{Decimal(value).normalize():f}"


def _post_dates(post):
    end = f"to {day_text(post.end_date)}" if post.end_date else "with no end date"
    return f"from {day_text(post.start_date)} {end}"


def _clash_message(post, day, other, total, *, by):
    """Why the post is refused: the other post named where the user may see its network,
    otherwise only that one exists (nothing of the other network, person or dates)."""
    registration = post.staff_member.professional_registration.strip()
    if not _may_see(by, other.pcn, post):
        return (
            f"Another network's register has an ARRS-funded post for professional "
            f"registration {registration} at the same time as this one, and together they "
            "would fund more than one whole-time post (37.5 hours a week). ARRS pays for one "
            "person at most once, so this post was not saved. Check the registration; if it "
            "is right, ask your commissioner to look into the other post."
        )
    where = "in this network" if other.pcn_id == post.pcn_id else f"at {other.pcn.display_name}"
    return (
        f"{_holder(other.staff_member)} already has an ARRS-funded {other.role} post {where} "
        f"{_post_dates(other)}, "
        f"{_hours(funded_hours_on(other, day))} hours a week. With this post they would be "
        f"funded for {_hours(total)} hours a week on {day_text(day)}, more than one whole-time "
        "post (37.5 hours): ARRS pays for one person at most once, so this post was not saved. "
        "End the other post the day before this one starts, or reduce the hours."
    )


def _holder(person):
    registration = person.professional_registration.strip()
    return f"{person.full_name} ({registration})" if registration else person.full_name


def _may_see(by, pcn, post):
    if pcn.pk == post.pcn_id:
        return True
    if by is None:
        return False
    return PrimaryCareNetwork.objects.for_user(by).filter(pk=pcn.pk).exists()
