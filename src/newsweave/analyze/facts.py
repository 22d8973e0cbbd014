"""Facts: what several sources of a story state alike.

Every sentence (and every photo caption) becomes a statement with typed slots
(:mod:`newsweave.analyze.statements`). Statements that say the same thing in different
sources (similar words, or close sentence embeddings, and no slot in disagreement) are one
fact, supported by the independent sources that state it. Where the sources disagree is
found by :mod:`newsweave.analyze.conflicts`; :func:`analyse` returns both.

Statements are compared only in pairs that share a term not common in the story
(:mod:`newsweave.text.similarity`), and a fact's figures and days are kept as one summary
checked against another fact's, so a story of hundreds of articles costs time and memory in
proportion to its size, not to the square of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from newsweave.analyze.conflicts import find_conflicts
from newsweave.analyze.embed import Encoder
from newsweave.analyze.entities import EntityIndex
from newsweave.analyze.quantities import interval
from newsweave.analyze.statements import (
    HEDGE,
    NEGATION,
    Statement,
    make_statement,
    statements_of,
)
from newsweave.analyze.temporal import Times
from newsweave.model import Article, Citation, Conflict, Fact, Sentence
from newsweave.text.similarity import Pairs, Similarity
from newsweave.text.tfidf import tfidf_of_terms

__all__ = [
    "HEDGE",
    "NEGATION",
    "SAME_FACT",
    "SAME_MEANING",
    "Statement",
    "analyse",
    "compare_claims",
    "find_conflicts",
    "group_facts",
    "same_pairs",
    "single_source",
    "statements_of",
]

SAME_FACT = 0.55  # cosine at which two statements say the same thing
SAME_MEANING = 0.8  # embedding cosine at which two statements say the same thing


def compare_claims(a: str, b: str, published: date | None = None) -> tuple[Conflict, ...]:
    """How two claims from two sources disagree, by the same rules as a story's statements
    (figures, dates, places, opposite states); for checking two sentences on their own."""
    sa = make_statement(0, Citation("a", 0, 0, len(a)), a, ("a", published), 0, None, "")
    sb = make_statement(1, Citation("b", 0, 0, len(b)), b, ("b", published), 1, None, "")
    about = Similarity(tfidf_of_terms([sa.topic_list, sb.topic_list]))
    return find_conflicts([sa, sb], about, None)


def analyse(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    entities: EntityIndex | None = None,
    groups: Mapping[str, int] | None = None,
    embedder: Encoder | None = None,
    times: Times | None = None,
) -> tuple[tuple[Fact, ...], tuple[Conflict, ...]]:
    """The story's facts (most supported first) and conflicts (contradictions first).

    With an ``embedder`` (the optional MiniLM model), two statements also say the same thing
    when their sentence embeddings are close, which catches paraphrases and translations that
    share few words; without it, word overlap (TF-IDF) alone decides. Only pairs that share
    a term not common in the story are compared (:class:`Similarity`), so the work grows
    linearly with the story.
    """
    groups = groups or {a.id: i for i, a in enumerate(articles)}
    statements = statements_of(articles, sentences, entities, groups, times)
    if not statements:
        return (), ()
    same = same_pairs(
        statements, Similarity(tfidf_of_terms([s.term_list for s in statements])), embedder
    )
    about = Similarity(tfidf_of_terms([s.topic_list for s in statements]))
    conflicts = find_conflicts(statements, about, entities)
    facts = group_facts(statements, same, conflicts)
    return facts, conflicts


NEAR_MISS = 0.2  # TF-IDF cosine from which a pair is worth an embedding comparison
MAX_EMBEDDED = 64  # statements embedded per story at most: the nearest misses first


def same_pairs(
    statements: Sequence[Statement], similarity: Similarity, embedder: Encoder | None = None
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of statements from different articles that say the same
    thing: a TF-IDF cosine of SAME_FACT or more, or (with an ``embedder``) close meanings."""
    articles = np.array([s.article_id for s in statements])
    lowest = NEAR_MISS if embedder is not None else SAME_FACT
    pairs = similarity.pairs(lowest)
    pairs = pairs.where(articles[pairs.i] != articles[pairs.j])
    found = {(i, j) for i, j, sim in pairs if sim >= SAME_FACT}
    if embedder is not None:
        found |= _with_meaning(statements, pairs, embedder)
    return sorted(found)


def _with_meaning(
    statements: Sequence[Statement], near: Pairs, embedder: Encoder
) -> set[tuple[int, int]]:
    """Pairs of paraphrases that share few words, found with sentence embeddings.

    Only statements in a lexical near miss with another source's statement are embedded
    (pairs above SAME_FACT already count as one fact, pairs below NEAR_MISS are about other
    things), which keeps the model's cost to a fraction of the story's sentences. On one
    scale, an embedding cosine of SAME_MEANING counts as a TF-IDF cosine of SAME_FACT.
    The model costs about 10 ms a sentence on two cores, so at most MAX_EMBEDDED statements
    are embedded, those whose nearest miss comes closest to SAME_FACT first. ``near`` holds
    the pairs of different articles at NEAR_MISS or more.
    """
    near = near.where(near.sim < SAME_FACT)
    closest = np.zeros(len(statements), dtype=np.float32)
    np.maximum.at(closest, near.i, near.sim)
    np.maximum.at(closest, near.j, near.sim)
    wanted = np.flatnonzero(closest > 0)
    if wanted.size > MAX_EMBEDDED:
        # Nearest misses first; ties by position, so the choice never depends on chance.
        wanted = np.sort(wanted[np.lexsort((wanted, -closest[wanted]))][:MAX_EMBEDDED])
    if wanted.size == 0:
        return set()
    vectors = embedder.encode([statements[int(i)].text for i in wanted])
    meaning = ((vectors @ vectors.T) * (SAME_FACT / SAME_MEANING)).astype(np.float32)
    x, y = np.nonzero(np.triu(meaning >= SAME_FACT, 1))
    return {
        (int(wanted[a]), int(wanted[b]))
        for a, b in zip(x.tolist(), y.tolist(), strict=True)
        if statements[int(wanted[a])].article_id != statements[int(wanted[b])].article_id
    }


# --- facts -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Slots:
    """The figures (by unit: value and the interval it allows) and days a fact's statements
    give, so that two facts are checked for disagreement without pairing their members."""

    figures: dict[str, set[tuple[float, float, float]]] = field(default_factory=dict)
    days: set[date] = field(default_factory=set)

    @classmethod
    def of(cls, s: Statement) -> _Slots:
        """The slots of one statement."""
        slots = cls()
        for q in s.quantities:
            if q.unit and q.value is not None:
                slots.figures.setdefault(q.unit, set()).add((q.value, *interval(q)))
        slots.days = {d[0] for d in s.dates if d[1] == "day"}
        return slots

    def disagree(self, other: _Slots) -> bool:
        """Whether a figure or day of one disagrees with one of the other."""
        for unit, mine in self.figures.items():
            for va, a0, a1 in mine:
                for vb, b0, b1 in other.figures.get(unit, ()):
                    if va != vb and not (a0 <= b1 and b0 <= a1):
                        return True
        return any(da != db for da in self.days for db in other.days)

    def absorb(self, other: _Slots) -> None:
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

    slots = {s.index: _Slots.of(s) for s in body}
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


# --- conflicts ---------------------------------------------------------------------------------
