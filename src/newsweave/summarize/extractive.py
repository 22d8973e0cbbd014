"""A first extractive, cited summarizer: central sentences backed by several sources.

Every summary sentence is a real source sentence. It is chosen for how much the *other*
sources agree with it (syndicated copies count once), its position in its article and
whether it reads on its own; near-identical choices are refused (maximal marginal
relevance). Each summary sentence cites its own sentence and the best-matching sentence of
every other source that says much the same (and carries the same figures).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsweave.model import Article, Citation, Sentence, SummarySentence

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "said",
        "same",
        "says",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "told",
        "one",
        "two",
        "like",
        "get",
        "got",
        "also",
        "mr",
        "mrs",
        "ms",
    ]
)
WEAK_START = re.compile(
    r"^(?:he|she|it|they|them|his|her|its|their|this|that|these|those|but|and|or|so|also|"
    r"however|meanwhile|still|then|yet|instead|such|both|here|there)\b",
    re.I,
)
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """How long the summary may be and how strict the redundancy check is."""

    max_sentences: int = 5
    max_words: int = 150
    min_words: int = 6
    max_sentence_words: int = 60
    redundancy: float = 0.5  # cosine above which two sentences say the same thing
    support: float = 0.45  # cosine at which another source's sentence backs a claim
    mmr_lambda: float = 0.7


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper; enough to match "killed"/"kills"/"killing"."""
    for suffix in ("ings", "ing", "edly", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a text."""
    return [stem(t) for t in TOKEN.findall(text.lower().replace("’", "'")) if t not in STOPWORDS]


def tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    """Row-normalised TF-IDF vectors (dense; stories are small)."""
    docs = [Counter(content_terms(t)) for t in texts]
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
        for term in d:
            vocab.setdefault(term, len(vocab))
    mat = np.zeros((len(docs), max(len(vocab), 1)), dtype=np.float32)
    n = len(docs)
    for row, d in enumerate(docs):
        for term, tf in d.items():
            mat[row, vocab[term]] = (1.0 + math.log(tf)) * (
                math.log((1 + n) / (1 + df[term])) + 1.0
            )
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: np.ndarray = mat / norms
    return normalised


def source_groups(articles: Sequence[Article], threshold: float = 0.8) -> dict[str, int]:
    """Group syndicated copies: articles whose texts are near-identical share a group id."""
    if not articles:
        return {}
    vecs = tfidf_matrix([a.clean_text for a in articles])
    sims = vecs @ vecs.T
    group: dict[str, int] = {}
    for i, article in enumerate(articles):
        for j in range(i):
            if sims[i, j] >= threshold:
                group[article.id] = group[articles[j].id]
                break
        else:
            group[article.id] = i
    return group


def summarize(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    options: SummaryOptions | None = None,
) -> tuple[SummarySentence, ...]:
    """Choose summary sentences for one story and cite their support."""
    opts = options or SummaryOptions()
    pool = [s for a in articles for s in sentences.get(a.id, ())]
    if not pool:
        return ()
    groups = source_groups(articles)
    order = {a.id: i for i, a in enumerate(articles)}
    vecs = tfidf_matrix([s.text for s in pool])
    sims = vecs @ vecs.T
    scores = _scores(pool, sims, groups, opts)

    chosen: list[int] = []
    words = 0
    candidates = [i for i in np.argsort(-scores) if scores[i] > 0]
    while candidates and len(chosen) < opts.max_sentences:
        best, best_value = -1, -math.inf
        for i in candidates:
            redundancy = max((float(sims[i, j]) for j in chosen), default=0.0)
            value = opts.mmr_lambda * scores[i] - (1 - opts.mmr_lambda) * redundancy
            if value > best_value:
                best, best_value = i, value
        candidates.remove(best)
        if any(sims[best, j] >= opts.redundancy for j in chosen):
            continue
        n_words = len(pool[best].text.split())
        if chosen and words + n_words > opts.max_words:
            continue
        chosen.append(best)
        words += n_words

    # Reading order: leads before later detail, then the older source first.
    chosen.sort(key=lambda i: (pool[i].index, order[pool[i].article_id]))
    return tuple(
        SummarySentence(pool[i].text, _citations(i, pool, sims, groups, opts)) for i in chosen
    )


def _scores(
    pool: list[Sentence], sims: np.ndarray, groups: Mapping[str, int], opts: SummaryOptions
) -> np.ndarray:
    """Support from other sources, plus position and stand-alone readability."""
    group_of = np.array([groups[s.article_id] for s in pool])
    unique_groups = sorted(set(group_of.tolist()))
    scores = np.zeros(len(pool), dtype=np.float64)
    for i, sent in enumerate(pool):
        n_words = len(sent.text.split())
        if n_words < opts.min_words or n_words > opts.max_sentence_words:
            continue
        if not sent.text.rstrip().endswith((".", "!", '"', "'", ")")):
            continue  # headlines, bullets and fragments
        agreement = 0.0
        for g in unique_groups:
            if g == group_of[i]:
                continue
            agreement += float(sims[i, group_of == g].max())
        score = agreement + 0.6 / (1 + 0.5 * sent.index)
        if len(unique_groups) == 1:
            score += float(sims[i].mean())
        if WEAK_START.match(sent.text):
            score *= 0.5
        if sent.in_quote or sent.text.count('"') % 2:
            score *= 0.4
        if sent.text.rstrip().endswith("?"):
            score *= 0.5
        scores[i] = score + 1e-6
    return scores


def _citations(
    i: int,
    pool: list[Sentence],
    sims: np.ndarray,
    groups: Mapping[str, int],
    opts: SummaryOptions,
) -> tuple[Citation, ...]:
    """The chosen sentence itself, then the best supporting sentence of each other article."""
    own = pool[i]
    cites = [Citation(own.article_id, own.index, own.start, own.end)]
    own_numbers = set(NUMBER.findall(own.text))
    best: dict[str, tuple[float, Sentence]] = {}
    for j, sent in enumerate(pool):
        if sent.article_id == own.article_id:
            continue
        if not own_numbers <= set(NUMBER.findall(sent.text)):
            continue  # a sentence with other figures does not back this one
        sim = float(sims[i, j])
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
        vecs = tfidf_matrix(texts)
        sims = vecs[:-1] @ vecs[-1]
        return titles[int(np.argmax(sims))]
    if summary:
        words = summary[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled story"
