"""An area's exceptions as of a date: what needs someone's attention, one row each, saying
since when and linking to the page where it is put right.

- a network with no clinical director on the date: since the day after the last one's last
  day, or since the network opened (pcn_portal.areas.tables.no_director_since);
- its Network Agreement for the financial year of the date not signed: since the year's
  first day;
- its ARRS forecast over the allocation or the GP sum: as recorded on the day the
  forecast was last worked out (workforce.models.ARRSForecast.worked_out_at);
- a claim waiting for a decision more than settings.CLAIM_WAITING_DAYS days: since the day
  it was submitted (a claim decided after the date was still waiting on it);
- held lines: draft claims (as they stand today) for months up to the date with lines
  whose maximum amount no source gives, since the month of the earliest; or, without such
  a claim, a forecast that leaves maxima out, as recorded when it was worked out;
- a registered population outside 30,000 to 50,000 with no footprint notes: since the
  date of the list sizes it is counted from (the notes as recorded today);
- a practice of the area in no network on the date: since the day after its last
  membership ended, or "not in a network since joining the list";
- a commissioner's follow-up action not done: since the note's day, or, when overdue,
  since the day after it was due. Whether it is done is as recorded today.

The rows come from a fixed number of queries whatever the number of networks: the area's
networks with their figures (pcn_portal.areas.figures.network_figures) and a few of their
own, the claims waiting, the practices in no network and the open follow-ups.
"""

import datetime
import functools
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from networks.models import CommissionerNote
from networks.scopes import can_approve_claims
from pcn_portal.areas import figures
from pcn_portal.areas.tables import no_director_since
from pcn_portal.core.dates import (
    ONE_DAY,
    financial_year_bounds,
    financial_year_label,
    financial_year_of,
)
from practices.calculations import FOOTPRINT_MAXIMUM, FOOTPRINT_MINIMUM
from practices.models import ListSize, Membership
from workforce.models import ARRSForecast, Claim, ClaimStatus

# The kinds of exception, in the order the page's filter lists them.
KINDS = {
    "no_director": "No clinical director",
    "unsigned": "Network Agreement not signed",
    "over_allocation": "Forecast over the allocation",
    "claim_waiting": "Claim waiting for a decision",
    "held_lines": "Held claim lines",
    "footprint": "Footprint outside 30,000 to 50,000 without a note",
    "no_network": "Practice in no network",
    "follow_up": "Commissioner's follow-up",
}


def waiting_days():
    """How long a claim may wait for a decision before it is an exception (a setting:
    CLAIM_WAITING_DAYS)."""
    return settings.CLAIM_WAITING_DAYS


@dataclass
class ExceptionRow:
    """One exception: what (`kind`, `detail`), whose (a network, or a practice), since
    when (`since`, and what that day is: `since_what`), and where it is put right."""

    kind: str
    code: str
    name: str
    sub_icb: str
    detail: str
    since: datetime.date | None
    since_what: str
    fix_href: str
    fix_text: str
    code_href: str | None = None

    @property
    def kind_label(self):
        return KINDS[self.kind]


# Stand-ins for a URL's arguments, digits so that any converter takes them.
STAND_INS = ("987654320", "987654321")


@functools.cache
def _path_with_stand_ins(name, arity):
    return reverse(name, args=STAND_INS[:arity])


def path_of(name, *args):
    """reverse(name, args=args), reversed once per page name: England's list has some
    7,000 rows, each with two or three links, and Django's reverse() took most of its
    time."""
    path = _path_with_stand_ins(name, len(args))
    for stand_in, arg in zip(STAND_INS, args, strict=False):
        path = path.replace(stand_in, quote(str(arg), safe=""))
    return path


def day_text(day):
    return f"{day.day} {day:%B %Y}"


def network_row(pcn, kind, detail, since, since_what, fix_href, fix_text):
    return ExceptionRow(
        kind=kind,
        code=pcn.code,
        name=pcn.display_name,
        sub_icb=pcn.lead_commissioner.display_name,
        detail=detail,
        since=since,
        since_what=since_what,
        fix_href=fix_href,
        fix_text=fix_text,
        code_href=path_of("workspace:network_detail", pcn.code),
    )


# --- the networks' own figures -----------------------------------------------------------

NETWORK_FIGURES = [
    "directors",
    "director_last_day",
    "agreement_signed_on",
    "population",
    "headroom",
    "gp_headroom",
    "forecast_gaps",
]


