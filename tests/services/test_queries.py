"""Every services page reads a bounded number of queries whatever the data's size: a small
network and one ten times larger cost the same."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services import actions
from services.models import CareHomeAlignment, ServiceSpecification

D = datetime.date
PAGES = [
    "/networks/U99001/services/",
    "/networks/U99001/services/?year=2023",
    "/networks/U99001/services/2023/enhanced-health-in-care-homes/",
    "/networks/U99001/services/2023/enhanced-health-in-care-homes/requirements/EHCH-1/",
    "/networks/U99001/services/care-homes/?year=2025",
    "/networks/U99001/services/care-homes/1-000000001/",
    "/networks/U99001/services/priorities/",
]


def grow(pcn, user, first, times):
    """More of everything the pages show: deliveries with progress and evidence, care
    homes with bed counts, priorities."""
    ehch = ServiceSpecification.objects.get(code="enhanced-health-in-care-homes")
    for n in range(first, first + times):
        for requirement in ehch.requirements.all()[:3]:
            progress = actions.update_requirement(
                pcn=pcn, specification=ehch, financial_year=2023, requirement=requirement,
                by=user, changes={"status": "in_progress", "note": f"note {n}"},
            )  # fmt: skip
            actions.add_evidence(progress=progress, by=user, note=f"evidence {n}")
        alignment = actions.align_care_home(
            pcn=pcn, by=user, cqc_location_id=f"1-{5000 + n}", name=f"HOME {n}",
            start_date=D(2024, 4, 1), beds=20 + n,
        )  # fmt: skip
        actions.record_beds(alignment=alignment, by=user, month=D(2025, 6, 1), beds=25 + n)
        actions.record_beds(
            alignment=CareHomeAlignment.objects.get(home__cqc_location_id="1-000000001"),
            by=user, month=D(2021 + n % 4, 1 + n % 12, 1), beds=30 + n,
        )  # fmt: skip
        actions.add_local_priority(
            pcn=pcn, by=user, title=f"Priority {n}", start_date=D(2025, 4, 1)
        )


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_the_data(url, network_manager_client, network_manager, world):
    def count():
        network_manager_client.get(url)  # warm: session, user
        with CaptureQueriesContext(connection) as queries:
            assert network_manager_client.get(url).status_code == 200
        return len(queries)

    grow(world["pcn"], network_manager, 0, 2)
    small = count()
    grow(world["pcn"], network_manager, 2, 20)
    assert count() == small
