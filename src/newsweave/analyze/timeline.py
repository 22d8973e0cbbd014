"""A story's timeline: dated events from every source, merged, ordered, disputes flagged.

Each temporal expression is resolved against its own article's publication date (see
:mod:`newsweave.analyze.temporal`), and the event it dates is its clause: the sentence, cut
at a semicolon or a comma-conjunction when one sentence dates several things. Events from
different sources with the same date and similar words are one entry citing all of them; a
date given as a month and a day inside that month agree, and the entry keeps the more precise
one. The same event dated differently by two independent sources is kept once with the other
dates as ``disputed``. Relative dates in an article without a publication date cannot be
resolved; they are left out and the story says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from newsweave.analyze.temporal import Precision, TimeExpression, Times, times_of
from newsweave.analyze.temporal import compatible as dates_compatible  # on dates, not claims
from newsweave.model import Article, Citation, DatedClaim, Sentence, TimelineEntry
from newsweave.text.similarity import Pairs, Similarity
from newsweave.text.tfidf import content_terms, tfidf_vectors

SAME_EVENT = 0.3  # cosine at which two same-date clauses describe one event
DISPUTE = 0.55  # cosine at which two differently dated clauses are the same event
MIN_DISPUTE_TERMS = 3
CLAUSE_BREAK = re.compile(r";\s+|,\s+(?=(?:and|but|while|whereas|after|before|then)\b)|\s+-\s+")
RANK = {"year": 0, "month": 1, "week": 2, "day": 3}


@dataclass(slots=True)
class _Claim:
    claim: DatedClaim
    text: str
    order: int


@dataclass(slots=True)
class _Entry:
    claims: list[_Claim] = field(default_factory=list)
    disputed: list[_Claim] = field(default_factory=list)

    @property
    def best(self) -> _Claim:
        return max(self.claims, key=lambda c: (RANK[c.claim.precision], -c.order))


def clause_of(
    sentence: str, expr: TimeExpression, others: Sequence[TimeExpression]
) -> tuple[int, int]:
    """The clause of ``sentence`` a date belongs to: the whole sentence unless it dates several things."""
    if not any(o.value != expr.value for o in others if o is not expr):
        return 0, len(sentence)
    bounds = [0] + [m.end() for m in CLAUSE_BREAK.finditer(sentence)] + [len(sentence) + 1]
    for lo, hi in pairwise(bounds):
        if lo <= expr.start < hi:
            return lo, min(hi, len(sentence))
    return 0, len(sentence)


def dated_claims(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    times: Times | None = None,
) -> tuple[list[_Claim], list[str]]:
    """Every resolved date in the story's sentences, with its clause; and notes on what was not.

    ``times`` are the sentences' temporal expressions when the caller already found them."""
    if times is None:
        times = times_of(articles, sentences)
    claims: list[_Claim] = []
    notes: list[str] = []
    for article in articles:
        unresolved = 0
        for sent in sentences.get(article.id, ()):
            found = times.get((article.id, sent.index), ())
            for t in found:
                if t.value is None:
                    unresolved += 1
                    continue
                lo, hi = clause_of(sent.text, t, found)
                clause = sent.text[lo:hi].strip().rstrip(";,")
                claim = DatedClaim(
                    t.value,
                    t.precision.value,
                    t.text,
                    t.relative,
                    Citation(article.id, sent.index, sent.start + lo, sent.start + hi),
                )
                claims.append(_Claim(claim, clause, len(claims)))
        if unresolved:
            notes.append(
                f"{article.source}: {unresolved} relative date(s) left unresolved because the "
                "article has no publication date"
            )
    return claims, notes


def build_timeline(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    groups: Mapping[str, int] | None = None,
    times: Times | None = None,
) -> tuple[tuple[TimelineEntry, ...], tuple[str, ...]]:
    """The story's dated events, merged across sources and ordered by date.

    Clauses are compared only with those similar enough to matter (a cosine of SAME_EVENT or
    more among pairs sharing a term not common in the story, :mod:`newsweave.text.similarity`),
    so the work grows linearly with the story."""
    claims, notes = dated_claims(articles, sentences, times)
    if not claims:
        return (), tuple(notes)
    texts = [_without_date(c) for c in claims]
    similar = Similarity(tfidf_vectors(texts)).pairs(min(SAME_EVENT, DISPUTE))
    terms = [set(content_terms(t)) for t in texts]
    entries = _merge_claims(claims, similar)
    _flag_disputes(claims, entries, similar, terms)
    out = [(_entry(e), e.claims[0].order) for e in entries]
    out.sort(key=lambda x: (x[0].date, RANK[x[0].precision], x[1]))
    return tuple(e for e, _ in out), tuple(notes)


