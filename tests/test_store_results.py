"""A finished story's analysis round-trips through ``Story.to_dict``/``from_dict`` and the
store's ``story_results`` table, so an interrupted digest can resume without redoing it."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newsweave.analyze.annotate import Annotator
from newsweave.analyze.nlp import NlpUnavailable
from newsweave.ingest import Ingestor
from newsweave.model import Article, Duplicate, Story
from newsweave.pipeline import build_story
from newsweave.store import Store


@pytest.fixture(scope="module")
def seeds_story(seeds_dir: Path, ingestor: Ingestor) -> Iterator[Story]:
    """The story of the three seed articles, with entities and quotes when the spaCy model
    is installed."""
    articles = [a for a in ingestor.ingest([str(seeds_dir)]) if isinstance(a, Article)]
    assert len(articles) == 3
    try:
        annotator: Annotator | None = Annotator(jobs=1)
    except NlpUnavailable:
        annotator = None
    try:
        story = build_story(articles, annotator=annotator)
        assert annotator is None or (story.entities and story.quotes)
        yield story
    finally:
        if annotator is not None:
            annotator.close()


def test_story_round_trips_through_its_dict(seeds_story: Story) -> None:
    story = seeds_story
    assert story.summary and story.timeline and story.sentences
    assert any(a.removed for a in story.articles)  # cleaning took something out
    # with a copy, a rewritten sentence and an unrounded float, nothing is left untested
    copy = Duplicate(story.articles[1].id, story.articles[0].id, 0.123456789, False)
    rewritten = replace(story.summary[0], generated=True, problems=("number 3 not in sources",))
    story = replace(story, duplicates=(copy,), rewritten=(rewritten,), notes=("a note",))
    d = story.to_dict()
    assert Story.from_dict(d) == story
    assert Story.from_dict(json.loads(json.dumps(d))) == story


def test_story_result_is_kept_and_read_back(tmp_path: Path, seeds_story: Story) -> None:
    db = tmp_path / "n.db"
    with Store(db) as store:
        assert store.story_result("k1") is None
        store.add_story_result("k1", seeds_story)
        store.add_story_result("k1", seeds_story)  # written over, not twice
        assert store.db.execute("SELECT count(*) FROM story_results").fetchone()[0] == 1
    with Store(db) as store:
        assert store.story_result("k1") == seeds_story
        assert store.story_result("k2") is None
        (size,) = store.db.execute("SELECT length(data) FROM story_results").fetchone()
        assert size < len(json.dumps(seeds_story.to_dict())) / 2  # compressed


def test_unreadable_result_is_a_miss(tmp_path: Path, seeds_story: Story) -> None:
    with Store(tmp_path / "n.db") as store:
        store.add_story_result("damaged", seeds_story)
        store.add_story_result("other shape", seeds_story)
        store.db.execute("UPDATE story_results SET data = x'00ff' WHERE key = 'damaged'")
        store.db.execute(
            "UPDATE story_results SET data = ? WHERE key = 'other shape'",
            (zlib.compress(b'{"id": "x"}'),),
        )
        assert store.story_result("damaged") is None
        assert store.story_result("other shape") is None


def test_story_with_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    text = "The ferry ran late on Monday."
    article = Article("a1", text, text, path="/news/caf\udcff.txt", title="Caf\udcff")
    story = Story("s1", "Caf\udcff ferry", (article,), {"a1": ()})
    with Store(tmp_path / "n.db") as store:
        store.add_story_result("key\udcff", story)
        assert store.story_result("key\udcff") == story
