"""Writes to networks, their agreements, clinical directors, teams and users' scopes."""

from networks.models import (
    Assignment,
    ClinicalDirector,
    Collaboration,
    NetworkAgreement,
    NetworkAgreementSchedule,
    NetworkTeamMember,
    PartnerOrganisation,
    PrimaryCareNetwork,
    Scope,
)
from pcn_portal.core.writing import apply_changes, validated_save, writing

PCN_EDITABLE_FIELDS = [
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


def update_pcn(*, pcn, by=None, process=None, **changes):
    """Change a network's own details: only the fields in PCN_EDITABLE_FIELDS."""
    with writing(by, process):
        return validated_save(apply_changes(pcn, changes, PCN_EDITABLE_FIELDS))


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


CLINICAL_DIRECTOR_EDITABLE_FIELDS = [
    "full_name",
    "profession",
    "profession_detail",
    "practice",
    "start_date",
    "end_date",
    "share",
]
TEAM_MEMBER_EDITABLE_FIELDS = [
    "full_name",
    "role",
    "role_detail",
    "email",
    "start_date",
    "end_date",
]
COLLABORATION_EDITABLE_FIELDS = ["description", "start_date", "end_date"]


def update_clinical_director(*, director, by, **changes):
    """Change a clinical director's record: only CLINICAL_DIRECTOR_EDITABLE_FIELDS."""
    with writing(by):
        return validated_save(apply_changes(director, changes, CLINICAL_DIRECTOR_EDITABLE_FIELDS))


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


def update_team_member(*, member, by, **changes):
    """Change a team member's record: only TEAM_MEMBER_EDITABLE_FIELDS."""
    with writing(by):
        return validated_save(apply_changes(member, changes, TEAM_MEMBER_EDITABLE_FIELDS))


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
    is made from its name and kind, or found when one of that name and kind exists."""
    with writing(by):
        if partner is None:
            partner = PartnerOrganisation.objects.filter(
                name__iexact=partner_name.strip(), kind=partner_kind
            ).first() or validated_save(
                PartnerOrganisation(name=partner_name.strip(), kind=partner_kind)
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


def update_collaboration(*, collaboration, by, **changes):
    """Change a collaboration: only COLLABORATION_EDITABLE_FIELDS."""
    with writing(by):
        return validated_save(apply_changes(collaboration, changes, COLLABORATION_EDITABLE_FIELDS))


def record_network_agreement(
    *,
    pcn,
    by,
    financial_year,
    signed_on=None,
    data_sharing_agreement_in_place=False,
    notes="",
    schedules=None,
    only_these_schedules=False,
):
    """Create or update a network's agreement for a year; schedules maps number → status.
    With only_these_schedules, a schedule not in the map is removed (no status recorded)."""
    with writing(by):
        agreement = pcn.agreements.filter(financial_year=financial_year).first()
        agreement = agreement or NetworkAgreement(pcn=pcn, financial_year=financial_year)
        agreement.signed_on = signed_on
        agreement.data_sharing_agreement_in_place = data_sharing_agreement_in_place
        agreement.notes = notes
        validated_save(agreement)
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
        return agreement


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
