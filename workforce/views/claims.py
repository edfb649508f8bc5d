"""Monthly ARRS claims: a network's claims, starting one for a month, its lines (what was
paid, the hours worked, the maximum and the amount claimed), the declaration and
submission, and an approver's decision. A submitted or approved claim is read-only for the
network; a rejected one is corrected and submitted again."""

import datetime

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html

from networks.loaders import load_area, load_pcn, load_rw_pcn
from networks.models import PrimaryCareNetwork
from networks.pages import render_network
from networks.scopes import can_approve_claims, check_can_approve_claims
from pcn_portal.core.forms import changes_from, posted, save_form, success_message
from pcn_portal.core.names import person_name
from pcn_portal.core.tables import Column, RowsTable, Table, money
from pcn_portal.core.versions import version_of
from workforce import actions, presenters
from workforce.forms import (
    AddLinesForm,
    AdjustmentForm,
    DecisionForm,
    LineForm,
    StartClaimForm,
    SubmitClaimForm,
)
from workforce.models import Claim, ClaimStatus

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
    return reverse(name, args=[claim.pcn.code, month_arg(claim.month)])


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
    month = Column("Month", lambda c: month_text(c.month), sort="month", link=claim_url)
    status = Column("Status", lambda c: c.get_status_display(), sort="status")
    lines = Column("Lines", "line_count", numeric=True)
    claimed = Column("Amount claimed", "claimed", numeric=True, format=money)
    submitted = Column("Submitted", "submitted_at", sort="submitted_at")
    decided = Column("Decided", "decided_at", sort="decided_at")

    caption = "Claims"
    default_sort = "-month"
    filename = "arrs-claims"
    empty_message = "No claims yet. Start the claim for a month below."


def corrected_month(row):
    corrected = row.line.corrects
    return month_text(corrected.claim.month) if corrected else ""


class ClaimLineTable(RowsTable):
    """A claim's lines as its page shows them (presenters.LineRow), for its downloads: an
    adjustment names the approved month it corrects and why, with its signed amount."""

    staff_member = Column("Staff member", "post.staff_member.full_name")
    role = Column("Role", lambda r: str(r.post.role))
    adjustment_of = Column("Adjustment of the approved line for", corrected_month)
    reason = Column("Reason for the adjustment", "line.reason")
    hours = Column("Weekly hours worked", "line.weekly_hours", numeric=True)
    cost = Column("Cost", "cost", numeric=True, format=money)
    maximum = Column("Maximum", "line.maximum_amount", numeric=True, format=money)
    claimed = Column("Claimed", "line.reimbursable_amount", numeric=True, format=money)

    caption = "Lines"
    per_page = 1000


def with_totals(claims):
    return claims.annotate(line_count=Count("lines"), claimed=Sum("lines__reimbursable_amount"))


@load_pcn
def claim_list(request, pcn):
    table = ClaimTable(request, with_totals(pcn.claims.select_related("pcn")))
    if download := table.download():
        return download
    return render_network(
        request,
        pcn,
        "workforce/claim_list.html",
        {"table": table, "form": StartClaimForm()},
        section="claims",
    )


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
    claim = pcn.claims.filter(month=form.cleaned_data["month"]).first()
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


def parse_month(value):
    try:
        return datetime.date.fromisoformat(f"{value}-01")
    except ValueError:
        raise Http404("Not a month like 2025-06.") from None


def claim_of(pcn, month):
    return get_object_or_404(
        pcn.claims.select_related("pcn__lead_commissioner__icb", "submitted_by", "decided_by"),
        month=parse_month(month),
    )


