"""Adjustments (workforce.actions.add_adjustment): a mistake in an approved claim is put
right by a line in a later claim that names the approved line, by a signed amount, with
the reason; counted in the later claim's month and approved with it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ClaimFactory, PostFactory
from workforce import actions, budget
from workforce.models import ClaimStatus

D = datetime.date


@pytest.fixture
def may(approved, network_manager):
    """Riverside PCN's May 2025 claim, a draft: the same post's line, £5,016.66."""
    return actions.start_claim(pcn=approved.pcn, by=network_manager, month=D(2025, 5, 1))


def adjust(claim, by, corrects, amount, reason="April's pension was £541.67, not £558.33."):
    return actions.add_adjustment(
        claim=claim, by=by, corrects=corrects, amount=Decimal(amount), reason=reason
    )


def test_an_adjustment_is_counted_in_the_later_month_and_approved_with_it(
    approved, may, network_manager, approver
):
    april = approved.lines.get()
    line = adjust(may, network_manager, april, "-16.66")
    assert (line.corrects, line.post, line.reimbursable_amount) == (
        april,
        april.post,
        Decimal("-16.66"),
    )
    # May: £5,016.66 for May less £16.66 taken back from April = £5,000.00.
    assert actions.claim_total(may) == Decimal("5000.00")
    assert may.status_changes.last().note == (
        "Added an adjustment of −£16.66 to the line for Priya Pharmacist in April 2025: "
        "April's pension was £541.67, not £558.33."
    )

    actions.submit_claim(claim=may, by=network_manager, declaration=True)
    actions.decide_claim(claim=may, by=approver, approve=True)
    # Approved in 2025/26: £5,016.66 (April) + £5,000.00 (May) = £10,016.66.
    assert budget.budget_position(may.pcn, 2025).approved == Decimal("10016.66")
    # April's claim is as it was approved.
    april.refresh_from_db()
    assert april.reimbursable_amount == Decimal("5016.66")


def test_an_adjustment_keeps_the_line_within_nothing_and_its_maximum(
    approved, may, network_manager
):
    april = approved.lines.get()
    # £5,016.66 + £600.00 = £5,616.66, above April's maximum of £66,972 ÷ 12 = £5,581.00.
    with pytest.raises(ValidationError) as refused:
        adjust(may, network_manager, april, "600")
    assert refused.value.message_dict["amount"] == [
        "The line for Priya Pharmacist in April 2025 comes to £5,016.66 with its corrections "
        "so far: adding £600.00 would take it to £5,616.66, above its maximum of £5,581.00."
    ]
    # Up to the maximum: + £564.34.
    assert adjust(may, network_manager, april, "564.34").reimbursable_amount == Decimal("564.34")
    with pytest.raises(ValidationError) as refused:
        adjust(may, network_manager, april, "-10")  # a second one in the same claim
    assert "one adjustment of a line per claim" in str(refused.value)


def test_taking_away_more_than_the_line_reimbursed_is_refused(approved, may, network_manager):
    with pytest.raises(ValidationError) as refused:
        adjust(may, network_manager, approved.lines.get(), "-5016.67")
    assert refused.value.message_dict["amount"] == [
        "The line for Priya Pharmacist in April 2025 comes to £5,016.66 with its corrections "
        "so far: taking away £5,016.67 would leave less than nothing."
    ]


def test_only_an_approved_earlier_line_of_the_network_is_corrected(
    approved, may, network_manager, world
):
    # A line of a draft claim (May itself), and one of another network's approved claim.
    stranger = ClaimFactory(
        pcn=world["other_pcn"],
        month=D(2025, 4, 1),
        status=ClaimStatus.APPROVED,
        lines=[{"post": PostFactory(pcn=world["other_pcn"])}],
    ).lines.get()
    for line in (may.lines.get(), stranger):
        with pytest.raises(ValidationError) as refused:
            adjust(may, network_manager, line, "-10")
        assert "Choose a line of an approved claim of this network" in str(refused.value)
    assert not may.lines.filter(corrects__isnull=False).exists()


def test_a_submitted_claim_takes_no_adjustment(approved, may, network_manager):
    actions.submit_claim(claim=may, by=network_manager, declaration=True)
    with pytest.raises(ValidationError) as refused:
        adjust(may, network_manager, approved.lines.get(), "-10")
    assert "is submitted, so its lines can no longer be added" in str(refused.value)
