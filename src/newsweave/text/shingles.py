"""Word n-gram shingles, and the pairs of texts one of which is mostly word for word in
the other: a wire story and its lightly edited copies."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

SHINGLE = 5  # words per shingle: long enough that independent writing seldom repeats one
WORD = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE) -> set[int]:
    """Hashes of the text's word n-grams (lowercased); a short text's whole word run."""
    words = WORD.findall(text.lower())
    if len(words) < n:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1)}


def contained_pairs(texts: Sequence[str], share: float) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, where at least ``share`` of the shorter text's word
    5-grams occur in the other; found through an index of 5-grams, so only texts that
    share one are compared."""
    sets = [shingles(t) for t in texts]
    index: dict[int, list[int]] = {}
    for i, s in enumerate(sets):
        for h in s:
            index.setdefault(h, []).append(i)
    out = []
    for i, s in enumerate(sets):
        shared: Counter[int] = Counter()
        for h in s:
            for j in index[h]:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            if n >= share * max(1, min(len(s), len(sets[j]))):
                out.append((i, j))
    return out
