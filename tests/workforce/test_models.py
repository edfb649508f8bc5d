"""The database keeps a submitted or approved claim as it is (workforce.models: the sealed
triggers), whoever writes: these tests write plain SQL, not through Django's models."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from pcn_portal.core.writing import writing
from workforce import actions
from workforce.models import Claim, ClaimLine, ClaimStatus

D = datetime.date

REFUSED = (
    "The claim of Riverside PCN for April 2025 is approved, so {}: a submitted or approved "
    "claim is kept as it is for audit. Put a mistake right with an adjustment line in a "
    "later claim."
)


def refused(sql, params=()):
    """The database's message refusing a statement run in a plain SQL session."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return raised.value.__cause__.diag.message_primary


def test_an_approved_claims_line_cannot_be_updated_or_deleted(approved):
    line = approved.lines.get()
    assert line.reimbursable_amount == Decimal("5016.66")

    message = refused(
        "UPDATE workforce_claimline SET reimbursable_amount = 9999 WHERE id = %s", [line.pk]
    )
    assert message == REFUSED.format("its lines cannot be changed or removed")
    message = refused("DELETE FROM workforce_claimline WHERE id = %s", [line.pk])
    assert message == REFUSED.format("its lines cannot be changed or removed")

    line.refresh_from_db()
    assert line.reimbursable_amount == Decimal("5016.66")


def test_no_line_can_be_added_to_an_approved_claim(approved):
    # A line without a maximum, so that only the sealing refuses it (a second counted line
    # of the post in its month is refused by the once-a-month rule too).
    line = approved.lines.get()
    message = refused(
        "INSERT INTO workforce_claimline (claim_id, post_id, salary, employer_ni, "
        "employer_pension, weekly_hours, maximum_amount, reimbursable_amount, reason, "
        "synthetic) SELECT claim_id, post_id, 1, 0, 0, 1, NULL, 0, '', false "
        "FROM workforce_claimline WHERE id = %s",
        [line.pk],
    )
    assert message == REFUSED.format("no line can be added to it")
    assert approved.lines.count() == 1


def test_an_approved_claim_cannot_be_deleted_or_moved(approved):
    message = refused("DELETE FROM workforce_claim WHERE id = %s", [approved.pk])
    assert message == REFUSED.format("it cannot be deleted")
    message = refused(
        "UPDATE workforce_claim SET month = '2024-04-01' WHERE id = %s", [approved.pk]
    )
    assert message == REFUSED.format("it cannot be changed")
    message = refused("UPDATE workforce_claim SET status = 'draft' WHERE id = %s", [approved.pk])
    assert message == REFUSED.format("it cannot be changed")
    assert Claim.objects.get(pk=approved.pk).month == D(2025, 4, 1)


def test_a_submitted_claim_moves_only_to_a_decision(make_post, allocation, network_manager):
    make_post("clinical-pharmacist", D(2025, 4, 1))
    claim = actions.start_claim(pcn=allocation.pcn, by=network_manager, month=D(2025, 4, 1))
    actions.submit_claim(claim=claim, by=network_manager, declaration=True)
    message = refused("UPDATE workforce_claim SET month = '2025-05-01' WHERE id = %s", [claim.pk])
    assert "for April 2025 is submitted, so it cannot be changed" in message
    line = claim.lines.get()
    message = refused("UPDATE workforce_claimline SET salary = 1 WHERE id = %s", [line.pk])
    assert "is submitted, so its lines cannot be changed or removed" in message
    # A decision: status, who, when and the note.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workforce_claim SET status = 'rejected', decided_at = now(), "
            "decision_note = 'Hours differ' WHERE id = %s",
            [claim.pk],
        )
        # A rejected claim is the network's to correct again.
        cursor.execute("UPDATE workforce_claimline SET salary = 1 WHERE id = %s", [line.pk])
    line.refresh_from_db()
    assert line.salary == Decimal(1)


def test_a_refusal_reaches_a_writer_as_a_validation_error(approved, superuser):
    """The one place that turns the database's refusal into a message (core.writing)."""
    line = approved.lines.get()
    with pytest.raises(ValidationError) as raised, writing(superuser):
        ClaimLine.objects.filter(pk=line.pk).update(salary=1)
    assert raised.value.messages == [REFUSED.format("its lines cannot be changed or removed")]
    # The enclosing transaction goes on.
    assert Claim.objects.get(pk=approved.pk).status == ClaimStatus.APPROVED
