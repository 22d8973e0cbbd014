"""The ``newsweave`` command line: a thin layer over :mod:`newsweave.pipeline`.

stdout carries the report (unless ``--out`` names a file); progress and problems go to
stderr, which ``--quiet`` silences except for errors. Exit codes: 0 when every input went
in, 1 when some were skipped or a story was analysed only in part (or an asked-for rewrite
failed), 2 when nothing usable was found, the store is damaged or the command line was
wrong, 3 on an internal error (``--debug`` shows its traceback), 130 when interrupted (run
the same command again to resume).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from newsweave import __version__
from newsweave.errors import NewsweaveError
from newsweave.group.stories import GroupOptions
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Report, Skipped
from newsweave.pipeline import DigestOptions, RunStats, add, digest
from newsweave.progress import reporter
from newsweave.render import FORMATS, render_chunks
from newsweave.store import Store
from newsweave.summarize.extractive import SummaryOptions
from newsweave.summarize.rewrite import (
    ChatClient,
    LLMOptions,
    RewriteError,
    apply_rewrite,
    rewrite_summary,
)

EXIT_OK, EXIT_SOME_SKIPPED, EXIT_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

DIGEST_EXAMPLES = """examples:
  newsweave digest saved-pages/ --format html -o report.html
  newsweave digest wire.jsonl --no-analysis --no-store -f json -o - | jq .stories[0].summary
  cat article.txt | newsweave digest - --one-story
"""
ADD_EXAMPLES = """examples:
  newsweave add monday/ --db news.db
  newsweave add tuesday/ --db news.db --group-by topic
"""
STORIES_EXAMPLES = """examples:
  newsweave stories --db news.db
  newsweave stories --db news.db --format json
"""
CHECK_EXAMPLES = """examples:
  newsweave check --db news.db
  newsweave check --db news.db && cp news.db backup.db
