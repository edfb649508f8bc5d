"""Resolving overlapping membership spells, as ODS occasionally publishes them.

A practice is in at most one network on any day, and the database holds to that. ODS
itself publishes a few spells that overlap (in the October 2024 ePCN file, seven practices
are members of two networks on 1 July 2024). Every published spell is kept with its
published dates; where two overlap, one rule decides, the same way every time:

1. The later-starting spell wins from its start.
2. On the same start, the open-ended spell wins; between two ended spells the longer
   wins; between equal spells, the one in the network with the higher ODS code (so the
   result never depends on file order).
3. The losing spell is cut to end the day the winner starts (its published end date is
   kept beside the cut one, with the reason).

Spells that start and end on the same day hold no days, overlap nothing and are kept as
they are.
"""

import datetime
from dataclasses import dataclass

FAR_FUTURE = datetime.date.max


@dataclass(frozen=True)
class Spell:
    pcn_code: str
    start: datetime.date
    end: datetime.date | None  # the first day no longer a member; None = open

    @property
    def until(self):
        """'to 01 Jul 2024' or 'with no end', for messages."""
        return f"to {self.end:%d %b %Y}" if self.end else "with no end"

    @property
    def is_empty(self):
        return self.end is not None and self.end <= self.start

    def precedence(self):
        """Sort key: a spell sorts after those it beats."""
        return (self.start, self.end is None, self.end or FAR_FUTURE, self.pcn_code)


@dataclass(frozen=True)
class Cut:
    spell: Spell
    new_end: datetime.date
    winner: Spell

    def describe(self, practice_code):
        return (
            f"{practice_code}: the spell in {self.spell.pcn_code} published from "
            f"{self.spell.start:%d %b %Y} {self.spell.until} overlaps the spell in "
            f"{self.winner.pcn_code} from {self.winner.start:%d %b %Y}; kept, cut to end "
            f"{self.new_end:%d %b %Y}"
        )


def resolve_overlaps(spells):
    """The cuts that leave a practice's spells without overlaps: {spell: Cut}."""
    ordered = sorted(spells, key=Spell.precedence)
    cuts = {}
    for i, spell in enumerate(ordered):
        if spell.is_empty:
            continue
        end = spell.end or FAR_FUTURE
        for later in ordered[i + 1 :]:
            if later.is_empty or later.start >= end:
                continue
            # `later` starts inside `spell` (or on its start and beats it): spell ends there.
            cuts[spell] = Cut(spell, later.start, later)
            break
    return cuts


def first_overlap(spell, others):
    """The earliest-starting of `others` that shares a day with `spell`, or None."""
    if spell.is_empty:
        return None
    end = spell.end or FAR_FUTURE
    sharing = [
        o
        for o in others
        if not o.is_empty and o.start < end and spell.start < (o.end or FAR_FUTURE)
    ]
    return min(sharing, key=Spell.precedence, default=None)
