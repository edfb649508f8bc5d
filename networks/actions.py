"""Writes to networks, their agreements, clinical directors, teams and users' scopes."""

from networks.models import (
    Assignment,
    ClinicalDirector,
    NetworkAgreement,
    NetworkAgreementSchedule,
    NetworkTeamMember,
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


def create_pcn(*, by=None, process=None, **fields):
    with writing(by, process):
        return validated_save(PrimaryCareNetwork(**fields))


def update_pcn(pcn, *, by=None, process=None, allowed=PCN_EDITABLE_FIELDS, **changes):
    with writing(by, process):
        return validated_save(apply_changes(pcn, changes, allowed))


def add_clinical_director(pcn, *, by, full_name, profession, start_date, **fields):
    with writing(by):
        return validated_save(
            ClinicalDirector(
                pcn=pcn,
                full_name=full_name,
                profession=profession,
                start_date=start_date,
                **fields,
            )
        )


def end_clinical_director(director, *, by, end_date):
    with writing(by):
        director.end_date = end_date
        return validated_save(director)


def add_team_member(pcn, *, by, full_name, role, start_date, **fields):
    with writing(by):
        return validated_save(
            NetworkTeamMember(
                pcn=pcn, full_name=full_name, role=role, start_date=start_date, **fields
            )
        )


def record_network_agreement(pcn, *, by, financial_year, schedules=None, **fields):
    """Create or update a network's agreement for a year; schedules maps number → status."""
    with writing(by):
        agreement, _ = NetworkAgreement.objects.get_or_create(
            pcn=pcn, financial_year=financial_year
        )
        for name, value in fields.items():
            setattr(agreement, name, value)
        validated_save(agreement)
        for number, status in (schedules or {}).items():
            schedule, _ = NetworkAgreementSchedule.objects.get_or_create(
                agreement=agreement, number=number
            )
            schedule.status = status
            validated_save(schedule)
        return agreement


def assign(user, *, by, scope, role, organisation=None):
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
