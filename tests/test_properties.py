"""Invariants that must hold for any input (Hypothesis)."""

from __future__ import annotations

import io
import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Skipped
from newsweave.pipeline import build_story

INGESTOR = Ingestor(IngestOptions(detect_language=False, min_words=1))
WORDS = [
    "the",
    "canal",
    "festival",
    "lock",
    "boats",
    "keeper",
    "said",
    "Lockton",
    "Saturday",
    "9,000",
    "people",
    "gates",
    "river",
]
PIECES = [
    *WORDS,
    ". ",
    "? ",
    "! ",
    '"',
    "“",
    "”",
    "'",
    "’",
    "\n",
    "\n\n",
    "  ",
    "Dr. ",
    "U.S. ",
    "Photo: Ana Mol",
    "Advertisement",
    "<p>",
    "</p>",
    "{",
    "}",
    "date 2031-01-02 ",
    "title: ",
    "By Ida Brenn",
    "·3-min read",
    "\u00a0",
    "\u200b",
    "``",
    "''",
    "- ",
]
newsy_text = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_ingestion_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    items = list(INGESTOR.ingest(["-"], stdin=io.BytesIO(data)))
    assert len(items) >= 1
    assert all(isinstance(i, Article | Skipped) for i in items)


@settings(max_examples=100, deadline=None)
@given(newsy_text)
@example("date 2031-01-02 . \nthe")  # a header line with trailing space once broke a removal span
def test_ingestion_never_raises_on_newsy_text(text: str) -> None:
    items = list(INGESTOR.ingest(["-"], stdin=io.BytesIO(text.encode())))
    for item in items:
        if isinstance(item, Article):
            for r in item.removed:
                assert item.original_text[r.start : r.end] == r.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(newsy_text, min_size=1, max_size=4), st.integers(0, 2**32 - 1))
def test_citation_spans_lie_inside_their_source_text(texts: list[str], seed: int) -> None:
    articles = []
    for text in texts:
        articles += [
            i
            for i in INGESTOR.ingest(["-"], stdin=io.BytesIO(text.encode()))
            if isinstance(i, Article)
        ]
    if not articles:
        return
    random.Random(seed).shuffle(articles)
    story = build_story(articles)
    texts_by_id = {a.id: a.clean_text for a in story.articles}
    for sentences in story.sentences.values():
        for s in sentences:
            assert texts_by_id[s.article_id][s.start : s.end] == s.text
    for summary_sentence in story.summary:
        for c in summary_sentence.citations:
            source = texts_by_id[c.article_id]
            assert 0 <= c.start < c.end <= len(source)
            assert source[c.start : c.end] == story.sentences[c.article_id][c.sentence].text
