"""Sentence segmentation for news text, by rule: fast, offline, and exact about spans.

It copes with what news copy throws at a segmenter: abbreviations and initials ("Dr.",
"U.S.", "J. K."), closing quotes after the full stop, quoted questions followed by their
attribution (``"Why?" she asked``), quotations that run over several sentences (each
sentence knows whether it starts inside an open quotation), headlines and bullet lines
without closing punctuation. Input is an article's clean text, where quotes are already
straight (see :mod:`newsweave.clean.normalize`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from newsweave.model import Article, Sentence

# Abbreviations that never end a sentence (titles, months, "No.", "St.").
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cpt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pvt",
        "gov",
        "sen",
        "rep",
        "pres",
        "supt",
        "det",
        "insp",
        "rev",
        "hon",
        "fr",
        "sra",
        "srta",
        "messrs",
        "mme",
        "mlle",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vol",
        "vols",
        "fig",
        "figs",
        "p",
        "pp",
        "ch",
        "art",
        "para",
        "sec",
        "op",
        "approx",
        "ca",
        "cf",
        "vs",
        "v",
        "est",
        "dept",
        "univ",
        "ave",
        "blvd",
        "rd",
        "hwy",
        "ste",
        "apt",
        "tel",
        "ext",
    ]
)
SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "but",
        "and",
        "so",
        "yet",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "if",
        "as",
        "by",
        "from",
        "with",
        "however",
        "meanwhile",
        "also",
        "one",
        "two",
        "three",
        "some",
        "many",
        "most",
        "officials",
        "police",
    ]
)
BOUNDARY = re.compile(r"[.!?…]+[\"')\]]*(?=\s)")
BULLET = re.compile(r"^\s*(?:[-*•·▪►]|\d{1,2}[.)])\s+")
TERMINAL = (".", "!", "?", "…", '"', "'", ")", ":")


def segment(article: Article) -> tuple[Sentence, ...]:
    """Split an article's clean text into sentences with spans into that text."""
    return tuple(
        Sentence(article.id, i, start, end, article.clean_text[start:end], para, in_quote)
        for i, (start, end, para, in_quote) in enumerate(split_spans(article.clean_text))
    )


def split_spans(text: str) -> Iterator[tuple[int, int, int, bool]]:
    """Yield ``(start, end, paragraph, starts_in_quote)`` for each sentence of ``text``."""
    for para_no, (start, end) in enumerate(_blocks(text)):
        yield from _split_block(text, start, end, para_no)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraphs (blank-line separated); inside one, headline-like and bullet lines stand
    alone, while a hard-wrapped line continues into the next."""
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        lines = list(re.finditer(r"[^\n]+", m.group(0)))
        block_start = m.start() + lines[0].start()
        for k, line in enumerate(lines):
            s = line.group(0).rstrip()
            last = k == len(lines) - 1
            nxt = lines[k + 1].group(0) if not last else ""
            stands_alone = (
                last
                or s.endswith(TERMINAL)
                or BULLET.match(s) is not None
                or BULLET.match(nxt) is not None
                or (len(s.split()) <= 12 and not nxt.lstrip()[:1].islower())
            )
            if stands_alone:
                yield block_start, m.start() + line.start() + len(s)
                if not last:
                    block_start = m.start() + lines[k + 1].start()


def _split_block(
    text: str, start: int, end: int, para_no: int
) -> Iterator[tuple[int, int, int, bool]]:
    block = text[start:end]
    quotes_before = 0
    sent_start = 0
    for m in BOUNDARY.finditer(block):
        cut = m.end()
        if cut <= sent_start or not _is_boundary(block, m.start(), cut):
            continue
        piece = block[sent_start:cut]
        if piece.strip():
            yield _span(start, sent_start, cut, block, para_no, quotes_before)
        quotes_before += piece.count('"')
        sent_start = cut
        while sent_start < len(block) and block[sent_start].isspace():
            sent_start += 1
    if block[sent_start:].strip():
        yield _span(start, sent_start, len(block), block, para_no, quotes_before)


def _span(
    offset: int, s: int, e: int, block: str, para_no: int, quotes_before: int
) -> tuple[int, int, int, bool]:
    while s < e and block[s].isspace():
        s += 1
    while e > s and block[e - 1].isspace():
        e -= 1
    return offset + s, offset + e, para_no, quotes_before % 2 == 1


def _is_boundary(block: str, punct_at: int, cut: int) -> bool:
    """Decide whether the candidate boundary ending at ``cut`` ends a sentence."""
    rest = block[cut:].lstrip()
    if not rest:
        return True
    nxt = rest[0]
    if nxt in "\"'([":
        nxt = rest[1:2] or "x"
    if not (nxt.isupper() or nxt.isdigit()):
        return False
    if block[punct_at] != ".":
        return True
    word = _word_before(block, punct_at)
    low = word.lower().rstrip(".")
    if not low:
        return True
    following = rest.split(maxsplit=1)[0].strip("\"'([").lower() if rest.split() else ""
    if low in TITLES:
        return False
    if len(low) == 1 and low.isalpha():
        return False  # an initial: "J. Smith"
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", low):
        return following in SENTENCE_STARTERS  # "U.S." ends a sentence only before "The"
    # Other words, and abbreviations that can close a sentence ("Inc.", "etc."), end one
    # when a capitalised word follows.
    return True


def _word_before(block: str, i: int) -> str:
    j = i
    while j > 0 and not block[j - 1].isspace() and block[j - 1] not in "\"'([":
        j -= 1
    return block[j:i]


def sentence_at(sentences: Sequence[Sentence], starts: Sequence[int], offset: int) -> Sentence:
    """The sentence holding character ``offset`` of its article's clean text (the nearest
    before it, in a gap). ``starts`` is ``[s.start for s in sentences]``, computed once."""
    return sentences[max(bisect_right(starts, offset) - 1, 0)]
