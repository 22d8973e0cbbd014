"""Boilerplate found by repetition: a line that recurs in several independent articles.

Site furniture ("Read our coverage policy", a recurring sign-off) repeats across articles
from one outlet, while news text does not. Syndicated copies share all their lines, so
articles that are near copies of each other count as one witness; and a line with a
quotation in it must recur in three independent articles, since outlets quote the same
tweet or statement word for word.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence

from newsweave.clean.boilerplate import split_lines
from newsweave.clean.normalize import normalize
from newsweave.model import Article, Removal

MIN_CHARS = 12
NEAR_COPY = 0.5  # Jaccard overlap of two articles' line sets that makes them copies


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def remove_repeated_lines(articles: Sequence[Article]) -> list[Article]:
    """Return the articles with lines that recur across independent articles removed."""
    if len(articles) < 2:
        return list(articles)
    line_sets: list[dict[str, tuple[int, int, str]]] = []
    for article in articles:
        taken = [(r.start, r.end) for r in article.removed]
        lines: dict[str, tuple[int, int, str]] = {}
        for line in split_lines(article.original_text):
            key = _key(line.text)
            if len(key) < MIN_CHARS or any(s <= line.start and line.end <= e for s, e in taken):
                continue
            lines.setdefault(key, (line.start, line.end, line.text))
        line_sets.append(lines)

    holders: dict[str, list[int]] = defaultdict(list)
    for i, lines in enumerate(line_sets):
        for key in lines:
            holders[key].append(i)

    extra: dict[int, list[Removal]] = defaultdict(list)
    for key, idx in holders.items():
        if len(idx) < 2:
            continue
        witnesses = _independent_groups(idx, line_sets)
        needed = 3 if '"' in key or "\u201c" in key or "\u201d" in key else 2
        if witnesses < needed:
            continue
        for i in idx:
            start, end, text = line_sets[i][key]
            extra[i].append(Removal(start, end, "repeated across articles", text))

    out = []
    for i, article in enumerate(articles):
        if i not in extra:
            out.append(article)
            continue
        removed = tuple(sorted((*article.removed, *extra[i]), key=lambda r: r.start))
        clean, offsets = normalize(article.original_text, ((r.start, r.end) for r in removed))
        if not clean.strip():
            out.append(article)  # never empty an article on repetition alone
            continue
        out.append(dataclasses.replace(article, clean_text=clean, offsets=offsets, removed=removed))
    return out


def _independent_groups(idx: list[int], line_sets: list[dict[str, tuple[int, int, str]]]) -> int:
    """How many groups of mutually non-copied articles hold the line (union-find)."""
    parent = {i: i for i in idx}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a_pos, a in enumerate(idx):
        for b in idx[a_pos + 1 :]:
            sa, sb = line_sets[a].keys(), line_sets[b].keys()
            inter = len(sa & sb)
            if inter / max(len(sa | sb), 1) >= NEAR_COPY:
                parent[find(a)] = find(b)
    return len({find(i) for i in idx})
