"""Monthly ARRS claims: a network's claims, starting one for a month, its lines (what was
paid, the hours worked, the maximum and the amount claimed), the declaration and
submission, and an approver's decision. A submitted or approved claim is read-only for the
network; a rejected one is corrected and submitted again."""

import datetime
import re
from decimal import Decimal
from urllib.parse import urlencode, urlsplit, urlunsplit

import django_filters
from django.contrib import messages
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from networks.loaders import load_pcn, load_rw_pcn
from networks.models import PrimaryCareNetwork, SubICBLocation
from networks.pages import network_warnings, render_network
from networks.scopes import (
    areas_seen,
    can_approve_claims,
    can_approve_in_area,
    check_can_approve_claims,
)
from pcn_portal.core.dates import financial_year_label, financial_year_of, month_bounds, today
from pcn_portal.core.forms import changes_from, posted, save_form, success_message
from pcn_portal.core.names import person_name
from pcn_portal.core.tables import About, Cell, Column, Table, money
from pcn_portal.core.versions import version_of
from workforce import actions, calculations, mail, presenters
from workforce.forms import (
    AddLinesForm,
    AdjustmentForm,
    ClaimHeldLinesForm,
    DecisionForm,
    LineForm,
    StartClaimForm,
    SubmitClaimForm,
)
from workforce.models import Claim, ClaimStatus, lines_with_terms

# DOMAIN.md §3.6: what a portal declaration may state, each point from its source (the
# NECS Primary Care Workforce Portal, "Submit ARRS Claim"); no further terms are added. The
# page cites those documents as their publishers name them (networks.Source): the Network
# Contract DES specification's sections the national declaration refers to, and the page.
DECLARATION = [
    "the staff claimed for are additional to the network's baseline at 31 March 2019, or "
    "were newly recruited from 2019/20;",
    "each was in post for the period claimed;",
    "the amounts claimed are the actual salary and employer on-costs (National Insurance "
    "and pension) paid;",
    "the National Workforce Reporting Service (NWRS) records match this claim;",
    "evidence is kept for audit.",
]


STATUS_COLOURS = {
    ClaimStatus.DRAFT: "grey",
    ClaimStatus.SUBMITTED: "blue",
    ClaimStatus.APPROVED: "green",
    ClaimStatus.REJECTED: "red",
}


def month_text(month):
    return f"{month:%B %Y}"


def month_arg(month):
    return f"{month:%Y-%m}"


def claim_url(claim, name="workforce:claim_detail"):
    return reverse(name, args=[claim.pcn.code, claim.key])


def claim_label(claim):
    """The claim in a list of a network's claims: its month, and which supplementary claim
    of the month it is."""
    if claim.is_supplementary:
        return f"{month_text(claim.month)}: supplementary claim ({claim.supplement})"
    return month_text(claim.month)


def claim_crumbs(claim):
    """The claim's page, above the pages of one of its parts."""
    return [{"text": month_text(claim.month), "href": claim_url(claim)}]


def status_tag(claim):
    return format_html(
        '<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>',
        STATUS_COLOURS[claim.status],
        claim.get_status_display(),
    )


class ClaimTable(Table):
    month = Column("Month", claim_label, sort=("month", "supplement"), link=claim_url)
    status = Column("Status", lambda c: c.get_status_display(), sort="status")
    lines = Column("Lines", "line_count", numeric=True)
    held = Column("Held", "held_count", numeric=True)
    claimed = Column("Amount claimed", "claimed", numeric=True, format=money)
    submitted = Column("Submitted", "submitted_at", sort="submitted_at")
    decided = Column("Decided", "decided_at", sort="decided_at")

    caption = "Claims"
    default_sort = "-month"
    filename = "arrs-claims"
    empty_message = "No claims yet. Start the claim for a month below."


def year_without_maxima(on):
    """The financial year of the last month that can be claimed on a day, when NHS England
    has published no maximum amounts for it (every line of its claims is held), else None."""
    last_month = (on.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    year = financial_year_of(last_month)
    return None if calculations.maxima_published(year) else financial_year_label(year)


@load_pcn
def claim_list(request, pcn):
    table = ClaimTable(request, pcn.claims.select_related("pcn").with_totals())
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "workforce/claim_list.html",
        {
            "table": table,
            "form": StartClaimForm(),
            "year_without_maxima": year_without_maxima(today()),
        },
        section="claims",
        warnings=[*network_warnings(request, pcn), *held_lines_ready(pcn)],
    )


