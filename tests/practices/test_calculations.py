"""Derived figures, each on cases worked out by hand (the sums are in the comments):
a network's member practices and population on a date, and its footprint."""

import datetime
from decimal import Decimal

import pytest

from networks.models import PrimaryCareNetwork
from practices.calculations import (
    Footprint,
    footprint,
    members_on,
    population_on,
    weighted_population_on,
    with_population,
)
from tests.factories import (
    ListSizeFactory,
    MembershipFactory,
    PracticeFactory,
    PrimaryCareNetworkFactory,
)
from tests.factories.worlds import lone_network

D = datetime.date


@pytest.fixture
def pcn(db):
    return lone_network()


def practice(code, pcn, start, end=None, sizes=()):
    p = PracticeFactory(code=code, name=f"PRACTICE {code}", bare=True)
    MembershipFactory(practice=p, pcn=pcn, start_date=start, end_date=end)
    for extract_date, registered, weighted in sizes:
        ListSizeFactory(
            practice=p,
            extract_date=extract_date,
            registered_patients=registered,
            weighted_patients=weighted,
        )
    return p


class TestPopulation:
    @pytest.fixture
    def members(self, pcn):
        a = practice(
            "Z00001",
            pcn,
            D(2020, 1, 1),
            sizes=[(D(2024, 1, 1), 10_000, Decimal("11000.50")), (D(2024, 4, 1), 10_500, None)],
        )
        # B leaves: its last day as a member is 31 May 2024.
        b = practice(
            "Z00002",
            pcn,
            D(2020, 1, 1),
            end=D(2024, 5, 31),
            sizes=[(D(2024, 1, 1), 20_000, Decimal("19000.25"))],
        )
        return a, b

    def test_members_on_a_date(self, pcn, members):
        a, b = members
        assert list(members_on(pcn, D(2024, 5, 31))) == [a, b]
        assert list(members_on(pcn, D(2024, 6, 1))) == [a]
        assert list(members_on(pcn, D(2019, 12, 31))) == []

    def test_a_move_overnight_counts_the_practice_in_one_network_each_day(self, pcn, members):
        other = PrimaryCareNetworkFactory(
            code="U99002", name="OTHER PCN", lead_commissioner=pcn.lead_commissioner, bare=True
        )
        # C is in the first network up to and including 31 December 2024, then in the
        # other from 1 January 2025: the date the 2025/26 allocation counts patients.
        c = practice("Z00003", pcn, D(2020, 1, 1), end=D(2024, 12, 31))
        MembershipFactory(practice=c, pcn=other, start_date=D(2025, 1, 1))
        ListSizeFactory(
            practice=c,
            extract_date=D(2024, 10, 1),
            registered_patients=7_000,
            weighted_patients=Decimal("7500"),
        )
        assert c in members_on(pcn, D(2024, 12, 31))
        assert c not in members_on(pcn, D(2025, 1, 1))
        assert list(members_on(other, D(2025, 1, 1))) == [c]
        assert weighted_population_on(other, D(2025, 1, 1)) == Decimal("7500")
        # A (11,000.50) and B (gone since 31 May 2024): only A in the first network.
        assert weighted_population_on(pcn, D(2025, 1, 1)) == Decimal("11000.50")

    def test_a_one_day_spell_counts_on_its_day_only(self, pcn, members):
        d = practice("Z00004", pcn, D(2024, 4, 1), end=D(2024, 4, 1))
        assert d in members_on(pcn, D(2024, 4, 1))
        assert d not in members_on(pcn, D(2024, 4, 2))
        assert d not in members_on(pcn, D(2024, 3, 31))

    def test_population_uses_latest_list_size_not_after_the_date(self, pcn, members):
        assert population_on(pcn, D(2024, 3, 1)) == 30_000  # 10,000 + 20,000
        assert population_on(pcn, D(2024, 5, 31)) == 30_500  # 10,500 + 20,000

    def test_practice_leaving_mid_year_drops_out(self, pcn, members):
        assert population_on(pcn, D(2024, 6, 1)) == 10_500

    def test_no_list_size_yet_is_unknown(self, pcn, members):
        assert population_on(pcn, D(2023, 12, 31)) is None

    def test_weighted_population_skips_missing_weighted_figures(self, pcn, members):
        # A's April figure has no weighted count, so its January one (11,000.50) stands.
        assert weighted_population_on(pcn, D(2024, 5, 1)) == Decimal("30000.75")

    def test_annotated_population_matches_single_network_figure(self, pcn, members):
        annotated = with_population(PrimaryCareNetwork.objects.all(), D(2024, 5, 31)).get()
        assert annotated.population == 30_500

    @pytest.mark.parametrize(
        ("population", "flag"),
        [
            (29_999, Footprint.BELOW),
            (30_000, Footprint.WITHIN),
            (50_000, Footprint.WITHIN),
            (50_001, Footprint.ABOVE),
            (None, Footprint.UNKNOWN),
        ],
    )
    def test_footprint_flag(self, population, flag):
        assert footprint(population) == flag
