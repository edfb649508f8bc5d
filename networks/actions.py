"""Writes to networks, their agreements, clinical directors, teams and users' scopes."""

import datetime

from django.core.exceptions import ValidationError

from networks.models import (
    Assignment,
    ClinicalDirector,
    Collaboration,
    CommissionerNote,
    IntegratedCareBoard,
    NetworkAgreement,
    NetworkAgreementSchedule,
    NetworkAgreementStatus,
    NetworkTeamMember,
    PartnerOrganisation,
    PrimaryCareNetwork,
    Region,
    Scope,
    SignInIdentity,
    Source,
    SubICBLocation,
)
from networks.scopes import check_can_change_partner, check_can_keep_notes
from pcn_portal.core.writing import (
    apply_changes,
    delete_checked,
    one_at_a_time,
    save_checked,
    validated_save,
    writing,
)

# What each edit action may change (its `changes` are checked against it); the forms of the
# network's pages take their fields from these.
PCN_FIELDS = [
    "name",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "address_line_5",
    "postcode",
    "nominated_payee",
    "footprint_notes",
]


def create_pcn(
    *,
    by=None,
    process=None,
    code,
    name,
    lead_commissioner,
    open_date=None,
    close_date=None,
    address_line_1="",
    address_line_2="",
    address_line_3="",
    address_line_4="",
    address_line_5="",
    postcode="",
):
    """A network, as ODS would publish it (imports create them in bulk; this is for the
    demo and for tests)."""
    with writing(by, process):
        return validated_save(
            PrimaryCareNetwork(
                code=code,
                name=name,
                lead_commissioner=lead_commissioner,
                open_date=open_date,
                close_date=close_date,
                address_line_1=address_line_1,
                address_line_2=address_line_2,
                address_line_3=address_line_3,
                address_line_4=address_line_4,
                address_line_5=address_line_5,
                postcode=postcode,
            )
        )


def create_region(*, by=None, process=None, code, name, open_date=None):
    """A region, as ODS publishes it (imports create them in bulk; this is for the demo and
    for tests)."""
    with writing(by, process):
        return validated_save(Region(code=code, name=name, open_date=open_date))


def create_icb(*, by=None, process=None, code, name, region, open_date=None):
    """An integrated care board, as ODS publishes it."""
    with writing(by, process):
        return validated_save(
            IntegratedCareBoard(code=code, name=name, region=region, open_date=open_date)
        )


def create_sub_icb_location(*, by=None, process=None, code, name, icb, open_date=None):
    """A Sub-ICB location (formerly a CCG), as ODS publishes it."""
    with writing(by, process):
        return validated_save(SubICBLocation(code=code, name=name, icb=icb, open_date=open_date))


def update_pcn(*, pcn, by=None, process=None, changes):
    """Change a network's own details: `changes` maps fields of PCN_FIELDS to new values;
    anything else is refused. Its ODS code, commissioner and dates are ODS's (see
    correct_record)."""
    with writing(by, process):
        return validated_save(apply_changes(pcn, changes, PCN_FIELDS))


def add_clinical_director(
    *,
    pcn,
    by,
    full_name,
    profession,
    start_date,
    profession_detail="",
    practice=None,
    end_date=None,
    share=1,
):
    with writing(by):
        return validated_save(
            ClinicalDirector(
                pcn=pcn,
                full_name=full_name,
                profession=profession,
                profession_detail=profession_detail,
                practice=practice,
                start_date=start_date,
                end_date=end_date,
                share=share,
            )
        )


CLINICAL_DIRECTOR_FIELDS = [
    "full_name",
    "profession",
    "profession_detail",
    "practice",
    "start_date",
    "end_date",
    "share",
]
TEAM_MEMBER_FIELDS = [
    "full_name",
    "role",
    "role_detail",
    "email",
    "start_date",
    "end_date",
]
# A collaboration's partner is chosen when it is added and may be corrected on its change
# page; a partner organisation's own details are national (see ADMIN_FIELDS).
COLLABORATION_FIELDS = ["partner", "description", "start_date", "end_date"]
# A partner organisation's own details, which the network that added it changes while no
# other network works with it (networks.scopes.partner_refusal).
PARTNER_FIELDS = ["name", "kind", "ods_code"]


