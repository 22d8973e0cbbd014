"""Content words and TF-IDF vectors: the word statistics the summary, the timeline, the
facts and the grouping share.

``content_terms`` lowercases, drops stop words and strips a light suffix; ``tfidf_vectors``
weighs them (sublinear term frequency, smoothed IDF) into sparse, row-normalised vectors,
so that a row product is a cosine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
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
    return [stem(t) for t in TOKEN.findall(text.lower().replace("’", "'")) if t not in STOPWORDS]


def tfidf_vectors(texts: Sequence[str]) -> sparse.csr_array:
    """Row-normalised TF-IDF vectors (sublinear term frequency, smoothed IDF), sparse."""
    return tfidf_of_terms([content_terms(t) for t in texts])


def tfidf_of_terms(terms: Sequence[Sequence[str]]) -> sparse.csr_array:
    """:func:`tfidf_vectors` of texts already split into their :func:`content_terms`."""
    docs = [Counter(t) for t in terms]
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
        for term in d:
            vocab.setdefault(term, len(vocab))
    n = len(docs)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, d in enumerate(docs):
        weights = [(vocab[t], (1.0 + math.log(tf)) * idf[t]) for t, tf in d.items()]
        norm = math.sqrt(sum(w * w for _, w in weights)) or 1.0
        for col, w in weights:
            rows.append(row)
            cols.append(col)
            vals.append(w / norm)
    return sparse.csr_array(
        (np.array(vals, dtype=np.float32), (rows, cols)), shape=(n, max(len(vocab), 1))
    )


def tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    """Row-normalised TF-IDF vectors, dense (for a few texts)."""
    dense: np.ndarray = tfidf_vectors(texts).toarray()
    return dense


def cosines(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF cosine similarity of every pair of texts, as a dense square matrix."""
    vecs = tfidf_vectors(texts)
    sims: np.ndarray = (vecs @ vecs.T).toarray()
    return sims