"""


def _common(p: argparse.ArgumentParser) -> None:
    """Options every command takes."""
    p.add_argument("--debug", action="store_true", help="show the traceback of an internal error")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsweave",
        description="Read the news across outlets: a cited digest of many articles.",
    )
    parser.add_argument("--version", action="version", version=f"newsweave {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    d = sub.add_parser(
        "digest",
        help="ingest articles and write a cited report",
        description=(
            "Ingest articles (text, HTML, JSON, JSON Lines; files, folders or - for stdin), "
            "store them, and write a report with the sources and a cited summary."
        ),
        epilog=DIGEST_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, or - for stdin")
    d.add_argument(
        "--format", "-f", choices=FORMATS, default="md", help="report format (default: md)"
    )
    d.add_argument(
        "--out", "-o", metavar="FILE", help="write the report to FILE (- or none: stdout)"
    )
    d.add_argument(
        "--db",
        metavar="PATH",
        default="newsweave.db",
        help="SQLite store (default: ./newsweave.db)",
    )
    d.add_argument("--no-store", action="store_true", help="do not write to any store")
    d.add_argument(
        "--show-removed", action="store_true", help="list the boilerplate removed from each source"
    )
    d.add_argument(
        "--sentences",
        type=_positive,
        default=5,
        metavar="N",
        help="summary length in sentences (default: 5)",
    )
    d.add_argument(
        "--words",
        type=_positive,
        default=150,
        metavar="N",
        help="summary length in words (default: 150)",
    )
    d.add_argument(
        "--max-size",
        type=_positive,
        default=20,
        metavar="MB",
        help="refuse single-article files larger than this (default: 20 MB)",
    )
    d.add_argument("--no-language", action="store_true", help="skip language detection")
    d.add_argument(
        "--no-analysis",
        action="store_true",
        help="skip the model passes: entities and quotes (spaCy) and the sentence "
        "embeddings (facts then match by word overlap); the summary, timeline, facts and "
        "conflicts are still made",
    )
    d.add_argument(
        "--group-by",
        choices=("event", "topic"),
        default="event",
        help="one story per event (default), or broader: one per topic (two quakes of one "
        "region, a long-running story's developments)",
    )
    d.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes for the spaCy pass, for the stories of a --no-analysis run, "
        "and for the term vectors of a pile of 20,000 articles or more (default: the CPU "
        "cores, at most 4)",
    )
    d.add_argument(
        "--no-semantic",
        action="store_true",
        help="group facts by word overlap only, without sentence embeddings",
    )
    llm = d.add_argument_group(
        "abstractive rewrite (optional; calls an OpenAI-compatible chat API only when asked)"
    )
    llm.add_argument(
        "--rewrite",
        action="store_true",
        help="also ask a language model to rewrite the summary; every generated sentence "
        "is checked against the sources it cites and dropped when they do not support it",
    )
    llm.add_argument(
        "--llm-url",
        metavar="URL",
        help="base URL of the chat API, e.g. http://127.0.0.1:8080/v1 "
        "(default: $NEWSWEAVE_LLM_URL, then $OPENAI_BASE_URL)",
    )
    llm.add_argument(
        "--llm-model",
        metavar="NAME",
        help="model name (default: $NEWSWEAVE_LLM_MODEL, then $OPENAI_MODEL)",
    )
    llm.add_argument(
        "--llm-timeout",
        type=_positive,
        default=120,
        metavar="S",
        help="seconds to wait for one answer (default: 120)",
    )
    llm.add_argument(
        "--keep-unsupported",
        action="store_true",
        help="keep generated sentences that fail the citation check, marked as unsupported",
    )
    d.add_argument(
        "--one-story",
        action="store_true",
        help="treat all input as one story instead of grouping it into stories",
    )
    d.add_argument("--quiet", "-q", action="store_true", help="print only errors on stderr")
    _common(d)
    d.set_defaults(func=cmd_digest)

    a = sub.add_parser(
        "add",
        help="add articles to the store and regroup its stories",
        description=(
            "Ingest articles into the store, find copies and put each new article into an "
            "existing story or a new one. Stored articles are not re-read: their fingerprints "
            "were kept when they were added."
        ),
        epilog=ADD_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, or - for stdin")
    a.add_argument("--db", metavar="PATH", default="newsweave.db", help="SQLite store")
    a.add_argument(
        "--max-size", type=_positive, default=20, metavar="MB", help="largest single file"
    )
    a.add_argument("--no-language", action="store_true", help="skip language detection")
    a.add_argument(
        "--group-by",
        choices=("event", "topic"),
        default="event",
        help="one story per event (default) or per topic; the whole store is regrouped so",
    )
    a.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes for the term vectors of 20,000 new articles or more "
        "(default: the CPU cores, at most 4)",
    )
    a.add_argument("--quiet", "-q", action="store_true", help="print only errors on stderr")
    _common(a)
    a.set_defaults(func=cmd_add)

    st = sub.add_parser(
        "stories",
        help="list the stories in the store",
        description="List the store's stories: id, title, dates, sources and copies.",
        epilog=STORIES_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    st.add_argument("--db", metavar="PATH", default="newsweave.db", help="SQLite store")
    st.add_argument(
        "--format", "-f", choices=("table", "json"), default="table", help="(default: table)"
    )
    _common(st)
    st.set_defaults(func=cmd_stories)

    ck = sub.add_parser(
        "check",
        help="check the store for damage",
        description=(
            "Run SQLite's full integrity check on the store. Opening a store runs a quicker "
            "check and refuses a damaged one; this names what is wrong."
        ),
        epilog=CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ck.add_argument("--db", metavar="PATH", default="newsweave.db", help="SQLite store")
    ck.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    _common(ck)
    ck.set_defaults(func=cmd_check)
    return parser


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from exc
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value!r}")
    return n


class Log:
    """Messages for a person, on stderr."""

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet

    def info(self, message: str) -> None:
        if not self.quiet:
            print(f"newsweave: {message}", file=self.stream)

    def error(self, message: str) -> None:
        print(f"newsweave: error: {message}", file=self.stream)

    def skipped(self, item: Skipped) -> None:
        print(f"newsweave: skipped {item.path}: {item.reason}", file=self.stream)


def cmd_digest(args: argparse.Namespace, log: Log) -> int:
    options = DigestOptions(
        ingest=IngestOptions(
            max_bytes=args.max_size * 1_000_000,
            detect_language=not args.no_language,
            jobs=args.jobs,
        ),
        summary=SummaryOptions(max_sentences=args.sentences, max_words=args.words),
        analyze=not args.no_analysis,
        semantic=not (args.no_semantic or args.no_analysis),  # both are model passes
        one_story=args.one_story,
        jobs=args.jobs,
        group=_grouping(args.group_by, args.jobs),
    )
    to_stdout = args.out in (None, "-")
    if not to_stdout and Path(args.out).is_dir():
        log.error(f"--out {args.out} is a folder; give a file name")
        return EXIT_FAILED
    client = None
    if args.rewrite:  # the key comes from the environment only, never the command line
        try:
            client = ChatClient(
                LLMOptions.resolve(
                    args.llm_url,
                    args.llm_model,
                    timeout=float(args.llm_timeout),
                    keep_unsupported=args.keep_unsupported,
                )
            )
        except RewriteError as e:
            log.error(str(e))
            return EXIT_FAILED
    stats = RunStats()
    started = time.perf_counter()
    store = None if args.no_store else Store(args.db)
    progress = reporter(sys.stderr, args.quiet)
    try:
        if store is not None:
            store.start_run("digest " + " ".join(args.paths))
        report = digest(
            args.paths,
            ingestor=Ingestor(options.ingest),
            options=options,
            store=store,
            stdin=sys.stdin.buffer if "-" in args.paths else None,
            on_skip=log.skipped,
            stats=stats,
            progress=progress,
        )
        if store is not None:
            store.finish_run(stats.articles, stats.stored)
    finally:
        if progress is not None:
            progress.close()
        if store is not None:
            store.close()
    rewrite_failed = False
    if client is not None:
        report, rewrite_failed = _rewrite(report, client, args.sentences, log)
    chunks = render_chunks(report, args.format, show_removed=args.show_removed)
    if to_stdout:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
    else:
        _write_atomic(Path(args.out), chunks)
    elapsed = time.perf_counter() - started
    stored = ""
    if store is not None:
        stored = f"; {stats.stored} new in {args.db}, {stats.already_stored} already there"
        if stats.resumed:
            stored += f"; {stats.resumed} stories' analysis read back from an earlier run"
    copies = f" ({stats.copies} identical to another input)" if stats.copies else ""
    log.info(
        f"{stats.articles} articles read{copies}, {stats.skipped} inputs skipped{stored} "
        f"({elapsed:.1f}s)"
    )
    if stats.failed:
        log.info(f"{stats.failed} stories were analysed only in part: see their notes")
    if not to_stdout:
        log.info(f"report written to {args.out}")
    if stats.articles == 0:
        log.error("no usable article found in the given paths")
        return EXIT_FAILED
    problems = stats.skipped or stats.failed or rewrite_failed
    return EXIT_SOME_SKIPPED if problems else EXIT_OK


def _grouping(level: str, jobs: int | None) -> GroupOptions:
    """The grouping options of ``--group-by`` and ``--jobs``."""
    options = GroupOptions.by_topic() if level == "topic" else GroupOptions()
    return replace(options, jobs=jobs)


def cmd_add(args: argparse.Namespace, log: Log) -> int:
    options = DigestOptions(
        ingest=IngestOptions(
            max_bytes=args.max_size * 1_000_000,
            detect_language=not args.no_language,
            jobs=args.jobs,
        ),
        group=_grouping(args.group_by, args.jobs),
    )
    stats = RunStats()
    started = time.perf_counter()
    progress = reporter(sys.stderr, args.quiet)
    with Store(args.db) as store:
        store.start_run("add " + " ".join(args.paths))
        try:
            result = add(
                args.paths,
                store,
                ingestor=Ingestor(options.ingest),
                options=options,
                stdin=sys.stdin.buffer if "-" in args.paths else None,
                on_skip=log.skipped,
                stats=stats,
                progress=progress,
            )
        finally:
            if progress is not None:
                progress.close()
        store.finish_run(stats.articles, stats.stored)
    log.info(
        f"{stats.articles} articles read ({stats.stored} new, {stats.already_stored} already "
        f"stored), {stats.skipped} inputs skipped; {result.stories} stories in {args.db} "
        f"({result.changed} new or changed), {result.duplicates} copies "
        f"({time.perf_counter() - started:.1f}s)"
    )
    if stats.articles == 0 and stats.skipped:
        log.error("no usable article found in the given paths")
        return EXIT_FAILED
    return EXIT_SOME_SKIPPED if stats.skipped else EXIT_OK


def cmd_stories(args: argparse.Namespace, log: Log) -> int:
    if not Path(args.db).exists():
        log.error(f"no store at {args.db}: run newsweave add PATH... first")
        return EXIT_FAILED
    with Store(args.db) as store:
        stories = store.stories()
    if args.format == "json":
        sys.stdout.write(json.dumps({"stories": stories}, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not stories:
        print("no stories yet: run newsweave add PATH...")
        return EXIT_OK
    rows = [("id", "first", "last", "sources", "copies", "title")]
    for st in stories:
        rows.append(
            (
                st["id"],
                st["first_published"] or "-",
                st["last_published"] or "-",
                str(st["sources"]),
                str(st["duplicates"]),
                st["title"],
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        cells = [r[i].ljust(widths[i]) if i < 3 else r[i].rjust(widths[i]) for i in range(5)]
        print("  ".join([*cells, r[5]]))
    return EXIT_OK


def cmd_check(args: argparse.Namespace, log: Log) -> int:
    if not Path(args.db).exists():
        log.error(f"no store at {args.db}")
        return EXIT_FAILED
    with Store(args.db, verify=False) as store:
        problems = store.check(full=True)
    if problems:
        log.error(f"{args.db} is damaged ({len(problems)} problems):")
        for line in problems[:50]:
            print(f"  {line}", file=sys.stderr)
        if len(problems) > 50:
            print(f"  ... and {len(problems) - 50} more", file=sys.stderr)
        return EXIT_FAILED
    log.info(f"{args.db}: no problems found (SQLite integrity_check)")
    return EXIT_OK


def _rewrite(
    report: Report, client: ChatClient, max_sentences: int, log: Log
) -> tuple[Report, bool]:
    """Each story's summary rewritten and checked; on an endpoint error the report keeps
    its extractive summaries, says why, and the run exits 1."""
    stories = list(report.stories)
    for i, story in enumerate(stories):
        log.info(f"asking {client.options.model} to rewrite the summary of {story.title!r}")
        try:
            result = rewrite_summary(story, client, max_sentences)
        except RewriteError as e:
            log.error(f"rewrite failed, the extractive summary is kept: {e}")
            note = f"rewrite failed, the extractive summary is kept: {e}"
            return replace(report, stories=tuple(stories), notes=(*report.notes, note)), True
        stories[i] = apply_rewrite(story, result, client.options.keep_unsupported)
        log.info(
            f"rewrite: {len(result.sentences)} sentence(s) kept, "
            f"{len(result.dropped)} failed the citation check"
        )
    return replace(report, stories=tuple(stories)), False


def _write_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Write a file so that it is either the old or the new version, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(chunks)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log = Log(sys.stderr, getattr(args, "quiet", False))
    # Extraction libraries log every odd page at ERROR; newsweave reports skips itself.
    for name in ("trafilatura", "htmldate", "courlan", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        return int(args.func(args, log))
    except KeyboardInterrupt:
        log.error("interrupted; what was stored is complete, run the same command to resume")
        return EXIT_INTERRUPTED
    except NewsweaveError as exc:  # StoreError and friends: a message, no traceback
        log.error(str(exc))
        return EXIT_FAILED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        log.error(f"{exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_FAILED
    except Exception as exc:  # a bug: say so plainly, with its own exit code
        if getattr(args, "debug", False):
            traceback.print_exc()
        else:
            log.error(
                f"internal error: {type(exc).__name__}: {exc} "
                "(run again with --debug for the traceback, and please report it)"
            )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
