"""Who may see and change what: plain functions over a user's Assignment rows.

Outside a user's scope a network or an area does not exist for them (404); inside it
without the right role a write or a decision is refused (403). Views reach records through
the loaders in networks.loaders, which use these.
"""

from django.core.exceptions import PermissionDenied

from networks.models import (
    IntegratedCareBoard,
    Role,
    Scope,
    SubICBLocation,
    sees_everything,
    user_assignments,
)


def can_edit_pcn(user, pcn):
    """Network managers (editors) of the network, and national admins, may change its
    records; nobody else."""
    if user.is_superuser:
        return True
    return any(
        a.scope == Scope.PCN and a.pcn_id == pcn.pk and a.role == Role.EDITOR
        for a in user_assignments(user)
    )


def check_can_edit_pcn(user, pcn):
    if not can_edit_pcn(user, pcn):
        raise PermissionDenied("You can view this network but not change it.")


def partner_refusal(user, partner):
    """Why the user may not change a partner organisation's own details (name, kind, ODS
    code), or None. A partner is one record every network working with it shares: the
    network that added it changes it while no other network works with it; a national
    record, or one other networks work with too, only national admins change. Each network
    changes its own collaboration with it."""
    if user.is_superuser:
        return None
    name = partner.display_name
    added_by = partner.added_by_pcn
    if added_by is None:
        return f"{name} is a national record: only a national administrator can change it."
    if partner.collaborations.exclude(pcn_id=added_by.pk).exists():
        return (
            f"{name} works with other networks too, so only a national administrator can "
            "change its details. Each network changes its own collaboration with it."
        )
    if not can_edit_pcn(user, added_by):
        return (
            f"{name} was added by {added_by.display_name}: only that network's managers, or "
            "a national administrator, can change its details."
        )
    return None


def check_can_change_partner(user, partner):
    if refusal := partner_refusal(user, partner):
        raise PermissionDenied(refusal)


def commissioners_of(pcn):
    """{scope: area id} of the commissioner areas a network sits in (from its lead
    commissioner; load the PCN with lead_commissioner__icb)."""
    sub_icb = pcn.lead_commissioner
    return {
        Scope.SUB_ICB: sub_icb.pk,
        Scope.ICB: sub_icb.icb_id,
        Scope.REGION: sub_icb.icb.region_id if sub_icb.icb_id else None,
    }


def areas_seen(user, pcn):
    """The commissioner areas over the network whose pages the user may open, from the
    region down: commissioner staff see their own area and every area inside it, national
    staff and admins all of them (the area loaders' rule). Read from the user's assignments
    and the network's lead commissioner, without a query: load the PCN with
    lead_commissioner__icb__region."""
    sub_icb = pcn.lead_commissioner
    icb = sub_icb.icb
    chain = [
        (Scope.REGION, icb.region if icb else None),
        (Scope.ICB, icb),
        (Scope.SUB_ICB, sub_icb),
    ]
    chain = [(scope, area) for scope, area in chain if area is not None]
    if sees_everything(user):
        return [area for _, area in chain]
    held = {(a.scope, a.area_id) for a in user_assignments(user)}
    seen, shown = False, []
    for scope, area in chain:
        seen = seen or (scope, area.pk) in held
        if seen:
            shown.append(area)
    return shown


def can_keep_notes(user, pcn):
    """Staff of a commissioner area the network sits in (viewers and approvers alike), and
    national staff and admins, read and write the commissioner's notes on it: the area's
    own record of the network. Its managers and viewers never see them. Load the PCN with
    lead_commissioner__icb."""
    if sees_everything(user):
        return True
    areas = commissioners_of(pcn)
    return any(
        a.scope in areas and a.area_id and areas[a.scope] == a.area_id
        for a in user_assignments(user)
    )


def check_can_keep_notes(user, pcn):
    if not can_keep_notes(user, pcn):
        raise PermissionDenied(
            "Only staff of a commissioner area the network is in can keep notes on it."
        )


def can_approve_claims(user, pcn):
    """Approvers of a commissioner area the network sits in (or national approvers), and
    national admins, decide the network's money: its ARRS claims, and the weighted
    population its ARRS allocation is worked out from. Commissioner viewers read."""
    if user.is_superuser:
        return True
    areas = commissioners_of(pcn)
    return any(
        a.role == Role.APPROVER
        and (a.scope == Scope.NATIONAL or (a.area_id and areas.get(a.scope) == a.area_id))
        for a in user_assignments(user)
    )


def check_can_approve_claims(
    user, pcn, refusal="Only the commissioner's approvers can decide this claim."
):
    if not can_approve_claims(user, pcn):
        raise PermissionDenied(refusal)


WEIGHTED_POPULATION_REFUSAL = (
    "Only the commissioner's approvers can enter a network's weighted population: it sets "
    "the network's ARRS allocation."
)


def can_approve_in_area(user, area):
    """Approvers of a commissioner area or of one above it (or national approvers), and
    national admins: they decide the claims of every network in the area
    (can_approve_claims), so they may approve the area's clean claims together. Reads the
    area's ICB only for a region's approver on a Sub-ICB location's page."""
    if user.is_superuser:
        return True
    return any(a.role == Role.APPROVER and _holds(a, area) for a in user_assignments(user))


def _holds(assignment, area):
    """Whether an assignment's area is the area or one above it."""
    scope, held = assignment.scope, assignment.area_id
    if scope == Scope.NATIONAL:
        return True
    if isinstance(area, SubICBLocation):
        ids = {Scope.SUB_ICB: area.pk, Scope.ICB: area.icb_id}
        if scope == Scope.REGION and area.icb_id:
            return area.icb.region_id == held
    elif isinstance(area, IntegratedCareBoard):
        ids = {Scope.ICB: area.pk, Scope.REGION: area.region_id}
    else:
        ids = {Scope.REGION: area.pk}
    return scope in ids and ids[scope] == held
