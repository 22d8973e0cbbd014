"""The store's stories: which articles make each one, and how ``newsweave stories`` lists it.

Two writers share one row shape. ``newsweave add`` regroups the whole store
(``replace_all``); a digest saves the stories of its own articles (``save``) and leaves the
rest, taking its articles out of the stories they were in before. A story's id is a hash of
its article ids, so a story that loses articles this way gets a new id. The functions here
run inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from newsweave.group.stories import Group, story_id
from newsweave.model import Duplicate, Story, printable_path


@dataclass(frozen=True, slots=True)
class StoryRow:
    """What the store keeps of a story, from a grouping or from a digested story."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    duplicates: tuple[Duplicate, ...]
    first: date | None
    last: date | None
    shared_names: tuple[str, ...]
    shared_terms: tuple[str, ...]

    @classmethod
    def of(cls, item: Group | Story) -> StoryRow:
        """The row of a grouping (``add``) or of a digested story (its own title)."""
        if isinstance(item, Group):
            return cls(
                story_id(item.article_ids),
                item.title,
                item.article_ids,
                item.duplicates,
                item.first,
                item.last,
                item.shared_names,
                item.shared_terms,
            )
        dated = sorted(a.published for a in item.articles if a.published)
        return cls(
            item.id,
            item.title,
            tuple(a.id for a in item.articles),
            item.duplicates,
            dated[0] if dated else None,
            dated[-1] if dated else None,
            item.shared_names,
            item.shared_terms,
        )


def _json(items: Iterable[str]) -> str:
    """A JSON list of names or terms as ``newsweave stories`` prints them."""
    return json.dumps([printable_path(x) for x in items], ensure_ascii=False)


def _insert(db: sqlite3.Connection, row: StoryRow, now: str) -> None:
    """Write one story, its members and its copies (the members must be in no story)."""
    db.execute(
        """INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET title=excluded.title,
        first_published=excluded.first_published, last_published=excluded.last_published,
        sources=excluded.sources, duplicates=excluded.duplicates,
        shared_names=excluded.shared_names, shared_terms=excluded.shared_terms,
        updated_at=excluded.updated_at""",
        (
            row.id,
            printable_path(row.title),
            row.first.isoformat() if row.first else None,
            row.last.isoformat() if row.last else None,
            len(row.article_ids) - len(row.duplicates),
            len(row.duplicates),
            _json(row.shared_names),
            _json(row.shared_terms),
            now,
        ),
    )
    db.executemany(
        "INSERT INTO story_articles VALUES (?, ?)", [(a, row.id) for a in row.article_ids]
    )
    db.executemany(
        "INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?)",
        [(d.article_id, d.original_id, d.similarity, int(d.exact)) for d in row.duplicates],
    )


def _story_ids(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM stories")}


def replace_all(
    db: sqlite3.Connection, items: Iterable[Group | Story], now: str
) -> tuple[int, int]:
    """Replace every stored story: ``(new or changed, unchanged)``."""
    before = _story_ids(db)
    rows = [StoryRow.of(item) for item in items]
    db.execute("DELETE FROM story_articles")
    db.execute("DELETE FROM duplicates")
    db.execute("DELETE FROM stories")
    for row in rows:
        _insert(db, row, now)
    changed = sum(row.id not in before for row in rows)
    return changed, len(rows) - changed


def save(db: sqlite3.Connection, items: Iterable[Group | Story], now: str) -> tuple[int, int]:
    """Write these stories and leave the others, less the articles these now hold (a story
    left with none is deleted): ``(new or changed, unchanged)``."""
    before = _story_ids(db)
    rows = [StoryRow.of(item) for item in items]
    ids = json.dumps([a for row in rows for a in row.article_ids])
    members = "SELECT value FROM json_each(?)"
    touched = {
        r[0]
        for r in db.execute(
            f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({members})", (ids,)
        )
    }
    db.execute(f"DELETE FROM story_articles WHERE article_id IN ({members})", (ids,))
    # copy links that touch a moved article, from either end, would now cross stories
    db.execute(
        f"DELETE FROM duplicates WHERE article_id IN ({members}) OR original_id IN ({members})",
        (ids, ids),
    )
    for row in rows:
        _insert(db, row, now)
    for old in sorted(touched - {row.id for row in rows}):
        _shrink(db, old, now)
    changed = sum(row.id not in before for row in rows)
    return changed, len(rows) - changed


def _shrink(db: sqlite3.Connection, old: str, now: str) -> None:
    """Describe again a story that lost articles to another: new id, dates and counts (its
    title and shared terms stay); deleted when no article is left."""
    left = [
        r[0] for r in db.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (old,))
    ]
    if not left:
        db.execute("DELETE FROM stories WHERE id = ?", (old,))
        return
    ids = json.dumps(left)
    first, last = db.execute(
        "SELECT min(published), max(published) FROM articles WHERE id IN (SELECT value FROM json_each(?))",
        (ids,),
    ).fetchone()
    copies = db.execute(
        "SELECT count(*) FROM duplicates WHERE article_id IN (SELECT value FROM json_each(?))",
        (ids,),
    ).fetchone()[0]
    new = story_id(left)
    db.execute(
        """INSERT OR REPLACE INTO stories SELECT ?, title, ?, ?, ?, ?, shared_names,
        shared_terms, ? FROM stories WHERE id = ?""",
        (new, first, last, len(left) - copies, copies, now, old),
    )
    if new != old:
        db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (new, old))
        db.execute("DELETE FROM stories WHERE id = ?", (old,))


def read_all(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Stored stories, most sources first, each with its article ids (oldest first)."""
    members: dict[str, list[str]] = {}
    for article_id, sid in db.execute(
        """SELECT s.article_id, s.story_id FROM story_articles s JOIN articles a
        ON a.id = s.article_id ORDER BY a.published IS NULL, a.published, a.id"""
    ):
        members.setdefault(sid, []).append(article_id)
    out = []
    for row in db.execute(
        """SELECT id, title, first_published, last_published, sources, duplicates,
        shared_names, shared_terms FROM stories
        ORDER BY sources + duplicates DESC, first_published IS NULL, first_published, id"""
    ):
        out.append(
            {
                "id": row[0],
                "title": row[1],
                "first_published": row[2],
                "last_published": row[3],
                "sources": row[4],
                "duplicates": row[5],
                "shared_names": json.loads(row[6]),
                "shared_terms": json.loads(row[7]),
                "articles": members.get(row[0], []),
            }
        )
    return out
