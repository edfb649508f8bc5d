"""import_ods on the real national files (read from ../shared/data/ods, never copied)."""

import datetime
import os
from pathlib import Path

import pghistory.models
import pytest
from django.db import connection, transaction
from django.db.models import F

from networks.models import IntegratedCareBoard, PrimaryCareNetwork, SubICBLocation
from practices.models import ListSize, Membership
from practices.ods import readers
from practices.ods.importer import import_files

D = datetime.date
ROOT = Path(__file__).resolve().parents[2]
ODS = ROOT.parent / "shared" / "data" / "ods"
pytestmark = pytest.mark.heavy
NATIONAL = ["ePCN_2024-10.xlsx", "epraccur_2024-01.csv", "gp-reg-pat-prac-map_2025-10.csv"]


def require_ods_files():
    if not ODS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"The ODS sample files are missing at {ODS}; CI must have them.")
        pytest.skip(f"The ODS sample files are not at {ODS} (they sit beside the project).")


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """The national files imported once for the module, rolled back at its end."""
    require_ods_files()
    with django_db_blocker.unblock(), transaction.atomic():
        result = import_files([ODS / name for name in NATIONAL])
        with connection.cursor() as cursor:
            # Statistics that count this transaction's rows: a table vacuumed while empty
            # (after an earlier module's rollback) otherwise plans as empty, and the
            # day-by-day checks below take minutes instead of seconds.
            cursor.execute(
                "ANALYZE practices_membership, practices_practice, networks_primarycarenetwork"
            )
        yield result
        transaction.set_rollback(True)


def published_spells():
    """{practice code: [(network, start, last day or None), …]} as the file publishes them."""
    data = readers.read_epcn(ODS / "ePCN_2024-10.xlsx")
    spells = {}
    for m in data.memberships:
        spells.setdefault(m.practice_code, []).append((m.pcn_code, m.start_date, m.end_date))
    return spells


def check_days():
    """Every month's first and last day from July 2019 to October 2024."""
    days, month = [], D(2019, 7, 1)
    while month <= D(2024, 10, 1):
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        days += [month, following - datetime.timedelta(days=1)]
        month = following
    return days


def wrong_practice_days(published):
    """The practice-days where the portal's network is not one the file publishes the
    practice in that day, or is missing where it publishes one, or is set where it
    publishes none: (practice, day, portal's networks, published networks)."""
    wrong = []
    for day in check_days():
        portal = {}
        for practice, pcn in Membership.objects.current(day).values_list(
            "practice__code", "pcn__code"
        ):
            portal.setdefault(practice, []).append(pcn)
        for practice in set(published) | set(portal):
            expected = {
                pcn
                for pcn, start, end in published.get(practice, [])
                if start <= day and (end is None or day <= end)
            }
            got = portal.get(practice, [])
            if (
                len(got) > 1
                or (expected and (not got or got[0] not in expected))
                or (not expected and got)
            ):
                wrong.append((practice, day, got, sorted(expected)))
    return wrong


def network_of(practice, day):
    codes = list(
        Membership.objects.filter(practice__code=practice)
        .current(day)
        .values_list("pcn__code", flat=True)
    )
    assert len(codes) <= 1
    return codes[0] if codes else None


