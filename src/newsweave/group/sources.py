"""A story's independent sources: copies of one text, however lightly edited, are one source.

Two articles are one source when their whole texts are near-identical (TF-IDF cosine of
``same_text`` or more), or when most of the shorter one is word for word in the other: a
wire story republished with a new headline, a trimmed ending, a shortened sentence or an
outlet line added. "Most" is ``contained`` of the shorter text's word 5-grams (half: more
of it copied than written anew); two independent reports that quote the same sentence or
two share a few per cent. A translation is one source with its original too: in texts of
two different languages, ``in_order`` (seven in ten) of the shorter text's names and figures
recur in the same order in the other, and there are at least ``MIN_ANCHORS`` of them. Two
independent reports in two languages name the same people and places, but in their own
order and with their own figures: on the comparison set's dev clusters, 8 of 13
translations and none of 81 independent pairs reach it (bench/RESULTS.md). Copies of copies
join one source (union-find), named by its earliest member.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from newsweave.clean.language import language_code
from newsweave.model import Article
from newsweave.text.similarity import Similarity
from newsweave.text.tfidf import tfidf_vectors

SHINGLE = 5  # words per shingle: long enough that independent writing seldom repeats one
WORD = re.compile(r"\w+")
ANCHOR = re.compile(r"\w+(?:[.,]\d+)*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
MIN_ANCHORS = 8  # names and figures a text needs before its order can tell a translation


def anchors(text: str) -> list[str]:
    """The names and figures of a text in order: words capitalised inside a sentence, and
    numbers with their separators dropped ("3,000" and "3.000" alike): what a translation
    keeps while every other word changes."""
    out = []
    for sentence in SENTENCE_END.split(text):
        for k, token in enumerate(ANCHOR.findall(sentence)):
            if any(ch.isdigit() for ch in token):
                out.append("".join(ch for ch in token if ch.isdigit()))
            elif k > 0 and token[:1].isupper() and len(token) > 2:
                out.append(token.lower())
    return out


def common_order(a: Sequence[str], b: Sequence[str]) -> int:
    """The length of the longest common subsequence of two anchor lists."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def translated_pairs(articles: Sequence[Article], in_order: float) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of articles in two different known languages whose names and
    figures run in the same order (see the module's docstring)."""
    langs = [language_code(a.language) for a in articles]
    marks = [anchors(a.clean_text) if lang else [] for a, lang in zip(articles, langs, strict=True)]
    kinds = [set(m) for m in marks]
    out = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if not langs[i] or not langs[j] or langs[i] == langs[j]:
                continue
            shorter = min(len(marks[i]), len(marks[j]))
            if shorter < MIN_ANCHORS or len(kinds[i] & kinds[j]) < in_order / 2 * min(
                len(kinds[i]), len(kinds[j])
            ):
                continue  # too few names in common to share their order: not aligned
            if common_order(marks[i], marks[j]) >= in_order * shorter:
                out.append((i, j))
    return out


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


def source_groups(
    articles: Sequence[Article],
    same_text: float = 0.8,
    contained: float = 0.5,
    in_order: float = 0.7,
) -> dict[str, int]:
    """Each article's source: the index (in ``articles``) of the earliest article it is a
    copy of, directly or through other copies; its own index when it is no copy."""
    if not articles:
        return {}
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texts = [a.clean_text for a in articles]
    # Near-identical texts share rare words: only pairs sharing a word not common in the
    # story are compared.
    near = Similarity(tfidf_vectors(texts)).pairs(same_text)
    pairs = list(zip(near.i.tolist(), near.j.tolist(), strict=True))
    pairs += contained_pairs(texts, contained)
    pairs += translated_pairs(articles, in_order)
    for i, j in pairs:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {a.id: find(i) for i, a in enumerate(articles)}