def claim_context(request, pcn, claim):
    lines = list(
        claim.lines.select_related("post__role", "post__staff_member", "corrects__claim").order_by(
            "post__staff_member__full_name", "pk"
        )
    )
    rows = presenters.line_rows(claim, lines)
    history = list(claim.status_changes.select_related("by"))
    can_edit = request.can_edit and claim.editable
    return {
        "missing_lines": can_edit and actions.posts_without_lines(claim).exists(),
        "pcn": pcn,
        "claim": claim,
        "status_tag": status_tag(claim),
        "rows": rows,
        "totals": presenters.totals(rows),
        "history": history,
        "can_edit": request.can_edit and claim.editable,
        "can_decide": claim.status == ClaimStatus.SUBMITTED
        and can_approve_claims(request.user, pcn),
        "declaration": DECLARATION,
        "declaration_source": presenters.declaration_source(),
    }


@load_pcn
def claim_detail(request, pcn, month):
    claim = claim_of(pcn, month)
    context = claim_context(request, pcn, claim)
    lines = ClaimLineTable(
        request, context["rows"], filename=f"arrs-claim-{pcn.code}-{month_arg(claim.month)}"
    )
    if download := lines.download():
        return download
    context["line_downloads"] = lines.download_links if context["rows"] else []
    return render_network(request, pcn, "workforce/claim_detail.html", context, section="claims")


@load_rw_pcn
def claim_line_edit(request, pcn, month, post_id):
    claim = claim_of(pcn, month)
    line = get_object_or_404(
        claim.lines.select_related("post__role", "post__staff_member"),
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
    missing = list(actions.posts_without_lines(claim)) if claim.editable else []
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
    context["problems"] = [row for row in context["rows"] if row.problem]
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
    form = DecisionForm(posted(request), initial={"version": version_of(claim)})
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
            messages.success(
                request,
                f"{decided.get_status_display()} the claim of {pcn.display_name} for "
                f"{month_text(claim.month)}. The network's managers have been e-mailed.",
            )
            return redirect("areas:claim_queue", pcn.lead_commissioner.code)
        claim.refresh_from_db()
        if claim.status != ClaimStatus.SUBMITTED:
            conflict = form.non_field_errors()
    context = claim_context(request, pcn, claim)
    context["form"] = form if claim.status == ClaimStatus.SUBMITTED else None
    context["conflict"] = conflict
    return render_network(
        request,
        pcn,
        "workforce/claim_decide.html",
        context,
        section="claims",
        crumbs=claim_crumbs(claim),
    )


def person(user):
    """A user as a page names them; a claim whose submitter's account is gone (or that came
    in with no one named) says so."""
    if user is None:
        return "Not recorded"
    return person_name(user)


class QueueTable(Table):
    submitted = Column("Submitted", "submitted_at", sort="submitted_at")
    network = Column(
        "Network",
        lambda c: f"{c.pcn.display_name} ({c.pcn.code})",
        sort="pcn__name",
        link=lambda c: claim_url(c, "workforce:claim_decide"),
    )
    month = Column("Month", lambda c: month_text(c.month), sort="month")
    lines = Column("Lines", "line_count", numeric=True)
    claimed = Column("Amount claimed", "claimed", numeric=True, format=money)
    submitted_by = Column("Submitted by", lambda c: person(c.submitted_by))

    caption = "Claims waiting for a decision, oldest first"
    default_sort = "submitted"
    # Each claim on the page shows its lines below the table (a network's month can hold
    # dozens), so the queue pages ten at a time.
    per_page = 10
    filename = "arrs-claims-waiting"
    empty_message = "No claim is waiting for a decision."


@load_area
def claim_queue(request, area):
    """Submitted claims of the networks in a commissioner area, oldest first, for its
    approvers to decide (its viewers see the same list)."""
    networks = PrimaryCareNetwork.objects.for_user(request.user).in_area(area)
    claims = (
        Claim.objects.for_user(request.user)
        .filter(pcn__in=networks)
        .waiting()
        .select_related("pcn", "submitted_by")
    )
    table = QueueTable(request, with_totals(claims))
    if download := table.download():
        return download
    waiting = presenters.with_lines(table.pagination.page.object_list)
    return render(
        request,
        "workforce/claim_queue.html",
        {
            "area": area,
            "table": table,
            "waiting": waiting,
            "breadcrumbs": [{"text": "Home", "href": reverse("home")}],
        },
    )
