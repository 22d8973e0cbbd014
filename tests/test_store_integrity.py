"""The store refuses a damaged file on open, ``check`` says what is wrong, and a store that
was merely left with a pending write-ahead log opens as it should."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from newsweave.errors import StoreError
from newsweave.model import Article, content_id
from newsweave.store import Store


def _article(n: int) -> Article:
    text = f"Report {n}. " + " ".join(f"The canal lock {n} passed boat {k}." for k in range(60))
    return Article(
        id=content_id(text, title=f"Report {n}", outlet="Canal Times", url=None),
        original_text=text,
        clean_text=text,
        title=f"Report {n}",
        outlet="Canal Times",
    )


def _filled(db: Path, n: int = 300) -> None:
    with Store(db) as store:
        for k in range(n):
            store.add_article(_article(k))


def _corrupt_middle_leaf(db: Path, offset: int = 0, garbage: bytes = b"\x5a" * 120) -> int:
    """Overwrite bytes of a leaf page in the middle of the articles table (not the file
    header), ``offset`` bytes into the page; the page number."""
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    try:
        pages = [
            r[0]
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'articles' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    except sqlite3.OperationalError:  # SQLite built without the dbstat table
        pages = [conn.execute("PRAGMA page_count").fetchone()[0] // 2]
    conn.close()
    page = int(pages[len(pages) // 2])
    assert page > 1
    with open(db, "r+b") as f:
        f.seek((page - 1) * page_size + offset)
        f.write(garbage)
    return page


def test_sound_store_checks_clean(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _filled(db, 20)
    with Store(db) as store:
        assert store.check() == []
        assert store.check(full=False) == []


@pytest.mark.parametrize(
    ("offset", "garbage"),
    [(0, b"\x5a" * 120), (8, b"\xff" * 32)],
    ids=["page-header", "cell-pointers"],
)
def test_damaged_page_is_refused_with_a_clear_message(
    tmp_path: Path, offset: int, garbage: bytes
) -> None:
    db = tmp_path / "my store.db"
    _filled(db)
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    _corrupt_middle_leaf(db, offset, garbage)
    with pytest.raises(StoreError) as caught:
        Store(db)
    message = str(caught.value)
    assert str(db) in message
    assert "damaged" in message
    assert f"newsweave check --db '{db}'" in message
    with Store(db, verify=False) as store:  # opened for checking, as found
        assert store.check()
        assert store.check(full=False)


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match="damaged: file is not a database"):
        Store(db)
    with Store(db, verify=False) as store:
        assert store.check() == ["file is not a database"]
    assert db.read_bytes().startswith(b"these are my notes")  # nothing was written to it


def test_check_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "absent.db", verify=False)
    assert not (tmp_path / "absent.db").exists()


def test_damaged_store_with_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    db = Path(os.fsdecode(os.fsencode(tmp_path) + b"/st\xff.db"))
    _filled(db)
    _corrupt_middle_leaf(db)
    with pytest.raises(StoreError) as caught:
        Store(db)
    message = str(caught.value)
    message.encode("utf-8")  # printable
    assert "st\\xff.db" in message


def test_pending_wal_opens(tmp_path: Path) -> None:
    """Another connection still holds committed frames in the WAL, not yet checkpointed;
    a copy of the files taken then (as after a crash) opens as well."""
    db = tmp_path / "n.db"
    writer = Store(db)
    writer.db.execute("PRAGMA wal_autocheckpoint=0")
    for k in range(50):
        writer.add_article(_article(k))
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(db, copy / "n.db")
    shutil.copy(wal, copy / "n.db-wal")
    with Store(db) as reader:
        assert reader.count_articles() == 50
        assert reader.check() == []
    writer.close()
    with Store(copy / "n.db") as store:
        assert store.count_articles() == 50
        assert store.check() == []


def test_locked_store_is_not_called_damaged(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    _filled(db, 5)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as caught:
            Store(db)  # waits for the lock for 5 s, then gives up
        assert "locked" in str(caught.value) and "damaged" not in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
