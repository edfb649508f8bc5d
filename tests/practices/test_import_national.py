"""import_ods on the real national files (read from ../shared/data/ods, never copied),
imported once for every test here: the national ePCN file, epraccur and the practice map.

Every test that needs the national files imported is in this one class, so that the
import happens once in a test run (pytest-xdist gives a class to one worker). A test that
needs another state of the same data makes it inside its own transaction, rolled back
before the next test: list sizes added, or an older vintage imported in place of the
networks and spells."""

import csv
import datetime

import pghistory.models
import pytest
from django.db import connection, transaction
from django.db.models import F

from networks.models import (
    ImportedExtract,
    IntegratedCareBoard,
    PrimaryCareNetwork,
    SubICBLocation,
)
from practices.models import ListSize, Membership, Practice
from practices.ods.importer import import_files
from tests.db import analyze
from tests.practices.national_files import (
    EPCN,
    NATIONAL,
    ODS,
    published_epcn,
    published_spells,
    require_ods_files,
    wrong_practice_days,
)

D = datetime.date
pytestmark = pytest.mark.heavy
CUTOFF = D(2022, 5, 31)  # the older vintage's extract: what ODS knew at the end of May 2022


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """The national files imported once for the module, rolled back at its end."""
    require_ods_files()
    with django_db_blocker.unblock(), transaction.atomic():
        result = import_files([ODS / name for name in NATIONAL])
        analyze(Membership, Practice, PrimaryCareNetwork)
        yield result
        transaction.set_rollback(True)


def network_of(practice, day):
    codes = list(
        Membership.objects.filter(practice__code=practice)
        .current(day)
        .values_list("pcn__code", flat=True)
    )
    assert len(codes) <= 1
    return codes[0] if codes else None


def snapshot():
    return sorted(
        Membership.objects.values_list(
            "practice__code",
            "pcn__code",
            "start_date",
            "end_date",
            "published_start_date",
            "published_end_date",
            "in_force",
            "source",
        )
    )


def ymd(day):
    return f"{day:%Y%m%d}" if day else ""


def older_vintage(folder):
    """A synthetic May 2022 extract made from the October 2024 one: networks and spells
    not yet open left out, later ends not yet known; ten spells published with a start a
    month earlier (that ODS later restated), and five one-day spells in another network
    (that ODS later withdrew)."""
    data = published_epcn()
    pcns = [p for p in data.pcns if p.open_date <= CUTOFF]
    known = {p.code for p in pcns}
    spells = []
    restated = withdrawn = 0
    for m in data.memberships:
        if m.start_date > CUTOFF or m.pcn_code not in known:
            continue
        start, end = m.start_date, m.end_date if m.end_date and m.end_date <= CUTOFF else None
        if restated < 10 and start == D(2020, 4, 1) and end is None:
            start, restated = D(2020, 3, 1), restated + 1
        spells.append((m, start, end))
        if withdrawn < 5 and start <= D(2021, 1, 1) and (end is None or end > D(2021, 1, 1)):
            other = next(p.code for p in pcns if p.code != m.pcn_code)
            spells.append((m, None, other))
            withdrawn += 1
    pcn_path, partner_path = folder / "pcn-details-2022-05.csv", folder / "partners-2022-05.csv"
    with open(pcn_path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location",
             "Open Date", "Close Date", "Address Line 1", "Postcode"]
        )  # fmt: skip
        for p in pcns:
            close = p.close_date if p.close_date and p.close_date <= CUTOFF else None
            writer.writerow(
                [p.code, p.name, p.sub_icb_code, p.sub_icb_name, ymd(p.open_date), ymd(close),
                 p.address_line_1, p.postcode]
            )  # fmt: skip
    with open(partner_path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["Partner Organisation Code", "Partner Name", "Practice Parent Sub ICB Loc Code",
             "PCN Code", "Practice to PCN Relationship Start Date",
             "Practice to PCN Relationship End Date",
             "Practice Sub ICB Loc and PCN Sub ICB Loc Match"]
        )  # fmt: skip
        for m, start, end in spells:
            if start is None:  # a one-day spell in another network, later withdrawn
                writer.writerow(
                    [m.practice_code, m.practice_name, m.practice_sub_icb_code, end,
                     "20210101", "20210101", "False"]
                )  # fmt: skip
                continue
            writer.writerow(
                [m.practice_code, m.practice_name, m.practice_sub_icb_code, m.pcn_code,
                 ymd(start), ymd(end), "True"]
            )  # fmt: skip
    return pcn_path, partner_path, restated, withdrawn


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

    def test_list_sizes_with_ccg_era_headers(self, national):
        # The practices are epraccur's, imported above.
        result = import_files([ODS / "gp-reg-pat-prac-all_2021-01.csv"])
        assert result.outcomes["List sizes"].created > 6000
        size = ListSize.objects.get(practice__code="A84002")
        assert (size.extract_date, size.registered_patients) == (D(2021, 1, 1), 5903)

    def test_an_older_vintage_then_the_newer_gives_what_the_newer_alone_gives(
        self, national, tmp_path
    ):
        """An ePCN file is ODS's whole history as of its extract: importing an older vintage
        and then a newer one leaves exactly what the newer one alone gives (the module's
        import). The older vintage goes in where no ePCN file was imported yet."""
        expected = snapshot()
        older = older_vintage(tmp_path)
        without_networks()

        import_files(older[:2])
        result = import_files([ODS / EPCN])

        assert snapshot() == expected
        # Each restated spell and each one-day spell ODS no longer publishes is withdrawn.
        assert result.outcomes["Membership spells"].withdrawn == older[2] + older[3] == 15
        withdrawn = [w for w in result.warnings if "no longer publishes" in w]
        assert len(withdrawn) == 15
        assert sum("ODS publishes the practice in" in w for w in withdrawn) == 10  # restated
        analyze(Membership, Practice, PrimaryCareNetwork)
        assert wrong_practice_days(published_spells()) == []


def without_networks():
    """The database as before any ePCN file: the networks, their spells and the record of
    the extracts applied taken away (in the test's transaction); practices and areas stay."""
    tables = (Membership, PrimaryCareNetwork, ImportedExtract)
    with connection.cursor() as cursor:
        # The import's deferred checks are run now: a table with checks pending cannot be
        # emptied in the same transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
        cursor.execute(f"TRUNCATE {names} CASCADE")