@pytest.mark.django_db
class TestNationalFiles:
    def test_networks_and_spells_counted_as_published(self, national):
        assert PrimaryCareNetwork.objects.count() == 1366
        assert PrimaryCareNetwork.objects.filter(close_date__isnull=True).count() == 1285
        assert Membership.objects.count() == 7705
        assert Membership.objects.filter(published_end_date__isnull=True).count() == 6224

    def test_stockton_pcn_and_its_seven_practices(self, national):
        stockton = PrimaryCareNetwork.objects.get(code="U89141")
        assert stockton.name == "STOCKTON PCN"
        current = Membership.objects.of_pcn(stockton, D(2024, 10, 1))
        assert current.count() == 7
        assert "A81001" in set(current.values_list("practice__code", flat=True))

    def test_a_closed_network(self, national):
        closed = PrimaryCareNetwork.objects.filter(close_date__isnull=False).first()
        assert closed.close_date > closed.open_date
        assert not closed.is_open

    def test_a_practice_that_left_a_network(self, national):
        # The end date is the last day: a member on it, not the day after.
        left = Membership.objects.filter(end_date__isnull=False, adjustment="").first()
        assert left.end_date >= left.start_date
        spell = Membership.objects.filter(pk=left.pk)
        assert spell.current(left.end_date).exists()
        assert not spell.current(left.end_date + datetime.timedelta(days=1)).exists()

    def test_a_move_overnight_and_a_one_day_spell(self, national):
        # ODS: A82018 in U66688 up to and including 31 March 2024, in U92223 from 1 April;
        # A82019 in U66688 for the one day 1 April 2024.
        assert network_of("A82018", D(2024, 3, 31)) == "U66688"
        assert network_of("A82018", D(2024, 4, 1)) == "U92223"
        assert network_of("A82019", D(2024, 4, 1)) == "U66688"
        assert network_of("A82019", D(2024, 4, 2)) is None

    def test_every_published_day_in_one_of_its_networks_and_no_other(self, national):
        assert wrong_practice_days(published_spells()) == []

    def test_cross_boundary_membership(self, national):
        cross = Membership.objects.exclude(practice__commissioner=None).exclude(
            practice__commissioner=F("pcn__lead_commissioner")
        )
        assert cross.exists()

    def test_hierarchy_filled_in_from_epraccur_and_map(self, national):
        sub_icb = SubICBLocation.objects.select_related("icb__region").get(code="16C")
        assert sub_icb.icb.code == "QHM"
        assert sub_icb.icb.region.code == "Y63"
        assert sub_icb.ons_code == "E38000247"
        assert IntegratedCareBoard.objects.count() == 42

    def test_published_overlaps_are_kept_and_resolved(self, national):
        spells = Membership.objects.filter(practice__code="P85004").select_related("pcn")
        networks = {m.pcn.code for m in spells}
        assert {"U04503", "U17156"} <= networks
        # ODS publishes P85004 in U04503 on 1–2 July 2024 and in U17156 from 1 July with no
        # end: the open spell wins both days, and the other keeps its published dates.
        lost = spells.get(pcn__code="U04503", published_start_date=D(2024, 7, 1))
        assert (lost.published_end_date, lost.end_date, lost.in_force) == (
            D(2024, 7, 2),
            D(2024, 7, 2),
            False,
        )
        assert "U17156" in lost.adjustment
        assert network_of("P85004", D(2024, 7, 1)) == "U17156"
        assert network_of("P85004", D(2024, 7, 2)) == "U17156"
        overlap_warnings = [w for w in national.warnings if "by the overlap rule" in w]
        # 7 practices in two networks on 1 July 2024, 2 more one-day spells on a move's
        # first day, and 2 moves whose new spell starts on the old one's last day.
        assert len(overlap_warnings) == 11
        assert any(w.startswith("P85004") for w in overlap_warnings)

    def test_second_run_changes_nothing(self, national):
        again = import_files([ODS / name for name in NATIONAL])
        assert again.changed == 0
        assert all(o.changed == 0 for o in again.outcomes.values())

    def test_import_is_in_the_audit_history(self, national):
        pcn = PrimaryCareNetwork.objects.get(code="U89141")
        event = pghistory.models.Events.objects.tracks(pcn).get(pgh_label="insert")
        assert event.pgh_context["process"].startswith("import_ods ePCN_2024-10.xlsx")


@pytest.mark.django_db
def test_list_sizes_with_ccg_era_headers(tmp_path):
    require_ods_files()
    import_files([ODS / "epraccur_2024-01.csv"])
    result = import_files([ODS / "gp-reg-pat-prac-all_2021-01.csv"])
    assert result.outcomes["List sizes"].created > 6000
    size = ListSize.objects.get(practice__code="A84002")
    assert (size.extract_date, size.registered_patients) == (D(2021, 1, 1), 5903)
