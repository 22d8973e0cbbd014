"""The embedded store: one SQLite file with a schema version and named migrations.

Articles are keyed by their content hash, so ingesting the same files twice adds nothing.
Each article is written in its own transaction: a run that is interrupted leaves no
half-written article, and the next run picks up where it stopped. Schema changes are new
migrations appended to ``MIGRATIONS``, never edits of old ones.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from newsweave.errors import StoreError
from newsweave.group.duplicates import Fingerprint
from newsweave.group.stories import FEATURES_VERSION, Features, Group
from newsweave.model import Article, Skipped, Story, printable_path
from newsweave.store import integrity
from newsweave.store import stories as story_rows
from newsweave.store.migrations import MIGRATIONS, SCHEMA_VERSION


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """An open newsweave database. Use as a context manager, or call ``close``.

    Opening runs SQLite's ``quick_check`` and refuses a damaged file with a ``StoreError``
    that says what is wrong (nothing is written to it, not even a migration). With
    ``verify=False`` the file is opened as found, neither checked nor migrated, for
    :meth:`check` to say what is wrong with it.
    """

    def __init__(self, path: str | Path, *, verify: bool = True) -> None:
        self.path = str(path)
        self.run_id: int | None = None
        shown = printable_path(self.path)
        if not verify and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"there is no store at {shown}")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store {shown}: {exc}") from exc
        if not verify:
            return
        try:
            # before anything is written
            damage = integrity.problems(self.db, full=False, mmap=True)
            if damage:
                raise StoreError(integrity.damaged_message(shown, damage))
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.Error as exc:
            self.db.close()
            if integrity.is_damage(exc):
                raise StoreError(integrity.damaged_message(shown, [str(exc)])) from exc
            raise StoreError(f"cannot open the store {shown}: {exc}") from exc
        except StoreError:
            self.db.close()
            raise

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
        """Close the connection (SQLite folds the write-ahead log into the file)."""
        self.db.close()

    def check(self, full: bool = True) -> list[str]:
        """What is wrong with the file, one problem a line (empty when it is sound):
        ``integrity_check`` and foreign keys, or with ``full=False`` the open-time
        ``quick_check``; a ``StoreError`` when the file cannot be checked at all."""
        try:
            return integrity.problems(self.db, full=full)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot check the store {printable_path(self.path)}: {exc}") from exc

    # -- schema ----------------------------------------------------------------------------

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in self.db.execute("SELECT name FROM _migrations")}
        unknown = done - {name for name, _ in MIGRATIONS}
        if unknown:
            raise StoreError(
                f"the store {printable_path(self.path)} was written by a newer newsweave "
                f"(unknown migrations: {', '.join(sorted(unknown))}); upgrade newsweave"
            )
        for name, migrate in MIGRATIONS:
            if name in done:
                continue
            with self._transaction():
                migrate(self.db)
                self.db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
        if self.schema_version != SCHEMA_VERSION:
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        """The number of migrations this file has (SQLite's ``user_version``)."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # -- runs ------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        """Record the start of a run of ``command``; its id."""
        with self._transaction():
            cur = self.db.execute(
                "INSERT INTO runs (command, started_at) VALUES (?, ?)",
                (printable_path(command), _now()),
            )
        self.run_id = int(cur.lastrowid or 0)
        return self.run_id

    def finish_run(self, seen: int, added: int) -> None:
        """Record the end of this run and what it saw and added."""
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
        # A path from a file name that is not UTF-8 holds lone surrogates, which SQLite
        # refuses: they are kept as escapes. Texts are decoded with replacement characters,
        # so theirs stay as they are (an escape would shift the offsets).
        d = {
            k: printable_path(v) if isinstance(v, str) else v for k, v in article.to_dict().items()
        }
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
        """Record an input this run skipped, and why (nothing outside a run)."""
        if self.run_id is None:
            return
        with self._transaction():
            self.db.execute(
                "INSERT INTO skipped (run_id, path, reason) VALUES (?, ?, ?)",
                (self.run_id, printable_path(skipped.path), printable_path(skipped.reason)),
            )

    def count_articles(self) -> int:
        """How many articles the store holds."""
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
                _json_text(
                    {"v": FEATURES_VERSION, "terms": f.terms, "names": f.names, "title": f.title}
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
        with self._transaction():
            return story_rows.replace_all(self.db, groups, _now())

    def save_stories(self, items: Sequence[Group | Story]) -> tuple[int, int]:
        """Save the stories of one digest run in one transaction, keeping every other stored
        story less the articles these hold (one left empty is deleted); a ``Story`` gives
        its own title, a ``Group`` the grouping's: ``(new or changed, unchanged)``."""
        with self._transaction():
            return story_rows.save(self.db, items, _now())

    def stories(self) -> list[dict[str, Any]]:
        """Stored stories, most sources first, each with its article ids."""
        return story_rows.read_all(self.db)

    # -- finished analyses ---------------------------------------------------------------

    def story_result_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` have a kept story (a cheap look-up; nothing is read back)."""
        found: set[str] = set()
        wanted = [printable_path(k) for k in keys]
        for lo in range(0, len(wanted), 500):
            chunk = wanted[lo : lo + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0]
                for row in self.db.execute(
                    f"SELECT key FROM story_results WHERE key IN ({marks})", chunk
                )
            )
        return found

    def story_result(self, key: str) -> Story | None:
        """The story kept under ``key`` by :meth:`add_story_result`; None when there is none,
        or when it cannot be read back (damaged, or written in another shape)."""
        row = self.db.execute(
            "SELECT data FROM story_results WHERE key = ?", (printable_path(key),)
        ).fetchone()
        if row is None:
            return None
        try:
            raw = zlib.decompress(row[0]).decode("utf-8", "surrogatepass")
            return Story.from_dict(json.loads(raw))
        except (zlib.error, ValueError, KeyError, TypeError, AttributeError):
            return None  # analysed again, and written over

    def add_story_result(self, key: str, story: Story) -> None:
        """Keep a finished story under ``key`` (compressed JSON, one row, one transaction)."""
        raw = json.dumps(story.to_dict(), ensure_ascii=False, separators=(",", ":"), default=_plain)
        data = zlib.compress(raw.encode("utf-8", "surrogatepass"))
        with self._transaction():
            self.db.execute(
                """INSERT INTO story_results VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE
                SET story_id=excluded.story_id, data=excluded.data, added_at=excluded.added_at""",
                (printable_path(key), story.id, data, _now()),
            )


def _json_text(value: object) -> str:
    """JSON text SQLite accepts: other scripts as they are, a lone surrogate (from a name
    that is not UTF-8) as a JSON escape, so that it reads back the same."""
    text = json.dumps(value, ensure_ascii=False)
    return text if printable_path(text) == text else json.dumps(value)


def _plain(value: object) -> object:
    """A NumPy number as the Python number JSON can write."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


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