def held_lines_ready(pcn):
    """What needs attention on the claims page: supplementary claims not yet submitted
    whose held lines now have a maximum amount (entered since they were held), to check
    and submit."""
    ready = (
        pcn.claims.filter(supplement__gt=0, status__in=(ClaimStatus.DRAFT, ClaimStatus.REJECTED))
        .filter(lines__maximum_amount__isnull=False)
        .annotate(arrears=Sum("lines__reimbursable_amount", filter=Q(lines__arrears=True)))
        .order_by("month", "supplement")
    )
    return [
        format_html(
            "Arrears after NHS England revised maximum amounts: "
            '<a href="{}">{}</a> claims £{} and is ready to check and submit.',
            claim_url(claim),
            claim.title,
            f"{claim.arrears:,.2f}",
        )
        if claim.arrears
        else format_html(
            'Held lines can now be claimed: <a href="{}">{}</a> is ready to check and submit.',
            claim_url(claim),
            claim.title,
        )
        for claim in ready.select_related("pcn")
    ]


@load_rw_pcn
def claim_start(request, pcn):
    form = StartClaimForm(posted(request))
    if request.method == "POST":
        claim = save_form(
            form, lambda data: actions.start_claim(pcn=pcn, by=request.user, month=data["month"])
        )
        if claim is not None:
            count = claim.lines.count()
            success_message(
                request,
                form,
                f"Started the claim for {month_text(claim.month)} with {count} "
                f"line{'s' if count != 1 else ''} from the posts in place that month. Check "
                "each line against what was paid.",
            )
            return redirect(claim_url(claim))
        link_existing_claim(form, pcn)
    return render_network(
        request, pcn, "workforce/claim_start.html", {"form": form}, section="claims"
    )


def link_existing_claim(form, pcn):
    """The refusal of a month the network already has a claim for (someone started it
    first, perhaps a moment ago) links to that claim."""
    if not form.has_error(NON_FIELD_ERRORS, "claim_exists"):
        return
    claim = pcn.claims.filter(month=form.cleaned_data["month"], supplement=0).first()
    if claim is None:
        return
    form.errors[NON_FIELD_ERRORS] = form.error_class(
        [
            format_html(
                '{} already has a claim for {}: <a href="{}">open it</a>.',
                pcn.display_name,
                month_text(claim.month),
                claim_url(claim),
            )
        ],
        error_class="nonfield",
    )


CLAIM_KEY = re.compile(r"(?P<month>\d{4}-\d{2})(-supplementary-(?P<supplement>[1-9]\d{0,3}))?")


def parse_claim_key(value):
    """The month and supplementary number a claim's URL names (Claim.key): "2025-06" for
    the month's claim, "2025-06-supplementary-2" for its second supplementary claim."""
    match = CLAIM_KEY.fullmatch(value)
    try:
        month = datetime.date.fromisoformat(f"{match['month']}-01")
    except (TypeError, ValueError):
        raise Http404("Not a claim like 2025-06 or 2025-06-supplementary-1.") from None
    return month, int(match["supplement"] or 0)


def claim_of(pcn, key):
    month, supplement = parse_claim_key(key)
    return get_object_or_404(
        pcn.claims.select_related("pcn__lead_commissioner__icb", "submitted_by", "decided_by"),
        month=month,
        supplement=supplement,
    )


def held_note(claim, held_rows):
    count = len(held_rows)
    if not count:
        return ""
    lines = "line of this claim is" if count == 1 else "lines of this claim are"
    them = "it" if count == 1 else "them"
    moves = "it moves" if count == 1 else "they move"
    return (
        f"{count} {lines} held at £0, as no maximum amount is known for {them}: see why "
        f"below. The rest is claimed. When the claim is submitted, {moves} to a "
        f"supplementary claim for {month_text(claim.month)}, to be claimed once the figure "
        "is published."
    )


def arrears_span(lines):
    """The months arrears lines correct: "April 2025 to September 2025"."""
    months = sorted({line.corrects.claim.month for line in lines})
    span = month_text(months[0])
    return span + f" to {month_text(months[-1])}" if len(months) > 1 else span