def _without_date(c: _Claim) -> str:
    return c.text.replace(c.claim.expression, " ")


def compatible(a: DatedClaim, b: DatedClaim) -> bool:
    """Whether two dates can be the same: equal, or one period inside the other."""
    return dates_compatible(a.value, a.precision, b.value, b.precision)


def _merge_claims(claims: Sequence[_Claim], similar: Pairs) -> list[_Entry]:
    """Claims in order, each joining the entry of its most similar earlier claim of a
    compatible date (the same date, or a similarity of DISPUTE), else a new entry; a sentence
    naming the same date twice is one entry."""
    earlier: list[list[tuple[int, float]]] = [[] for _ in claims]
    for i, j, sim in similar:
        if sim >= SAME_EVENT:
            earlier[j].append((i, sim))
    home: list[int] = []  # each claim's entry
    place: list[int] = []  # each claim's position in its entry
    entries: list[_Entry] = []
    same_sentence: dict[tuple[str, int, object, str], list[int]] = {}
    for c in claims:
        cite = c.claim.citation
        key = (cite.article_id, cite.sentence, c.claim.value, c.claim.precision)
        twice = same_sentence.setdefault(key, [])
        found: int | None = None
        if twice:
            # The first such claim the entries hold (in entry order, then in entry order).
            found = home[min(twice, key=lambda o: (home[o], place[o]))]
        else:
            best: tuple[float, int, int] | None = None
            for o, sim in earlier[c.order]:
                other = claims[o]
                if not compatible(other.claim, c.claim):
                    continue
                exact = (
                    other.claim.value == c.claim.value
                    and other.claim.precision == c.claim.precision
                )
                rank = (-sim, home[o], place[o])
                if (exact or sim >= DISPUTE) and (best is None or rank < best):
                    best = rank
            found = None if best is None else best[1]
        twice.append(c.order)
        if found is None:
            home.append(len(entries))
            place.append(0)
            entries.append(_Entry([c]))
        else:
            home.append(found)
            place.append(len(entries[found].claims))
            entries[found].claims.append(c)
    return entries


def _flag_disputes(
    claims: Sequence[_Claim], entries: list[_Entry], similar: Pairs, terms: list[set[str]]
) -> None:
    """Mark entries that are one event dated differently by independent sources."""
    entry_of = {id(c): e for e in entries for c in e.claims}
    flagged: set[tuple[int, int]] = set()  # (entry, claim) pairs already marked
    for i, j, sim in similar:
        ca, cb = claims[i], claims[j]
        a, b = entry_of[id(ca)], entry_of[id(cb)]
        if a is b or sim < DISPUTE or compatible(ca.claim, cb.claim):
            continue
        # Even a syndicated copy that changes the date is worth a flag.
        if (
            ca.claim.citation.article_id != cb.claim.citation.article_id
            and len(terms[i] & terms[j]) >= MIN_DISPUTE_TERMS
        ):
            for entry, claim in ((a, cb), (b, ca)):
                if (id(entry), claim.order) not in flagged:
                    flagged.add((id(entry), claim.order))
                    entry.disputed.append(claim)


def _entry(e: _Entry) -> TimelineEntry:
    best = e.best
    claims = sorted(e.claims, key=lambda c: c.order)
    return TimelineEntry(
        best.claim.value,
        best.claim.precision,
        claims[0].text
        if RANK[claims[0].claim.precision] == RANK[best.claim.precision]
        else best.text,
        tuple(c.claim for c in claims),
        tuple(c.claim for c in sorted(e.disputed, key=lambda c: c.order)),
    )


__all__ = ["Precision", "build_timeline", "clause_of", "compatible", "dated_claims"]
