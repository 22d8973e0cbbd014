"""The embedded store: one SQLite file with a schema version and named migrations.

Articles are keyed by their content hash, so ingesting the same files twice adds nothing.
Each article is written in its own transaction: a run that is interrupted leaves no
half-written article, and the next run picks up where it stopped. Schema changes are new
migrations appended to ``MIGRATIONS``, never edits of old ones.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from newsweave.errors import StoreError
from newsweave.model import Article, Skipped

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


MIGRATIONS: list[tuple[str, Migration]] = [
    ("m001_create_tables", m001_create_tables),
]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """An open newsweave database. Use as a context manager, or call ``close``."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self.run_id: int | None = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- schema ----------------------------------------------------------------------------

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in self.db.execute("SELECT name FROM _migrations")}
        unknown = done - {name for name, _ in MIGRATIONS}
        if unknown:
            raise StoreError(
                f"the store {self.path} was written by a newer newsweave "
                f"(unknown migrations: {', '.join(sorted(unknown))}); upgrade newsweave"
            )
        for name, migrate in MIGRATIONS:
            if name in done:
                continue
            with self._transaction():
                migrate(self.db)
                self.db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # -- runs ------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        with self._transaction():
            cur = self.db.execute(
                "INSERT INTO runs (command, started_at) VALUES (?, ?)", (command, _now())
            )
        self.run_id = int(cur.lastrowid or 0)
        return self.run_id

    def finish_run(self, seen: int, added: int) -> None:
        with self._transaction():
            self.db.execute(
                "UPDATE runs SET finished_at=?, articles_seen=?, articles_added=? WHERE id=?",
                (_now(), seen, added, self.run_id),
            )

    # -- articles --------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store an article in one transaction; False when it was already there."""
        d = article.to_dict()
        with self._transaction():
            cur = self.db.execute(
                """INSERT OR IGNORE INTO articles (id, path, url, outlet, title, author,
                published, language, original_text, clean_text, removed, offsets, notes,
                first_run, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    d["id"],
                    d["path"],
                    d["url"],
                    d["outlet"],
                    d["title"],
                    d["author"],
                    d["published"],
                    d["language"],
                    d["original_text"],
                    d["clean_text"],
                    json.dumps(d["removed"]),
                    json.dumps(d["offsets"]),
                    json.dumps(d["notes"]),
                    self.run_id,
                    _now(),
                ),
            )
        return cur.rowcount == 1

    def add_skipped(self, skipped: Skipped) -> None:
        if self.run_id is None:
            return
        with self._transaction():
            self.db.execute(
                "INSERT INTO skipped (run_id, path, reason) VALUES (?, ?, ?)",
                (self.run_id, skipped.path, skipped.reason),
            )

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def articles(self) -> Iterator[Article]:
        """Every stored article, oldest publication first."""
        cur = self.db.execute(
            """SELECT id, path, url, outlet, title, author, published, language,
            original_text, clean_text, removed, offsets, notes FROM articles
            ORDER BY published IS NULL, published, id"""
        )
        for row in cur:
            yield Article.from_dict(
                {
                    "id": row[0],
                    "path": row[1],
                    "url": row[2],
                    "outlet": row[3],
                    "title": row[4],
                    "author": row[5],
                    "published": row[6],
                    "language": row[7],
                    "original_text": row[8],
                    "clean_text": row[9],
                    "removed": json.loads(row[10]),
                    "offsets": json.loads(row[11]),
                    "notes": json.loads(row[12]),
                }
            )


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (Ctrl-C included)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
