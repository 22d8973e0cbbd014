"""The SQLite store: migrations, idempotent writes, and interrupted runs."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import EXAMPLES
from newsweave.ingest import Ingestor
from newsweave.model import Article
from newsweave.pipeline import digest
from newsweave.store import MIGRATIONS, SCHEMA_VERSION, Store


def test_migrations_are_recorded(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        names = [r[0] for r in store.db.execute("SELECT name FROM _migrations")]
        assert names == [name for name, _ in MIGRATIONS]
    with Store(tmp_path / "n.db") as store:  # reopening migrates nothing twice
        assert store.db.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_rerun_adds_nothing_twice_and_round_trips(tmp_path: Path, ingestor: Ingestor) -> None:
    db = tmp_path / "n.db"
    with Store(db) as store:
        store.start_run("test")
        first = digest([str(EXAMPLES)], ingestor=ingestor, store=store)
        count = store.count_articles()
    with Store(db) as store:
        digest([str(EXAMPLES)], ingestor=ingestor, store=store)
        assert store.count_articles() == count == len(first.stories[0].articles)
        stored = {a.id: a for a in store.articles()}
    for article in first.stories[0].articles:
        back = stored[article.id]
        assert isinstance(back, Article)
        assert (back.original_text, back.title, back.outlet, back.published) == (
            article.original_text,
            article.title,
            article.outlet,
            article.published,
        )


def test_newer_store_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _migrations VALUES ('m999_future', 'now')")
    conn.commit()
    conn.close()
    import pytest

    from newsweave.errors import StoreError

    with pytest.raises(StoreError, match="newer newsweave"):
        Store(db)


def test_killed_run_leaves_whole_articles_and_resumes(tmp_path: Path) -> None:
    """Kill a run mid-way (SIGKILL, no clean-up at all), check the store, then resume."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(400):
        (corpus / f"{n:04d}.txt").write_text(
            f"Canal Report Number {n}\n\nThe lock keeper counted {n} boats passing the Lockton "
            f"gates on day {n}, the canal trust said in its weekly note to members.\n"
        )
    db = tmp_path / "n.db"
    cmd = [
        sys.executable,
        "-m",
        "newsweave.cli",
        "digest",
        str(corpus),
        "--db",
        str(db),
        "--quiet",
        "--no-language",
        "--no-analysis",  # the store is under test, not the spaCy pass
        "--out",
        str(tmp_path / "r.md"),
    ]
    proc = subprocess.Popen(cmd)
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    if conn.execute("SELECT count(*) FROM articles").fetchone()[0] >= 20:
                        break
            except sqlite3.OperationalError:
                continue
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < partial < 400
    rows = conn.execute("SELECT clean_text, removed, offsets FROM articles").fetchall()
    assert all(r[0] and r[1] and r[2] for r in rows)  # no half-written article
    conn.close()

    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Store(db) as store:
        assert store.count_articles() == 400
