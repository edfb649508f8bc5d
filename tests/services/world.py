"""Service records in the personas' world (tests/conftest.py), for the pages whose
addresses name one: a care home, a local priority and an evidence file of Riverside PCN
(U99001), with fixed ids the access grid's sample arguments give (tests/access_grid.py)."""

import datetime

from django.core.files.base import ContentFile

from services.models import (
    CareHome,
    CareHomeAlignment,
    CareHomeBeds,
    Evidence,
    LocalPriority,
    RequirementProgress,
    ServiceDelivery,
    ServiceSpecification,
)

D = datetime.date
EVIDENCE_ID = 990001
PRIORITY_ID = 990001
CARE_HOME = "1-000000001"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def add_service_records(pcn):
    home = CareHome.objects.create(cqc_location_id=CARE_HOME, name="RIVERSIDE LODGE")
    CareHomeAlignment.objects.create(home=home, pcn=pcn, start_date=D(2020, 10, 1))
    CareHomeBeds.objects.create(home=home, pcn=pcn, month=D(2020, 10, 1), beds=30)
    LocalPriority.objects.create(
        id=PRIORITY_ID, pcn=pcn, title="Diabetes prevention", start_date=D(2025, 4, 1)
    )
    spec = ServiceSpecification.objects.get(code="enhanced-health-in-care-homes")
    delivery = ServiceDelivery.objects.create(pcn=pcn, specification=spec, financial_year=2023)
    progress = RequirementProgress.objects.create(
        delivery=delivery, requirement=spec.requirements.get(code="EHCH-1")
    )
    evidence = Evidence(
        id=EVIDENCE_ID,
        pcn=pcn,
        progress=progress,
        token="0" * 32,
        extension="pdf",
        file_name="alignment-letter.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    evidence.file.save("evidence", ContentFile(PDF), save=False)
    evidence.save()
