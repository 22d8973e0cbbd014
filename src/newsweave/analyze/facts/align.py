"""Which statements of two sources say the same thing: word overlap, or sentence meaning.

Two statements are one fact when their words overlap well (a TF-IDF cosine of SAME_FACT), or
when the multilingual sentence model puts them close *and* a small learned model, over a few
language-independent features of the pair, judges them to state the same thing. The
features (:data:`FEATURES`) say how close the two are in meaning, whether each is the
other's closest in the other's article, and whether they share figures and names; the
weights are a logistic regression fitted by ``bench/fit_agreement.py`` on the comparison
set's dev split, judged pair by pair by readers who never saw this code.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

import numpy as np

from newsweave.analyze.embed import Encoder
from newsweave.analyze.quantities import interval
from newsweave.analyze.statements import Statement
from newsweave.text.similarity import Similarity

SAME_FACT = 0.55  # TF-IDF cosine at which two statements say the same thing
NEAR_MEANING = 0.3  # sentence cosine under which two statements are never compared further
BLOCK = 2048  # statements compared with all others at a time: bounds memory on large stories

FEATURES = (
    "cosine",  # sentence-model cosine
    "behind_a",  # how far the pair is behind a's closest statement in b's article (<= 0)
    "behind_b",  # ... and behind b's closest statement in a's article
    "figures",  # share of the figures of the statement with fewer that the other gives too
    "figures_apart",  # both give figures and none in common
    "names",  # share of the capitalised names of the one with fewer found in the other
    "words",  # TF-IDF cosine of the two statements' content words
    "negation_apart",  # one says a thing is not so, the other does not
    "days",  # both name a day, and a day in common
    "days_apart",  # both name a day, and none in common
    "length",  # words of the shorter over words of the longer
    "lead",  # both are among the first three sentences of their article
)
# Fitted by bench/fit_agreement.py (its output, pasted): intercept first, then FEATURES.
WEIGHTS = np.array([
    -2.525, 4.443, -0.912, 2.806, 1.979, -0.688, -0.484, 2.288, -0.021, 0.501, -1.492, -1.246,
    0.435,
])  # fmt: skip
# The probability from which a pair is one fact: the lowest cut-off at which the judged dev
# pairs' cross-validated precision reaches 0.8 (bench/fit_agreement.py; 0.9 is not reached
# at any useful recall by these features).
AGREE = 0.6


def same_pairs(
    statements: Sequence[Statement],
    similarity: Similarity,
    embedder: Encoder | None = None,
    readable: Container[str] | None = None,
    vectors: np.ndarray | None = None,
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of statements from different articles that say the same
    thing: a TF-IDF cosine of SAME_FACT or more, or (with an ``embedder``) a pair
    :func:`candidates` proposes and the learned model judges to state the same thing;
    ``vectors`` are the statements' :func:`statement_vectors` when the caller has them."""
    articles = np.array([s.article_id for s in statements])
    pairs = similarity.pairs(SAME_FACT)
    pairs = pairs.where(articles[pairs.i] != articles[pairs.j])
    found = {(i, j) for i, j, _ in pairs}
    if embedder is not None:
        cand = candidates(statements, embedder, similarity, readable, vectors)
        if len(cand.rows):
            keep = probability(cand.features) >= AGREE
            found |= set(zip(cand.rows[keep].tolist(), cand.cols[keep].tolist(), strict=True))
    return sorted(found)


class Candidates:
    """Statement pairs of two articles worth judging, with their features (one row each)."""

    def __init__(self, rows: np.ndarray, cols: np.ndarray, features: np.ndarray) -> None:
        self.rows = rows  # statement indices, rows < cols
        self.cols = cols
        self.features = features