def arrears_note(claim, rows):
    """What a claim holding arrears is, in the network's words."""
    owed = [row.line for row in rows if row.line.arrears]
    if not owed:
        return ""
    span = arrears_span(owed)
    total = sum(line.reimbursable_amount for line in owed)
    lines = "line" if len(owed) == 1 else "lines"

    return (
        f"This claim holds arrears for {span}: NHS England revised the maximum reimbursable "
        f"amounts for those months after they were claimed, and PCN Portal worked out what "
        f"each approved line is owed at its new maximum, nothing where its cost was already "
        f"under the old one ({len(owed)} {lines}, £{total:,.2f}). The approved lines are "
        "not changed: the arrears are claimed here."
        if claim.sealed
        else f"This claim holds arrears for {span}: NHS England revised the maximum "
        f"reimbursable amounts for those months after they were claimed, and PCN Portal "
        f"worked out what each approved line is owed at its new maximum, nothing where its "
        f"cost was already under the old one ({len(owed)} {lines}, £{total:,.2f}). Check "
        "them, then submit the claim."
    )


def lines_caption(claim, rows, held_rows):
    """The lines table's caption: an arrears claim's lines are for the months they correct."""
    if rows and all(row.line.arrears for row in rows):
        return f"Arrears for {arrears_span([row.line for row in rows])}"
    return f"{'Lines claimed' if held_rows else 'Lines'} for {month_text(claim.month)}"


def held_out(claim):
    """The lines held out of the claim at its submission, no maximum being known for them,
    with the supplementary claim each is in now."""
    return list(
        claim.held_out_lines.select_related("claim", "post__staff_member", "post__role").order_by(
            "post__staff_member__full_name", "pk"
        )
    )


def claim_context(request, pcn, claim):
    lines = list(
        lines_with_terms(
            claim.lines.select_related("post__role", "post__staff_member", "corrects__claim")
        ).order_by("post__staff_member__full_name", "pk")
    )
    every_row = presenters.line_rows(claim, lines)
    rows = [row for row in every_row if not row.held]
    held_rows = [row for row in every_row if row.held]
    history = list(claim.status_changes.select_related("by"))
    can_edit = request.can_edit and claim.editable
    return {
        "missing_lines": can_edit and actions.posts_without_lines(claim).exists(),
        "pcn": pcn,
        "claim": claim,
        "status_tag": status_tag(claim),
        "rows": rows,
        "held_rows": held_rows,
        "all_held": bool(held_rows) and not rows,
        "nothing_to_claim": actions.nothing_to_claim(claim) if held_rows and not rows else "",
        "held_note": held_note(claim, held_rows),
        "arrears_note": arrears_note(claim, rows),
        "caption": lines_caption(claim, rows, held_rows),
        "held_out": held_out(claim),
        "totals": presenters.totals(rows),
        "held_totals": presenters.totals(held_rows),
        "history": history,
        "can_edit": request.can_edit and claim.editable,
        "can_decide": claim.status == ClaimStatus.SUBMITTED
        and can_approve_claims(request.user, pcn),
        "declaration": DECLARATION,
        "declaration_source": presenters.declaration_source(),
    }


def month_claims(pcn, claim):
    """The month's claims: its claim and its supplementary claims, in order."""
    return list(pcn.claims.filter(month=claim.month).select_related("pcn").order_by("supplement"))


def held_lines_offer(request, claim, held_rows):
    """Whether the page offers to work the held lines out again: to a manager, on a claim
    the network may change, when a maximum amount is now known for one of its held lines
    (the rows' maxima are worked out from the figures held now). The action checks the
    same again and says why not."""
    if not (request.can_edit and claim.editable):
        return False
    return any(row.maximum.amount is not None for row in held_rows)


@load_pcn
def claim_detail(request, pcn, month):
    claim = claim_of(pcn, month)
    table = ClaimLineTable(
        request,
        lines_with_terms(
            claim.lines.select_related("post__role", "post__staff_member", "corrects__claim")
        ),
    )
    table.filename = f"arrs-claim-{pcn.code}-{claim.key}"
    if download := table.download():
        return download
    context = claim_context(request, pcn, claim)
    claims = month_claims(pcn, claim)
    context["month_claims"] = [c for c in claims if c != claim]
    context["offer_held"] = held_lines_offer(request, claim, context["held_rows"])
    context["held_form"] = ClaimHeldLinesForm()
    context["download_links"] = table.download_links
    return render_network(request, pcn, "workforce/claim_detail.html", context, section="claims")


