"""Saving a digest's stories: its articles move into them, other stories stay (less those
articles), and ``stories()`` lists them with their titles, dates and counts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from newsweave.group.stories import Group, story_id
from newsweave.model import Article, Duplicate, Story, content_id
from newsweave.store import Store


def _article(name: str, day: int) -> Article:
    text = f"{name}: the harbour board met on day {day} and voted on the new pier."
    return Article(
        id=content_id(text, title=name, outlet=name, url=None),
        original_text=text,
        clean_text=text,
        title=name,
        outlet=name,
        published=date(2024, 3, day),
    )


def _group(articles: list[Article], title: str, copies: tuple[Duplicate, ...] = ()) -> Group:
    days = sorted(a.published for a in articles if a.published)
    return Group(
        tuple(a.id for a in articles),
        copies,
        ("pier",),
        ("Harbour Board",),
        title,
        days[0],
        days[-1],
    )


@pytest.fixture
def five(tmp_path: Path) -> Iterator[tuple[Store, list[Article]]]:
    articles = [_article(name, day) for day, name in enumerate("ABCDE", start=1)]
    with Store(tmp_path / "n.db") as store:
        for a in articles:
            store.add_article(a)
        yield store, articles


def _by_members(store: Store) -> dict[tuple[str, ...], dict[str, object]]:
    return {tuple(sorted(s["articles"])): s for s in store.stories()}


def test_digest_stories_are_listed(five: tuple[Store, list[Article]]) -> None:
    store, (_, b, c, d, _) = five
    story = Story(story_id([b.id, c.id]), "Pier vote", (b, c), {})
    assert store.save_stories([story, _group([d], "Day four")]) == (2, 0)
    listed = store.stories()
    assert [s["title"] for s in listed] == ["Pier vote", "Day four"]
    first = listed[0]
    assert first["id"] == story.id
    assert first["articles"] == [b.id, c.id]
    assert (first["first_published"], first["last_published"]) == ("2024-03-02", "2024-03-03")
    assert (first["sources"], first["duplicates"]) == (2, 0)
    assert first["shared_terms"] == [] and listed[1]["shared_terms"] == ["pier"]
    assert store.save_stories([story]) == (0, 1)  # the same story again: unchanged
    assert store.check() == []


def test_articles_move_out_of_other_stories(five: tuple[Store, list[Article]]) -> None:
    store, (a, b, c, d, e) = five
    copy = Duplicate(c.id, a.id, 0.9, False)
    store.replace_stories([_group([a, b, c], "Old ABC", (copy,)), _group([d, e], "Old DE")])
    store.save_stories([_group([c, d], "New CD")])
    stories = _by_members(store)
    assert set(stories) == {
        tuple(sorted([a.id, b.id])),
        tuple(sorted([c.id, d.id])),
        (e.id,),
    }
    ab = stories[tuple(sorted([a.id, b.id]))]
    assert ab["id"] == story_id([a.id, b.id])  # the id follows the members
    assert ab["title"] == "Old ABC"
    assert (ab["sources"], ab["duplicates"]) == (2, 0)  # the copy moved away with c
    assert (ab["first_published"], ab["last_published"]) == ("2024-03-01", "2024-03-02")
    rest = stories[(e.id,)]
    assert (rest["first_published"], rest["last_published"]) == ("2024-03-05", "2024-03-05")
    assert store.db.execute("SELECT count(*) FROM duplicates").fetchone()[0] == 0
    assert store.check() == []

    # e's old story is left empty: it is deleted, and e's new one takes its id
    store.save_stories([_group([a, b, e], "New ABE")])
    stories = _by_members(store)
    assert set(stories) == {tuple(sorted([a.id, b.id, e.id])), tuple(sorted([c.id, d.id]))}
    assert store.db.execute("SELECT count(*) FROM stories").fetchone()[0] == 2
    assert store.check() == []


def test_copies_are_kept_with_their_story(five: tuple[Store, list[Article]]) -> None:
    store, (a, b, *_) = five
    copy = Duplicate(b.id, a.id, 0.95, True)
    store.save_stories([_group([a, b], "AB", (copy,))])
    (only,) = store.stories()
    assert (only["sources"], only["duplicates"]) == (1, 1)
    rows = store.db.execute("SELECT article_id, original_id, exact FROM duplicates").fetchall()
    assert rows == [(b.id, a.id, 1)]


def test_a_failed_save_changes_nothing(five: tuple[Store, list[Article]]) -> None:
    store, (a, b, c, d, _) = five
    store.replace_stories([_group([a, b, c], "ABC")])
    before = store.stories()
    ghost = _article("Z", 9)  # never stored
    with pytest.raises(sqlite3.IntegrityError):
        store.save_stories([_group([c, d], "CD"), _group([ghost], "ghost")])
    assert store.stories() == before
