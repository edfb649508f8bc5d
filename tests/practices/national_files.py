"""The national ODS files the tests read, where they sit (../shared/data/ods beside the
project, never copied), and what they publish, read once per test process.

The files are imported once, for the tests of tests/practices/test_import_national.py;
tests of a download (test_fetch_ods.py) or of another file (test_import_weighted.py) read
them from here too.
"""

import datetime
import functools
import os
from pathlib import Path

import pytest

from practices.models import Membership
from practices.ods import readers

D = datetime.date
ROOT = Path(__file__).resolve().parents[2]
ODS = ROOT.parent / "shared" / "data" / "ods"
EPCN = "ePCN_2024-10.xlsx"
NATIONAL = [EPCN, "epraccur_2024-01.csv", "gp-reg-pat-prac-map_2025-10.csv"]


def require_ods_files():
    if not ODS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"The ODS sample files are missing at {ODS}; CI must have them.")
        pytest.skip(f"The ODS sample files are not at {ODS} (they sit beside the project).")


@functools.cache
def published_epcn():
    """The October 2024 ePCN workbook as the reader gives it: read once per test process,
    since reading it takes seconds. Treat it as read-only."""
    return readers.read_epcn(ODS / EPCN)


@functools.cache
def published_spells():
    """{practice code: [(network, start, last day or None), …]} as the file publishes them."""
    spells = {}
    for m in published_epcn().memberships:
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
