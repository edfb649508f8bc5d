"""The directory's world: the personas' world as ODS publishes it."""

import datetime

import pytest

from networks.models import ClinicalDirector, ImportedExtract, NetworkAgreement
from practices.models import ListSize, Membership, MembershipSource, Practice

D = datetime.date


@pytest.fixture
def published(world):
    """The world as ODS publishes it: its spells imported, addresses and postcodes set;
    beside it what the portal holds that is not published (a clinical director, footprint
    notes, an agreement, a spell entered in the portal and a synthetic list size)."""
    Membership.objects.update(source=MembershipSource.ODS)
    postcodes = {"Z99001": "LS1 4AP", "Z99002": "LS12 3QE", "Z99003": "BD7 1DP"}
    for code, postcode in postcodes.items():
        Practice.objects.filter(code=code).update(postcode=postcode, address_line_1="1 HIGH ST")
    pcn = world["pcn"]
    pcn.postcode, pcn.address_line_1 = "LS1 4AP", "RIVERSIDE HOUSE"
    pcn.footprint_notes = "SECRET FOOTPRINT NOTE"
    pcn.save()
    ClinicalDirector.objects.create(
        pcn=pcn, full_name="Dr Hidden Name", profession="gp", start_date=D(2020, 1, 1)
    )
    NetworkAgreement.objects.create(pcn=pcn, financial_year=2025, notes="SECRET AGREEMENT")
    entered = Practice.objects.create(code="Z99009", name="ENTERED SURGERY", postcode="LS1 9ZZ")
    Membership.objects.create(practice=entered, pcn=pcn, start_date=D(2020, 1, 1))
    ListSize.objects.create(
        practice=world["practices"][0],
        extract_date=D(2025, 1, 1),
        registered_patients=99_999,
        synthetic=True,
    )
    ImportedExtract.objects.create(file_name="epcn.xlsx", latest_open_date=D(2024, 1, 1))
    return world
