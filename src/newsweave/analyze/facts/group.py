"""Facts: statements that say the same thing in different sources, joined into one fact
supported by the independent sources that state it, as long as no figure or day of one
disagrees with one of another."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from newsweave.analyze.quantities import interval
from newsweave.analyze.statements import Statement
from newsweave.model import Conflict, Fact


@dataclass(slots=True)
class Slots:
    """The figures (by unit: value and the interval it allows) and days a fact's statements
    give, so that two facts are checked for disagreement without pairing their members."""

    figures: dict[str, set[tuple[float, float, float]]] = field(default_factory=dict)
    days: set[date] = field(default_factory=set)

    @classmethod
    def of(cls, s: Statement) -> Slots:
        """The slots of one statement."""
        slots = cls()
        for q in s.quantities:
            if q.unit and q.value is not None:
                slots.figures.setdefault(q.unit, set()).add((q.value, *interval(q)))
        slots.days = {d[0] for d in s.dates if d[1] == "day"}
        return slots

    def disagree(self, other: Slots) -> bool:
        """Whether the two give a figure (of one unit) or a day that the other cannot hold:
        each figure of the side that gives fewer of that unit must be allowed by one of the
        other's ("48,911 votes to 48,599" and "took 48,911 votes ... received 48,599
        votes" agree; "14 treated" and "12 treated" do not)."""
        for unit, mine in self.figures.items():
            theirs = other.figures.get(unit)
            if not theirs:
                continue
            fewer, more = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
            for va, a0, a1 in fewer:
                if not any(va == vb or (a0 <= b1 and b0 <= a1) for vb, b0, b1 in more):
                    return True
        if self.days and other.days:
            fewer_days, more_days = sorted((self.days, other.days), key=len)
            return not fewer_days <= more_days
        return False

    def absorb(self, other: Slots) -> None:
        """Add the other's slots to these."""
        for unit, values in other.figures.items():
            self.figures.setdefault(unit, set()).update(values)
        self.days |= other.days


def group_facts(
    statements: Sequence[Statement],
    same: Iterable[tuple[int, int]],
    conflicts: Sequence[Conflict] = (),
) -> tuple[Fact, ...]:
    """Statements saying the same thing in different sources, as facts with their support.

    ``same`` holds the pairs of statement indices that say the same thing
    (:func:`same_pairs`); they are joined in order, as long as no figure or day of one
    side disagrees with one of the other."""
    body = [s for s in statements if not s.caption]
    parent = {s.index: s.index for s in body}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    slots = {s.index: Slots.of(s) for s in body}
    for i, j in sorted(same):
        if i not in parent or j not in parent:
            continue  # a caption
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        # Every member of one group must agree with every member of the other: "14
        # treated" and "12 treated" never end up in one fact through a third sentence.
        if slots[ri].disagree(slots[rj]):
            continue
        keep, gone = min(ri, rj), max(ri, rj)
        parent[gone] = keep
        slots[keep].absorb(slots.pop(gone))
    clusters: dict[int, list[Statement]] = defaultdict(list)
    for s in body:
        clusters[find(s.index)].append(s)
    drafts = []
    for group in clusters.values():
        support = len({m.group for m in group})
        first = min(group, key=lambda m: m.index)
        cites = tuple(m.citation for m in sorted(group, key=lambda m: m.index))
        drafts.append((support, first.index, first.text, cites))
    drafts.sort(key=lambda d: (-d[0], d[1]))
    return tuple(
        Fact(f"F{i}", text, support, cites) for i, (support, _, text, cites) in enumerate(drafts, 1)
    )


def single_source(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """For each source, the facts only it states."""
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.support == 1:
            out[f.citations[0].article_id].append(f)
    return dict(out)
