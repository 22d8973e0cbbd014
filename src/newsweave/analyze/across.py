"""Figures that two sources in different languages give differently.

The figure rules of :mod:`newsweave.analyze.figures` tie two statements by their English
words (the counted noun, the words around the number); across languages those never
match, so "1,800 jobs" and "rund 2.400 Stellen" were never compared. Here the multilingual
sentence model ties them instead: two statements of articles in different languages are
about one thing when their meanings are close (SAME_MEANING), and two of their figures
count one thing when their counted nouns are close in the same model (SAME_UNIT: "jobs" /
"Stellen", "gigawatt hours" / "Gigawattstunden"). A figure the other statement gives too
(allowing for rounding, "about" and bounds) is agreed; otherwise one figure on each side
for the same counted thing is a disagreement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from newsweave.analyze.embed import Encoder
from newsweave.analyze.quantities import CHANGING, CHANGING_STATES, YEAR, Quantity, same_value
from newsweave.analyze.statements import Draft, Statement, span

# The sentence cosine from which two statements are about one thing: judged dev pairs
# (bench/compare/pairs) in the band from 0.45 to 0.5 are about one fact, stated alike or in
# conflict, as often as not, and more often above it.
SAME_MEANING = 0.45
# The cosine of two counted nouns from which they count one thing: a noun and its
# translation score 0.71 to 0.93 in the model ("jobs" / "Stellen", "years" / "años"), two
# different nouns of one story at most 0.64 ("hours" / "days", "passengers" / "crew").
SAME_UNIT = 0.7
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
NEIGHBOURS = 10  # each statement is compared with its closest ones in other languages only
# Units written the same way in every language: compared as they are.
SYMBOLS = frozenset(["%", "$", "€", "£", "¥", "age", YEAR])


def language_pairs(
    statements: Sequence[Statement], vectors: np.ndarray, language: Sequence[str]
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of statements in articles of different languages with a
    sentence cosine of SAME_MEANING or more: each statement's NEIGHBOURS closest."""
    lang = np.array(language)
    art = np.array([s.article_id for s in statements])
    found: set[tuple[int, int]] = set()
    for i in range(len(statements)):
        if not lang[i]:
            continue  # a language not known: never "another" language
        sims = vectors @ vectors[i]
        apart = (lang != lang[i]) & (lang != "") & (art != art[i])
        ok = np.flatnonzero((sims >= SAME_MEANING) & apart)
        for j in ok[np.argsort(-sims[ok], kind="stable")][:NEIGHBOURS].tolist():
            found.add((min(i, j), max(i, j)))
    return sorted(found)


def language_conflicts(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    languages: Mapping[str, str | None],
    encoder: Encoder,
) -> list[Draft]:
    """Figures for one counted thing that statements in two languages give differently;
    ``vectors`` holds the sentence model's vector of each statement (a zero row for one it
    does not read), ``languages`` each article's language."""
    language = [languages.get(s.article_id) or "" for s in statements]
    if len(set(language)) < 2:
        return []
    pairs = language_pairs(statements, vectors, language)
    nouns = {
        (k, n): _noun(statements[k], q)
        for i, j in pairs
        for k in (i, j)
        for n, q in enumerate(statements[k].quantities)
        if q.value is not None and q.unit and q.unit not in SYMBOLS
    }
    words = sorted(set(nouns.values()))
    found = dict(zip(words, encoder.encode(words), strict=True)) if words else {}
    noun_vectors = {key: found[word] for key, word in nouns.items()}

    def same_unit(ka: tuple[int, int], qa: Quantity, kb: tuple[int, int], qb: Quantity) -> bool:
        if qa.unit == qb.unit:
            return True
        if ka not in noun_vectors or kb not in noun_vectors:
            return False
        return float(noun_vectors[ka] @ noun_vectors[kb]) >= SAME_UNIT

    drafts: list[Draft] = []
    for i, j in pairs:
        a, b = statements[i], statements[j]
        days_a = {d[0] for d in a.dates if d[1] == "day"}
        days_b = {d[0] for d in b.dates if d[1] == "day"}
        if days_a and days_b and not days_a & days_b:
            continue  # figures of two different days: a count that moved, not a dispute
        figures_a = [(n, q) for n, q in enumerate(a.quantities) if q.value is not None and q.unit]
        figures_b = [(n, q) for n, q in enumerate(b.quantities) if q.value is not None and q.unit]
        for na, qa in figures_a:
            mine = [q for n, q in figures_a if same_unit((i, n), q, (i, na), qa)]
            theirs = [q for n, q in figures_b if same_unit((j, n), q, (i, na), qa)]
            if len(mine) != 1 or len(theirs) != 1:
                continue  # none to compare, or several: which goes with which is unclear
            qb = theirs[0]
            if not same_value(qa, qb):
                drafts.append(_draft(a, qa, b, qb))
    return drafts


def _noun(s: Statement, q: Quantity) -> str:
    """The counted noun as the statement writes it ("Stellen", not the normalised
    "stellen"): the first word after the figure that starts like its unit."""
    stem = q.unit[:4].lower()
    for word in WORD.findall(s.text[q.end : q.end + 60]):
        if word.lower().startswith(stem):
            return str(word)
    return q.unit


def _draft(a: Statement, qa: Quantity, b: Statement, qb: Quantity) -> Draft:
    """The disagreement of two figures: an update when the later report gives a figure that
    changes over time, a contradiction otherwise."""
    side_a = (a, qa.text, span(a, qa.start, qa.end))
    side_b = (b, qb.text, span(b, qb.start, qb.end))
    slot = "age" if qa.unit == "age" else "year" if qa.unit == YEAR else "number"
    what = "age" if qa.unit == "age" else qa.unit
    changing = bool(qa.state & CHANGING_STATES) or qa.unit in CHANGING
    if changing and a.published and b.published and a.published != b.published:
        older, newer = (side_a, side_b) if a.published < b.published else (side_b, side_a)
        return Draft("update", slot, what, older, newer, "a later report gives a new figure")
    return Draft("contradiction", slot, what, side_a, side_b, "given in two languages")
