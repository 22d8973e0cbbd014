"""End to end on the bundled fictional cluster (examples/port-alder-fire, see examples/README.md)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EXAMPLES
from newsweave.ingest import Ingestor
from newsweave.model import Article, Report
from newsweave.pipeline import digest


@pytest.fixture(scope="module")
def report(ingestor: Ingestor) -> Report:
    return digest([str(EXAMPLES)], ingestor=ingestor)


def _by_outlet(report: Report) -> dict[str | None, Article]:
    return {a.outlet: a for a in report.stories[0].articles}


def test_all_five_articles_go_in(report: Report) -> None:
    assert not report.skipped
    assert len(report.stories) == 1
    assert len(report.stories[0].articles) == 5


@pytest.mark.parametrize(
    ("outlet", "title", "author", "published"),
    [
        (
            "Alder Gazette",
            "Fire Rips Through Fertiliser Warehouse on Port Alder Quay",
            "Mara Quillon",
            date(2026, 3, 10),
        ),
        (
            "Coastline News",
            "Overnight Blaze Destroys Port Alder Fertiliser Warehouse",
            "Devin Arkwright",
            None,
        ),
        (
            "Regional Press Wire",
            "Firefighters battle blaze at fertiliser warehouse in Port Alder",
            "Jonah Wexby",
            date(2026, 3, 10),
        ),
        (
            "Harbour Daily",
            "Homes evacuated as fire engulfs Port Alder fertiliser store",
            "Jonah Wexby",
            date(2026, 3, 11),
        ),
        (
            "The Beacon",
            "Port Alder warehouse fire: crews fought through the night to save Quay Row",
            "Oskar Penhallow",
            date(2026, 3, 11),
        ),
    ],
)
def test_metadata(
    report: Report, outlet: str, title: str, author: str, published: date | None
) -> None:
    article = _by_outlet(report)[outlet]
    assert (article.title, article.author, article.published) == (title, author, published)
    assert article.language == "en"


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Sign up to our morning newsletter",
        "Follow us on Facebook",
        "Photo: Tomas Reyl",
        "4-min read",
        "From Coastline News",
        "Picture: Harbourlight",
        "You Might Also Like",
        "Kelling Bridge Bakery",
        "Share this article",
        "Spotted an error",
        "(Coastline News) -",
    ],
)
def test_boilerplate_is_gone_from_every_clean_text(report: Report, line: str) -> None:
    for article in report.stories[0].articles:
        assert line not in article.clean_text, (article.outlet, line)


def test_summary_is_cited_and_not_redundant(report: Report) -> None:
    story = report.stories[0]
    assert 3 <= len(story.summary) <= 5
    texts = [s.text for s in story.summary]
    assert len(set(texts)) == len(texts)
    for s in story.summary:
        own = s.citations[0]
        sentence = story.sentences[own.article_id][own.sentence]
        assert sentence.text == s.text
        for c in s.citations:
            cited = story.sentences[c.article_id][c.sentence]
            article = next(a for a in story.articles if a.id == c.article_id)
            assert article.clean_text[c.start : c.end] == cited.text


def test_summary_sentences_are_backed_by_several_outlets(report: Report) -> None:
    story = report.stories[0]
    outlets = {a.id: a.outlet for a in story.articles}
    backed = [len({outlets[c.article_id] for c in s.citations}) for s in story.summary]
    assert max(backed) >= 3
