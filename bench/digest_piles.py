"""The size rows of ``bench/digest_speed.py``: one large story, and a pile of 3,000+ articles.

* **story**: the first ``size`` (200) articles of one Timeline17 topic (``H1N1_reuters``
  unless told otherwise) in the order of ``DIR/timeline17/articles.jsonl``, digested as one
  story with the default settings: the spaCy pass, the sentence embeddings, summary,
  timeline, facts and conflicts.
* **pile**: every document of ``DIR/duc2003/clusters.jsonl`` and every article of
  ``DIR/timeline17/articles.jsonl`` in one JSON Lines file, digested with
  ``--no-analysis`` (no spaCy pass, no sentence embeddings): grouped into stories, each
  summarised, with its timeline, facts and conflicts (stories analysed in forked workers,
  the default ``jobs``); the report is then written as JSON to a file, as
  ``newsweave digest PILE --no-analysis --format json -o FILE`` does.

Only these files and fields are read: Timeline17 ``topic``, ``id``, ``date`` and ``text``;
DUC the documents' ``doc_id`` and ``text`` (the date ``doc_id`` encodes,
``APW19990519.0113`` -> 1999-05-19, is the publication date). Records with an empty text
are written too: the ingester skips them, as it would in a user's pile.
"""

from __future__ import annotations

import json
import re
import resource
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

STORY = "one 200-article story"
PILE = "pile --no-analysis"
SIZE_SYSTEMS = (STORY, PILE)
SIZE_RSS_MIB = 1536.0  # memory target (1.5 GB), workers included
SIZE_RATE = 25.0  # the piles' target, articles per second end to end
T17_FILE = Path("timeline17") / "articles.jsonl"
DUC_FILE = Path("duc2003") / "clusters.jsonl"
STORY_TOPIC = "H1N1_reuters"
STORY_SIZE = 200
DOC_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def duc_records(data_dir: Path) -> Iterator[dict[str, str]]:
    """Every DUC 2003 document as an input record (text, title, published when known)."""
    with (data_dir / DUC_FILE).open(encoding="utf-8") as fh:
        for line in fh:
            for doc in json.loads(line)["documents"]:
                record = {"text": str(doc["text"]), "title": str(doc["doc_id"])}
                m = DOC_DATE.search(str(doc["doc_id"]))
                if m:
                    record["published"] = f"{m[1]}-{m[2]}-{m[3]}"
                yield record


def t17_records(data_dir: Path, topic: str | None = None) -> Iterator[dict[str, str]]:
    """Timeline17 articles (of one topic, when given) as input records."""
    with (data_dir / T17_FILE).open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            if topic is not None and obj["topic"] != topic:
                continue
            yield {
                "text": str(obj["text"]),
                "title": f"{obj['topic']}/{obj['id']}",
                "published": str(obj["date"]),
            }


def write_records(records: Iterable[dict[str, str]], path: Path) -> int:
    """Write records as JSON Lines; how many were written."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def story_file(data_dir: Path, folder: Path, size: int, topic: str) -> Path:
    """The story's input: the first ``size`` articles of ``topic`` with some text."""
    chosen = []
    for record in t17_records(data_dir, topic):
        if record["text"].strip():
            chosen.append(record)
        if len(chosen) == size:
            break
    if len(chosen) < size:
        raise RuntimeError(f"{topic} has only {len(chosen)} articles with text, not {size}")
    path = folder / "story.jsonl"
    write_records(chosen, path)
    return path


def pile_file(data_dir: Path, folder: Path) -> tuple[Path, int]:
    """The pile's input (every DUC and Timeline17 record) and how many records it holds."""
    path = folder / "pile.jsonl"
    records = write_records([*duc_records(data_dir), *t17_records(data_dir)], path)
    return path, records


