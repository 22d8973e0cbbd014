"""Checking the store file: what SQLite finds damaged, and messages a person can act on.

Opening a store runs ``PRAGMA quick_check``: every page and b-tree is read and checked, but
indexes are not compared with their tables. Its cost grows with the file. The pages are read
through memory-mapped I/O for that check, which bench/store_check.py measured 4 times as
fast from the page cache and 7 times as fast from the disk as one read call per page: on a
store of 100,000 articles (1.2 GiB), about 0.4 s and 2 s against 1.9 s and 15 s. (The price:
a disk that fails a read while the check runs kills the process with SIGBUS instead of
raising an error.) The full ``integrity_check`` (also compares each index with its table)
and the foreign-key check are left to ``newsweave check``, which reads pages the plain way.
SQLite keeps no checksums: text overwritten inside a record is found by neither check, only
damage to the file's structure.
"""

from __future__ import annotations

import shlex
import sqlite3

# SQLite's primary result codes for a damaged file and for a file that is not a database.
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
# Map up to this much of the file for the open-time check (SQLite caps it, at 2 GiB here).
MMAP_BYTES = 1 << 40


def problems(db: sqlite3.Connection, *, full: bool, mmap: bool = False) -> list[str]:
    """What SQLite finds wrong with the file, one line each (empty when it is sound):
    ``quick_check``, or with ``full`` ``integrity_check`` and ``foreign_key_check``; with
    ``mmap`` the pages are read through memory-mapped I/O. An error that is not damage (the
    file locked, say) is raised."""
    if mmap:
        before = db.execute("PRAGMA mmap_size").fetchone()[0]
        db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        try:
            return problems(db, full=full)
        finally:
            db.execute(f"PRAGMA mmap_size={int(before)}")
    if not full:
        return _pragma(db, "quick_check")
    found = _pragma(db, "integrity_check")
    try:
        for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
            found.append(f"row {rowid} of {table} refers to a missing row of {parent}")
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        if str(exc) not in found:
            found.append(str(exc))
    return found


def _pragma(db: sqlite3.Connection, pragma: str) -> list[str]:
    """The problems a check pragma lists, or the damage that stopped it (SQLite lists the
    bad pages and cells, or stops at the first one it cannot read, as it happens)."""
    try:
        rows = [str(row[0]) for row in db.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise  # locked, unreadable, ...: not something the file holds
        return [str(exc)]
    if rows == ["ok"]:
        return []
    return [
        line.strip()
        for row in rows
        for line in row.splitlines()
        if line.strip() and not line.startswith("***")  # "*** in database main ***"
    ]


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite failed because the file is damaged (not, say, locked or unreadable)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def damaged_message(shown: str, what: list[str]) -> str:
    """Why a store at ``shown`` (a printable path) is refused, and what to do about it."""
    more = f" (and {len(what) - 1} more problems)" if len(what) > 1 else ""
    return (
        f"the store {shown} is damaged: {what[0]}{more}. "
        f"Run `newsweave check --db {shlex.quote(shown)}` for the full check; then restore "
        "the file from a backup, or move it aside and run again to start a new store"
    )