@load_rw_pcn
def claim_line_edit(request, pcn, month, post_id):
    claim = claim_of(pcn, month)
    line = get_object_or_404(
        lines_with_terms(claim.lines.select_related("post__role", "post__staff_member")),
        post_id=post_id,
        corrects__isnull=True,
    )
    if not claim.editable:
        return render_network(
            request,
            pcn,
            "workforce/claim_line_edit.html",
            {**claim_context(request, pcn, claim), "line": line, "form": None},
            section="claims",
            crumbs=claim_crumbs(claim),
        )
    form = LineForm(posted(request), instance=line)
    if request.method == "POST":
        saved = save_form(
            form,
            lambda data: actions.change_line(
                line=line, by=request.user, changes=changes_from(data, actions.LINE_FIELDS)
            ),
        )
        if saved is not None:
            claimed = f"£{saved.reimbursable_amount:,.2f}"
            messages.success(
                request,
                f"Saved the line for {line.post.staff_member.full_name}: "
                + (
                    f"{claimed} claimed."
                    if saved.maximum_amount is not None
                    else "its maximum is not known yet, so it cannot be claimed."
                ),
            )
            return redirect(claim_url(claim))
    return render_network(
        request,
        pcn,
        "workforce/claim_line_edit.html",
        {"claim": claim, "line": line, "form": form},
        section="claims",
        crumbs=claim_crumbs(claim),
    )


@load_rw_pcn
def claim_add_lines(request, pcn, month):
    """Lines for posts added to the register after the claim was started."""
    claim = claim_of(pcn, month)
    form = AddLinesForm(posted(request))
    if request.method == "POST":
        added = []

        def write(data):
            added.extend(actions.add_missing_lines(claim=claim, by=request.user))
            return claim if added else None  # none missing (any more): nothing saved

        if save_form(form, write) is not None:
            success_message(request, form, lines_added(claim, added))
            return redirect(claim_url(claim))
        if form.errors:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(claim_url(claim))
    first, last = month_bounds(claim.month)
    posts = actions.posts_without_lines(claim)
    missing = actions.funded_in(posts, first, last) if claim.editable else []
    return render_network(
        request,
        pcn,
        "workforce/claim_add_lines.html",
        {"claim": claim, "missing": missing, "form": form},
        section="claims",
        crumbs=claim_crumbs(claim),
    )


@load_rw_pcn
def claim_adjust(request, pcn, month):
    """An adjustment line putting right an approved line of an earlier month, added to
    this (draft or rejected) claim."""
    claim = claim_of(pcn, month)
    form = AdjustmentForm(posted(request), claim=claim) if claim.editable else None
    if form is not None and request.method == "POST":
        line = save_form(
            form,
            lambda data: actions.add_adjustment(
                claim=claim,
                by=request.user,
                corrects=data["corrects"],
                amount=data["amount"],
                reason=data["reason"],
            ),
        )
        if line is not None:
            corrected = line.corrects
            success_message(
                request,
                form,
                f"Added an adjustment of {actions.signed_pounds(line.reimbursable_amount)} to "
                f"the claim for "
                f"{month_text(claim.month)}, correcting the line for "
                f"{corrected.post.staff_member} in {month_text(corrected.claim.month)}.",
            )
            return redirect(claim_url(claim))
    return render_network(
        request,
        pcn,
        "workforce/claim_adjust.html",
        {"claim": claim, "form": form},
        section="claims",
        crumbs=claim_crumbs(claim),
    )


def lines_added(claim, added):
    """What adding the lines did (for a copy of the form already saved, `added` is empty:
    the first copy added them)."""
    month = month_text(claim.month)
    if not added:
        return f"Added the missing lines to the claim for {month}."
    return f"Added {len(added)} line{'s' if len(added) != 1 else ''} to the claim for {month}."


@load_rw_pcn
def claim_held_work_out(request, pcn, month):
    """Work the claim's held lines out again with the maximum amounts known now."""
    claim = claim_of(pcn, month)
    form = ClaimHeldLinesForm(posted(request))
    if request.method == "POST":
        ready = []

        def write(data):
            ready.extend(actions.work_out_held_lines(claim=claim, by=request.user))
            return claim

        if save_form(form, write) is not None:
            success_message(request, form, held_lines_claimed(claim, ready))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(claim_url(claim))


def held_lines_claimed(claim, ready):
    """What working the held lines out again did (for a copy of the form already saved,
    `ready` is empty: the first copy claimed them)."""
    if not ready:
        return f"Worked out the held lines of the {claim.title[0].lower()}{claim.title[1:]} again."
    count = len(ready)
    return (
        f"Worked out {count} held line{'s' if count != 1 else ''} again with the maximum "
        "amounts now known: claimed with this claim. Check them, then submit the claim."
    )


def corrected_month(line):
    return month_text(line.corrects.claim.month) if line.corrects_id else ""


