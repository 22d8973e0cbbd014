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

import numpy as np

from newsweave.analyze.temporal import Precision, TimeExpression, Times, times_of
from newsweave.analyze.temporal import compatible as dates_compatible  # on dates, not claims
from newsweave.model import Article, Citation, DatedClaim, Sentence, TimelineEntry
from newsweave.summarize.extractive import content_terms, cosines

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
    """The story's dated events, merged across sources and ordered by date."""
    groups = groups or {a.id: i for i, a in enumerate(articles)}
    claims, notes = dated_claims(articles, sentences, times)
    if not claims:
        return (), tuple(notes)
    sims = cosines([_without_date(c) for c in claims])
    terms = [set(content_terms(_without_date(c))) for c in claims]
    entries: list[_Entry] = []
    for c in claims:
        home = _matching_entry(entries, c, sims, terms, groups)
        if home is None:
            entries.append(_Entry([c]))
        else:
            home.claims.append(c)
    _flag_disputes(entries, sims, terms, groups)
    out = [_entry(e) for e in entries]
    out.sort(key=lambda e: (e.date, RANK[e.precision], _first_order(e, claims)))
    return tuple(out), tuple(notes)


def _without_date(c: _Claim) -> str:
    return c.text.replace(c.claim.expression, " ")


def compatible(a: DatedClaim, b: DatedClaim) -> bool:
    """Whether two dates can be the same: equal, or one period inside the other."""
    return dates_compatible(a.value, a.precision, b.value, b.precision)


def _matching_entry(
    entries: list[_Entry],
    c: _Claim,
    sims: np.ndarray,
    terms: list[set[str]],
    groups: Mapping[str, int],
) -> _Entry | None:
    best: tuple[float, _Entry] | None = None
    for entry in entries:
        for other in entry.claims:
            if not compatible(other.claim, c.claim):
                continue
            same_article = other.claim.citation.article_id == c.claim.citation.article_id
            exact = (
                other.claim.value == c.claim.value and other.claim.precision == c.claim.precision
            )
            sim = float(sims[other.order, c.order])
            if (
                same_article
                and other.claim.citation.sentence == c.claim.citation.sentence
                and exact
            ):
                return entry  # one sentence naming the same date twice
            if sim >= SAME_EVENT and (exact or sim >= DISPUTE) and (best is None or sim > best[0]):
                best = (sim, entry)
    return best[1] if best else None


def _flag_disputes(
    entries: list[_Entry], sims: np.ndarray, terms: list[set[str]], groups: Mapping[str, int]
) -> None:
    """Mark entries that are one event dated differently by independent sources."""
    for i, a in enumerate(entries):
        for b in entries[i + 1 :]:
            for ca in a.claims:
                for cb in b.claims:
                    if compatible(ca.claim, cb.claim):
                        continue
                    # Even a syndicated copy that changes the date is worth a flag.
                    shared = terms[ca.order] & terms[cb.order]
                    if (
                        ca.claim.citation.article_id != cb.claim.citation.article_id
                        and float(sims[ca.order, cb.order]) >= DISPUTE
                        and len(shared) >= MIN_DISPUTE_TERMS
                    ):
                        if cb not in a.disputed:
                            a.disputed.append(cb)
                        if ca not in b.disputed:
                            b.disputed.append(ca)


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


def _first_order(entry: TimelineEntry, claims: Sequence[_Claim]) -> int:
    first = entry.claims[0]
    return next(c.order for c in claims if c.claim is first)


__all__ = ["Precision", "build_timeline", "clause_of", "compatible", "dated_claims"]
