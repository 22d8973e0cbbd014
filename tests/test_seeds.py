"""End to end on the three real seed articles in ../shared/seeds (skipped without them)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from newsweave.ingest import Ingestor
from newsweave.model import Report
from newsweave.pipeline import digest

CREDIT = re.compile(r"\b(?:picture|photo(?: credit)?)\s*:", re.I)
PROMO = re.compile(r"subscribe|sign up|newsletter|you might also like|min read", re.I)


@pytest.fixture(scope="module")
def report(seeds_dir: Path, ingestor: Ingestor) -> Report:
    return digest([str(seeds_dir)], ingestor=ingestor)


def test_three_sources(report: Report) -> None:
    assert not report.skipped
    assert len(report.stories) == 1
    assert len(report.stories[0].articles) == 3


def test_published_date_where_the_text_gives_one(report: Report) -> None:
    dated = [a.published for a in report.stories[0].articles if a.published]
    assert date(2020, 11, 2) in dated


def test_outlet_where_the_text_names_one(report: Report) -> None:
    outlets = {a.outlet for a in report.stories[0].articles}
    assert "Cosmopolitan" in outlets
    assert not {"Getty", "Getty Images", "Instagram", "Twitter"} & outlets


def test_author_from_the_byline(report: Report) -> None:
    assert "Jennifer Savin" in {a.author for a in report.stories[0].articles}


def test_no_credit_or_promo_in_clean_text_or_summary(report: Report) -> None:
    story = report.stories[0]
    for article in story.articles:
        assert not CREDIT.search(article.clean_text), article.path
        assert not PROMO.search(article.clean_text), article.path
    for s in story.summary:
        assert not CREDIT.search(s.text) and not PROMO.search(s.text)


def test_every_citation_resolves_to_a_sentence_containing_the_cited_text(report: Report) -> None:
    story = report.stories[0]
    assert story.summary
    texts = {a.id: a.clean_text for a in story.articles}
    for s in story.summary:
        for c in s.citations:
            sentence = story.sentences[c.article_id][c.sentence]
            assert (sentence.start, sentence.end) == (c.start, c.end)
            assert texts[c.article_id][c.start : c.end] == sentence.text
        first = s.citations[0]
        assert s.text in story.sentences[first.article_id][first.sentence].text


def test_clean_offsets_map_to_the_original_text(report: Report) -> None:
    for article in report.stories[0].articles:
        for word in re.finditer(r"[A-Za-z]{4,}", article.clean_text):
            j = article.offsets.to_original(word.start())
            assert article.original_text[j : j + len(word.group())] == word.group()


def test_the_misspelt_name_in_a_photo_caption_is_chrissy_teigen(report: Report) -> None:
    (story,) = report.stories
    (teigen,) = [e for e in story.entities if e.name == "Chrissy Teigen"]
    assert "Chrissy Tiegen" in teigen.variants
    assert any(c.caption for c in teigen.mentions)


def test_the_blood_donation_is_agreed_by_the_two_outlets_that_report_it(report: Report) -> None:
    (story,) = report.stories
    agreed = [f for f in story.facts if f.support >= 2 and "blood" in f.text]
    assert agreed
    assert len({c.article_id for c in agreed[0].citations}) >= 2