class ClaimLineTable(Table):
    """A claim's lines for its download: held lines (no known maximum) say so, claim £0
    and give the reason; an adjustment names the approved month it corrects and why, with
    its signed amount."""

    person = Column("Person", lambda line: line.post.staff_member.full_name)
    role = Column("Role", lambda line: str(line.post.role))
    band = Column("Band", lambda line: line.post.afc_band)
    hours = Column("Hours worked", "weekly_hours", numeric=True)
    salary = Column("Salary", "salary", numeric=True, format=money)
    ni = Column("Employer NI", "employer_ni", numeric=True, format=money)
    pension = Column("Employer pension", "employer_pension", numeric=True, format=money)
    cost = Column("Cost", "total_cost", numeric=True, format=money)
    maximum = Column("Maximum", "maximum_amount", numeric=True, format=money)
    claimed = Column("Claimed", "reimbursable_amount", numeric=True, format=money)
    held = Column("Held", lambda line: line.maximum_amount is None)
    reason = Column(
        "Why held", lambda line: line.held_reason if line.maximum_amount is None else ""
    )
    adjustment_of = Column("Adjustment of the approved line for", corrected_month)
    adjustment_reason = Column("Reason for the adjustment", "reason")

    caption = "Lines"
    default_sort = None
    per_page = 1000
    filename = "arrs-claim"


@load_rw_pcn
def claim_submit(request, pcn, month):
    claim = claim_of(pcn, month)
    form = SubmitClaimForm(posted(request))
    if claim.editable and request.method == "POST":
        saved = save_form(
            form,
            lambda data: actions.submit_claim(
                claim=claim, by=request.user, declaration=data["declaration"]
            ),
        )
        if saved is not None:
            messages.success(
                request,
                f"Submitted the claim for {month_text(claim.month)} to the commissioner. It "
                "can no longer be changed unless it is rejected.",
            )
            return redirect(claim_url(claim))
    context = claim_context(request, pcn, claim)
    context["form"] = form if claim.editable else None
    return render_network(
        request,
        pcn,
        "workforce/claim_submit.html",
        context,
        section="claims",
        crumbs=claim_crumbs(claim),
    )


@load_pcn
def claim_decide(request, pcn, month):
    check_can_approve_claims(request.user, pcn)
    claim = claim_of(pcn, month)
    form = DecisionForm(
        posted(request),
        initial={"version": version_of(claim), "next": request.GET.get("next", "")},
    )
    conflict = []
    if request.method == "POST":
        decided = save_form(
            form,
            lambda data: actions.decide_claim(
                claim=claim,
                by=request.user,
                approve=data["decision"] == "approve",
                note=data["decision_note"],
                version=data["version"],
            ),
        )
        if decided is not None:
            messages.success(request, decided_message(decided, pcn))
            return redirect(queue_to_return_to(request, pcn, form.cleaned_data["next"]))
        claim.refresh_from_db()
        if claim.status != ClaimStatus.SUBMITTED:
            conflict = form.non_field_errors()
    context = claim_context(request, pcn, claim)
    context["form"] = form if claim.status == ClaimStatus.SUBMITTED else None
    context["conflict"] = conflict
    context["queue_url"] = queue_to_return_to(request, pcn, form["next"].value())
    return render_network(
        request,
        pcn,
        "workforce/claim_decide.html",
        context,
        section="claims",
        crumbs=claim_crumbs(claim),
    )


def decided_message(claim, pcn):
    """What the approver is told once the decision is recorded: whether the network's
    managers are e-mailed it (workforce.mail.claim_decided writes to those with an
    address), or that someone has to tell them."""
    told = (
        "The network's managers have been e-mailed."
        if mail.managers_of(pcn)
        else "No manager of the network has an e-mail address in PCN Portal: tell them yourself."
    )
    return (
        f"{claim.get_status_display()} the claim of {pcn.display_name} for "
        f"{month_text(claim.month)}. {told}"
    )


QUEUE = "areas:claim_queue"


def queue_to_return_to(request, pcn, value):
    """Where a decision returns the approver: the queue they came from (`next`, its page,
    sort and filters kept) when it is a claims queue of this site, else the queue of their
    own area over the network (the highest they may open)."""
    if path := queue_path(request, value):
        return path
    areas = areas_seen(request.user, pcn)
    return reverse(QUEUE, args=[(areas[0] if areas else pcn.lead_commissioner).code])


