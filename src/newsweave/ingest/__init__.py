"""Ingestion: files, folders and stdin in; cleaned :class:`Article` records or
:class:`Skipped` outcomes out.

Every input either becomes one or more articles or a ``Skipped`` with a reason a person can
act on; nothing raises for a bad file. The format is judged from the content (the extension
is only a hint), huge single-article files are refused before they are read, and JSON Lines
are streamed record by record so memory stays bounded.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

from newsweave.clean.boilerplate import find_boilerplate, split_lines
from newsweave.clean.language import LanguageDetector
from newsweave.clean.normalize import merge_spans, normalize
from newsweave.errors import EmptyInput, InputError, TooLarge, UnreadableInput, describe
from newsweave.ingest.decode import Format, decode, sniff
from newsweave.ingest.html import html_to_text, parse_html
from newsweave.ingest.records import (
    AUTHOR_FIELDS,
    DATE_FIELDS,
    LANG_FIELDS,
    OUTLET_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    first,
    iter_json,
    iter_jsonl,
    record_text,
)
from newsweave.ingest.text import Metadata, parse_text
from newsweave.model import Article, Removal, Skipped, content_id, printable_path
from newsweave.parallel import default_jobs, forked_map

__all__ = ["IngestOptions", "Ingestor", "build_article", "iter_paths"]

HEAD_BYTES = 65536
MIN_LANGUAGE_PROBABILITY = 0.5


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Limits and switches for ingestion."""

    max_bytes: int = 20_000_000  # larger single-article files are refused unread
    min_words: int = 10  # fewer words of body text after cleaning: not an article
    detect_language: bool = True
    jobs: int | None = None  # worker processes for a long JSON Lines file (None: the cores)