def area_networks(user, area, on):
    """The area's networks open on the date with the figures the exceptions read: those of
    the area pages (network_figures) and, of their own, when the forecast was last worked
    out and the area's draft claims holding lines without a maximum amount."""
    year = financial_year_of(on)
    pcn = OuterRef("pk")
    # Draft claims (as they stand today) for months up to the date.
    held = (
        Claim.objects.filter(
            pcn=pcn,
            status=ClaimStatus.DRAFT,
            month__lte=on,
            lines__maximum_amount__isnull=True,
        )
        .order_by()
        .values("pcn")
    )
    networks = figures.networks_in(user, area)
    return figures.network_figures(networks, on, only=NETWORK_FIGURES).annotate(
        forecast_worked_out_at=Subquery(
            ARRSForecast.objects.filter(pcn=pcn, financial_year=year)
            .order_by()
            .values("worked_out_at")[:1]
        ),
        held_claims=Subquery(held.annotate(n=Count("pk", distinct=True)).values("n")[:1]),
        first_held_month=Subquery(held.annotate(first=Min("month")).values("first")[:1]),
    )


def outside_footprint(row):
    population = row.population
    return population is not None and not FOOTPRINT_MINIMUM <= population <= FOOTPRINT_MAXIMUM


def list_size_dates(networks, on):
    """{network id: the latest list size date on or before `on` of its member practices
    that day}: the date its population is counted from. One query, for the networks given."""
    latest = Subquery(
        ListSize.objects.filter(practice=OuterRef("practice"), extract_date__lte=on)
        .order_by("-extract_date")
        .values("extract_date")[:1]
    )
    rows = (
        Membership.objects.current(on)
        .filter(pcn__in=networks)
        .annotate(latest=latest)
        .values("pcn")
        .annotate(date=Max("latest"))
        .values_list("pcn", "date")
    )
    return dict(rows)


def network_exceptions(user, pcns, on):
    """The exceptions each network's figures show."""
    year = financial_year_of(on)
    first_day, _ = financial_year_bounds(year)
    label = financial_year_label(year)
    footprint = [pcn for pcn in pcns if outside_footprint(pcn) and not pcn.footprint_notes]
    sizes_on = list_size_dates([pcn.pk for pcn in footprint], on) if footprint else {}
    rows = []
    for pcn in pcns:
        rows += leadership_rows(pcn, first_day, label)
        rows += arrs_rows(pcn, year)
    for pcn in footprint:
        governance = path_of("networks:governance", pcn.code)
        rows.append(
            network_row(
                pcn,
                "footprint",
                f"{pcn.population:,} registered patients, and no footprint notes say why "
                "or record the commissioner's approval",
                sizes_on.get(pcn.pk),
                "Date of the list sizes counted",
                governance,
                "Footprint notes (governance)",
            )
        )
    return rows


def leadership_rows(pcn, first_day, label):
    rows = []
    if not pcn.directors:
        since = no_director_since(pcn)
        rows.append(
            network_row(
                pcn,
                "no_director",
                "No clinical director in post",
                since,
                (
                    "Day after the last clinical director's last day"
                    if pcn.director_last_day
                    else "Network opened (no clinical director recorded)"
                ),
                path_of("networks:director_list", pcn.code),
                "Clinical directors",
            )
        )
    if pcn.agreement_signed_on is None:
        rows.append(
            network_row(
                pcn,
                "unsigned",
                f"Network Agreement {label} not signed",
                first_day,
                f"First day of {label}",
                path_of("networks:governance", pcn.code),
                "Governance",
            )
        )
    return rows


def arrs_rows(pcn, year):
    rows = []
    budget = path_of("workforce:budget_detail", pcn.code, year)
    recorded = pcn.forecast_worked_out_at
    recorded_on = recorded.date() if recorded else None
    over = [
        name
        for name, headroom in (("allocation", pcn.headroom), ("GP sum", pcn.gp_headroom))
        if headroom is not None and headroom < 0
    ]
    if over:
        rows.append(
            network_row(
                pcn,
                "over_allocation",
                "Forecast year-end over the " + " and the ".join(over),
                recorded_on,
                "As recorded on this day (the forecast last worked out)",
                budget,
                f"Budget {financial_year_label(year)}",
            )
        )
    if pcn.held_claims:
        month = pcn.first_held_month
        claims = "claim holds" if pcn.held_claims == 1 else f"{pcn.held_claims} claims hold"
        rows.append(
            network_row(
                pcn,
                "held_lines",
                f"Draft {claims} lines without a maximum amount, the earliest for {month:%B %Y}",
                month,
                "Month of the earliest claim holding lines",
                path_of("workforce:claim_list", pcn.code),
                "Claims",
            )
        )
    elif pcn.forecast_gaps:
        rows.append(
            network_row(
                pcn,
                "held_lines",
                f"The forecast leaves out {pcn.forecast_gaps:,} maximum amount"
                f"{'' if pcn.forecast_gaps == 1 else 's'} no source gives yet",
                recorded_on,
                "As recorded on this day (the forecast last worked out)",
                budget,
                f"Budget {financial_year_label(year)}",
            )
        )
    return rows


