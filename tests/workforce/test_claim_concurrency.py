"""Two approvers deciding the same claim at the same moment, each in their own database
connection: the claim's row lock lets one decide; the other waits, then is told."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import ARRSAllocationFactory
from workforce import actions
from workforce.models import Claim

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)


def test_one_decision_wins_the_other_is_told(make_post, pcn, network_manager, approver, superuser):
    ARRSAllocationFactory(pcn=pcn, financial_year=2025, weighted_population=1000,
                          population_date=D(2025, 1, 1), rate=Decimal("26.631"),
                          amount=Decimal("26631.00"))  # fmt: skip
    make_post("clinical-pharmacist", D(2025, 4, 1))
    claim = actions.start_claim(pcn=pcn, by=network_manager, month=D(2025, 6, 1))
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)

    start = threading.Barrier(2)
    outcomes = {}

    def decide(name, user, approve):
        try:
            start.wait()
            mine = Claim.objects.select_related("pcn__lead_commissioner__icb").get(pk=claim.pk)
            actions.decide_claim(claim=mine, by=user, approve=approve, note="Not this month")
            outcomes[name] = "decided"
        except ValidationError as error:
            outcomes[name] = error.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("approver", approver, True)),
        threading.Thread(target=decide, args=("admin", superuser, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    claim.refresh_from_db()
    assert sorted(outcomes.values()).count("decided") == 1
    told = next(v for v in outcomes.values() if v != "decided")
    assert f"is already {claim.get_status_display().lower()}" in told
    assert claim.status_changes.filter(status__in=["approved", "rejected"]).count() == 1