@dataclass
class Ingestor:
    """Turns paths into articles. Holds the language model, loaded once on first use."""

    options: IngestOptions = field(default_factory=IngestOptions)
    languages: LanguageDetector = field(default_factory=LanguageDetector)

    def ingest(
        self, paths: Iterable[str], stdin: BinaryIO | None = None
    ) -> Iterator[Article | Skipped]:
        """Yield an ``Article`` or a ``Skipped`` for every input found under ``paths``."""
        for name, path in iter_paths(paths):
            if isinstance(path, Skipped):
                yield path
                continue
            if path is None:
                items = self._ingest_stream(name, stdin)
            else:
                items = self._ingest_file(name, path)
            try:
                yield from items
            except Exception as exc:  # a bug on one input must not end the run
                why = f"internal error while reading ({describe(exc)})"
                yield Skipped(name, why)

    # -- reading ---------------------------------------------------------------------------

    def _ingest_file(self, name: str, path: Path) -> Iterator[Article | Skipped]:
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):
                raise UnreadableInput("not a regular file")
            fh = path.open("rb")
        except InputError as exc:
            yield Skipped(name, str(exc))
            return
        except OSError as exc:
            yield Skipped(name, _os_reason(exc))
            return
        with fh:
            yield from self._ingest_handle(name, fh, st.st_size)

    def _ingest_stream(self, name: str, stdin: BinaryIO | None) -> Iterator[Article | Skipped]:
        if stdin is None:
            yield Skipped(name, "standard input is not available")
            return
        yield from self._ingest_handle(name, stdin, None)

    def _ingest_handle(
        self, name: str, fh: BinaryIO, size: int | None
    ) -> Iterator[Article | Skipped]:
        try:
            head = fh.read(HEAD_BYTES)
            if not head.strip():
                raise EmptyInput("the file is empty")
            head_text, encoding = decode(head if len(head) < HEAD_BYTES else _trim_utf8(head))
            fmt = sniff(head_text)
            if fmt is Format.JSONL:
                yield from self._ingest_jsonl(name, fh, head, encoding)
                return
            if size is None:
                data = head + fh.read(self.options.max_bytes + 1 - len(head))
                if len(data) > self.options.max_bytes:
                    raise TooLarge(_too_large(None, self.options.max_bytes))
            else:
                if size > self.options.max_bytes:
                    raise TooLarge(_too_large(size, self.options.max_bytes))
                data = head + fh.read()
            text = (
                head_text if len(data) == len(head) and len(head) < HEAD_BYTES else decode(data)[0]
            )
        except InputError as exc:
            yield Skipped(name, str(exc))
            return
        except OSError as exc:
            yield Skipped(name, _os_reason(exc))
            return
        if fmt is Format.JSON:
            yield from self._ingest_records(name, iter_json(text))
        else:
            yield self._safe_build(name, text, fmt)

    def _ingest_jsonl(
        self, name: str, fh: BinaryIO, head: bytes, encoding: str
    ) -> Iterator[Article | Skipped]:
        """Stream JSON Lines: one line in memory at a time, overlong lines skipped."""
        raw = io.BufferedReader(_Prepend(head, fh))
        reader = io.TextIOWrapper(raw, encoding=_stream_encoding(encoding), errors="replace")
        limit = self.options.max_bytes

        def lines() -> Iterator[str | InputError]:
            while True:
                line = reader.readline(limit)
                if not line:
                    return
                if len(line) >= limit and not line.endswith("\n"):
                    while (rest := reader.readline(limit)) and not rest.endswith("\n"):
                        pass
                    yield TooLarge(f"record over {limit:,} bytes")
                    continue
                yield line

        yield from self._ingest_records(name, iter_jsonl(lines()))

    def _ingest_records(
        self, name: str, records: Iterable[tuple[int, dict[str, Any] | InputError]]
    ) -> Iterator[Article | Skipped]:
        """Each record's article, in order. After the first PARALLEL_RECORDS records, the
        rest are built in forked workers, a window of records at a time (memory stays
        bounded however long the file)."""
        items = ((f"{name}:{n}", item) for n, item in records)
        first = list(islice(items, PARALLEL_RECORDS))
        for where, item in first:
            yield self._record_item(where, item)
        jobs = default_jobs(self.options.jobs)
        if len(first) < PARALLEL_RECORDS or jobs < 2:
            for where, item in items:
                yield self._record_item(where, item)
            return
        while window := list(islice(items, RECORD_WINDOW)):
            yield from forked_map(_window_item, (self, window), len(window), jobs)

    def _record_item(self, where: str, item: dict[str, Any] | InputError) -> Article | Skipped:
        """One record's article, or why it was skipped (an internal error included: one bad
        record must not end the file)."""
        if isinstance(item, InputError):
            return Skipped(where, str(item))
        try:
            return self._record_article(where, item)
        except InputError as exc:
            return Skipped(where, str(exc))
        except Exception as exc:
            return Skipped(where, f"internal error while reading ({describe(exc)})")

    # -- building --------------------------------------------------------------------------

    def _safe_build(self, name: str, text: str, fmt: Format) -> Article | Skipped:
        meta = Metadata()
        try:
            if fmt is Format.HTML:
                body = parse_html(text, meta)
                removals = _title_line(body, meta)
                return self._build(name, body, meta, removals)
            removals = parse_text(text, meta)
            return self._build(name, text, meta, removals)
        except InputError as exc:
            return Skipped(name, str(exc))

    def _record_article(self, where: str, obj: dict[str, Any]) -> Article:
        meta = Metadata()
        meta.set("title", first(obj, TITLE_FIELDS))
        meta.set("url", first(obj, URL_FIELDS))
        meta.set("published", first(obj, DATE_FIELDS))
        meta.set("outlet", first(obj, OUTLET_FIELDS))
        meta.set("author", first(obj, AUTHOR_FIELDS))
        meta.set("language", first(obj, LANG_FIELDS))
        text, is_html = record_text(obj)
        if is_html:
            text = html_to_text(text)
        removals = parse_text(text, meta) if not is_html else _title_line(text, meta)
        return self._build(where, text, meta, removals)

    def _build(self, name: str, original: str, meta: Metadata, removals: list[Removal]) -> Article:
        return build_article(
            original,
            meta,
            removals,
            path=name,
            options=self.options,
            languages=self.languages if self.options.detect_language else None,
        )


# Records read in this process before workers are forked for the rest (a short file is not
# worth the fork), and records handed to the workers at once.
PARALLEL_RECORDS = 256
RECORD_WINDOW = 1024


