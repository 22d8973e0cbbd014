"""Names across sources: a surname alone, a title before it, an acronym or a ticker join
the one full name of the story they stand for."""

from __future__ import annotations

from datetime import date

import pytest

from newsweave.analyze.annotate import Annotator
from newsweave.ingest import IngestOptions, build_article
from newsweave.ingest.text import Metadata
from newsweave.model import Article
from newsweave.pipeline import build_story


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    a = Annotator(jobs=1)
    yield a
    a.close()


def _article(body: str, name: str) -> Article:
    meta = Metadata(title=name, outlet=name, published=date(2025, 1, 5), language="en")
    options = IngestOptions(detect_language=False)
    return build_article(body, meta, [], path=name, options=options, languages=None)


def _variants(annotator: Annotator, *bodies: str) -> dict[str, set[str]]:
    articles = [_article(b, f"outlet{i}") for i, b in enumerate(bodies)]
    story = build_story(articles, annotator=annotator)
    return {e.name: set(e.variants) for e in story.entities}


def test_a_surname_alone_and_with_a_title_join_the_full_name(annotator: Annotator) -> None:
    found = _variants(
        annotator,
        '"This is a significant landslip," said Derek Amory of East Carrow Council. '
        "Detective Inspector Rhys Tremayne said inquiries were continuing.",
        "Mr Amory said the road would stay shut for months. DI Tremayne appealed for witnesses.",
    )
    assert "Amory" in found["Derek Amory"]
    assert "Tremayne" in found["Rhys Tremayne"]


def test_two_people_with_one_surname_keep_it_apart(annotator: Annotator) -> None:
    found = _variants(
        annotator,
        "Anna Lindqvist and Peter Lindqvist opened the bakery on Mill Street in March.",
        "Lindqvist said the queues had surprised everyone in the family.",
    )
    assert not any("Lindqvist" in v for v in found.values())


def test_an_acronym_and_a_ticker_join_the_name_they_stand_for(annotator: Annotator) -> None:
    found = _variants(
        annotator,
        "Shares in Meridane Therapeutics (MRDN) rose. The Civil Defence Authority said 112 "
        "people had died.",
        "MRDN closed 18% higher. The CDA said rescue teams from nine countries had arrived.",
    )
    merged = {v for vs in found.values() for v in vs}
    assert "MRDN" in merged and "CDA" in merged


def test_no_name_runs_across_a_line_break(annotator: Annotator) -> None:
    article = _article(
        "Radio Calder | News\n\nPolice Scotland said the road was closed.\n\n"
        "John Smith, the mayor, said it would reopen.\n",
        "outlet",
    )
    story = build_story([article], annotator=annotator)
    spans = [article.clean_text[m.start : m.end] for e in story.entities for m in e.mentions]
    assert "Police Scotland" in spans
    assert not any("\n" in s for s in spans)
