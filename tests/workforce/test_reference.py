"""Migration 0008 ships four national maximum amounts DOMAIN.md Appendix A.1 gives, and
never overwrites a national admin's correction."""

import datetime
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps

from workforce.models import MaximumAmount
from workforce.reference import revise_maximum_amounts

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference_data")
migration = importlib.import_module("workforce.migrations.0008_four_national_amounts")


@pytest.mark.parametrize(
    ("role", "on", "national", "outer"),
    [
        # DOMAIN.md A.1 2020/21: nursing associate 29,135, trainee 25,671 (from 1 Oct 2020).
        ("nursing-associate", D(2020, 11, 1), "29135", None),
        ("trainee-nursing-associate", D(2021, 3, 31), "25671", None),
        # A.1 from 1 Oct 2024: first contact physiotherapist 65,838 (A.S57).
        ("first-contact-physiotherapist", D(2025, 1, 1), "65838", None),
        # A.1 2025/26: enhanced practice nurse 64,907 (A.S56), outer London 72,327 (A.S27).
        ("enhanced-practice-nurse", D(2025, 6, 1), "64907", "72327"),
    ],
)
def test_the_four_amounts_are_in_force(role, on, national, outer):
    row = MaximumAmount.objects.in_force(on).get(role__code=role)
    assert not row.unknown
    assert row.national == Decimal(national)
    assert row.outer_london == (Decimal(outer) if outer else None)
    assert row.source


def as_originally_loaded():
    """Put the four rows back as migration 0002 loaded them."""
    for revision in migration.REVISIONS:
        MaximumAmount.objects.filter(
            role__code=revision["role"], period_start=revision["period_start"]
        ).update(**revision["was"])


def test_rows_as_loaded_are_updated():
    as_originally_loaded()
    out = io.StringIO()
    revise_maximum_amounts(apps, migration.REVISIONS, process="test", out=out)
    assert out.getvalue().count("Updated:") == 4
    row = MaximumAmount.objects.get(role__code="nursing-associate", period_start=D(2020, 10, 1))
    assert (row.national, row.unknown) == (Decimal(29135), False)


def test_an_admins_correction_is_kept_and_the_migration_says_so():
    as_originally_loaded()
    corrected = MaximumAmount.objects.get(
        role__code="first-contact-physiotherapist", period_start=D(2024, 10, 1)
    )
    corrected.national, corrected.unknown, corrected.source = Decimal(66000), False, "NCDES"
    corrected.save()
    messages = revise_maximum_amounts(apps, migration.REVISIONS, process="test")
    corrected.refresh_from_db()
    assert corrected.national == Decimal(66000)  # the admin's figure stays
    kept = [m for m in messages if m.startswith("Kept")]
    assert len(kept) == 1
    assert "first-contact-physiotherapist" in kept[0] and "65,838" in kept[0]
    assert sum(m.startswith("Updated") for m in messages) == 3


def test_a_deleted_row_is_added_back_only_where_nothing_covers_its_dates():
    row = MaximumAmount.objects.get(
        role__code="trainee-nursing-associate", period_start=D(2020, 10, 1)
    )
    row.delete()
    messages = revise_maximum_amounts(apps, migration.REVISIONS[1:2], process="test")
    assert messages[0].startswith("Added")
    assert MaximumAmount.objects.in_force(D(2020, 12, 1)).get(
        role__code="trainee-nursing-associate"
    ).national == Decimal(25671)


def test_running_it_again_changes_nothing():
    before = list(MaximumAmount.objects.order_by("pk").values())
    messages = revise_maximum_amounts(apps, migration.REVISIONS, process="test")
    assert all(m.startswith("Kept") for m in messages)
    assert list(MaximumAmount.objects.order_by("pk").values()) == before
