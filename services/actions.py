"""Writes to service delivery, care homes and local priorities."""

from pcn_portal.core.writing import validated_save, writing
from services.models import (
    CareHome,
    DeliveryStatus,
    LocalPriority,
    PriorityStatus,
    RequirementProgress,
    ServiceDelivery,
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
