"""Boilerplate found by repetition: a line that recurs in several independent articles.

Site furniture ("Read our coverage policy", a recurring sign-off) repeats across articles
from one outlet, while news text does not. Syndicated copies share their lines, so articles
that are copies of each other count as one witness: line sets that overlap by half
(Jaccard), or a text mostly word for word in the other (half of the shorter's word 5-grams:
a wire story republished with a trimmed ending and an outlet line keeps its paragraphs). A
line with a quotation in it must recur in three independent articles, since outlets quote
the same tweet or statement word for word.

Near copies are found once for the whole set, by prefix filtering (Chaudhuri et al. 2006):
two line sets with a Jaccard overlap of at least ``NEAR_COPY`` share one of the rarest lines
of each, so only articles sharing such a line are compared, not every pair of articles that
hold a common footer. The result is the same as comparing them all.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from newsweave.clean.boilerplate import lines_left, with_removals
from newsweave.model import Article, Removal
from newsweave.text.shingles import contained_pairs

MIN_CHARS = 12
NEAR_COPY = 0.5  # Jaccard overlap of two articles' line sets that makes them copies
CONTAINED = 0.5  # share of the shorter text's word 5-grams in the other that makes a copy


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def remove_repeated_lines(articles: Sequence[Article]) -> list[Article]:
    """Return the articles with lines that recur across independent articles removed."""
    if len(articles) < 2:
        return list(articles)
    line_sets: list[dict[str, tuple[int, int, str]]] = []
    for article in articles:
        lines: dict[str, tuple[int, int, str]] = {}
        for line in lines_left(article):
            key = _key(line.text)
            if len(key) >= MIN_CHARS:
                lines.setdefault(key, (line.start, line.end, line.text))
        line_sets.append(lines)

    holders: dict[str, list[int]] = defaultdict(list)
    for i, lines in enumerate(line_sets):
        for key in lines:
            holders[key].append(i)

    copies = _near_copies(line_sets, holders)
    for a, b in contained_pairs([article.clean_text for article in articles], CONTAINED):
        copies[a].add(b)
        copies[b].add(a)
    extra: dict[int, list[Removal]] = defaultdict(list)
    for key, idx in holders.items():
        if len(idx) < 2:
            continue
        witnesses = _independent_groups(idx, copies)
        needed = 3 if '"' in key or "\u201c" in key or "\u201d" in key else 2
        if witnesses < needed:
            continue
        for i in idx:
            start, end, text = line_sets[i][key]
            extra[i].append(Removal(start, end, "repeated across articles", text))

    # Never empty an article on repetition alone (with_removals keeps it then).
    return [with_removals(article, extra.get(i, [])) for i, article in enumerate(articles)]


def _near_copies(
    line_sets: list[dict[str, tuple[int, int, str]]], holders: dict[str, list[int]]
) -> dict[int, set[int]]:
    """For each article, the others whose line sets overlap it by NEAR_COPY (Jaccard) or more.

    Prefix filtering: with lines ordered rarest first, two sets of Jaccard at least t share
    at least ceil(t * size) lines of each, so they share a line among the first
    ``size - ceil(t * size) + 1`` of each; only articles sharing such a line are compared."""
    rarity = {key: (len(idx), key) for key, idx in holders.items()}
    in_prefix: dict[str, list[int]] = defaultdict(list)
    for i, lines in enumerate(line_sets):
        if not lines:
            continue
        size = len(lines)
        prefix = size - math.ceil(NEAR_COPY * size) + 1
        for key in sorted(lines, key=rarity.__getitem__)[:prefix]:
            if len(holders[key]) > 1:
                in_prefix[key].append(i)
    copies: dict[int, set[int]] = defaultdict(set)
    for idx in in_prefix.values():
        for pos, a in enumerate(idx):
            for b in idx[pos + 1 :]:
                if b in copies[a]:
                    continue
                sa, sb = line_sets[a].keys(), line_sets[b].keys()
                if len(sa & sb) / max(len(sa | sb), 1) >= NEAR_COPY:
                    copies[a].add(b)
                    copies[b].add(a)
    return copies


def _independent_groups(idx: list[int], copies: dict[int, set[int]]) -> int:
    """How many groups of mutually non-copied articles hold the line (union-find over the
    near copies among its holders)."""
    parent = {i: i for i in idx}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a in idx:
        for b in copies.get(a, ()):
            if b in parent:
                parent[find(a)] = find(b)
    return len({find(i) for i in idx})
