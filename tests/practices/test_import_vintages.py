"""An ePCN file is ODS's whole history as of its extract: importing an older vintage and
then a newer one leaves exactly what the newer one alone gives."""

import csv
import datetime

import pytest
from django.db import connection, transaction

from practices.models import Membership
from practices.ods import readers
from practices.ods.importer import import_files
from tests.practices.test_import_national import (
    ODS,
    published_spells,
    require_ods_files,
    wrong_practice_days,
)

D = datetime.date
pytestmark = pytest.mark.heavy
CUTOFF = D(2022, 5, 31)  # the older vintage's extract: what ODS knew at the end of May 2022


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
    data = readers.read_epcn(ODS / "ePCN_2024-10.xlsx")
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
def test_an_older_vintage_then_the_newer_gives_what_the_newer_alone_gives(tmp_path):
    require_ods_files()
    older = older_vintage(tmp_path)
    newer = ODS / "ePCN_2024-10.xlsx"
    with transaction.atomic():
        import_files([newer])
        expected = snapshot()
        transaction.set_rollback(True)

    import_files(older[:2])
    result = import_files([newer])

    assert snapshot() == expected
    # Each restated spell and each one-day spell ODS no longer publishes is withdrawn.
    assert result.outcomes["Membership spells"].withdrawn == older[2] + older[3] == 15
    withdrawn = [w for w in result.warnings if "no longer publishes" in w]
    assert len(withdrawn) == 15
    assert sum("ODS publishes the practice in" in w for w in withdrawn) == 10  # restated
    with connection.cursor() as cursor:
        # Statistics that count this test's rows, as the national module's fixture takes
        # them: planned as empty tables, the day-by-day check below takes many minutes.
        cursor.execute(
            "ANALYZE practices_membership, practices_practice, networks_primarycarenetwork"
        )
    assert wrong_practice_days(published_spells()) == []
