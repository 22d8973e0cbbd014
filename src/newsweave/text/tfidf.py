"""Content words and TF-IDF vectors: the word statistics the summary, the timeline, the
facts and the grouping share.

``content_terms`` lowercases, drops stop words and strips a light suffix; ``tfidf_vectors``
weighs them (sublinear term frequency, smoothed IDF) into sparse, row-normalised vectors,
so that a row product is a cosine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

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

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper; enough to match "killed"/"kills"/"killing"."""
    for suffix in ("ings", "ing", "edly", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a text."""
    return list(_content_terms(text))


# A story's sentences are split into terms by the summary, the statements, the source
# groups and the titles alike: each text is split once while it is among the recent ones.
@lru_cache(maxsize=32768)
def _content_terms(text: str) -> tuple[str, ...]:
    lowered = text.lower().replace("’", "'")
    return tuple(stem(t) for t in TOKEN.findall(lowered) if t not in STOPWORDS)


def tfidf_vectors(texts: Sequence[str]) -> sparse.csr_array:
    """Row-normalised TF-IDF vectors (sublinear term frequency, smoothed IDF), sparse."""
    return tfidf_of_terms([content_terms(t) for t in texts])


def tfidf_of_terms(terms: Sequence[Sequence[str]]) -> sparse.csr_array:
    """:func:`tfidf_vectors` of texts already split into their :func:`content_terms`.

    Columns are terms in order of first use; counts, document frequencies and norms are
    taken with numpy, so Python touches each term once (to number it)."""
    n = len(terms)
    vocab: dict[str, int] = {}
    ids = [vocab.setdefault(t, len(vocab)) for doc in terms for t in doc]
    width = max(len(vocab), 1)
    if not ids:
        return sparse.csr_array((n, width), dtype=np.float32)
    rows = np.repeat(np.arange(n, dtype=np.int64), [len(doc) for doc in terms])
    cells, tf = np.unique(rows * width + np.array(ids, dtype=np.int64), return_counts=True)
    row, col = cells // width, cells % width
    idf = np.log((1 + n) / (1 + np.bincount(col, minlength=width))) + 1.0
    weights = (1.0 + np.log(tf)) * idf[col]
    norms = np.sqrt(np.bincount(row, weights=weights * weights, minlength=n))
    norms[norms == 0] = 1.0
    values = (weights / norms[row]).astype(np.float32)
    return sparse.csr_array((values, (row, col)), shape=(n, width))


def tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    """Row-normalised TF-IDF vectors, dense (for a few texts)."""
    dense: np.ndarray = tfidf_vectors(texts).toarray()
    return dense


def cosines(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF cosine similarity of every pair of texts, as a dense square matrix."""
    vecs = tfidf_vectors(texts)
    sims: np.ndarray = (vecs @ vecs.T).toarray()
    return sims