def queue_path(request, value):
    """`value` as a path with its query string when it is a claims queue of this site,
    else None."""
    if not value or not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(value)
    try:
        is_queue = resolve(parts.path).view_name == QUEUE
    except Resolver404:
        return None
    return urlunsplit(("", "", parts.path, parts.query, "")) if is_queue else None


def person(user):
    """A user as a page names them; a claim whose submitter's account is gone (or that came
    in with no one named) says so."""
    if user is None:
        return "Not recorded"
    return person_name(user)


def waited(claim):
    """Whole days since the claim was submitted, as of today (0 on the day itself); None
    when its submission time was not recorded."""
    if claim.submitted_at is None:
        return None
    return (today() - timezone.localdate(claim.submitted_at)).days


def waiting_text(days):
    """How long a claim has waited, as the queue says it: "today", "1 day", "3 days"."""
    if days is None:
        return "Not recorded"
    if days <= 0:
        return "today"
    return f"{days} day" if days == 1 else f"{days:,} days"


def queue_filter(area, networks, months):
    """The queue's filters (a GET form): the Sub-ICB location (on an ICB's or region's
    queue), the month claimed for and the network, their choices from `networks`
    (filter_networks) and `months` (month_choices)."""
    fields = {}
    if not isinstance(area, SubICBLocation):
        sub_icbs = {pcn.lead_commissioner for pcn in networks}
        fields["sub_icb"] = django_filters.ChoiceFilter(
            label="Sub-ICB location (formerly CCG)",
            field_name="pcn__lead_commissioner__code",
            choices=[(s.code, str(s)) for s in sorted(sub_icbs, key=lambda s: (s.name, s.code))],
            empty_label="All Sub-ICB locations",
        )
    fields["month"] = django_filters.ChoiceFilter(
        label="Month claimed for",
        choices=months,
        method="by_month",
        empty_label="All months",
    )
    fields["network"] = django_filters.ChoiceFilter(
        label="Network",
        field_name="pcn__code",
        choices=[(pcn.code, pcn.name_and_code) for pcn in networks],
        empty_label="All networks",
    )

    def by_month(self, claims, name, value):
        return claims.filter(month=datetime.date.fromisoformat(f"{value}-01"))

    meta = type("Meta", (), {"model": Claim, "fields": []})
    return type(
        "QueueFilter", (django_filters.FilterSet,), {**fields, "by_month": by_month, "Meta": meta}
    )


def filter_networks(networks):
    """The networks of the queue's filter, by name, each with its Sub-ICB location and the
    months of its claims waiting (`waiting_months`): the three filters' choices in one
    query."""
    waiting = Q(claims__status=ClaimStatus.SUBMITTED)
    return list(
        networks.select_related("lead_commissioner")
        .annotate(waiting_months=ArrayAgg("claims__month", filter=waiting, distinct=True))
        .order_by("name", "code")
    )


MONTH_VALUE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month_choices(request, networks):
    """The months claims are waiting for, newest first, as (value, label); with the month
    a filter asks for even when no claim of it is waiting any more (its last one decided),
    so that the filter stays as the approver set it."""
    months = {month for pcn in networks for month in pcn.waiting_months or () if month}
    asked = request.GET.get("month", "")
    if MONTH_VALUE.fullmatch(asked):
        months.add(datetime.date.fromisoformat(f"{asked}-01"))
    return [(month_arg(m), month_text(m)) for m in sorted(months, reverse=True)]


def claim_value(claim):
    """A claim as the approval forms send it: its network's code and its key,
    "U99001/2025-06"."""
    return f"{claim.pcn.code}/{claim.key}"