# --- claims, practices and follow-ups ----------------------------------------------------


def claims_waiting(networks, on, days):
    """Claims of the networks submitted at least `days` days before `on` and not decided
    by then (a claim decided after the date was still waiting on it)."""
    submitted_by = on - datetime.timedelta(days=days)
    not_decided = Q(status=ClaimStatus.SUBMITTED) | Q(
        status__in=(ClaimStatus.APPROVED, ClaimStatus.REJECTED), decided_at__date__gt=on
    )
    return (
        Claim.objects.filter(pcn__in=networks.values("pk"), submitted_at__date__lte=submitted_by)
        .filter(not_decided)
        .select_related("pcn__lead_commissioner__icb")
        .order_by("submitted_at", "pk")
    )


def claim_rows(user, claims, on):
    rows = []
    for claim in claims:
        pcn = claim.pcn
        submitted = timezone.localdate(claim.submitted_at)
        decide = claim.status == ClaimStatus.SUBMITTED and can_approve_claims(user, pcn)
        name = "workforce:claim_decide" if decide else "workforce:claim_detail"
        rows.append(
            network_row(
                pcn,
                "claim_waiting",
                f"{claim.title} waiting {(on - submitted).days} days for a decision",
                submitted,
                "Day submitted",
                path_of(name, pcn.code, claim.key),
                "Decide the claim" if decide else "The claim",
            )
        )
    return rows


def practices_without_network(user, area, on):
    """The area's practices in no network on the date, each with the last day of its last
    membership before then (None when it never had one)."""
    last_day = Subquery(
        Membership.objects.in_force()
        .filter(practice=OuterRef("pk"), end_date__lt=on)
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    return (
        figures.area_practices(user, area, on)
        .filter(in_network=False)
        .annotate(last_member_day=last_day)
        .order_by("code")
    )


def practice_rows(practices, area, on_query):
    query = f"?show=not&on={on_query}" if on_query else "?show=not"
    href = reverse("areas:practices", args=[area.code]) + query
    rows = []
    for practice in practices:
        left = practice.last_member_day
        rows.append(
            ExceptionRow(
                kind="no_network",
                code=practice.code,
                name=practice.display_name,
                sub_icb=practice.commissioner.display_name,
                detail="In no network"
                + (f": its last membership ended on {day_text(left)}" if left else ""),
                since=left + ONE_DAY if left else practice.open_date,
                since_what=(
                    "Day after its last membership ended"
                    if left
                    else "Not in a network since joining the list"
                ),
                fix_href=href,
                fix_text="Practices in the area",
            )
        )
    return rows


def open_follow_ups(networks, on):
    """Follow-up actions of commissioners' notes on the networks written by the date and
    not marked done (as recorded today)."""
    return (
        CommissionerNote.objects.open_follow_ups()
        .filter(pcn__in=networks.values("pk"), written_on__lte=on)
        .select_related("pcn__lead_commissioner")
        .order_by("follow_up_due", "written_on", "pk")
    )


def follow_up_rows(notes, area, on):
    rows = []
    for note in notes:
        pcn = note.pcn
        overdue = note.follow_up_due is not None and note.follow_up_due < on
        due = f", due by {day_text(note.follow_up_due)}" if note.follow_up_due else ""
        href = path_of("areas:network_notes", area_code_for(area, pcn), pcn.code)
        rows.append(
            network_row(
                pcn,
                "follow_up",
                ("Overdue: " if overdue else "Open: ") + f"{note.follow_up}{due}",
                note.follow_up_due + ONE_DAY if overdue else note.written_on,
                "Day after it was due" if overdue else "Day of the note",
                f"{href}#note-{note.pk}",
                "Commissioner's notes",
            )
        )
    return rows


def area_code_for(area, pcn):
    """The area whose pages a network's notes are shown under: this one, or for England
    the network's Sub-ICB location."""
    return pcn.lead_commissioner.code if isinstance(area, figures.England) else area.code


# --- the whole list ----------------------------------------------------------------------


def area_exceptions(user, area, on, on_query=""):
    """Every exception of the area on the date, oldest first (those without a date last)."""
    networks = figures.networks_in(user, area).open(on)
    pcns = list(area_networks(user, area, on))
    rows = network_exceptions(user, pcns, on)
    rows += claim_rows(user, claims_waiting(networks, on, waiting_days()), on)
    rows += follow_up_rows(open_follow_ups(networks, on), area, on)
    rows += practice_rows(practices_without_network(user, area, on), area, on_query)
    return sorted(rows, key=lambda r: (r.since is None, r.since or datetime.date.min, r.code))
