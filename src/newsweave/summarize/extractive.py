"""The extractive, cited summarizer: sentences that cover what most sources say.

Every summary sentence is a real source sentence (at most with a dateline or a leading
connective dropped). Sentences are chosen as Gillick and Favre's concept-coverage ILP does:
a *concept* is a stemmed word bigram, worth the number of independent sources that write it
(syndicated copies count once), and the summary is the set of self-contained sentences
covering the most concept weight within the word and sentence budget, with a lead bonus
and no two sentences that say the same thing. Each summary sentence then cites its own
sentence and the best-matching sentence of every other source that says much the same
(and carries the same figures).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from newsweave.group.sources import source_groups
from newsweave.model import Article, Citation, Sentence, SummarySentence
from newsweave.text.tfidf import (  # re-exported: they lived here first
    STOPWORDS,
    TOKEN,
    content_terms,
    cosines,
    stem,
    tfidf_matrix,
    tfidf_of_terms,
    tfidf_vectors,
)

__all__ = [
    "STOPWORDS",
    "TOKEN",
    "Candidate",
    "SummaryOptions",
    "compress",
    "concepts",
    "content_terms",
    "cosines",
    "source_groups",
    "stem",
    "story_title",
    "summarize",
    "tfidf_matrix",
    "tfidf_of_terms",
    "tfidf_vectors",
]

WEAK_START = re.compile(
    r"^(?:he|she|it|they|them|his|her|its|their|this|that|these|those|but|and|or|so|also|"
    r"however|meanwhile|still|then|yet|instead|such|both|here|there)\b",
    re.I,
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# A wire dateline opening the lead: "BEIJING (AP) _ ", "SANTA ROSA, Calif. _ ",
# "LONDON, March 3 (Reuters) - ", "WASHINGTON -- ". Upper-case place, optional region,
# date and agency, then a dash-like separator.
DATELINE = re.compile(
    r"^[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+)*"
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([\w.\- ]+\))?\s*(?:_|--|—|–|-)\s+(?=\S)"
)
# Unresolved SGML entity codes that wire feeds leave in text ("&UR;", "&QL;").
ENTITY_CODE = re.compile(r"^(?:&[A-Za-z]+;\s*)+")
# A leading connective that only links to the previous sentence of its article.
CONNECTIVE = re.compile(
    r"^(?:meanwhile|however|in addition|additionally|also|moreover|furthermore|still|"
    r"nevertheless|in other news|separately|elsewhere),\s+(?=\S)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """How long the summary may be and how strict its choices are."""

    max_sentences: int = 5
    max_words: int = 150
    min_words: int = 8  # shorter sentences rarely stand on their own
    max_sentence_words: int = 55  # longer ones eat the budget
    redundancy: float = 0.5  # cosine above which two sentences say the same thing
    support: float = 0.45  # cosine at which another source's sentence backs a claim
    min_sources: int = 3  # a concept counts when this many sources write it (10+ sources)
    lead_bonus: float = 0.2  # weight of a sentence's position (lead sentences summarise)
    frequency: float = 0.3  # weight of how often a concept recurs, beyond its sources
    candidates: int = 40  # best sentences handed to the solver (more: slower, no better)
    time_limit: float = 2.0  # seconds for the solver before the greedy answer is used
    gap: float = 1e-3  # relative optimality gap at which the solver may stop (ROUGE unchanged)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence that may enter the summary, with its compressed text and concepts."""

    sentence: Sentence
    offset: int  # characters dropped from the start of the sentence
    text: str
    words: int
    concepts: frozenset[tuple[str, str]]


def compress(text: str) -> tuple[int, str]:
    """Drop a dateline, entity codes or a leading connective: ``(chars dropped, text)``.

    Only a prefix goes, so the rest is still the cited sentence word for word; the first
    letter is capitalised when a connective went."""
    offset = 0
    for pattern in (ENTITY_CODE, DATELINE, CONNECTIVE):
        m = pattern.match(text[offset:])
        if m:
            offset += m.end()
    rest = text[offset:]
    if offset and rest[:1].islower():
        rest = rest[0].upper() + rest[1:]
    return offset, rest


