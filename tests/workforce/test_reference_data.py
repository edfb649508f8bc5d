"""The national reference data the migrations load: complete, sourced, and as DOMAIN.md says."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps

from services.models import ServiceSpecification
from workforce import reference_data as data
from workforce.models import AllocationRate, ARRSRole, MaximumAmount, RingFencedSum, RoleCap
from workforce.reference import load_ring_fenced_sums

D = datetime.date
pytestmark = pytest.mark.usefixtures("reference_data")


def test_everything_in_the_data_modules_is_loaded():
    assert ARRSRole.objects.count() == len(data.ARRS_ROLES) == 24
    assert MaximumAmount.objects.count() == len(data.MAXIMUM_AMOUNTS)
    assert RoleCap.objects.count() == len(data.ROLE_CAPS)
    assert AllocationRate.objects.count() == len(data.ALLOCATION_RATES)
    assert RingFencedSum.objects.count() == len(data.RING_FENCED_SUMS)


def test_every_row_names_its_source():
    for model in (
        ARRSRole,
        MaximumAmount,
        RoleCap,
        AllocationRate,
        RingFencedSum,
        ServiceSpecification,
    ):
        uncited = model.objects.filter(sources__isnull=True)
        if model is MaximumAmount:  # a period no source gives a figure for cites none
            uncited = uncited.exclude(unknown=True)
        assert not uncited.exists(), model


@pytest.mark.parametrize(
    ("role", "on", "zone_amounts"),
    [
        # DOMAIN.md A.1, 2020/21: clinical pharmacist 55,670 (no London weighting yet).
        ("clinical-pharmacist", D(2020, 6, 1), ("55670", None, None)),
        # A.1, from 1 Oct 2022: clinical pharmacist 59,312, inner London 68,768.
        ("clinical-pharmacist", D(2023, 1, 1), ("59312", None, "68768")),
        # A.1, from 1 Oct 2024: pharmacy technician 42,437 / 48,991 / 51,176.
        ("pharmacy-technician", D(2025, 1, 1), ("42437", "48991", "51176")),
        # A.1, 2024/25 first half: enhanced practice nurse 60,401 / 67,369 / 70,330.
        ("enhanced-practice-nurse", D(2024, 6, 1), ("60401", "67369", "70330")),
        # A.1, 2025/26: GP 105,882 (London 108,680 from A.S27 only), GPs' one London rate
        # in both London columns (A.3 rule 3), as in 2024/25 (95,233 in both).
        ("gp", D(2025, 6, 1), ("105882", "108680", "108680")),
        ("gp", D(2025, 1, 1), ("92462", "95233", "95233")),
        # A.1, 2024/25 first half: the amounts from 1 July 2023 carried to 30 Sep 2024.
        ("clinical-pharmacist", D(2024, 6, 1), ("62340", None, None)),
        ("pharmacy-technician", D(2024, 9, 30), ("40159", None, None)),
    ],
)
def test_hand_picked_amounts(role, on, zone_amounts):
    row = MaximumAmount.objects.in_force(on, band="").get(role__code=role)
    expected = tuple(Decimal(a) if a else None for a in zone_amounts)
    assert (row.national, row.outer_london, row.inner_london) == expected


def test_advanced_practitioner_amounts_are_by_band():
    row = MaximumAmount.objects.in_force(D(2024, 11, 1), band="8a").get(
        role__code="advanced-practitioner"
    )
    assert row.national == Decimal("72141")


def test_gaps_are_unknown_not_guessed():
    # DOMAIN.md gives no 2021/22 amount for clinical pharmacists and none at all for 2026/27.
    for role, on in [("clinical-pharmacist", D(2021, 6, 1)), ("dietitian", D(2026, 6, 1))]:
        row = MaximumAmount.objects.in_force(on).get(role__code=role)
        assert row.unknown
        assert row.national is None and row.outer_london is None


def test_every_role_is_covered_from_the_day_it_became_reimbursable():
    """Every day from a role's start has a row (known or unknown), in one band or another."""
    for role in ARRSRole.objects.prefetch_related("maximum_amounts"):
        rows = sorted(role.maximum_amounts.all(), key=lambda r: r.period_start)
        assert rows[0].period_start == role.reimbursable_from, role
        covered_until = rows[0].period_start  # the first day not yet covered
        for row in rows:
            assert row.period_start <= covered_until, (role, "gap before", row.period_start)
            if row.period_end is None:
                covered_until = datetime.date.max
            else:
                covered_until = max(covered_until, row.period_end + datetime.timedelta(days=1))
        assert covered_until == datetime.date.max, role


