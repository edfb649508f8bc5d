"""Writes to service delivery, care homes and local priorities."""

from pcn_portal.core.writing import delete_checked, save_checked, validated_save, writing
from services.models import (
    CareHome,
    DeliveryStatus,
    LocalPriority,
    PriorityStatus,
    Requirement,
    RequirementProgress,
    ServiceDelivery,
    ServiceSpecification,
)


def record_delivery(
    *,
    pcn,
    specification,
    by,
    financial_year,
    status=DeliveryStatus.NOT_STARTED,
    lead_name="",
    evidence_notes="",
    updated_on=None,
):
    """Create or update how a network delivers a specification in a year."""
    with writing(by):
        delivery, _ = ServiceDelivery.objects.get_or_create(
            pcn=pcn, specification=specification, financial_year=financial_year
        )
        delivery.status = status
        delivery.lead_name = lead_name
        delivery.evidence_notes = evidence_notes
        delivery.updated_on = updated_on
        return validated_save(delivery)


def record_progress(*, delivery, requirement, by, status, evidence="", completed_on=None):
    with writing(by):
        progress, _ = RequirementProgress.objects.get_or_create(
            delivery=delivery, requirement=requirement
        )
        progress.status = status
        progress.evidence = evidence
        progress.completed_on = completed_on
        return validated_save(progress)


def align_care_home(
    *, pcn, by, cqc_location_id, name, postcode="", beds=None, clinical_lead="", aligned_from=None
):
    with writing(by):
        home, _ = CareHome.objects.get_or_create(
            cqc_location_id=cqc_location_id, defaults={"name": name}
        )
        home.name = name
        home.pcn = pcn
        home.postcode = postcode
        home.beds = beds
        home.clinical_lead = clinical_lead
        home.aligned_from = aligned_from
        return validated_save(home)


def add_local_priority(
    *,
    pcn,
    by,
    title,
    start_date,
    description="",
    status=PriorityStatus.PLANNED,
    end_date=None,
):
    with writing(by):
        return validated_save(
            LocalPriority(
                pcn=pcn,
                title=title,
                description=description,
                status=status,
                start_date=start_date,
                end_date=end_date,
            )
        )


# What a national admin may change in Django admin, by kind of record. Specifications and
# their requirements are national reference data, corrected in place with their source.
ADMIN_FIELDS = {
    ServiceSpecification: ["code", "name", "start_date", "end_date", "fate", "source"],
    Requirement: ["specification", "code", "text", "valid_from", "valid_until", "source"],
    ServiceDelivery: [
        "pcn", "specification", "financial_year", "status", "lead_name", "evidence_notes",
        "updated_on",
    ],
    RequirementProgress: ["delivery", "requirement", "status", "evidence", "completed_on"],
    CareHome: [
        "cqc_location_id", "name", "postcode", "beds", "pcn", "clinical_lead", "aligned_from",
    ],
    LocalPriority: ["pcn", "title", "description", "status", "start_date", "end_date"],
}  # fmt: skip
ADMIN_DELETABLE = (ServiceDelivery, RequirementProgress, CareHome, LocalPriority)


def correct_record(*, record, by):
    """A national admin's new or corrected record, from Django admin: only the fields
    ADMIN_FIELDS lists for its kind may differ from the stored row."""
    return save_checked(record, by=by, allowed=ADMIN_FIELDS[type(record)])


def delete_record(*, record, by):
    """A national admin's delete, from Django admin: only the kinds in ADMIN_DELETABLE."""
    delete_checked(record, by=by, deletable=ADMIN_DELETABLE)
