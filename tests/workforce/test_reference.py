"""Revised maximum amounts ship in a migration through
workforce.reference.revise_maximum_amounts, which never overwrites a national admin's
correction. The revisions here are the four national amounts DOMAIN.md Appendix A.1 gives
that the first load of the reference data lacked (the figures shipped today hold them)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps

from workforce.models import MaximumAmount
from workforce.reference import revise_maximum_amounts

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference_data")

UNKNOWN_NOTE = (
    "No published source the portal holds gives the amounts for this period: they are in "
    "the year's Network Contract DES Contract Specification (its table of maximum amounts)."
)
UNKNOWN_SOURCE = "DOMAIN.md Appendix A.1 (blank)"
S27_NOTE = "Outer London figure from one public GitHub source only (UCR TECH): unverified."
NOTE_2025 = (
    "As published in March 2025, before the 3.6% (AfC) / 4% (DDRB) uplift backdated to "
    "1 April 2025, whose amounts no source gives (NHS North East London ICB; The Pharmacist, "
    "May 2025)."
)


def unknown(end):
    return {
        "period_end": end,
        "national": None,
        "outer_london": None,
        "inner_london": None,
        "unknown": True,
        "notes": UNKNOWN_NOTE,
        "source": UNKNOWN_SOURCE,
    }


def known(end, national, outer=None, inner=None, *, source, notes=""):
    return {
        "period_end": end,
        "national": None if national is None else Decimal(national),
        "outer_london": None if outer is None else Decimal(outer),
        "inner_london": None if inner is None else Decimal(inner),
        "unknown": False,
        "notes": notes,
        "source": source,
    }


# Each row as first loaded (`was`) and as revised (`now`).
REVISIONS = [
    {
        "role": "nursing-associate",
        "afc_band": "",
        "period_start": D(2020, 10, 1),
        "was": unknown(D(2021, 3, 31)),
        "now": known(
            D(2021, 3, 31),
            29135,
            source="S53; DOMAIN.md A.1 2020/21 (BMA)",
            notes="From 1 October 2020, when the role became reimbursable; no London "
            "weighting before 2021/22.",
        ),
    },
    {
        "role": "trainee-nursing-associate",
        "afc_band": "",
        "period_start": D(2020, 10, 1),
        "was": unknown(D(2021, 3, 31)),
        "now": known(
            D(2021, 3, 31),
            25671,
            source="S53; DOMAIN.md A.1 2020/21 (BMA)",
            notes="From 1 October 2020, when the role became reimbursable; no London "
            "weighting before 2021/22.",
        ),
    },
    {
        "role": "first-contact-physiotherapist",
        "afc_band": "",
        "period_start": D(2024, 10, 1),
        "was": unknown(D(2025, 3, 31)),
        "now": known(
            D(2025, 3, 31),
            65838,
            source="A.S57",
            notes="An undated page; the same figure as the clinical pharmacist from 1 October "
            "2024. No London figures are given.",
        ),
    },
    {
        "role": "enhanced-practice-nurse",
        "afc_band": "",
        "period_start": D(2025, 4, 1),
        "was": known(D(2026, 3, 31), None, 72327, source="A.S27", notes=S27_NOTE),
        "now": known(
            D(2026, 3, 31),
            64907,
            72327,
            source="A.S56, A.S27",
            notes="National figure shared by the BMA before the 2025/26 contract was "
            "published in full (Nursing in Practice, 2025). " + S27_NOTE + " " + NOTE_2025,
        ),
    },
]


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
    assert row.sources.exists()


def as_originally_loaded():
    """Put the four rows back as they were first loaded."""
    for revision in REVISIONS:
        was = {k: v for k, v in revision["was"].items() if k != "source"}
        MaximumAmount.objects.filter(
            role__code=revision["role"], period_start=revision["period_start"]
        ).update(**was)


def test_rows_as_loaded_are_updated():
    as_originally_loaded()
    out = io.StringIO()
    revise_maximum_amounts(apps, REVISIONS, process="test", out=out)
    assert out.getvalue().count("Updated:") == 4
    row = MaximumAmount.objects.get(role__code="nursing-associate", period_start=D(2020, 10, 1))
    assert (row.national, row.unknown) == (Decimal(29135), False)


def test_an_admins_correction_is_kept_and_the_migration_says_so():
    as_originally_loaded()
    corrected = MaximumAmount.objects.get(
        role__code="first-contact-physiotherapist", period_start=D(2024, 10, 1)
    )
    corrected.national, corrected.unknown, corrected.section = Decimal(66000), False, "Table 2"
    corrected.save()
    messages = revise_maximum_amounts(apps, REVISIONS, process="test")
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
    messages = revise_maximum_amounts(apps, REVISIONS[1:2], process="test")
    assert messages[0].startswith("Added")
    assert MaximumAmount.objects.in_force(D(2020, 12, 1)).get(
        role__code="trainee-nursing-associate"
    ).national == Decimal(25671)


def test_running_it_again_changes_nothing():
    before = list(MaximumAmount.objects.order_by("pk").values())
    messages = revise_maximum_amounts(apps, REVISIONS, process="test")
    assert all(m.startswith("Kept") for m in messages)
    assert list(MaximumAmount.objects.order_by("pk").values()) == before