def test_no_amount_before_its_role_existed():
    for row in MaximumAmount.objects.select_related("role"):
        assert row.period_start >= row.role.reimbursable_from, row


def test_london_is_never_below_national():
    for row in MaximumAmount.objects.filter(unknown=False):
        known = [a for a in (row.national, row.outer_london, row.inner_london) if a is not None]
        assert known == sorted(known), row


def test_allocation_rates():
    # DOMAIN.md A.2: 2023/24 £22.671, 2024/25 £22.894, 2025/26 £26.631; 2026/27 not found.
    rates = dict(
        AllocationRate.objects.values_list("financial_year", "pounds_per_weighted_patient")
    )
    assert rates[2023] == Decimal("22.671")
    assert rates[2024] == Decimal("22.894")
    assert rates[2025] == Decimal("26.631")
    assert rates[2026] is None


def test_the_2024_25_gp_sum():
    # DOMAIN.md §3.3 "GP ARRS 2024/25" and A.2: £1.303 × weighted population for
    # 1 October 2024 – 31 March 2025, for GP posts only; none from 2025/26.
    gp_sum = RingFencedSum.objects.select_related("role").get()
    assert (gp_sum.financial_year, gp_sum.role.code) == (2024, "gp")
    assert gp_sum.pounds_per_weighted_patient == Decimal("1.303")
    assert (gp_sum.first_day, gp_sum.last_day) == (D(2024, 10, 1), D(2025, 3, 31))
    # Readers see the public documents, not DOMAIN.md's keys.
    assert "GP ARRS Role: Funding and Reimbursement" in gp_sum.citation()
    assert "DOMAIN" not in gp_sum.citation() and "S79" not in gp_sum.citation()


def test_loading_again_keeps_a_national_admins_correction():
    RingFencedSum.objects.filter(financial_year=2024).update(
        pounds_per_weighted_patient=Decimal("1.310"), section="Corrected by a national admin"
    )
    load_ring_fenced_sums(apps, data.RING_FENCED_SUMS)
    gp_sum = RingFencedSum.objects.get()
    assert (gp_sum.pounds_per_weighted_patient, gp_sum.section) == (
        Decimal("1.310"),
        "Corrected by a national admin",
    )


def test_mental_health_practitioners_reimbursed_at_half_from_2021():
    rule = RoleCap.objects.get(role__code="mental-health-practitioner", kind="reimbursement_share")
    assert (rule.valid_from, rule.share) == (D(2021, 4, 1), Decimal("0.5"))


def test_specifications():
    names = set(ServiceSpecification.objects.values_list("name", flat=True))
    assert {
        "Structured Medication Reviews and Medicines Optimisation",
        "Enhanced Health in Care Homes",
        "Supporting Early Cancer Diagnosis",
        "Cardiovascular Disease Prevention and Diagnosis",
        "Tackling Neighbourhood Health Inequalities",
        "Personalised Care",
        "Anticipatory Care",
        "Enhanced Access",
    } <= names
    for spec in ServiceSpecification.objects.prefetch_related("requirements"):
        # A 2024/25 key function may be one requirement: DOMAIN.md §4 gives one line each.
        assert spec.requirements.count() >= (1 if spec.kind == "function" else 2), spec


def test_the_migration_loads_what_the_data_module_says():
    """The data module is what migration 0002 loaded, with the words 0005 changed in its
    notes (the notebook's keys replaced by the documents' names)."""
    import importlib

    from workforce.migrations import _reference_data_0002 as frozen

    notes = importlib.import_module("workforce.migrations.0005_notes_cite_documents")

    def as_revised(rows):
        return [
            {k: notes.revised(v) if k in ("note", "notes", "rule") else v for k, v in r.items()}
            for r in rows
        ]

    once = importlib.import_module("workforce.migrations.0007_one_person_and_eligibility")
    for name in ("ARRS_ROLES", "ALLOCATION_RATES"):
        assert as_revised(getattr(frozen, name)) == getattr(data, name), name
    assert as_revised(frozen.RING_FENCED_SUMS) == data.RING_FENCED_SUMS
    assert _as_0006_left_them(once, as_revised(frozen.MAXIMUM_AMOUNTS), as_revised(
        frozen.ROLE_CAPS)) == (data.MAXIMUM_AMOUNTS, data.ROLE_CAPS)  # fmt: skip