def update_clinical_director(*, director, by, changes, share_from=None):
    """Change a clinical director's record: `changes` maps fields of
    CLINICAL_DIRECTOR_FIELDS to new values; anything else is refused.

    A new share of the role applies from `share_from` (DESIGN.md: terms are effective-
    dated): the appointment so far ends the day before, keeping its share, and the same
    director's appointment carries on from that day with the new one, so the history shows
    each period. Without a day, or from their first day, the share is corrected from the
    start."""
    with writing(by):
        share = changes.get("share")
        # The share stored, not the instance's: a model form has already set the new one.
        stored = ClinicalDirector.objects.filter(pk=director.pk).values("share", "start_date")
        stored = stored.first() or {"share": director.share, "start_date": director.start_date}
        split = (
            share_from is not None
            and share is not None
            and share != stored["share"]
            and share_from > stored["start_date"]
        )
        if not split:
            return validated_save(apply_changes(director, changes, CLINICAL_DIRECTOR_FIELDS))
        if director.end_date is not None and share_from > director.end_date:
            raise ValidationError(
                {"share_from": "The new share must apply from a day in post, on or before "
                 f"their last day, {director.end_date.day} {director.end_date:%B %Y}."}
            )  # fmt: skip
        rest = {k: v for k, v in changes.items() if k != "share"}
        apply_changes(director, rest, CLINICAL_DIRECTOR_FIELDS)
        director.share = stored["share"]  # the days before keep their share
        last_day = director.end_date
        director.end_date = share_from - datetime.timedelta(days=1)
        validated_save(director)
        return validated_save(
            ClinicalDirector(
                pcn=director.pcn,
                full_name=director.full_name,
                profession=director.profession,
                profession_detail=director.profession_detail,
                practice=director.practice,
                start_date=share_from,
                end_date=last_day,
                share=share,
            )
        )


def end_clinical_director(*, director, by, end_date):
    """end_date is the last day in post."""
    with writing(by):
        director.end_date = end_date
        return validated_save(director)


def add_team_member(
    *, pcn, by, full_name, role, start_date, role_detail="", email="", end_date=None
):
    with writing(by):
        return validated_save(
            NetworkTeamMember(
                pcn=pcn,
                full_name=full_name,
                role=role,
                role_detail=role_detail,
                email=email,
                start_date=start_date,
                end_date=end_date,
            )
        )


def add_partner_organisation(*, by, name, kind, ods_code="", added_by_pcn=None):
    """An organisation networks work with (a trust, a council, a voluntary group): the
    network's that added it (`added_by_pcn`), or a national record."""
    with writing(by):
        return validated_save(
            PartnerOrganisation(name=name, kind=kind, ods_code=ods_code, added_by_pcn=added_by_pcn)
        )


def update_partner_organisation(*, partner, by, changes):
    """Change a partner organisation's own details: `changes` maps fields of PARTNER_FIELDS
    to new values; anything else is refused. Refused (PermissionDenied, naming why) unless
    the user may change it (networks.scopes.partner_refusal): the network that added it,
    while no other network works with it, or a national admin. The change is in the
    history of the network that added it, and of every network working with it."""
    with writing(by):
        # The lock waits for a collaboration being added with the partner (its foreign key
        # check locks the row too), so the check below sees it.
        PartnerOrganisation.objects.select_for_update().filter(pk=partner.pk).exists()
        check_can_change_partner(by, partner)
        return validated_save(apply_changes(partner, changes, PARTNER_FIELDS))


def update_team_member(*, member, by, changes):
    """Change a team member's record: `changes` maps fields of TEAM_MEMBER_FIELDS to new
    values; anything else is refused."""
    with writing(by):
        return validated_save(apply_changes(member, changes, TEAM_MEMBER_FIELDS))


def end_team_member(*, member, by, end_date):
    """end_date is the last day in the role."""
    with writing(by):
        member.end_date = end_date
        return validated_save(member)


def add_collaboration(
    *,
    pcn,
    by,
    start_date,
    partner=None,
    partner_name="",
    partner_kind="",
    description="",
    end_date=None,
):
    """A collaboration with a partner organisation; a partner not yet known (partner=None)
    is made from its name and kind, as the network's own, or found when one of that name
    and kind exists (made by someone else a moment before included)."""
    with writing(by):
        if partner is None:
            name = partner_name.strip()
            one_at_a_time("partner", name.lower(), partner_kind)
            partner = PartnerOrganisation.objects.filter(
                name__iexact=name, kind=partner_kind
            ).first() or validated_save(
                PartnerOrganisation(name=name, kind=partner_kind, added_by_pcn=pcn)
            )
        return validated_save(
            Collaboration(
                pcn=pcn,
                partner=partner,
                description=description,
                start_date=start_date,
                end_date=end_date,
            )
        )


def update_collaboration(*, collaboration, by, changes):
    """Change a collaboration: `changes` maps fields of COLLABORATION_FIELDS to new values;
    anything else is refused."""
    with writing(by):
        return validated_save(apply_changes(collaboration, changes, COLLABORATION_FIELDS))


AGREEMENT_FIELDS = ["signed_on", "data_sharing_agreement_in_place", "notes"]


def record_network_agreement(
    *, pcn, by, financial_year, changes=None, schedules=None, only_these_schedules=False
):
    """Create or change a network's agreement for a year: `changes` maps fields of
    AGREEMENT_FIELDS to new values (anything else is refused; a new agreement starts
    blank), schedules maps number → status. With only_these_schedules, a schedule not in
    the map is removed (no status recorded)."""
    with writing(by):
        agreement = pcn.agreements.filter(financial_year=financial_year).first()
        agreement = agreement or NetworkAgreement(pcn=pcn, financial_year=financial_year)
        validated_save(apply_changes(agreement, changes or {}, AGREEMENT_FIELDS))
        recorded = {s.number: s for s in agreement.schedules.all()}
        for number, status in (schedules or {}).items():
            schedule = recorded.get(number) or NetworkAgreementSchedule(
                agreement=agreement, number=number
            )
            if schedule.pk is None or schedule.status != status:
                schedule.status = status
                validated_save(schedule)
        if only_these_schedules:
            for schedule in agreement.schedules.exclude(number__in=list(schedules or {})):
                schedule.delete()
        _check_signed_schedules(agreement)
        return agreement


