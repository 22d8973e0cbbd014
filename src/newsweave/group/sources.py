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
translations and none of 81 independent pairs reach it (bench/RESULTS.md). With the
sentence model, a translation is also found by its sentences: they align one by one, in
order (:func:`aligned_translations`). Copies of copies join one source (union-find), named
by its earliest member.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

import numpy as np

from newsweave.analyze.embed import Encoder, reads
from newsweave.clean.language import language_code
from newsweave.model import Article
from newsweave.text.sentences import split_spans
from newsweave.text.shingles import contained_pairs
from newsweave.text.similarity import Similarity
from newsweave.text.tfidf import tfidf_vectors

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


ALIGNED = 0.6  # sentence cosine at which a sentence has its translation in the other text
ALIGNED_SHARE = 2 / 3  # of the shorter text's sentences, aligned in order: a translation
MIN_SENTENCES = 3  # sentences the shorter text needs before its alignment can tell


def aligned_translations(
    articles: Sequence[Article], encoder: Encoder, done: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` of articles in two different languages the sentence model reads
    whose sentences align one by one: at least ALIGNED_SHARE of the shorter text's
    sentences have a counterpart at a cosine of ALIGNED or more, in the same order.

    On the comparison set's dev clusters, translations have 0.73 to 1.0 of their sentences
    so aligned, and two independent reports in two languages at most 0.57 (78 pairs):
    independent writers tell the same event in their own sentences and their own order.
    Pairs ``done`` already joins are not compared."""
    langs = [language_code(a.language) for a in articles]
    readable = [k for k, a in enumerate(articles) if langs[k] and reads(encoder, a)]
    vectors: dict[int, np.ndarray] = {}
    out = []
    for x, i in enumerate(readable):
        for j in readable[x + 1 :]:
            if langs[i] == langs[j] or done(i, j):
                continue
            for k in (i, j):
                if k not in vectors:
                    spans = [(s, e) for s, e, *_ in split_spans(articles[k].clean_text)]
                    texts = [articles[k].clean_text[s:e] for s, e in spans]
                    vectors[k] = encoder.encode(texts) if texts else np.zeros((0, 1))
            a, b = (vectors[i], vectors[j])
            if len(a) > len(b):
                a, b = b, a
            if len(a) < MIN_SENTENCES:
                continue
            sims = a @ b.T
            best = sims.argmax(axis=1)[sims.max(axis=1) >= ALIGNED]
            if _increasing(best.tolist()) >= ALIGNED_SHARE * len(a):
                out.append((i, j))
    return out


def _increasing(seq: Sequence[int]) -> int:
    """The length of the longest non-decreasing run (not necessarily contiguous)."""
    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_right(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def source_groups(
    articles: Sequence[Article],
    same_text: float = 0.8,
    contained: float = 0.5,
    in_order: float = 0.7,
    encoder: Encoder | None = None,
) -> dict[str, int]:
    """Each article's source: the index (in ``articles``) of the earliest article it is a
    copy of, directly or through other copies; its own index when it is no copy. With an
    ``encoder`` (the sentence model), translations are also found by aligning sentences
    (:func:`aligned_translations`)."""
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
    # The sentence model tells translations far better than the order of names and figures
    # (which an independent report in another language can share): pairs it reads are left
    # to it.
    pairs += [
        (i, j)
        for i, j in translated_pairs(articles, in_order)
        if encoder is None or not (reads(encoder, articles[i]) and reads(encoder, articles[j]))
    ]

    def join(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for i, j in pairs:
        join(i, j)
    if encoder is not None:
        for i, j in aligned_translations(articles, encoder, lambda i, j: find(i) == find(j)):
            join(i, j)
    return {a.id: find(i) for i, a in enumerate(articles)}
