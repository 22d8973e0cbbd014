"""Store integrity checks: what opening a store costs without a check, with SQLite's
``quick_check`` and with the full ``integrity_check``, on a store of 100,000 articles.

Why: opening a store checks it, so that a damaged file is refused with a message a person
can act on instead of failing somewhere in the middle of a run. That check is paid on every
``digest``, ``add`` and ``stories``; this bench measures it, to choose the check that runs
on open (``newsweave check`` runs the full one).

The store: ``--articles`` articles (100,000 by default) written one per transaction through
``Store.add_article``, as a digest writes them. Their texts are drawn (seeded, with
replacement) from ``DIR/timeline17/articles.jsonl`` (``text``; ``date`` as published) and
``DIR/duc2003/clusters.jsonl`` (the documents' ``text``; the date their ``doc_id`` encodes);
only those files and fields are read. A text is used as both ``original_text`` and
``clean_text`` (cleaning is not what is measured); each draw gets its own title, outlet,
url and so its own id. Only the articles table is filled: fingerprints, stories and kept
analyses are small beside the texts.

Timed, each the median of ``--repeat`` passes, with the file in the page cache (warm: a
store just used) and with its pages dropped from the cache first (cold: ``posix_fadvise``
``DONTNEED`` on the store's files, which evicts that file's clean pages and nothing else):

* ``open, no check``: ``Store(path, verify=False)`` (the connection; nothing read or run);
* ``open (quick_check)``: ``Store(path)`` as every command opens it: ``PRAGMA
  quick_check`` through memory-mapped I/O, the WAL pragmas and the migrations check;
* ``quick_check``: ``PRAGMA quick_check`` alone on an open connection;
* ``quick_check (mmap)``: the same with ``PRAGMA mmap_size`` as large as the file (pages
  read through memory-mapped I/O instead of one ``read`` call each), as ``Store`` runs it;
* ``integrity_check``: ``PRAGMA integrity_check`` alone (also compares every index with its
  table, which ``quick_check`` does not);
* ``check()``: ``Store.check(full=True)``, what ``newsweave check`` runs: ``integrity_check``
  and ``foreign_key_check``.

Usage: ``python bench/store_check.py [--data DIR] [--articles N] [--repeat R] [--seed S]
[--db PATH] [--quiet]``. With ``--db`` the store is kept in PATH and reused by a later run
while it holds N articles (building 100,000 takes a few minutes); without it, it is written
in a temporary folder and deleted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from digest_speed import default_data_dir
from newsweave.model import Article, content_id
from newsweave.store import Store
from summary_quality import command_line, id_date

DATA_FILES = ("timeline17/articles.jsonl", "duc2003/clusters.jsonl")


def load_texts(data_dir: Path) -> list[tuple[str, date | None]]:
    """Every text of the two data files, with its date."""
    texts: list[tuple[str, date | None]] = []
    with open(data_dir / DATA_FILES[0], encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            texts.append((d["text"], date.fromisoformat(d["date"]) if d.get("date") else None))
    with open(data_dir / DATA_FILES[1], encoding="utf-8") as f:
        for line in f:
            for doc in json.loads(line)["documents"]:
                texts.append((doc["text"], id_date(doc["doc_id"])))
    return [(t, day) for t, day in texts if t.strip()]


def build(path: Path, n: int, texts: list[tuple[str, date | None]], seed: int) -> float:
    """Write ``n`` articles drawn from ``texts`` into a new store; the seconds it took."""
    rng = random.Random(f"{seed}:{n}")
    start = time.perf_counter()
    with Store(path) as store:
        for i in range(n):
            text, day = rng.choice(texts)
            title = " ".join(text.split()[:8]) + f" ({i})"
            outlet = f"Outlet {i % 50}"
            url = f"https://outlet{i % 50}.example/{i}"
            store.add_article(
                Article(
                    id=content_id(text, title=title, outlet=outlet, url=url),
                    original_text=text,
                    clean_text=text,
                    title=title,
                    outlet=outlet,
                    url=url,
                    published=day,
                )
            )
    return time.perf_counter() - start


def stored_count(path: Path) -> int | None:
    """How many articles a kept store holds (None when it cannot be used)."""
    if not path.is_file():
        return None
    try:
        with Store(path) as store:
            return store.count_articles()
    except Exception:
        return None


def drop_from_cache(path: Path) -> None:
    """Evict the store's files from the page cache (clean pages only, this file only)."""
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def timed(step: Callable[[], object], repeat: int, cold: Callable[[], None] | None) -> float:
    """Median seconds of ``step`` over ``repeat`` passes (``cold`` run before each)."""
    times = []
    for _ in range(repeat):
        if cold is not None:
            cold()
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def steps(path: Path) -> dict[str, Callable[[], object]]:
    """The measured steps, each opening the store and closing it again."""

    def open_plain() -> None:
        Store(path, verify=False).close()

    def open_checked() -> None:
        Store(path).close()

    def pragma(name: str, mmap: bool = False) -> Callable[[], object]:
        def run() -> object:
            with Store(path, verify=False) as store:
                if mmap:
                    store.db.execute(f"PRAGMA mmap_size={path.stat().st_size}")
                rows = [r[0] for r in store.db.execute(f"PRAGMA {name}")]
            assert rows == ["ok"], rows[:3]
            return rows

        return run

    def check() -> object:
        with Store(path, verify=False) as store:
            problems = store.check(full=True)
        assert problems == [], problems[:3]
        return problems

    return {
        "open, no check": open_plain,
        "open (quick_check)": open_checked,
        "quick_check": pragma("quick_check"),
        "quick_check (mmap)": pragma("quick_check", mmap=True),
        "integrity_check": pragma("integrity_check"),
        "check()": check,
    }


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the store, time each step warm and cold, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (../shared/data)")
    parser.add_argument("--articles", type=int, default=100_000, help="articles (100000)")
    parser.add_argument("--repeat", type=int, default=3, help="passes per step (median; 3)")
    parser.add_argument("--seed", type=int, default=7, help="sampling seed (7)")
    parser.add_argument("--db", type=Path, default=None, help="keep the store here and reuse it")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeat < 1:
        parser.error("--articles and --repeat must be at least 1")
    data_dir: Path = args.data if args.data is not None else default_data_dir()
    missing = [str(data_dir / f) for f in DATA_FILES if not (data_dir / f).is_file()]
    if missing:
        print(f"store_check: not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"store_check: {message}", file=sys.stderr, flush=True)

    print(f"command: {command_line()}")
    print()
    with tempfile.TemporaryDirectory(prefix="store_check_") as tmp:
        path: Path = args.db if args.db is not None else Path(tmp) / "store.db"
        if stored_count(path) == args.articles:
            progress(f"reusing {path} ({args.articles:,} articles)")
            built = None
        else:
            for name in (str(path), f"{path}-wal", f"{path}-shm"):
                if os.path.exists(name):
                    os.remove(name)
            texts = load_texts(data_dir)
            progress(f"writing {args.articles:,} articles drawn from {len(texts):,} texts")
            built = build(path, args.articles, texts, args.seed)
        size = path.stat().st_size
        print(
            f"store: {args.articles:,} articles, {size / 2**20:,.0f} MiB"
            + (f", written in {built:.1f}s" if built is not None else " (reused)")
        )
        print()
        print(f"| step | warm s | cold s | cold MiB/s |  (median of {args.repeat})")
        print("| --- | ---: | ---: | ---: |")
        for name, step in steps(path).items():
            progress(name)
            step()  # the file in the page cache
            warm = timed(step, args.repeat, None)
            cold = timed(step, args.repeat, lambda: drop_from_cache(path))
            rate = f"{size / 2**20 / cold:,.0f}" if cold > 0.1 else "-"
            print(f"| {name} | {warm:.3f} | {cold:.3f} | {rate} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