def _window_item(
    shared: tuple[Ingestor, list[tuple[str, dict[str, Any] | InputError]]], i: int
) -> Article | Skipped:
    """The ``i``-th record of a window, built in a worker."""
    ingestor, window = shared
    return ingestor._record_item(*window[i])


def build_article(
    original: str,
    meta: Metadata,
    removals: list[Removal],
    *,
    path: str | None,
    options: IngestOptions,
    languages: LanguageDetector | None,
) -> Article:
    """Clean a recovered text and wrap it with its metadata into an :class:`Article`.

    ``removals`` are the metadata lines the parser already took out; the boilerplate rules
    run on the remaining lines. Raises ``EmptyInput`` when too little body text is left.
    """
    taken = merge_spans((r.start, r.end) for r in removals)
    body_lines = [ln for ln in split_lines(original) if not _covered(ln.start, ln.end, taken)]
    all_removals = sorted([*removals, *find_boilerplate(body_lines)], key=lambda r: r.start)
    clean, offsets = normalize(original, ((r.start, r.end) for r in all_removals))
    words = len(clean.split())
    if words < options.min_words:
        raise EmptyInput(
            f"no article text after cleaning ({words} words; at least {options.min_words} needed)"
        )
    language = meta.language
    if languages is not None and not language:
        guess, probability = languages.detect(clean)
        # A guess less likely than all the other languages together is no guess: on the
        # SemEval 2022 sample, 3 of 4 misread English texts fall under it, and 1 of 2,767
        # texts read right.
        language = guess if probability >= MIN_LANGUAGE_PROBABILITY else None
    return Article(
        id=content_id(original, title=meta.title, outlet=meta.outlet, url=meta.url),
        original_text=original,
        clean_text=clean,
        path=path,
        url=meta.url,
        outlet=meta.outlet,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        language=language,
        removed=tuple(all_removals),
        offsets=offsets,
        notes=tuple(meta.notes),
    )


def iter_paths(paths: Iterable[str]) -> Iterator[tuple[str, Path | Skipped | None]]:
    """Expand the command line's paths: folders recursively (sorted, hidden entries left out),
    ``-`` as stdin (``None``), a missing path as a ``Skipped``. Names are printable text: a
    file-name byte that is not UTF-8 is written as ``\\xff`` (the path itself opens as is)."""
    for raw in paths:
        if raw == "-":
            yield "<stdin>", None
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            errors: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=errors.append):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for fname in sorted(files):
                    if not fname.startswith("."):
                        found = True
                        full = Path(root) / fname
                        yield printable_path(str(full)), full
            for err in errors:
                where = printable_path(str(err.filename or raw))
                yield where, Skipped(where, f"folder cannot be read ({_os_reason(err)})")
            if not found and not errors:
                name = printable_path(raw)
                yield name, Skipped(name, "folder holds no files")
        elif path.exists() or path.is_symlink():
            yield printable_path(raw), path
        else:
            name = printable_path(raw)
            yield name, Skipped(name, "no such file or folder")


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _title_line(body: str, meta: Metadata) -> list[Removal]:
    """Extracted HTML often repeats the headline as its first line; mark it as the title."""
    first_line = body.split("\n", 1)[0]
    if meta.title and " ".join(first_line.lower().split()) == " ".join(meta.title.lower().split()):
        return [Removal(0, len(first_line), "title", first_line)]
    return []


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    return f"cannot be read ({exc.strerror or exc})"


def _too_large(size: int | None, limit: int) -> str:
    got = f"{size / 1e6:,.1f} MB" if size is not None else "more than that"
    return f"file too large for one article ({got}; the limit is {limit / 1e6:,.1f} MB, see --max-size)"


def _trim_utf8(data: bytes) -> bytes:
    """Cut a byte prefix at a character boundary, so a UTF-8 head decodes cleanly."""
    for cut in range(len(data), max(len(data) - 4, 0), -1):
        try:
            data[:cut].decode("utf-8")
            return data[:cut]
        except UnicodeDecodeError:
            continue
    return data


def _stream_encoding(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8" else encoding


class _Prepend(io.RawIOBase):
    """A raw stream that yields already-read bytes first, then the rest of a handle."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)
