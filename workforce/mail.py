"""E-mails about ARRS claims, sent once the transaction that changed the claim commits
(workforce.actions calls these in transaction.on_commit): a submitted claim to the
approvers of the commissioner areas over the network, a decision to the network's
managers. Django's e-mail: the console in development, SMTP set by environment variables
in production (settings.EMAIL_*)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse

from networks.models import Role, Scope
from networks.scopes import commissioners_of


def _addresses(users):
    return sorted({u.email for u in users if u.email})


def approvers_of(pcn):
    """Active users who approve claims for the network: approvers of its Sub-ICB
    location, ICB or region, and national approvers."""
    areas = commissioners_of(pcn)
    q = Q(assignments__scope=Scope.NATIONAL)
    fields = {Scope.SUB_ICB: "sub_icb_location", Scope.ICB: "icb", Scope.REGION: "region"}
    for scope, area_id in areas.items():
        if area_id:
            q |= Q(assignments__scope=scope, **{f"assignments__{fields[scope]}_id": area_id})
    users = (
        get_user_model()
        .objects.filter(q, assignments__role=Role.APPROVER, is_active=True)
        .distinct()
    )
    return _addresses(users)


def managers_of(pcn):
    users = (
        get_user_model()
        .objects.filter(
            assignments__scope=Scope.PCN,
            assignments__pcn=pcn,
            assignments__role=Role.EDITOR,
            is_active=True,
        )
        .distinct()
    )
    return _addresses(users)


def claim_url(claim):
    path = reverse("workforce:claim_detail", args=[claim.pcn.code, claim.key])
    return settings.PORTAL_URL.rstrip("/") + path


def claim_submitted(claim):
    pcn = claim.pcn
    recipients = approvers_of(pcn)
    if not recipients:
        return 0
    subject = f"ARRS claim for {claim.month:%B %Y} from {pcn.display_name} ({pcn.code})"
    body = (
        f"{pcn.display_name} ({pcn.code}) has submitted its ARRS claim for "
        f"{claim.month:%B %Y} for your decision.\n\n"
        f"Submitted by: {claim.submitted_by.get_full_name() or claim.submitted_by}\n"
        f"See the claim and decide: {claim_url(claim)}\n"
    )
    return send_mass_mail([(subject, body, None, [to]) for to in recipients])


def claim_decided(claim):
    pcn = claim.pcn
    recipients = managers_of(pcn)
    if not recipients:
        return 0
    decision = claim.get_status_display().lower()
    subject = f"Your ARRS claim for {claim.month:%B %Y} was {decision}"
    body = (
        f"The ARRS claim of {pcn.display_name} ({pcn.code}) for {claim.month:%B %Y} was "
        f"{decision} by {claim.decided_by.get_full_name() or claim.decided_by}.\n"
    )
    if claim.decision_note:
        label = "Reason" if claim.status == "rejected" else "Note"
        body += f"\n{label}: {claim.decision_note}\n"
    if claim.status == "rejected":
        body += "\nCorrect the claim and submit it again.\n"
    body += f"\nSee the claim: {claim_url(claim)}\n"
    return send_mass_mail([(subject, body, None, [to]) for to in recipients])


def held_lines_claimable(pcn, claims):
    """To the network's managers, once maximum amounts published since let held lines of
    its claims be claimed: `claims` is [(claim, number of lines now claimed)], each ready
    to check and submit."""
    recipients = managers_of(pcn)
    if not recipients:
        return 0
    subject = f"ARRS held lines can now be claimed: {pcn.display_name} ({pcn.code})"
    listed = "".join(
        f"- {claim.title}: {count} line{'s' if count != 1 else ''} now claimed, "
        f"{claim_url(claim)}\n"
        for claim, count in claims
    )
    body = (
        f"NHS England's maximum amounts entered in PCN Portal since now cover lines of "
        f"{pcn.display_name} ({pcn.code}) that were held because no maximum amount was known. "
        "They have been worked out again and are claimed with these claims, which are not "
        "submitted yet:\n\n"
        f"{listed}\nCheck each claim and submit it to the commissioner.\n"
    )
    return send_mass_mail([(subject, body, None, [to]) for to in recipients])


def arrears_claimable(pcn, claims):
    """To the network's managers, once arrears were worked out after NHS England revised
    maximum amounts for months it had claimed: `claims` is [(claim, lines, amount)], each
    a draft to check and submit."""
    recipients = managers_of(pcn)
    if not recipients:
        return 0
    subject = f"ARRS arrears to claim: {pcn.display_name} ({pcn.code})"
    listed = "".join(
        f"- {claim.title}: {lines} line{'s' if lines != 1 else ''}, £{amount:,.2f}, "
        f"{claim_url(claim)}\n"
        for claim, lines, amount in claims
    )
    body = (
        f"NHS England's maximum reimbursable amounts were revised for months that "
        f"{pcn.display_name} ({pcn.code}) has claimed. PCN Portal has worked out what each "
        "approved line is owed at the new maximum (nothing where the cost was already under "
        "the old one) and put the arrears in these claims, which are not submitted yet:\n\n"
        f"{listed}\nCheck each claim and submit it to the commissioner.\n"
    )
    return send_mass_mail([(subject, body, None, [to]) for to in recipients])
