"""Syndicated copies and near-identical articles: exact hashes first, then MinHash + LSH.

A wire story reappears with a new headline, a trimmed ending or extra boilerplate. Two
articles are copies when their normalised word sequences are equal (exact), or when their
word 5-gram shingles, estimated by MinHash (the Rust ``rensa`` library) and found through
locality-sensitive hashing, reach a Jaccard similarity of 0.7 or the shorter text's shingles
are 80% inside the other (a trimmed copy). Each copy names its original: the earliest
published article of its copy group (then the smallest id, so the answer never depends on
input order) and the share of the shorter text's shingles they have in common.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain

import numpy as np
from rensa import RMinHash

from newsweave.model import Article, Duplicate

__all__ = [
    "DedupOptions",
    "Duplicate",
    "Fingerprint",
    "duplicates_of",
    "find_duplicates",
    "fingerprints",
]

# Punctuation becomes a space (apostrophes and hyphens inside words stay): splitting a
# translated text is several times faster than a regular expression over it.
SEPARATORS = str.maketrans(
    {c: " " for c in string.punctuation + "“”‘«»—–…·•|" if c not in "'-"} | {"’": "'"}
)
_PRIME = np.uint64(1_000_003)


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """How alike two texts must be to count as copies."""

    threshold: float = 0.7  # estimated Jaccard of word 5-gram shingles ...
    containment: float = 0.8  # ... or this share of the shorter text's shingles in the other
    min_shingles: int = 20  # containment is not trusted for shorter texts
    shingle: int = 5
    num_perm: int = 128
    num_bands: int = 32  # 32 bands of 4 rows: candidates from a Jaccard of about 0.4 up
    seed: int = 42
    index_copies_below: float = 0.9  # a copy this close to its original is not indexed


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup needs of an article, computed once and storable."""

    article_id: str
    published: date | None
    exact: str  # hash of the normalised word sequence
    digest: np.ndarray  # MinHash signature: num_perm uint32 values
    size: int  # shingles (a repeated 5-gram counted again: rare in prose)


def words(text: str) -> list[str]:
    """Lower-cased words without punctuation: the normalised form copies are compared in."""
    return text.lower().translate(SEPARATORS).split()