def _cpu_s() -> float:
    """CPU seconds used so far by this process (all its threads) and its ended children (the
    spaCy workers): less sensitive than wall time to other work on a shared machine."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def digest_file(
    path: Path, *, one_story: bool, analyze: bool, semantic: bool, render: bool
) -> dict[str, Any]:
    """Load the models (timed apart), then digest ``path`` once (and render the report as
    JSON when ``render``): the timings, and the size of what came out."""
    from newsweave.analyze.annotate import Annotator
    from newsweave.analyze.embed import Embedder, EmbeddingsUnavailable
    from newsweave.ingest import Ingestor
    from newsweave.pipeline import DigestOptions, RunStats, digest
    from newsweave.render.json import json_chunks

    start = time.perf_counter()
    ingestor = Ingestor()
    ingestor.languages.load()
    annotator = Annotator() if analyze else None
    embedder = None
    if semantic:
        try:
            embedder = Embedder()
        except EmbeddingsUnavailable:
            embedder = None
    setup_s = time.perf_counter() - start
    options = DigestOptions(analyze=analyze, semantic=embedder is not None, one_story=one_story)
    stats = RunStats()
    cpu = _cpu_s()
    start = time.perf_counter()
    try:
        report = digest(
            [str(path)],
            ingestor=ingestor,
            options=options,
            stats=stats,
            annotator=annotator,
            embedder=embedder,
        )
        digest_s = time.perf_counter() - start
        if render:
            with path.with_suffix(".json").open("w", encoding="utf-8") as fh:
                fh.writelines(json_chunks(report))
    finally:
        if annotator is not None:
            annotator.close()  # its workers end, so their peak RSS can be read
    seconds = time.perf_counter() - start
    sizes = sorted((len(s.articles) for s in report.stories), reverse=True)
    return {
        "articles": stats.articles,
        "skipped": stats.skipped,
        "seconds": seconds,
        "cpu_s": _cpu_s() - cpu,
        "digest_s": digest_s,
        "setup_s": setup_s,
        "stories": len(sizes),
        "largest": sizes[0] if sizes else 0,
        "semantic": embedder is not None,
    }


def bench_size(data_dir: Path, system: str, size: int, topic: str) -> dict[str, Any]:
    """One size row: write its input, then digest it once with the peak PSS sampled."""
    from digest_speed import PssSampler  # one sampler for every bench (imported late: cycle)

    with tempfile.TemporaryDirectory(prefix="newsweave-bench-") as tmp:
        if system == STORY:
            path = story_file(data_dir, Path(tmp), size, topic)
        else:
            path, _ = pile_file(data_dir, Path(tmp))
        with PssSampler() as sampler:  # the run and its workers, together
            result = digest_file(
                path,
                one_story=system == STORY,
                analyze=system == STORY,
                semantic=system == STORY,
                render=system != STORY,
            )
    result["pss_mib"] = sampler.peak_kib / 1024
    return result


def render_size(results: dict[str, dict[str, Any]], size: int, topic: str) -> str:
    """The size rows' table and targets."""
    lines = [
        f"Size rows: {size} articles of Timeline17 {topic} as one story (default settings); "
        "every DUC 2003 and Timeline17 record as one pile without the spaCy pass "
        "(report rendered as JSON); one pass each",
        "",
        "| system | articles | stories | largest story | seconds | CPU seconds | articles/s "
        "| peak RSS (MiB) | worker peak RSS (MiB) | peak PSS with workers (MiB) | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in results.items():
        rate = r["articles"] / r["seconds"]
        memory = max(r["peak_rss_mib"], r["pss_mib"])
        met = memory < SIZE_RSS_MIB and (name == STORY or rate >= SIZE_RATE)
        lines.append(
            f"| {name} | {r['articles']} | {r['stories']} | {r['largest']} | {r['seconds']:.1f} "
            f"| {r['cpu_s']:.1f} | {rate:.1f} | {r['peak_rss_mib']:.0f} | {r['worker_rss_mib']:.0f} "
            f"| {r['pss_mib']:.0f} | {'met' if met else 'NOT met'} |"
        )
    lines += [
        "",
        f"targets: the story under {SIZE_RSS_MIB:.0f} MiB peak with its workers; each pile "
        f">= {SIZE_RATE:.0f} articles/s end to end and under {SIZE_RSS_MIB:.0f} MiB",
    ]
    for name, r in results.items():
        lines.append(
            f"{name}: model load {r['setup_s']:.1f} s (not timed), digest {r['digest_s']:.1f} s "
            f"of {r['seconds']:.1f} s, {r['skipped']} inputs skipped, embeddings "
            + ("on" if r["semantic"] else "off")
        )
    return "\n".join(lines)