def candidates(
    statements: Sequence[Statement],
    embedder: Encoder,
    similarity: Similarity,
    readable: Container[str] | None = None,
    vectors: np.ndarray | None = None,
) -> Candidates:
    """Pairs of statements of two articles where one is the other's closest statement in
    the other's article, at a sentence cosine of NEAR_MEANING or more, with their features.

    Only statements of the ``readable`` articles (all, when not given) are embedded; the
    others are in a language the encoder does not read and are left to word overlap.
    Photo captions are left to word overlap too. ``vectors`` are the statements'
    :func:`statement_vectors`, computed here when not given."""
    usable = readable_statements(statements, readable)
    empty = Candidates(np.zeros(0, int), np.zeros(0, int), np.zeros((0, len(FEATURES))))
    if len(usable) < 2:
        return empty
    if vectors is None:
        vectors = statement_vectors(statements, embedder, readable)
    vectors = vectors[usable]
    names = [statements[k].article_id for k in usable]
    codes = {a: n for n, a in enumerate(dict.fromkeys(names))}
    art = np.array([codes[a] for a in names])
    order = np.argsort(art, kind="stable")
    starts = np.flatnonzero(np.r_[True, art[order][1:] != art[order][:-1]])
    # best[r, a]: the highest cosine of statement r with any statement of article a
    best = np.empty((len(usable), len(starts)), dtype=np.float32)
    for lo in range(0, len(usable), BLOCK):
        sims = vectors[lo : lo + BLOCK] @ vectors[order].T
        best[lo : lo + BLOCK] = np.maximum.reduceat(sims, starts, axis=1)
    rows_l, cols_l, cos_l = [], [], []
    for lo in range(0, len(usable), BLOCK):
        sims = vectors[lo : lo + BLOCK] @ vectors.T
        r, c = np.nonzero(sims >= NEAR_MEANING)
        cos = sims[r, c]
        r = r + lo
        keep = (r < c) & (art[r] != art[c])
        r, c, cos = r[keep], c[keep], cos[keep]
        closest = (cos >= best[r, art[c]]) | (cos >= best[c, art[r]])
        rows_l.append(r[closest])
        cols_l.append(c[closest])
        cos_l.append(cos[closest])
    r, c, cos = np.concatenate(rows_l), np.concatenate(cols_l), np.concatenate(cos_l)
    if not len(r):
        return empty
    index = np.array(usable)
    si, sj = index[r], index[c]
    words = similarity.of(si, sj) if similarity.size else np.zeros(len(r))
    feats = np.zeros((len(r), len(FEATURES)), dtype=np.float64)
    feats[:, 0] = cos
    feats[:, 1] = cos - best[r, art[c]]
    feats[:, 2] = cos - best[c, art[r]]
    for k, (i, j) in enumerate(zip(si.tolist(), sj.tolist(), strict=True)):
        a, b = statements[i], statements[j]
        feats[k, 3], feats[k, 4] = _figures(a, b)
        feats[k, 5] = _names(a, b)
        feats[k, 7] = float(a.negated != b.negated)
        da, db = {d[0] for d in a.dates}, {d[0] for d in b.dates}
        feats[k, 8] = float(bool(da & db))
        feats[k, 9] = float(bool(da and db and not da & db))
        la, lb = len(a.text.split()), len(b.text.split())
        feats[k, 10] = min(la, lb) / max(la, lb, 1)
        feats[k, 11] = float(a.citation.sentence < 3 and b.citation.sentence < 3)
    feats[:, 6] = words
    return Candidates(si, sj, feats)


def readable_statements(
    statements: Sequence[Statement], readable: Container[str] | None
) -> list[int]:
    """The statements the sentence model is given: not photo captions (left to word
    overlap), and only of the ``readable`` articles (all, when not given)."""
    return [
        k
        for k, s in enumerate(statements)
        if not s.caption and (readable is None or s.article_id in readable)
    ]


def statement_vectors(
    statements: Sequence[Statement], embedder: Encoder, readable: Container[str] | None
) -> np.ndarray:
    """The sentence model's vector of each statement it is given (a zero row for the
    others: see :func:`readable_statements`), computed once for a story's agreements and
    its conflicts across languages."""
    usable = readable_statements(statements, readable)
    if not usable:
        return np.zeros((len(statements), 1), dtype=np.float32)
    found = embedder.encode([statements[k].text for k in usable])
    vectors = np.zeros((len(statements), found.shape[1]), dtype=np.float32)
    vectors[usable] = found
    return vectors


def probability(features: np.ndarray) -> np.ndarray:
    """The learned model's probability that each pair states the same thing."""
    z = WEIGHTS[0] + features @ WEIGHTS[1:]
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def _ranges(s: Statement) -> list[tuple[float, float]]:
    """The values each figure of a statement allows (rounding and "about" included)."""
    return [interval(q) for q in s.quantities if q.value is not None]


def _figures(a: Statement, b: Statement) -> tuple[float, float]:
    """The share of figures in common (of the statement with fewer; "about 7,000" holds
    7,400) and whether both give figures with none in common."""
    ra, rb = _ranges(a), _ranges(b)
    if not ra or not rb:
        return 0.0, 0.0
    if len(ra) > len(rb):
        ra, rb = rb, ra
    common = sum(any(lo <= b1 and b0 <= hi for b0, b1 in rb) for lo, hi in ra) / len(ra)
    return common, float(common == 0)


def _capitalised(s: Statement) -> set[str]:
    """Capitalised words of a statement other than its first word, lowercased."""
    out = set()
    for n, w in enumerate(s.text.split()):
        w = w.strip(".,;:!?\"'()[]«»“”‘’")
        if n and len(w) > 1 and w[0].isupper():
            out.add(w.lower())
    return out


def _names(a: Statement, b: Statement) -> float:
    """The share of the capitalised names of the statement with fewer that the other has."""
    na, nb = _capitalised(a), _capitalised(b)
    if not na or not nb:
        return 0.0
    return len(na & nb) / min(len(na), len(nb))