UNFINISHED = (NetworkAgreementStatus.NOT_STARTED, NetworkAgreementStatus.IN_PROGRESS)


def _check_signed_schedules(agreement):
    """An agreement dated as signed has every schedule it records agreed or signed: the
    schedules are part of the agreement the members sign (the Network Agreement, its
    seven locally completed schedules). A schedule not recorded does not hold it back."""
    if agreement.signed_on is None:
        return
    unfinished = agreement.schedules.filter(status__in=UNFINISHED).order_by("number")
    if not unfinished:
        return
    listed = "; ".join(f"{s.label} is {s.get_status_display().lower()}" for s in unfinished)
    raise ValidationError(
        {
            "signed_on": f"{listed}. An agreement is signed once every schedule in it is "
            "agreed or signed: record those schedules as agreed or signed, or leave the date "
            "signed blank until they are."
        }
    )


# What a commissioner's note holds as written; its follow-up is marked done apart
# (mark_follow_up_done), and who wrote it is the writer.
COMMISSIONER_NOTE_FIELDS = ["written_on", "text", "follow_up", "follow_up_due"]


def add_commissioner_note(*, pcn, by, written_on, text, follow_up="", follow_up_due=None):
    """A note on a network by staff of a commissioner area it is in (refused with
    PermissionDenied for anyone else: networks.scopes.can_keep_notes)."""
    check_can_keep_notes(by, pcn)
    with writing(by):
        return validated_save(
            CommissionerNote(
                pcn=pcn,
                written_by=by,
                written_on=written_on,
                text=text,
                follow_up=follow_up,
                follow_up_due=follow_up_due,
            )
        )


def mark_follow_up_done(*, note, by):
    """The note's follow-up action is done: the history keeps who said so and when. A note
    without a follow-up has nothing to mark."""
    check_can_keep_notes(by, note.pcn)
    if not note.follow_up:
        raise ValidationError("This note has no follow-up action to mark as done.")
    with writing(by):
        note.done = True
        return validated_save(note)


def assign(*, user, by, scope, role, organisation=None):
    """Give a user a role on a network or a commissioner area (none for national)."""
    target = {
        Scope.PCN: "pcn",
        Scope.SUB_ICB: "sub_icb_location",
        Scope.ICB: "icb",
        Scope.REGION: "region",
        Scope.NATIONAL: None,
    }[scope]
    with writing(by):
        assignment = Assignment(user=user, scope=scope, role=role)
        if target:
            setattr(assignment, target, organisation)
        return validated_save(assignment)


# What a national admin may change in Django admin, by kind of record. The organisations'
# own fields are ODS's: a correction here stands until the next ODS file restates them.
ORGANISATION_FIELDS = ["code", "name", "open_date", "close_date", "ons_code"]
ADMIN_FIELDS = {
    Region: ORGANISATION_FIELDS,
    IntegratedCareBoard: [*ORGANISATION_FIELDS, "region"],
    SubICBLocation: [*ORGANISATION_FIELDS, "icb"],
    PrimaryCareNetwork: [*ORGANISATION_FIELDS, "lead_commissioner", *PCN_FIELDS],
    NetworkAgreement: ["pcn", "financial_year", *AGREEMENT_FIELDS],
    NetworkAgreementSchedule: ["agreement", "number", "status", "completed_on", "notes"],
    ClinicalDirector: ["pcn", *CLINICAL_DIRECTOR_FIELDS],
    NetworkTeamMember: ["pcn", *TEAM_MEMBER_FIELDS],
    PartnerOrganisation: [*PARTNER_FIELDS, "added_by_pcn"],
    Collaboration: ["pcn", *COLLABORATION_FIELDS],
    CommissionerNote: ["pcn", "written_by", *COMMISSIONER_NOTE_FIELDS, "done"],
    SignInIdentity: ["user", "subject"],
    Assignment: ["user", "scope", "role", "pcn", "sub_icb_location", "icb", "region"],
    Source: ["title", "issuer", "published", "link"],
}  # fmt: skip
# Areas and networks are closed by their close date, never deleted: their history (members,
# claims) hangs off them.
ADMIN_DELETABLE = (
    NetworkAgreement,
    NetworkAgreementSchedule,
    ClinicalDirector,
    NetworkTeamMember,
    PartnerOrganisation,
    Collaboration,
    CommissionerNote,
    SignInIdentity,
    Assignment,
)


def correct_record(*, record, by):
    """A national admin's new or corrected record, from Django admin: only the fields
    ADMIN_FIELDS lists for its kind may differ from the stored row."""
    return save_checked(record, by=by, allowed=ADMIN_FIELDS[type(record)])


def delete_record(*, record, by):
    """A national admin's delete, from Django admin: only the kinds in ADMIN_DELETABLE."""
    delete_checked(record, by=by, deletable=ADMIN_DELETABLE)