class QueueTable(Table):
    submitted = Column("Submitted", "submitted_at", sort="submitted_at")
    waiting = Column("Waiting", waited, format=waiting_text, numeric=True, sort="-submitted_at")
    network = Column("Network", lambda c: f"{c.pcn.display_name} ({c.pcn.code})", sort="pcn__name")
    month = Column("Month", claim_label, sort=("month", "supplement"))
    lines = Column("Lines", "line_count", numeric=True)
    held = Column("Lines held out", "held_out_count", numeric=True)
    claimed = Column("Amount claimed", "claimed", numeric=True, format=money, sort="claimed")
    submitted_by = Column("Submitted by", lambda c: person(c.submitted_by))
    together = Column("Approve with others", lambda c: "", download=False)

    caption = "Claims waiting for a decision"
    default_sort = "submitted"
    # Each claim on the page shows its lines below the table (a network's month can hold
    # dozens), so the queue pages ten at a time.
    per_page = 10
    filename = "arrs-claims-waiting"
    empty_message = "No claim is waiting for a decision."
    # Whether the user approves the area's claims (networks.scopes.can_approve_in_area):
    # only then are clean claims offered to approve together.
    approves_here = False

    def cells(self, row):
        cells = []
        for cell in super().cells(row):
            if cell.column.key == "network":
                cell = Cell(cell.column, cell.text, self.claim_link(row))
            elif cell.column.key == "together":
                cell = Cell(cell.column, self.tick(row), None)
            cells.append(cell)
        return cells

    def claim_link(self, claim):
        """An approver of the network's claims opens its decision page, carrying this
        page's address (its page, sort and filters) to come back to once decided; the
        area's viewers, whom the decision page refuses, its read-only page."""
        if not can_approve_claims(self.request.user, claim.pcn):
            return claim_url(claim)
        back = urlencode({"next": self.request.get_full_path()})
        return f"{claim_url(claim, 'workforce:claim_decide')}?{back}"

    def tick(self, claim):
        """For an approver of the network's claims: a box to tick a clean claim (to approve
        it with others), or why the claim is decided on its own page. The allocation is
        checked on the confirmation page."""
        if not (self.approves_here and can_approve_claims(self.request.user, claim.pcn)):
            return ""
        if reason := actions.not_clean_reason(claim):
            return format_html('<span class="nhsuk-body-s">Decide on its own: {}</span>', reason)
        value = claim_value(claim)
        return format_html(
            '<div class="nhsuk-checkboxes nhsuk-checkboxes--small">'
            '<div class="nhsuk-checkboxes__item">'
            '<input class="nhsuk-checkboxes__input" id="{}" name="claim" type="checkbox" '
            'value="{}" form="approve-ticked">'
            '<label class="nhsuk-label nhsuk-checkboxes__label" for="{}">'
            '<span class="nhsuk-u-visually-hidden">Approve {}, {}, with the others ticked</span>'
            "</label></div></div>",
            f"tick-{value.replace('/', '-')}",
            value,
            f"tick-{value.replace('/', '-')}",
            claim.pcn.display_name,
            claim_label(claim),
        )


def area_claims(request, area):
    """The claims of the networks the user may see in the area, with the figures that
    say whether each is clean (workforce.actions.with_clean_counts)."""
    networks = PrimaryCareNetwork.objects.for_user(request.user).in_area(area)
    claims = Claim.objects.for_user(request.user).filter(pcn__in=networks)
    return networks, actions.with_clean_counts(
        claims.select_related("pcn__lead_commissioner__icb", "submitted_by")
    )


def claim_queue(request, area, *, breadcrumbs):
    """Submitted claims of the networks in a commissioner area, oldest first, for its
    approvers to decide (its viewers see the same list), filtered by Sub-ICB location,
    month and network and sorted by waiting time or amount. The area's approvers may tick
    clean claims to approve together (claim_queue_approve). The area's pages enter here
    (pcn_portal.areas.views.claim_queue) with the area loaded and their breadcrumbs."""
    networks, claims = area_claims(request, area)
    choices = filter_networks(networks)
    table = QueueTable(
        request,
        claims.waiting(),
        filterset_class=queue_filter(area, choices, month_choices(request, choices)),
    )
    table.about = About(code=area.code, name=area.name_and_code, on=today())
    if download := table.download():
        return download
    shown = presenters.with_lines(table.pagination.page.object_list)
    table.approves_here = can_approve_in_area(request.user, area)
    approvable = [
        claim
        for claim in shown
        if table.approves_here and can_approve_claims(request.user, claim.pcn)
    ]
    if not approvable:
        table.off_screen = ("together",)
    clean = [claim_value(c) for c in approvable if not actions.not_clean_reason(c)]
    return render(
        request,
        "workforce/claim_queue.html",
        {
            "area": area,
            "table": table,
            "waiting": shown,
            "breadcrumbs": breadcrumbs,
            "clean": clean,
            "approvable": approvable,
            "approve_url": reverse("areas:claim_queue_approve", args=[area.code]),
            "here": request.get_full_path(),
        },
    )


# --- approving clean claims together ----------------------------------------------------

# The most claims one confirmation lists: a few pages of the queue.
MOST_TOGETHER = 50


