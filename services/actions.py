"""Writes to service delivery, care homes and local priorities."""

from pcn_portal.core.writing import validated_save, writing
from services.models import CareHome, LocalPriority, RequirementProgress, ServiceDelivery


def record_delivery(pcn, specification, *, by, financial_year, **fields):
    """Create or update how a network delivers a specification in a year."""
    with writing(by):
        delivery, _ = ServiceDelivery.objects.get_or_create(
            pcn=pcn, specification=specification, financial_year=financial_year
        )
        for name, value in fields.items():
            setattr(delivery, name, value)
        return validated_save(delivery)


def record_progress(delivery, requirement, *, by, status, evidence="", completed_on=None):
    with writing(by):
        progress, _ = RequirementProgress.objects.get_or_create(
            delivery=delivery, requirement=requirement
        )
        progress.status = status
        progress.evidence = evidence
        progress.completed_on = completed_on
        return validated_save(progress)


def align_care_home(pcn, *, by, cqc_location_id, name, **fields):
    with writing(by):
        home, _ = CareHome.objects.get_or_create(
            cqc_location_id=cqc_location_id, defaults={"name": name}
        )
        home.name = name
        home.pcn = pcn
        for field, value in fields.items():
            setattr(home, field, value)
        return validated_save(home)


def add_local_priority(pcn, *, by, title, start_date, **fields):
    with writing(by):
        return validated_save(LocalPriority(pcn=pcn, title=title, start_date=start_date, **fields))
