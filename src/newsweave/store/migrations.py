"""The store's schema: named migrations, applied in order, each once.

A schema change is a new migration appended to ``MIGRATIONS``, never an edit of an old one;
each runs inside the transaction that records it in ``_migrations``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run a migration's statements one by one, inside the caller's transaction
    (``executescript`` would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def m001_create_tables(db: sqlite3.Connection) -> None:
    """Articles, the runs that wrote them, and the inputs each run skipped."""
    _run_script(
        db,
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            path TEXT,
            url TEXT,
            outlet TEXT,
            title TEXT,
            author TEXT,
            published TEXT,
            language TEXT,
            original_text TEXT NOT NULL,
            clean_text TEXT NOT NULL,
            removed TEXT NOT NULL,
            offsets TEXT NOT NULL,
            notes TEXT NOT NULL,
            first_run INTEGER REFERENCES runs(id),
            added_at TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            articles_added INTEGER NOT NULL DEFAULT 0,
            articles_seen INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE skipped (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            path TEXT NOT NULL,
            reason TEXT NOT NULL
        );
        """,
    )


def m002_stories(db: sqlite3.Connection) -> None:
    """Per-article grouping fingerprints (computed once), the stories and the copies."""
    _run_script(
        db,
        """
        CREATE TABLE fingerprints (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            exact TEXT NOT NULL,
            minhash BLOB NOT NULL,
            shingles INTEGER NOT NULL,
            features TEXT NOT NULL
        );
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            first_published TEXT,
            last_published TEXT,
            sources INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            shared_names TEXT NOT NULL,
            shared_terms TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            story_id TEXT NOT NULL REFERENCES stories(id)
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        CREATE TABLE duplicates (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            original_id TEXT NOT NULL REFERENCES articles(id),
            similarity REAL NOT NULL,
            exact INTEGER NOT NULL
        );
        """,
    )


def m003_embeddings(db: sqlite3.Connection) -> None:
    """Sentence embeddings, computed once per distinct sentence text and model."""
    _run_script(
        db,
        """
        CREATE TABLE embeddings (
            text_hash TEXT NOT NULL,
            model TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (text_hash, model)
        ) WITHOUT ROWID;
        """,
    )


def m004_story_results(db: sqlite3.Connection) -> None:
    """A finished story's analysis, keyed by what it was computed from, so an interrupted
    digest resumes without redoing it (zlib-compressed JSON of ``Story.to_dict``)."""
    _run_script(
        db,
        """
        CREATE TABLE story_results (
            key TEXT PRIMARY KEY,
            story_id TEXT NOT NULL,
            data BLOB NOT NULL,
            added_at TEXT NOT NULL
        );
        """,
    )


MIGRATIONS: list[tuple[str, Migration]] = [
    ("m001_create_tables", m001_create_tables),
    ("m002_stories", m002_stories),
    ("m003_embeddings", m003_embeddings),
    ("m004_story_results", m004_story_results),
]
SCHEMA_VERSION = len(MIGRATIONS)
