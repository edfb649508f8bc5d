"""The care-home actions hold the rules themselves, whatever calls them: a network changes
the home it shares with others only while it holds it (services.scopes)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from pcn_portal.core.dates import today
from services import actions
from services.models import CareHome, CareHomeBeds

D = datetime.date


def alignment_of(home, pcn):
    return home.alignments.select_related("home", "pcn").get(pcn=pcn)


def test_an_ended_network_cannot_change_the_home_or_its_alignment(
    moved_home, world, network_manager, other_manager, superuser
):
    riverside = alignment_of(moved_home, world["pcn"])
    with pytest.raises(PermissionDenied, match="up to and including 31 March 2026"):
        actions.update_care_home(
            alignment=riverside, by=network_manager, changes={"name": "Riverside's Meadow"}
        )
    with pytest.raises(PermissionDenied):
        actions.update_care_home(
            alignment=riverside, by=network_manager, changes={"clinical_lead": "Dr New"}
        )
    with pytest.raises(PermissionDenied):
        actions.record_beds(alignment=riverside, by=network_manager, month=D(2026, 3, 1), beds=90)
    with pytest.raises(PermissionDenied):
        actions.end_alignment(alignment=riverside, by=network_manager, end_date=D(2026, 9, 30))
    home = CareHome.objects.get(pk=moved_home.pk)
    assert home.name == "MEADOW VIEW"
    assert alignment_of(home, world["pcn"]).end_date == D(2026, 3, 31)
    assert not CareHomeBeds.objects.filter(home=home, beds=90).exists()

    # The network aligned today changes it, and a national admin through any alignment.
    hilltop = alignment_of(moved_home, world["other_pcn"])
    actions.update_care_home(
        alignment=hilltop, by=other_manager, changes={"name": "Meadow View", "postcode": "zz2 3zz"}
    )
    home = CareHome.objects.get(pk=moved_home.pk)
    assert (home.name, home.postcode) == ("Meadow View", "ZZ2 3ZZ")
    actions.update_care_home(alignment=riverside, by=superuser, changes={"name": "MEADOW VIEW"})
    assert CareHome.objects.get(pk=moved_home.pk).name == "MEADOW VIEW"


def test_a_network_aligned_from_a_later_day_keeps_to_its_own_alignment(
    moved_home, world, network_manager, other_manager
):
    # Hilltop's alignment ends today; Riverside takes the home back from next year.
    hilltop = alignment_of(moved_home, world["other_pcn"])
    actions.end_alignment(alignment=hilltop, by=other_manager, end_date=today())
    coming = actions.align_care_home(
        pcn=world["pcn"],
        by=network_manager,
        cqc_location_id=moved_home.cqc_location_id,
        name="RIVERSIDE MEADOW",  # not Riverside's to rename yet
        start_date=today().replace(year=today().year + 1, day=1),
    )
    assert CareHome.objects.get(pk=moved_home.pk).name == "MEADOW VIEW"
    with pytest.raises(PermissionDenied, match="Only the network MEADOW VIEW is aligned to today"):
        actions.update_care_home(
            alignment=coming, by=network_manager, changes={"name": "Riverside Meadow"}
        )
    # Its own alignment's details are its own to change.
    actions.update_care_home(
        alignment=coming, by=network_manager, changes={"name": "MEADOW VIEW", "round_day": 2}
    )
    assert coming.get_round_day_display() == "Tuesday"


def test_a_network_aligning_a_home_gives_its_details_only_from_the_day_it_holds_it(
    moved_home, world, network_manager, other_manager
):
    hilltop = alignment_of(moved_home, world["other_pcn"])
    actions.end_alignment(
        alignment=hilltop, by=other_manager, end_date=today() - datetime.timedelta(days=1)
    )
    later = today().replace(year=today().year + 1, day=1)
    actions.align_care_home(
        pcn=world["other_pcn"],
        by=other_manager,
        cqc_location_id=moved_home.cqc_location_id,
        name="HILLTOP MEADOW",  # from next year: not Hilltop's to rename today
        start_date=later,
    )
    assert CareHome.objects.get(pk=moved_home.pk).name == "MEADOW VIEW"
    actions.align_care_home(
        pcn=world["pcn"],
        by=network_manager,
        cqc_location_id=moved_home.cqc_location_id,
        name="RIVERSIDE MEADOW",  # from today: Riverside's
        start_date=today(),
        end_date=later - datetime.timedelta(days=1),
    )
    assert CareHome.objects.get(pk=moved_home.pk).name == "RIVERSIDE MEADOW"
