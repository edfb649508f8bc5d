"""One network per practice per day, from the membership spells ODS publishes.

A practice is in at most one network on any day, and the database holds to that. ODS
itself publishes a few spells that share days (in the October 2024 ePCN file seven
practices are members of two networks on 1 July 2024, and in four moves the new spell
starts on the old one's last day). Every published spell is kept with its published
dates, and each day ODS puts the practice in one or more networks goes to exactly one of
them, the same way every time:

1. The later-starting spell wins from its start.
2. On the same start, the open-ended spell wins; between two ended spells the longer
   wins; between equal spells, the one in the network with the higher ODS code (so the
   result never depends on file order).
3. A spell keeps every day it does not lose: a spell that another sits inside is split
   around it (U1 from 2019 with no end, U2 from 1 July to 30 September 2024: the practice
   is in U1 to 30 June, in U2 from 1 July to 30 September and in U1 again from
   1 October). A spell that loses every day keeps none, and is kept all the same.

Spells entered in the portal give way to ODS, the record of membership: on the first day
ODS publishes the practice in a network, a portal spell that covers that day ends the day
before (or, if that is its first day, keeps no day).

End dates are the last day (inclusive); None is open.
"""

import datetime
from dataclasses import dataclass

from pcn_portal.core.dates import ONE_DAY, covers, last_day_text

FAR_FUTURE = datetime.date.max


@dataclass(frozen=True)
class Spell:
    pcn_code: str
    start: datetime.date
    end: datetime.date | None  # the last day a member; None = open

    @property
    def until(self):
        """'up to and including 01 Jul 2024' or 'with no end', for messages."""
        return last_day_text(self.end)

    def describe(self):
        return f"in {self.pcn_code} from {self.start:%d %b %Y} {self.until}"

    def precedence(self):
        """Sort key: a spell sorts after those it beats."""
        return (self.start, self.end is None, self.end or FAR_FUTURE, self.pcn_code)


@dataclass(frozen=True)
class Piece:
    """The days a spell keeps, from `start` to `end` (its last day; None = open)."""

    start: datetime.date
    end: datetime.date | None

    def describe(self):
        if self.end is None:
            return f"from {self.start:%d %b %Y} with no end"
        if self.end == self.start:
            return f"on {self.start:%d %b %Y}"
        return f"from {self.start:%d %b %Y} up to and including {self.end:%d %b %Y}"


@dataclass(frozen=True)
class Reconciled:
    """What the rule leaves of one published spell."""

    spell: Spell
    pieces: tuple  # of Piece, in date order; empty when it keeps no day
    winners: tuple  # the spells that won some of its days, in date order

    @property
    def adjusted(self):
        return self.pieces != (Piece(self.spell.start, self.spell.end),)

    def describe(self, practice_code):
        """The reason, in words, for the report and for the spell's adjustment note."""
        if not self.adjusted:
            return ""
        others = " and ".join(w.describe() for w in self.winners)
        kept = (
            "keeps " + " and ".join(p.describe() for p in self.pieces)
            if self.pieces
            else "keeps no day of its own"
        )
        verb = "wins" if len(self.winners) == 1 else "win"
        return (
            f"{practice_code}: ODS publishes the practice {self.spell.describe()} and also "
            f"{others}, which {verb} the days they share by the overlap rule; this spell {kept}"
        )


def reconcile(spells):
    """Give each day to one spell: {spell: Reconciled} for every spell given."""
    spells = sorted(set(spells), key=Spell.precedence)
    boundaries = sorted(
        {s.start for s in spells} | {s.end + ONE_DAY for s in spells if s.end is not None}
    )
    pieces = {s: [] for s in spells}
    winners = {s: [] for s in spells}
    for i, first in enumerate(boundaries):
        covering = [s for s in spells if covers(s.start, s.end, first)]
        if not covering:
            continue
        winner = covering[-1]  # sorted by precedence: the last one beats the rest
        last = boundaries[i + 1] - ONE_DAY if i + 1 < len(boundaries) else None
        kept = pieces[winner]
        if kept and kept[-1].end is not None and kept[-1].end + ONE_DAY == first:
            kept[-1] = Piece(kept[-1].start, last)
        else:
            kept.append(Piece(first, last))
        for loser in covering[:-1]:
            if winner not in winners[loser]:
                winners[loser].append(winner)
    return {s: Reconciled(s, tuple(pieces[s]), tuple(winners[s])) for s in spells}


def first_day_taken(entered, pieces):
    """The first day of a portal-entered spell that ODS gives to some network (pieces:
    (Spell, Piece) pairs of the days ODS spells keep), with that ODS spell; or None."""
    taken = []
    for spell, piece in pieces:
        start = max(entered.start, piece.start)
        ends = [e for e in (entered.end, piece.end) if e is not None]
        if not ends or start <= min(ends):
            taken.append((start, spell.precedence(), spell))
    if not taken:
        return None
    day, _, spell = min(taken)
    return day, spell


@dataclass(frozen=True)
class Target:
    """One stored row for a published spell: the days it keeps (or, kept with in_force off,
    its published days when it keeps none) and the reason it differs, if it does."""

    spell: Spell
    start: datetime.date
    end: datetime.date | None
    in_force: bool
    adjustment: str


def targets(practice_code, spells):
    """The rows a practice's published spells are stored as, in date order."""
    rows = []
    for spell, result in reconcile(spells).items():
        reason = result.describe(practice_code)
        if not result.pieces:
            rows.append(Target(spell, spell.start, spell.end, False, reason))
        for piece in result.pieces:
            rows.append(Target(spell, piece.start, piece.end, True, reason))
    return rows


@dataclass(frozen=True)
class GiveWay:
    """What becomes of a portal-entered spell that shares days with ODS."""

    in_force: bool
    end: datetime.date | None
    reason: str


def give_way(practice_code, entered, ods_rows):
    """A portal-entered spell against the rows ODS spells keep (Targets): None when ODS
    publishes none of its days, else how it gives way."""
    kept = [(t.spell, Piece(t.start, t.end)) for t in ods_rows if t.in_force]
    taken = first_day_taken(entered, kept)
    if taken is None:
        return None
    day, winner = taken
    if day == entered.start:
        kept, result = "it keeps no day", GiveWay(False, entered.end, "")
    else:
        end = day - ONE_DAY
        kept, result = f"it now ends on {end:%d %b %Y} (its last day)", GiveWay(True, end, "")
    reason = (
        f"{practice_code}: the spell {entered.describe()} entered in the portal shares days "
        f"with the spell ODS publishes {winner.describe()}; ODS is the record of membership, "
        f"so {kept}"
    )
    return GiveWay(result.in_force, result.end, reason)
