"""What must always hold is held by the database, and explained by validation.

Each case is an invalid row: written directly it is refused by PostgreSQL (IntegrityError);
validated first (as every form, the admin and every action do) it gives a clear message.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from networks.models import (
    Assignment,
    ClinicalDirector,
    IntegratedCareBoard,
    PrimaryCareNetwork,
    Region,
    SubICBLocation,
)
from practices.models import ListSize, Membership, Practice
from services.models import ServiceSpecification
from workforce.models import (
    ARRSAllocation,
    ARRSRole,
    Claim,
    MaximumAmount,
    Post,
    StaffMember,
)

D = datetime.date


@pytest.fixture
def world(db, outsider):
    region = Region.objects.create(code="Y63", name="TEST REGION")
    icb = IntegratedCareBoard.objects.create(code="QZZ", name="TEST ICB", region=region)
    sub_icb = SubICBLocation.objects.create(code="Z9Z", name="TEST SUB-ICB", icb=icb)
    pcn = PrimaryCareNetwork.objects.create(
        code="U99001", name="TEST PCN", lead_commissioner=sub_icb
    )
    other_pcn = PrimaryCareNetwork.objects.create(
        code="U99002", name="OTHER PCN", lead_commissioner=sub_icb
    )
    practice = Practice.objects.create(code="Z00001", name="TEST PRACTICE")
    Membership.objects.create(
        practice=practice, pcn=pcn, start_date=D(2020, 1, 1), end_date=D(2024, 6, 30)
    )
    role = ARRSRole.objects.create(
        code="test-role", name="Test role", reimbursable_from=D(2020, 4, 1), section="test"
    )
    MaximumAmount.objects.create(
        role=role, period_start=D(2024, 4, 1), national=Decimal(60000), section="test"
    )
    person = StaffMember.objects.create(pcn=pcn, full_name="Test Person")
    Claim.objects.create(pcn=pcn, month=D(2024, 4, 1))
    ARRSAllocation.objects.create(
        pcn=pcn,
        financial_year=2024,
        weighted_population=1,
        population_date=D(2024, 1, 1),
        rate=1,
        amount=1,
    )
    return {
        "region": region,
        "icb": icb,
        "sub_icb": sub_icb,
        "pcn": pcn,
        "other_pcn": other_pcn,
        "practice": practice,
        "role": role,
        "person": person,
        "user": outsider,
    }


def post(w, **overrides):
    fields = {
        "pcn": w["pcn"],
        "staff_member": w["person"],
        "role": w["role"],
        "employer_type": "lead_provider",
        "start_date": D(2024, 4, 1),
        "weekly_hours": Decimal("37.5"),
        "annual_salary": Decimal(40000),
    }
    return Post(**{**fields, **overrides})


INVALID = {
    "region code not Y + 2 digits": (
        lambda w: Region(code="X56", name="BAD"),
        "code",
        "Enter a valid region code",
    ),
    "ICB code not Q + 2": (
        lambda w: IntegratedCareBoard(code="R12", name="BAD"),
        "code",
        "Enter a valid ICB code",
    ),
    "Sub-ICB code of 4 characters": (
        lambda w: SubICBLocation(code="12AB", name="BAD"),
        "code",
        "Enter a valid Sub-ICB location code",
    ),
    "PCN code not U + 5 digits": (
        lambda w: PrimaryCareNetwork(code="X12345", name="BAD", lead_commissioner=w["sub_icb"]),
        "code",
        "Enter a valid PCN code",
    ),
    "practice code not letter + 5 digits": (
        lambda w: Practice(code="123456", name="BAD"),
        "code",
        "Enter a valid practice code",
    ),
    "duplicate PCN code": (
        lambda w: PrimaryCareNetwork(code="U99001", name="DUP", lead_commissioner=w["sub_icb"]),
        "code",
        "already exists",
    ),
    "duplicate practice code": (
        lambda w: Practice(code="Z00001", name="DUP"),
        "code",
        "already exists",
    ),
    "PCN closing before it opens": (
        lambda w: PrimaryCareNetwork(
            code="U99003",
            name="BAD",
            lead_commissioner=w["sub_icb"],
            open_date=D(2024, 1, 1),
            close_date=D(2023, 1, 1),
        ),
        "__all__",
        "The end date must not be before the start date.",
    ),
    "clinical director ending before starting": (
        lambda w: ClinicalDirector(
            pcn=w["pcn"],
            full_name="Dr X",
            profession="gp",
            start_date=D(2024, 1, 1),
            end_date=D(2023, 1, 1),
        ),
        "__all__",
        "The end date must not be before the start date.",
    ),
    "practice in two networks on the same day (the other spell's last day)": (
        lambda w: Membership(practice=w["practice"], pcn=w["other_pcn"], start_date=D(2024, 6, 30)),
        "__all__",
        "already a member of a network on some of these dates",
    ),
    "negative weekly hours": (
        lambda w: post(w, weekly_hours=Decimal("-1")),
        "__all__",
        "Weekly hours must be more than 0",
    ),
    "negative salary": (
        lambda w: post(w, annual_salary=Decimal("-1")),
        "__all__",
        "cannot be negative",
    ),
    "member-practice employer not named": (
        lambda w: post(w, employer_type="member_practice"),
        "__all__",
        "Choose the member practice",
    ),
    "negative list size": (
        lambda w: ListSize(
            practice=w["practice"],
            extract_date=D(2024, 1, 1),
            registered_patients=10,
            weighted_patients=Decimal("-5"),
        ),
        "__all__",
        "cannot be negative",
    ),
    "second claim for a month": (
        lambda w: Claim(pcn=w["pcn"], month=D(2024, 4, 1)),
        "__all__",
        "already has a claim for that month",
    ),
    "claim month not its first day": (
        lambda w: Claim(pcn=w["pcn"], month=D(2024, 5, 2)),
        "__all__",
        "use its first day",
    ),
    "second allocation for a year": (
        lambda w: ARRSAllocation(
            pcn=w["pcn"],
            financial_year=2024,
            weighted_population=1,
            population_date=D(2024, 1, 1),
            rate=1,
            amount=1,
        ),
        "__all__",
        "already has an allocation for that year",
    ),
    "overlapping maximum amounts": (
        lambda w: MaximumAmount(
            role=w["role"], period_start=D(2025, 4, 1), national=Decimal(1), section="test"
        ),
        "__all__",
        "Another amount for this role and band covers some of these dates.",
    ),
    "negative maximum amount": (
        lambda w: MaximumAmount(
            role=w["role"],
            period_start=D(2020, 4, 1),
            period_end=D(2021, 3, 31),
            national=Decimal(-1),
            section="test",
        ),
        "__all__",
        "Amounts cannot be negative.",
    ),
    "network assignment without a network": (
        lambda w: Assignment(user=w["user"], scope="pcn", role="editor"),
        "__all__",
        "Choose exactly the one organisation",
    ),
    "approver on a network": (
        lambda w: Assignment(user=w["user"], scope="pcn", role="approver", pcn=w["pcn"]),
        "__all__",
        "a manager or a viewer",
    ),
}


@pytest.mark.parametrize("case", INVALID.keys())
def test_database_refuses(world, case):
    make, _, _ = INVALID[case]
    with pytest.raises(IntegrityError), transaction.atomic():
        make(world).save()


@pytest.mark.parametrize("case", INVALID.keys())
def test_validation_explains(world, case):
    make, field, message = INVALID[case]
    with pytest.raises(ValidationError) as error:
        make(world).full_clean()
    messages = error.value.message_dict.get(field, [])
    assert any(message in m for m in messages), error.value.message_dict


class TestMembershipSpells:
    # The world's practice is in U99001 from 1 January 2020 up to and including 30 June 2024.

    def test_a_move_overnight_is_not_an_overlap(self, world):
        moved = Membership(
            practice=world["practice"], pcn=world["other_pcn"], start_date=D(2024, 7, 1)
        )
        moved.full_clean()
        moved.save()
        spells = Membership.objects.filter(practice=world["practice"])
        assert spells.current(D(2024, 6, 30)).get().pcn == world["pcn"]
        assert spells.current(D(2024, 7, 1)).get().pcn == world["other_pcn"]

    def test_starting_on_the_old_spells_last_day_is_an_overlap(self, world):
        moved = Membership(
            practice=world["practice"], pcn=world["other_pcn"], start_date=D(2024, 6, 30)
        )
        with pytest.raises(ValidationError, match="already a member of a network"):
            moved.full_clean()

    def test_a_one_day_spell_is_one_day_long(self, world):
        # ODS publishes spells that start and end on the same day.
        day = Membership(
            practice=world["practice"],
            pcn=world["other_pcn"],
            start_date=D(2024, 8, 1),
            end_date=D(2024, 8, 1),
        )
        day.full_clean()
        day.save()
        spells = Membership.objects.filter(pk=day.pk)
        assert spells.current(D(2024, 8, 1)).exists()
        assert not spells.current(D(2024, 8, 2)).exists()
        assert not spells.current(D(2024, 7, 31)).exists()

    def test_a_spell_out_of_force_shares_days_but_never_counts(self, world):
        superseded = Membership.objects.create(
            practice=world["practice"],
            pcn=world["other_pcn"],
            start_date=D(2024, 6, 1),
            end_date=D(2024, 6, 2),
            in_force=False,
        )
        on = D(2024, 6, 1)
        assert list(Membership.objects.filter(practice=world["practice"]).current(on)) == [
            Membership.objects.get(pcn=world["pcn"])
        ]
        assert not Membership.objects.filter(pk=superseded.pk).overlapping(on, on).exists()


class TestReferenceDataIsProtected:
    def test_role_with_posts_cannot_be_deleted(self, world):
        post(world).save()
        with pytest.raises(ProtectedError):
            world["role"].delete()

    def test_sub_icb_with_networks_cannot_be_deleted(self, world):
        with pytest.raises(ProtectedError):
            world["sub_icb"].delete()

    def test_specification_with_requirements_cannot_be_deleted(self, db):
        spec = ServiceSpecification.objects.create(
            code="test", name="Test", start_date=D(2020, 4, 1), section="test"
        )
        spec.requirements.create(code="T-1", text="Do the thing", section="test")
        with pytest.raises(ProtectedError):
            spec.delete()