def concepts(text: str) -> frozenset[tuple[str, str]]:
    """Stemmed word bigrams of a text, except those made of stop words only."""
    words = [stem(t) for t in TOKEN.findall(text.lower().replace("’", "'"))]
    return frozenset((a, b) for a, b in pairwise(words) if a not in STOPWORDS or b not in STOPWORDS)


def _concepts(
    text: str, memo: dict[str, frozenset[tuple[str, str]]] | None
) -> frozenset[tuple[str, str]]:
    """:func:`concepts`, each text once when a ``memo`` is kept."""
    if memo is None:
        return concepts(text)
    found = memo.get(text)
    if found is None:
        found = memo[text] = concepts(text)
    return found


def summarize(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    options: SummaryOptions | None = None,
    groups: Mapping[str, int] | None = None,
) -> tuple[SummarySentence, ...]:
    """Choose summary sentences for one story and cite their support; ``groups`` are the
    articles' source groups (:func:`source_groups`) when the caller has them."""
    opts = options or SummaryOptions()
    pool = [s for a in articles for s in sentences.get(a.id, ())]
    if not pool or opts.max_sentences < 1 or opts.max_words < 1:
        return ()
    groups = source_groups(articles) if groups is None else groups
    order = {a.id: i for i, a in enumerate(articles)}
    memo: dict[str, frozenset[tuple[str, str]]] = {}  # each compressed text's concepts
    candidates = _candidates(pool, opts, memo)
    if not candidates:
        return ()
    weights = _concept_weights(pool, groups, opts, memo)
    candidates = _shortlist(candidates, weights, opts)
    chosen = _select(candidates, weights, cosines([c.text for c in candidates]), opts)
    # Reading order: leads before later detail, then the earlier source first.
    chosen.sort(
        key=lambda i: (candidates[i].sentence.index, order[candidates[i].sentence.article_id])
    )
    pool_vecs = tfidf_vectors([s.text for s in pool])
    position = {(s.article_id, s.index): k for k, s in enumerate(pool)}
    result = []
    for i in chosen:
        cand = candidates[i]
        k = position[(cand.sentence.article_id, cand.sentence.index)]
        sims = (pool_vecs @ pool_vecs[[k]].T).toarray()[:, 0]
        result.append(SummarySentence(cand.text, _citations(k, pool, sims, opts)))
    return tuple(result)


def _candidates(
    pool: Sequence[Sentence],
    opts: SummaryOptions,
    memo: dict[str, frozenset[tuple[str, str]]] | None = None,
) -> list[Candidate]:
    """Self-contained sentences of a sensible length; looser rules when none qualify."""
    strict: list[Candidate] = []
    loose: list[Candidate] = []
    for sent in pool:
        offset, text = compress(sent.text.strip())
        n_words = len(text.split())
        if n_words < 3 or n_words > opts.max_words:
            continue
        cand = Candidate(sent, offset, text, n_words, _concepts(text, memo))
        loose.append(cand)
        if (
            opts.min_words <= n_words <= opts.max_sentence_words
            and text.endswith((".", "!", '"', "'", ")", "”", "’"))
            and not WEAK_START.match(text)
            and not sent.in_quote
            and (text.count('"') + text.count("“") + text.count("”")) % 2 == 0
        ):
            strict.append(cand)
    return strict or loose


