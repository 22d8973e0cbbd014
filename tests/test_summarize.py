"""The first extractive summarizer: cited, non-redundant, within budget, robust to small input."""

from __future__ import annotations

from newsweave.ingest import IngestOptions, build_article
from newsweave.ingest.text import Metadata
from newsweave.model import Article
from newsweave.pipeline import build_story
from newsweave.summarize.extractive import SummaryOptions, source_groups

OPTIONS = IngestOptions(detect_language=False)

A = (
    "Flood water closed the Lockton ring road on Monday after the river burst its banks. "
    "The council said 30 homes were flooded in the lower town overnight. "
    "Volunteers filled sandbags at the fire station until midnight."
)
B = (
    "The ring road around Lockton was closed on Monday when the river burst its banks after heavy rain. "
    "About 30 homes were flooded, the council said. "
    "A rest centre opened at the school for families who had to leave."
)
C = (
    "Heavy rain sent the river over its banks in Lockton on Monday, closing the ring road. "
    "The council put the number of flooded homes at 45. "
    "Forecasters expect the rain to ease by Wednesday."
)


def _article(body: str, name: str) -> Article:
    return build_article(body, Metadata(title=name), [], path=name, options=OPTIONS, languages=None)


def test_summary_prefers_what_several_sources_say_and_cites_them() -> None:
    story = build_story([_article(A, "a"), _article(B, "b"), _article(C, "c")])
    first = story.summary[0]
    assert "ring road" in first.text
    assert len({c.article_id for c in first.citations}) == 3


def test_support_requires_the_same_figures() -> None:
    story = build_story([_article(A, "a"), _article(B, "b"), _article(C, "c")])
    for s in story.summary:
        for c in s.citations[1:]:
            cited = story.sentences[c.article_id][c.sentence].text
            for number in ("30", "45"):
                if number in s.text:
                    assert number in cited


def test_no_near_duplicates_and_budget_held() -> None:
    copy = _article(A + " Share it.", "copy")
    story = build_story([_article(A, "a"), copy, _article(B, "b")], SummaryOptions(max_sentences=2))
    assert len(story.summary) <= 2
    assert len({s.text for s in story.summary}) == len(story.summary)
    story = build_story([_article(A, "a"), _article(B, "b")], SummaryOptions(max_words=25))
    assert sum(len(s.text.split()) for s in story.summary) <= 25 or len(story.summary) == 1


def test_syndicated_copies_form_one_source_group() -> None:
    a, copy, b = _article(A, "a"), _article(A + " Share it.", "copy"), _article(B, "b")
    groups = source_groups([a, copy, b])
    assert groups[a.id] == groups[copy.id] != groups[b.id]


def test_one_article_story() -> None:
    story = build_story([_article(A, "a")])
    assert 1 <= len(story.summary) <= 3
    assert all(len(s.citations) == 1 for s in story.summary)
