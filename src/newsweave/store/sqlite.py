"""The embedded store: one SQLite file with a schema version and named migrations.

Articles are keyed by their content hash, so ingesting the same files twice adds nothing.
Each article is written in its own transaction: a run that is interrupted leaves no
half-written article, and the next run picks up where it stopped. Schema changes are new
migrations appended to ``MIGRATIONS``, never edits of old ones.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from newsweave.errors import StoreError
from newsweave.group.duplicates import Fingerprint
from newsweave.group.stories import FEATURES_VERSION, Features, Group, story_id
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


MIGRATIONS: list[tuple[str, Migration]] = [
    ("m001_create_tables", m001_create_tables),
    ("m002_stories", m002_stories),
    ("m003_embeddings", m003_embeddings),
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

    # -- sentence embeddings ---------------------------------------------------------------

    def embeddings(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``model`` for these text hashes (the ones that are there)."""
        found: dict[str, np.ndarray] = {}
        for lo in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = list(keys[lo : lo + 500])
            marks = ",".join("?" * len(chunk))
            cur = self.db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                (model, *chunk),
            )
            for key, blob in cur:
                found[key] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return found

    def add_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Keep vectors of ``model`` by text hash, all in one transaction."""
        rows = [(k, model, v.astype("<f4").tobytes()) for k, v in vectors.items()]
        with self._transaction():
            self.db.executemany("INSERT OR IGNORE INTO embeddings VALUES (?, ?, ?)", rows)

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
        yield from self._articles("", ())

    def _articles(self, where: str, params: tuple[object, ...]) -> Iterator[Article]:
        cur = self.db.execute(
            """SELECT id, path, url, outlet, title, author, published, language,
            original_text, clean_text, removed, offsets, notes FROM articles """
            + where
            + " ORDER BY published IS NULL, published, id",
            params,
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

    def article(self, article_id: str) -> Article | None:
        """One stored article by id."""
        return next(self._articles("WHERE id = ?", (article_id,)), None)

    # -- stories ---------------------------------------------------------------------------

    def unfingerprinted(self) -> Iterator[Article]:
        """Stored articles whose grouping fingerprint is not computed yet, or whose term
        vector was made by another version of ``features`` (computed again)."""
        yield from self._articles(
            """WHERE id NOT IN (SELECT article_id FROM fingerprints
            WHERE json_extract(features, '$.v') IS ?)""",
            (FEATURES_VERSION,),
        )

    def add_fingerprints(self, items: Iterable[tuple[Fingerprint, Features]]) -> int:
        """Keep fingerprints and features, replacing stale ones (all in one transaction);
        how many were written."""
        rows = [
            (
                fp.article_id,
                fp.exact,
                fp.digest.astype("<u4").tobytes(),
                fp.size,
                json.dumps(
                    {"v": FEATURES_VERSION, "terms": f.terms, "names": f.names, "title": f.title},
                    ensure_ascii=False,
                ),
            )
            for fp, f in items
        ]
        with self._transaction():
            cur = self.db.executemany(
                "INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?, ?)", rows
            )
        return cur.rowcount

    def fingerprints(self) -> tuple[list[Fingerprint], list[Features]]:
        """Every stored fingerprint and feature vector (no text is read or re-analysed)."""
        fps: list[Fingerprint] = []
        feats: list[Features] = []
        cur = self.db.execute(
            """SELECT f.article_id, a.published, f.exact, f.minhash, f.shingles, f.features
            FROM fingerprints f JOIN articles a ON a.id = f.article_id ORDER BY f.article_id"""
        )
        for article_id, published, exact, blob, size, raw in cur:
            day = date.fromisoformat(published) if published else None
            digest = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
            fps.append(Fingerprint(article_id, day, exact, digest, int(size)))
            d = json.loads(raw)
            terms = tuple((str(t), float(w)) for t, w in d["terms"])
            feats.append(Features(article_id, day, terms, tuple(d["names"]), d["title"]))
        return fps, feats

    def replace_stories(self, groups: Sequence[Group]) -> tuple[int, int]:
        """Write the stories in one transaction: ``(new or changed, unchanged)``."""
        before = {row[0] for row in self.db.execute("SELECT id FROM stories")}
        now = _now()
        changed = 0
        with self._transaction():
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("DELETE FROM duplicates")
            self.db.execute("DELETE FROM stories")
            for g in groups:
                sid = story_id(g.article_ids)
                changed += sid not in before
                self.db.execute(
                    "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        sid,
                        g.title,
                        g.first.isoformat() if g.first else None,
                        g.last.isoformat() if g.last else None,
                        len(g.article_ids) - len(g.duplicates),
                        len(g.duplicates),
                        json.dumps(g.shared_names, ensure_ascii=False),
                        json.dumps(g.shared_terms, ensure_ascii=False),
                        now,
                    ),
                )
                self.db.executemany(
                    "INSERT INTO story_articles VALUES (?, ?)",
                    [(a, sid) for a in g.article_ids],
                )
                self.db.executemany(
                    "INSERT INTO duplicates VALUES (?, ?, ?, ?)",
                    [
                        (d.article_id, d.original_id, d.similarity, int(d.exact))
                        for d in g.duplicates
                    ],
                )
        return changed, len(groups) - changed

    def stories(self) -> list[dict[str, Any]]:
        """Stored stories, most sources first, each with its article ids."""
        members: dict[str, list[str]] = {}
        for article_id, sid in self.db.execute(
            """SELECT s.article_id, s.story_id FROM story_articles s JOIN articles a
            ON a.id = s.article_id ORDER BY a.published IS NULL, a.published, a.id"""
        ):
            members.setdefault(sid, []).append(article_id)
        out = []
        for row in self.db.execute(
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