def _concept_weights(
    pool: Sequence[Sentence],
    groups: Mapping[str, int],
    opts: SummaryOptions,
    memo: dict[str, frozenset[tuple[str, str]]] | None = None,
) -> dict[tuple[str, str], float]:
    """Each concept's worth: the independent sources writing it, plus a little for how often.

    A concept counts once ``min_sources`` sources write it; in a story of fewer than nine
    sources the bar is a third of them (every concept when there are one to five)."""
    sources: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
    frequency: Counter[tuple[str, str]] = Counter()
    for sent in pool:
        group = groups[sent.article_id]
        for concept in _concepts(compress(sent.text)[1], memo):
            sources[concept].add(group)
            frequency[concept] += 1
    n_groups = len(set(groups.values()))
    bar = opts.min_sources if n_groups >= 3 * opts.min_sources else max(1, n_groups // 3)
    weights = {
        c: len(g) + opts.frequency * math.log1p(frequency[c])
        for c, g in sources.items()
        if len(g) >= bar
    }
    if not weights:  # no concept is shared enough: every concept counts
        weights = {
            c: len(g) + opts.frequency * math.log1p(frequency[c]) for c, g in sources.items()
        }
    return weights


def _value(cand: Candidate, mean_weight: float, opts: SummaryOptions) -> float:
    """A sentence's own worth: the lead bonus (concepts are credited once, in the solver)."""
    return opts.lead_bonus * mean_weight * cand.words / (1 + cand.sentence.index)


def _shortlist(
    candidates: list[Candidate], weights: Mapping[tuple[str, str], float], opts: SummaryOptions
) -> list[Candidate]:
    """The ``opts.candidates`` best sentences by concept weight per word and position, so
    the solver's problem stays small in a story of hundreds of articles."""
    if len(candidates) <= opts.candidates:
        return candidates
    mean_weight = float(np.mean(list(weights.values()))) if weights else 1.0

    def worth(c: Candidate) -> float:
        covered = sum(weights.get(k, 0.0) for k in c.concepts)
        return (covered + _value(c, mean_weight, opts)) / math.sqrt(c.words)

    return sorted(candidates, key=worth, reverse=True)[: opts.candidates]


def _select(
    candidates: Sequence[Candidate],
    weights: Mapping[tuple[str, str], float],
    sims: np.ndarray,
    opts: SummaryOptions,
) -> list[int]:
    """Maximise covered concept weight plus lead bonus under the budgets, as an integer
    program (HiGHS via SciPy); the greedy answer when the solver fails or runs out of time.

    Concepts held by the same candidates are one variable with their weights summed, and a
    concept only one candidate holds is that candidate's own value: the same optimum as one
    variable per concept, from a problem a tenth the size (most concepts occur once)."""
    greedy = _greedy(candidates, weights, sims, opts)
    holders: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for i, cand in enumerate(candidates):
        for concept in cand.concepts:
            if concept in weights:
                holders[concept].append(i)
    if not holders:
        return greedy
    mean_weight = float(np.mean(list(weights.values())))
    n_s = len(candidates)
    own = np.array([_value(c, mean_weight, opts) + 1e-6 for c in candidates])
    shared: defaultdict[tuple[int, ...], float] = defaultdict(float)
    for concept in sorted(holders):  # a fixed order: the same problem every run
        held_by = holders[concept]
        if len(held_by) == 1:
            own[held_by[0]] += weights[concept]
        else:
            shared[tuple(held_by)] += weights[concept]
    sets = list(shared)
    cost = -np.r_[own, [shared[k] for k in sets]]
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def row(entries: Sequence[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(lower)
        for col, val in entries:
            rows.append(r)
            cols.append(col)
            vals.append(val)
        lower.append(lo)
        upper.append(hi)

    row([(i, float(c.words)) for i, c in enumerate(candidates)], 0, opts.max_words)
    row([(i, 1.0) for i in range(n_s)], 0, opts.max_sentences)
    for k, sents in enumerate(sets):  # a concept is covered only by a chosen sentence
        row([(n_s + k, 1.0), *((i, -1.0) for i in sents)], -np.inf, 0)
    for i, j in zip(*np.nonzero(np.triu(sims, 1) >= opts.redundancy), strict=True):
        row([(int(i), 1.0), (int(j), 1.0)], -np.inf, 1)  # never two that say the same
    matrix = sparse.csr_array((vals, (rows, cols)), shape=(len(lower), n_s + len(sets)))
    constraints = LinearConstraint(matrix, lower, upper)
    floor = _objective(greedy, candidates, weights, mean_weight, opts)
    # The linear relaxation (a few ms) bounds the optimum: when the greedy answer is within
    # the solver's own gap of it, or the relaxation's answer is whole, branching (tens of
    # ms, most of a story's summary) cannot do better than the gap allows.
    relaxed = milp(cost, constraints=constraints, bounds=Bounds(0, 1))
    if relaxed.x is not None:
        if floor >= -relaxed.fun * (1 - opts.gap):
            return greedy
        picked = relaxed.x[:n_s]
        if np.all(np.minimum(picked, 1 - picked) < 1e-9):
            return [i for i in range(n_s) if picked[i] > 0.5]
    result = milp(
        cost,
        constraints=constraints,
        integrality=np.r_[np.ones(n_s), np.zeros(len(sets))],  # concepts follow the sentences
        bounds=Bounds(0, 1),
        options={"time_limit": opts.time_limit, "mip_rel_gap": opts.gap},
    )
    if result.x is None:
        return greedy
    chosen = [i for i in range(n_s) if result.x[i] > 0.5]
    if -result.fun < floor - 1e-9:
        return greedy
    return chosen


def _objective(
    chosen: Sequence[int],
    candidates: Sequence[Candidate],
    weights: Mapping[tuple[str, str], float],
    mean_weight: float,
    opts: SummaryOptions,
) -> float:
    covered = {k for i in chosen for k in candidates[i].concepts if k in weights}
    return sum(weights[k] for k in covered) + sum(
        _value(candidates[i], mean_weight, opts) + 1e-6 for i in chosen
    )


def _greedy(
    candidates: Sequence[Candidate],
    weights: Mapping[tuple[str, str], float],
    sims: np.ndarray,
    opts: SummaryOptions,
) -> list[int]:
    """Cost-scaled greedy coverage (Lin and Bilmes): the fallback and the solver's floor."""
    mean_weight = float(np.mean(list(weights.values()))) if weights else 1.0
    chosen: list[int] = []
    covered: set[tuple[str, str]] = set()
    words = 0
    while len(chosen) < opts.max_sentences:
        best, best_value = -1, 0.0
        for i, cand in enumerate(candidates):
            if i in chosen or words + cand.words > opts.max_words:
                continue
            if any(sims[i, j] >= opts.redundancy for j in chosen):
                continue
            gain = sum(weights[k] for k in cand.concepts - covered if k in weights)
            value = (gain + _value(cand, mean_weight, opts) + 1e-6) / math.sqrt(cand.words)
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        covered |= candidates[best].concepts
        words += candidates[best].words
    return chosen


def _citations(
    k: int, pool: Sequence[Sentence], sims: np.ndarray, opts: SummaryOptions
) -> tuple[Citation, ...]:
    """Sentence ``k`` itself, then the best supporting sentence of each other article.

    ``sims`` holds sentence ``k``'s similarity to every pool sentence."""
    own = pool[k]
    cites = [Citation(own.article_id, own.index, own.start, own.end)]
    own_numbers = set(NUMBER.findall(own.text))
    best: dict[str, tuple[float, Sentence]] = {}
    for j, sent in enumerate(pool):
        if sent.article_id == own.article_id:
            continue
        if not own_numbers <= set(NUMBER.findall(sent.text)):
            continue  # a sentence with other figures does not back this one
        sim = float(sims[j])
        if sim >= opts.support and sim > best.get(sent.article_id, (0.0, sent))[0]:
            best[sent.article_id] = (sim, sent)
    for _, sent in sorted(best.values(), key=lambda x: -x[0]):
        cites.append(Citation(sent.article_id, sent.index, sent.start, sent.end))
    return tuple(cites)


def story_title(articles: Sequence[Article], summary: Sequence[SummarySentence]) -> str:
    """The headline most like the story as a whole, else the summary's first words."""
    titles = [a.title for a in articles if a.title]
    if titles:
        texts = [*titles, " ".join(s.text for s in summary) or " ".join(titles)]
        vecs = tfidf_vectors(texts)
        sims = (vecs[:-1] @ vecs[[-1]].T).toarray()[:, 0]
        return titles[int(np.argmax(sims))]
    if summary:
        words = summary[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled story"