def chosen_claims(request, area, values):
    """The claims the approver chose ("U99001/2025-06", claim_value), found among the
    claims of the networks they may see in the area (any other is left out), in the order
    chosen."""
    wanted = []
    for value in dict.fromkeys(values[:MOST_TOGETHER]):
        code, _, key = value.partition("/")
        try:
            wanted.append((code, *parse_claim_key(key)))
        except Http404:
            continue
    if not wanted:
        return []
    q = Q()
    for code, month, supplement in wanted:
        q |= Q(pcn__code=code, month=month, supplement=supplement)
    _, claims = area_claims(request, area)
    found = {(c.pcn.code, c.month, c.supplement): c for c in claims.filter(q)}
    return [found[w] for w in wanted if w in found]


def named(claim):
    """A claim as the approval pages name it: "Riverside PCN, June 2025"."""
    return f"{claim.pcn.display_name}, {claim_label(claim)}"


def claim_queue_approve(request, area, *, breadcrumbs):
    """Approve clean claims together: the claims ticked in the queue (GET) are listed with
    their network, month and amount and their total, each checked again (clean, and
    within its network's allocation: workforce.actions.clean_refusal), those that are not
    named with the reason; confirming (POST) approves them, each through
    workforce.actions.approve_clean_claims, and returns to the queue as it was left."""
    if not can_approve_in_area(request.user, area):
        raise PermissionDenied("Only the area's approvers can approve its claims together.")
    data = request.POST if request.method == "POST" else request.GET
    back = queue_path(request, data.get("next", "")) or reverse(QUEUE, args=[area.code])
    claims = chosen_claims(request, area, data.getlist("claim"))
    if request.method == "POST":
        return approve_chosen(request, claims, back)
    if not claims:
        messages.error(
            request,
            "Tick the claims to approve together first, or choose to approve all clean "
            "claims on the page.",
        )
        return redirect(back)
    clean, left_out = [], []
    for claim in claims:
        if not can_approve_claims(request.user, claim.pcn):
            left_out.append((claim, "only the commissioner's approvers can decide it"))
        elif reason := actions.clean_refusal(claim):
            left_out.append((claim, reason))
        else:
            clean.append(
                {"claim": claim, "value": claim_value(claim), "version": version_of(claim)}
            )
    return render(
        request,
        "workforce/claim_queue_approve.html",
        {
            "area": area,
            "breadcrumbs": [*breadcrumbs, {"text": "ARRS claims to decide", "href": back}],
            "clean": clean,
            "left_out": [left_out_item(claim, reason, back) for claim, reason in left_out],
            "total": sum((c["claim"].claimed or 0 for c in clean), Decimal("0.00")),
            "back": back,
        },
    )


def left_out_item(claim, reason, back):
    """A claim left out of the approval, linked to its decision page (which returns to
    the queue), with why."""
    href = f"{claim_url(claim, 'workforce:claim_decide')}?{urlencode({'next': back})}"
    return format_html('<a class="nhsuk-link" href="{}">{}</a>: {}', href, named(claim), reason)


def approve_chosen(request, claims, back):
    """Approve the claims confirmed (each with the version the confirmation listed) and
    say which were approved and which were left out, and why."""
    if not claims:
        messages.error(request, "No claim was approved: none of them is waiting in this queue.")
        return redirect(back)
    versions = [(c, version_from(request.POST.get(f"version:{claim_value(c)}"))) for c in claims]
    approved, left_out = actions.approve_clean_claims(claims=versions, by=request.user)
    if approved:
        total = sum((c.claimed or 0 for c in claims if c in approved), Decimal("0.00"))
        count = len(approved)
        messages.success(
            request,
            f"Approved {count} claim{'s' if count != 1 else ''} together, £{total:,.2f} in "
            f"all: {'; '.join(named(c) for c in approved)}. {who_was_told(approved)}",
        )
    if left_out:
        reasons = " ".join(f"{named(claim)}: {reason}" for claim, reason in left_out)
        start = "No claim was approved." if not approved else "Not approved, left out:"
        messages.error(request, f"{start} {reasons}")
    return redirect(back)


def who_was_told(approved):
    """Whether each network's managers are e-mailed its decision (workforce.mail writes
    to those with an address), naming the networks someone has to tell themselves."""
    networks = {claim.pcn.pk: claim.pcn for claim in approved}.values()
    untold = [pcn.display_name for pcn in networks if not mail.managers_of(pcn)]
    if not untold:
        return "Each network's managers have been e-mailed."
    return (
        f"No manager of {' or '.join(untold)} has an e-mail address in PCN Portal: tell "
        "them yourself."
    )


def version_from(value):
    """A version a form sent: a whole number, or None (then decide_claim checks only that
    the claim is still waiting)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
