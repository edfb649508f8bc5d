"""The overlap rule: each day ODS publishes a practice in one or more networks goes to
exactly one of them. End dates are the last day (inclusive)."""

import datetime

from practices.spells import Piece, Spell, give_way, reconcile, targets

D = datetime.date


def kept(spells):
    """{network: [(first, last), …]} of the days each spell keeps."""
    return {s.pcn_code: [(p.start, p.end) for p in r.pieces] for s, r in reconcile(spells).items()}


def network_on(spells, day):
    winners = [
        s.pcn_code
        for s, r in reconcile(spells).items()
        for p in r.pieces
        if p.start <= day and (p.end is None or day <= p.end)
    ]
    assert len(winners) <= 1
    return winners[0] if winners else None


def test_a_move_overnight_needs_no_adjustment():
    old = Spell("U00001", D(2020, 1, 1), D(2024, 3, 31))
    new = Spell("U00002", D(2024, 4, 1), None)
    result = reconcile([old, new])
    assert not result[old].adjusted and not result[new].adjusted
    assert network_on([old, new], D(2024, 3, 31)) == "U00001"
    assert network_on([old, new], D(2024, 4, 1)) == "U00002"


def test_a_move_on_the_old_spells_last_day_gives_that_day_to_the_new_network():
    old = Spell("U00001", D(2020, 1, 1), D(2024, 4, 1))
    new = Spell("U00002", D(2024, 4, 1), None)
    assert kept([old, new]) == {
        "U00001": [(D(2020, 1, 1), D(2024, 3, 31))],
        "U00002": [(D(2024, 4, 1), None)],
    }


def test_later_starting_spell_wins_from_its_start():
    old = Spell("U00001", D(2020, 1, 1), None)
    new = Spell("U00002", D(2024, 7, 1), None)
    assert kept([new, old]) == {
        "U00001": [(D(2020, 1, 1), D(2024, 6, 30))],
        "U00002": [(D(2024, 7, 1), None)],
    }
    assert reconcile([new, old])[old].winners == (new,)


def test_a_nested_winner_splits_the_loser_around_it():
    outer = Spell("U00001", D(2019, 7, 1), None)
    inner = Spell("U00002", D(2024, 7, 1), D(2024, 9, 30))
    assert kept([outer, inner]) == {
        "U00001": [(D(2019, 7, 1), D(2024, 6, 30)), (D(2024, 10, 1), None)],
        "U00002": [(D(2024, 7, 1), D(2024, 9, 30))],
    }
    assert network_on([outer, inner], D(2024, 10, 1)) == "U00001"
    reason = reconcile([outer, inner])[outer].describe("A81001")
    assert "keeps from 01 Jul 2019 up to and including 30 Jun 2024 and from 01 Oct 2024" in reason


def test_same_start_open_spell_wins_and_the_other_keeps_no_day():
    ended = Spell("U00002", D(2024, 7, 1), D(2024, 7, 2))
    open_ = Spell("U00001", D(2024, 7, 1), None)
    result = reconcile([open_, ended])
    assert result[ended].pieces == ()
    assert result[open_].pieces == (Piece(D(2024, 7, 1), None),)
    assert "keeps no day of its own" in result[ended].describe("P85004")


def test_same_start_longer_ended_spell_wins():
    short = Spell("U00001", D(2024, 7, 1), D(2024, 7, 31))
    long = Spell("U00002", D(2024, 7, 1), D(2024, 12, 31))
    assert kept([short, long])["U00002"] == [(D(2024, 7, 1), D(2024, 12, 31))]
    assert kept([short, long])["U00001"] == []


def test_equal_spells_go_to_the_higher_network_code_whatever_the_order():
    a = Spell("U00001", D(2024, 7, 1), None)
    b = Spell("U00009", D(2024, 7, 1), None)
    assert kept([a, b]) == kept([b, a]) == {"U00001": [], "U00009": [(D(2024, 7, 1), None)]}


def test_a_one_day_spell_is_one_day_long():
    only = Spell("U66688", D(2024, 4, 1), D(2024, 4, 1))
    assert kept([only]) == {"U66688": [(D(2024, 4, 1), D(2024, 4, 1))]}
    assert network_on([only], D(2024, 4, 1)) == "U66688"
    assert network_on([only], D(2024, 4, 2)) is None


def test_a_one_day_spell_inside_another_splits_it():
    outer = Spell("U00001", D(2020, 1, 1), None)
    day = Spell("U00002", D(2024, 4, 1), D(2024, 4, 1))
    assert kept([outer, day])["U00001"] == [
        (D(2020, 1, 1), D(2024, 3, 31)),
        (D(2024, 4, 2), None),
    ]


def test_every_published_day_is_kept_by_exactly_one_spell():
    spells = [
        Spell("U00001", D(2019, 7, 1), None),
        Spell("U00002", D(2020, 4, 1), D(2021, 3, 31)),
        Spell("U00003", D(2021, 1, 1), D(2021, 1, 1)),
        Spell("U00004", D(2022, 1, 1), D(2022, 6, 30)),
        Spell("U00005", D(2022, 1, 1), D(2022, 1, 31)),
    ]
    day = D(2019, 6, 1)
    while day < D(2023, 1, 1):
        published = [s for s in spells if s.start <= day and (s.end is None or day <= s.end)]
        winner = network_on(spells, day)
        if published:
            assert winner in {s.pcn_code for s in published}, day
        else:
            assert winner is None, day
        day += datetime.timedelta(days=1)


def test_targets_keep_a_spell_that_wins_no_day_with_its_published_dates_out_of_force():
    ended = Spell("U04503", D(2024, 7, 1), D(2024, 7, 2))
    open_ = Spell("U17156", D(2024, 7, 1), None)
    rows = targets("P85004", [ended, open_])
    out = [t for t in rows if not t.in_force]
    assert [(t.spell, t.start, t.end) for t in out] == [(ended, D(2024, 7, 1), D(2024, 7, 2))]
    assert out[0].adjustment.startswith("P85004: ODS publishes the practice in U04503")


def test_a_portal_spell_ends_the_day_before_ods_publishes_the_practice_elsewhere():
    ods = targets("A81001", [Spell("U00002", D(2024, 7, 1), None)])
    entered = Spell("U00001", D(2020, 1, 1), None)
    outcome = give_way("A81001", entered, ods)
    assert (outcome.in_force, outcome.end) == (True, D(2024, 6, 30))
    assert "ODS is the record of membership" in outcome.reason


def test_a_portal_spell_from_a_day_ods_already_covers_keeps_no_day():
    ods = targets("A81001", [Spell("U00002", D(2020, 1, 1), None)])
    outcome = give_way("A81001", Spell("U00001", D(2024, 1, 1), None), ods)
    assert outcome.in_force is False


def test_a_portal_spell_ods_does_not_contradict_stays():
    ods = targets("A81001", [Spell("U00002", D(2020, 1, 1), D(2023, 12, 31))])
    assert give_way("A81001", Spell("U00001", D(2024, 1, 1), None), ods) is None