def _as_0006_left_them(once, amounts, caps):
    """The maximum amounts and rules as migration 0006 leaves rows still as shipped."""
    by_key = {(r["role"], r["afc_band"], r["period_start"]): r for r in amounts}
    for revision in once.REVISIONS:
        row = by_key[(revision["role"], revision["afc_band"], revision["period_start"])]
        now = dict(revision["now"])
        row.update(note=now.pop("notes"), source=now.pop("source"))
        row.update({k: (Decimal(v) if isinstance(v, int) else v) for k, v in now.items()})
    del by_key[("advanced-practitioner", "7", once.AP_BAND_7["period_start"])]
    for cap in caps:
        if cap["role"] in once.PRIOR_EMPLOYMENT_ROLES and cap["kind"] == "other":
            cap["kind"] = "prior_employment"
        if cap["role"] in once.ENTITLEMENT_2019 and cap["kind"] == "max_wte":
            cap["population_threshold"] = once.OVER_100K
            cap["rule"] += (
                " Networks over 100,000 patients were entitled to more; no source the "
                "portal holds says how much."
            )
    gp_at = next(n for n, cap in enumerate(caps) if cap["role"] == "gp") + 1
    caps.insert(gp_at, {"role": "gp", **once.RECENT_GP})
    return sorted(
        by_key.values(), key=lambda r: (r["role"], r["afc_band"], r["period_start"])
    ), caps


def test_migration_0006_leaves_what_an_admin_changed():
    """Migration 0006 puts A.1's figures into rows still as shipped and keeps a row a
    national admin changed: here the admin had entered £61,000 for the clinical pharmacist
    in April–September 2024 and an inner London figure of their own for the GP."""
    import importlib

    once = importlib.import_module("workforce.migrations.0007_one_person_and_eligibility")
    half_year = {"period_start": D(2024, 4, 1), "afc_band": ""}
    MaximumAmount.objects.filter(role__code="pharmacy-technician", **half_year).update(
        national=None, unknown=True
    )
    MaximumAmount.objects.filter(role__code="clinical-pharmacist", **half_year).update(
        national=Decimal(61000), unknown=False
    )
    MaximumAmount.objects.filter(role__code="gp", period_start=D(2025, 4, 1)).update(
        inner_london=Decimal(110000)
    )
    ap = ARRSRole.objects.get(code="advanced-practitioner")
    MaximumAmount.objects.create(role=ap, afc_band="7", **once.AP_BAND_7)

    once.load(apps, schema_editor=None)

    def amount(code, start, field="national"):
        return getattr(MaximumAmount.objects.get(role__code=code, afc_band="",
                                                 period_start=start), field)  # fmt: skip

    assert amount("pharmacy-technician", D(2024, 4, 1)) == Decimal(40159)
    assert amount("clinical-pharmacist", D(2024, 4, 1)) == Decimal(61000)
    assert amount("gp", D(2025, 4, 1), "inner_london") == Decimal(110000)
    assert not MaximumAmount.objects.filter(role=ap, afc_band="7").exists()
    # A second run changes nothing.
    once.load(apps, schema_editor=None)
    assert amount("pharmacy-technician", D(2024, 4, 1)) == Decimal(40159)
    assert RoleCap.objects.filter(role__code="gp", kind="recent_gp").count() == 1


def test_the_advanced_practitioner_band_7_row_is_gone_and_every_band_is_usable():
    """Issue 25 item 11: a maximum amount row for a band its role's posts cannot be on can
    never be used."""
    from workforce.rules import role_bands

    for row in MaximumAmount.objects.exclude(afc_band="").select_related("role"):
        assert row.afc_band in role_bands(row.role), row