def _shingle_hashes(token_lists: Sequence[list[str]], k: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every text's word ``k``-grams, as one flat array and row offsets.

    Words are hashed by ``rensa`` (in Rust, the same in every run); the ``k``-grams are a
    rolling combination of the word hashes computed over all texts at once. A text of fewer
    than ``k`` words is one shingle: its first word."""
    hashed = RMinHash.hash_token_sets(token_lists)
    lengths = np.fromiter(map(len, hashed), dtype=np.int64, count=len(hashed))
    flat = np.fromiter(chain.from_iterable(hashed), dtype=np.uint64, count=int(lengths.sum()))
    padded = np.concatenate([flat, np.zeros(k - 1, dtype=np.uint64)])
    rolled = padded[: len(flat)].copy()
    for m in range(1, k):
        rolled = rolled * _PRIME + padded[m : m + len(flat)]
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    position = np.arange(len(flat)) - np.repeat(starts, lengths)
    length = np.repeat(lengths, lengths)
    keep = (position <= length - k) | ((length < k) & (position == 0))
    counts = np.where(lengths >= k, lengths - k + 1, np.minimum(lengths, 1))
    offsets = np.zeros(len(lengths) + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    return rolled[keep], offsets


def fingerprints(
    articles: Iterable[Article], options: DedupOptions | None = None, batch: int = 1000
) -> list[Fingerprint]:
    """Exact hashes and MinHash signatures of many articles, computed ``batch`` articles at a
    time in a few vectorised steps (word hashing and the signatures in ``rensa``, the
    shingles in NumPy), so memory stays bounded however many articles there are."""
    opts = options or DedupOptions()
    out: list[Fingerprint] = []
    meta: list[tuple[str, date | None, str]] = []
    token_lists: list[list[str]] = []
    for article in articles:
        tokens = words(article.clean_text) or ["<empty>"]
        exact = hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:24]
        meta.append((article.id, article.published, exact))
        token_lists.append(tokens)
        if len(meta) >= batch:
            out.extend(_signatures(meta, token_lists, opts))
            meta, token_lists = [], []
    if meta:
        out.extend(_signatures(meta, token_lists, opts))
    return out


def _signatures(
    meta: Sequence[tuple[str, date | None, str]],
    token_lists: Sequence[list[str]],
    opts: DedupOptions,
) -> list[Fingerprint]:
    shingles, offsets = _shingle_hashes(token_lists, opts.shingle)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(
        shingles, offsets, opts.num_perm, opts.seed
    )
    digests = np.asarray(matrix.to_rows(), dtype=np.uint32)
    sizes = np.diff(offsets.astype(np.int64))
    return [
        Fingerprint(aid, published, exact, digests[i], int(sizes[i]))
        for i, (aid, published, exact) in enumerate(meta)
    ]


def fingerprint(article: Article, options: DedupOptions | None = None) -> Fingerprint:
    """The exact hash and the MinHash signature of one article's clean text."""
    return fingerprints([article], options)[0]


def share(a: Fingerprint, b: Fingerprint, options: DedupOptions) -> tuple[float, float]:
    """Estimated Jaccard of two texts' shingles, and the share of the shorter text's
    shingles that the other holds (a trimmed wire copy is contained, not equal)."""
    jaccard = float(np.count_nonzero(a.digest == b.digest)) / len(a.digest)
    smaller = min(a.size, b.size)
    if smaller < options.min_shingles:
        return jaccard, jaccard
    common = jaccard * (a.size + b.size) / (1.0 + jaccard)
    return jaccard, min(1.0, common / smaller)


def is_copy(jaccard: float, contained: float, options: DedupOptions) -> bool:
    return jaccard >= options.threshold or contained >= options.containment


def canonical(fp: Fingerprint) -> tuple[date, str]:
    """Earliest published first, undated last, then by id: the order originals are found in."""
    return (fp.published or date.max, fp.article_id)


def find_duplicates(
    articles: Sequence[Article], options: DedupOptions | None = None
) -> list[Duplicate]:
    """Every article that copies an earlier one, with its original."""
    opts = options or DedupOptions()
    return duplicates_of(fingerprints(articles, opts), opts)


def duplicates_of(
    prints: Iterable[Fingerprint], options: DedupOptions | None = None
) -> list[Duplicate]:
    """Copies among fingerprints, in canonical order: each article is looked up in an LSH
    index (bands of its signature) of the earlier ones, and joins the copy group of its
    closest match. Originals are indexed, and copies that differ from their original
    enough to be matched on their own."""
    opts = options or DedupOptions()
    unique = {fp.article_id: fp for fp in prints}  # the same article given twice is one
    ordered = sorted(unique.values(), key=canonical)
    rows = opts.num_perm // opts.num_bands
    buckets: list[dict[bytes, list[int]]] = [{} for _ in range(opts.num_bands)]
    first_exact: dict[str, int] = {}
    root: list[int] = []  # index of each article's original (itself when it is one)
    found: list[Duplicate] = []
    for i, fp in enumerate(ordered):
        if fp.exact in first_exact:
            j = root[first_exact[fp.exact]]
            root.append(j)
            sim = 1.0 if j == first_exact[fp.exact] else share(fp, ordered[j], opts)[1]
            found.append(Duplicate(fp.article_id, ordered[j].article_id, sim, True))
            continue  # an exact copy adds nothing to the index
        first_exact[fp.exact] = i
        keys = [fp.digest[b * rows : (b + 1) * rows].tobytes() for b in range(opts.num_bands)]
        candidates: set[int] = set()
        for band, key in zip(buckets, keys, strict=True):
            candidates.update(band.get(key, ()))
        best, best_sim = -1, 0.0
        for other in sorted(candidates):
            jaccard, contained = share(fp, ordered[other], opts)
            if is_copy(jaccard, contained, opts) and contained > best_sim:
                best, best_sim = other, contained
        if best >= 0:
            j = root[best]
            root.append(j)
            sim = best_sim if j == best else share(fp, ordered[j], opts)[1]
            found.append(Duplicate(fp.article_id, ordered[j].article_id, sim, False))
            if sim >= opts.index_copies_below:
                continue  # its original already stands for it in the index
        else:
            root.append(i)
        for band, key in zip(buckets, keys, strict=True):
            band.setdefault(key, []).append(i)
    return found
