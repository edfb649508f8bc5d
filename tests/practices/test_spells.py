import datetime

from practices.spells import Spell, resolve_overlaps

D = datetime.date


def test_move_recorded_as_end_equals_start_needs_no_cut():
    old = Spell("U00001", D(2020, 1, 1), D(2024, 7, 1))
    new = Spell("U00002", D(2024, 7, 1), None)
    assert resolve_overlaps([old, new]) == {}


def test_later_starting_spell_wins_from_its_start():
    old = Spell("U00001", D(2020, 1, 1), None)
    new = Spell("U00002", D(2024, 7, 1), None)
    cuts = resolve_overlaps([new, old])
    assert list(cuts) == [old]
    assert cuts[old].new_end == D(2024, 7, 1)
    assert cuts[old].winner == new


def test_same_start_open_spell_wins_and_the_other_becomes_empty():
    ended = Spell("U00002", D(2024, 7, 1), D(2024, 9, 1))
    open_ = Spell("U00001", D(2024, 7, 1), None)
    cuts = resolve_overlaps([open_, ended])
    assert list(cuts) == [ended]
    assert cuts[ended].new_end == D(2024, 7, 1)


def test_same_start_longer_spell_wins():
    short = Spell("U00001", D(2024, 7, 1), D(2024, 8, 1))
    long = Spell("U00002", D(2024, 7, 1), D(2024, 12, 1))
    assert list(resolve_overlaps([long, short])) == [short]


def test_identical_spells_are_decided_by_code_whatever_the_order():
    a = Spell("U00001", D(2024, 7, 1), None)
    b = Spell("U00002", D(2024, 7, 1), None)
    assert list(resolve_overlaps([a, b])) == [a]
    assert list(resolve_overlaps([b, a])) == [a]


def test_empty_spells_overlap_nothing():
    main = Spell("U00001", D(2020, 1, 1), None)
    empty = Spell("U00002", D(2022, 3, 1), D(2022, 3, 1))
    assert resolve_overlaps([main, empty]) == {}


def test_result_has_no_overlaps():
    spells = [
        Spell("U00001", D(2019, 10, 1), None),
        Spell("U00002", D(2021, 4, 1), D(2023, 4, 1)),
        Spell("U00003", D(2022, 1, 1), None),
        Spell("U00004", D(2022, 1, 1), D(2022, 1, 1)),
    ]
    cuts = resolve_overlaps(spells)
    effective = [
        (s.start, cuts[s].new_end if s in cuts else s.end) for s in spells if not s.is_empty
    ]
    for day in (D(2019, 1, 1) + datetime.timedelta(days=n) for n in range(2500)):
        holding = [1 for start, end in effective if start <= day and (end is None or day < end)]
        assert len(holding) <= 1, day
    assert cuts[spells[0]].new_end == D(2021, 4, 1)
    assert cuts[spells[1]].new_end == D(2022, 1, 1)
