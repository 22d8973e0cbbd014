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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rensa import RMinHash, RMinHashLSH

from newsweave.model import Article, Duplicate

__all__ = ["DedupOptions", "Duplicate", "Fingerprint", "duplicates_of", "find_duplicates"]

WORD = re.compile(r"\w+(?:['’]\w+)*")


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


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup needs of an article, computed once and storable."""

    article_id: str
    published: date | None
    exact: str  # hash of the normalised word sequence
    minhash: RMinHash
    size: int  # distinct shingles


def words(text: str) -> list[str]:
    """Lower-cased words: the normalised form copies are compared in."""
    return WORD.findall(text.lower())


def fingerprint(article: Article, options: DedupOptions | None = None) -> Fingerprint:
    """The exact hash and the MinHash of an article's clean text."""
    opts = options or DedupOptions()
    tokens = words(article.clean_text)
    exact = hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:24]
    k = opts.shingle
    shingles = {" ".join(tokens[i : i + k]) for i in range(max(1, len(tokens) - k + 1))}
    minhash = RMinHash(opts.num_perm, opts.seed)
    minhash.update(sorted(shingles))
    return Fingerprint(article.id, article.published, exact, minhash, len(shingles))


def share(a: Fingerprint, b: Fingerprint, options: DedupOptions) -> tuple[float, float]:
    """Estimated Jaccard of two texts' shingles, and the share of the shorter text's
    shingles that the other holds (a trimmed wire copy is contained, not equal)."""
    jaccard = a.minhash.jaccard(b.minhash)
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
    return duplicates_of([fingerprint(a, opts) for a in articles], opts)


def duplicates_of(
    fingerprints: Iterable[Fingerprint], options: DedupOptions | None = None
) -> list[Duplicate]:
    """Copies among fingerprints, in canonical order: each article is compared (through the
    LSH index) with the earlier ones only, and joins the copy group of its closest match."""
    opts = options or DedupOptions()
    ordered = sorted(fingerprints, key=canonical)
    lsh = RMinHashLSH(opts.threshold, opts.num_perm, opts.num_bands)
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
        best, best_sim = -1, 0.0
        for key in sorted(lsh.query(fp.minhash)):
            jaccard, contained = share(fp, ordered[key], opts)
            if is_copy(jaccard, contained, opts) and contained > best_sim:
                best, best_sim = key, contained
        if best >= 0:
            j = root[best]
            root.append(j)
            sim = best_sim if j == best else share(fp, ordered[j], opts)[1]
            found.append(Duplicate(fp.article_id, ordered[j].article_id, sim, False))
        else:
            root.append(i)
        lsh.insert(i, fp.minhash)
    return found
