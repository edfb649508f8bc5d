"""The source registry: every document the reference data cites is a Source record with
its public title and issuer, and every reference row cites records, not notebook keys."""

import importlib
import re

import pytest

from networks.migrations._sources_0003 import KEYS, SOURCES
from networks.models import Source
from networks.sources import keys_in, records_for
from services.models import CareHomePremiumRate, Requirement, ServiceSpecification
from workforce import reference_data as arrs_data
from workforce.models import AllocationRate, ARRSRole, MaximumAmount, RingFencedSum, RoleCap

pytestmark = pytest.mark.usefixtures("reference_data")

NOTEBOOK_KEY = re.compile(r"DOMAIN|(?<![\w.])(A\.)?S\d{1,3}\b")


def cited_keys():
    """Every notebook key the shipped reference data names."""
    services_data = importlib.import_module("services.reference_data")
    texts = [
        r["source"]
        for name in ("ARRS_ROLES", "MAXIMUM_AMOUNTS", "ROLE_CAPS", "ALLOCATION_RATES")
        for r in getattr(arrs_data, name)
    ]
    for spec in services_data.SPECIFICATIONS:
        texts += [spec["source"], *(r["source"] for r in spec["requirements"])]
    texts += [r["source"] for r in services_data.CARE_HOME_PREMIUM_RATES]
    return {key for text in texts for key in keys_in(text)}  # fmt: skip


def test_every_key_the_reference_data_cites_is_a_source_record():
    records = {key for key, *_ in SOURCES}
    missing = {key for key in cited_keys() if not set(records_for([key], KEYS)) <= records}
    assert not missing
    assert Source.objects.count() == len(SOURCES)


def test_every_source_has_a_title_and_issuer_and_no_notebook_key_in_them():
    for source in Source.objects.all():
        assert source.title and source.issuer, source.key
        assert not NOTEBOOK_KEY.search(f"{source.title} {source.issuer} {source.published}")


def test_each_reference_row_cites_its_documents():
    for model in (ARRSRole, RoleCap, AllocationRate, RingFencedSum, ServiceSpecification,
                  Requirement, CareHomePremiumRate):  # fmt: skip
        uncited = [str(row) for row in model.objects.all() if not row.sources.exists()]
        assert not uncited, (model.__name__, uncited)
    # Only the periods no source gives a figure for cite nothing.
    assert not MaximumAmount.objects.filter(unknown=False, sources__isnull=True).exists()


def test_a_row_reads_as_its_public_documents():
    rate = MaximumAmount.objects.get(role__code="clinical-pharmacist", period_start="2025-04-01")
    text = rate.citation()
    assert (
        "New ARRS pharmacist funding confirmed by NHS England – The Pharmacist, April 2025" in text
    )
    assert '<a href="https://thepharmacist.co.uk/in-practice/new-arrs-pharmacist-funding-' in (
        rate.citation_html()
    )
    gp_sum = RingFencedSum.objects.get(financial_year=2024)
    assert "GP ARRS Role: Funding and Reimbursement – ICB slide pack, October 2024" in (
        gp_sum.citation()
    )
    assert gp_sum.citation().endswith("quoting Network Contract DES section 10.5.4")


def test_no_note_or_rule_names_the_notebook():
    for model, fields in ((MaximumAmount, ["notes"]), (AllocationRate, ["notes"]),
                          (RoleCap, ["notes", "rule"]), (ARRSRole, ["notes"]),
                          (CareHomePremiumRate, ["note"])):  # fmt: skip
        for row in model.objects.all():
            for field in fields:
                assert not NOTEBOOK_KEY.search(getattr(row, field)), (row, getattr(row, field))


def test_every_source_title_reads_as_words_not_program_code():
    """A reader sees each source's title beside a figure: "package models / var Roles
    []PositionReimbursement" told them nothing."""
    titles = list(Source.objects.values_list("title", flat=True))
    assert titles
    assert not [t for t in titles if re.search(r"\[\]|package |var ", t)]
