"""Digest speed: newsweave end to end beside sumy's LexRank on the DUC 2003 clusters.

Each system runs in its own subprocess (this script re-invoked with ``--system``), so each
reports its own peak resident memory (``ru_maxrss``). Timed work, per cluster:

* ``newsweave``: ``digest([cluster.jsonl], ingestor=ing)``: reading the JSON Lines file,
  cleaning, language identification, cross-article cleaning, segmentation and the cited
  summary. The files are written once before timing; the language model is loaded before
  timing and its load time is reported apart. Further passes time
  ``list(ing.ingest([path]))`` alone, which splits the time into ingest and the rest
  (cross-article cleaning, segmentation, summary).
  The spaCy pass (entities and quotes) and the sentence embeddings for facts (when
  newsweave[semantic] is installed) run with their models loaded once before timing; the
  spaCy pass runs in worker processes forked per story (the default ``jobs``: the cores, at
  most 4), whose peak memory is reported apart.
* ``newsweave+store``: the same, also writing every article to a fresh SQLite ``Store``
  (where the sentence embeddings are kept too).
* ``newsweave+store, again``: the same articles digested a second time into the store an
  untimed first pass filled: nothing new to store, every embedding already kept.
* ``newsweave --no-analysis``: without the spaCy pass and the embeddings (summary, timeline,
  facts and conflicts from word overlap).
* ``lexrank``: sumy's ``LexRankSummarizer`` on the cluster's documents joined into one
  text, 5 sentences, with sumy's English stemmer and stop words. sumy's default tokenizer
  needs NLTK data, so sentences come from newsweave's rule-based splitter and words from a
  regex (:class:`RegexTokenizer`).

Size rows (``bench/digest_piles.py`` says what is read and how), each in its own subprocess,
timed once, with the models loaded before timing: how the cost follows the size of a story
and of a pile.

* ``one 200-article story``: 200 Timeline17 articles of one topic as one story, default
  settings (spaCy pass and embeddings).
* ``pile --no-analysis``: every DUC and Timeline17 article (3,226 records) in one file,
  grouped into stories and digested without the model passes (spaCy, embeddings), as
  ``newsweave digest PILE --no-analysis --format json -o FILE`` does, the report written
  inside the timing.

Usage: ``python bench/digest_speed.py [--data DIR] [--limit N] [--repeat R] [--size-only]``.
Only ``DIR/duc2003/clusters.jsonl`` (``cluster_id`` and the documents' ``doc_id`` and
``text``) and, for the size rows, ``DIR/timeline17/articles.jsonl`` are read. With
``--repeat`` each DUC time is the median of R passes; ``--limit`` applies to the DUC rows.
``--size-only`` runs the size rows alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from digest_piles import SIZE_SYSTEMS, STORY_SIZE, STORY_TOPIC, bench_size, render_size
from newsweave.text.sentences import split_spans

AGAIN = "newsweave+store, again"  # the same articles digested a second time into the store
SYSTEMS = (
    "newsweave",
    "newsweave+store",
    AGAIN,
    "newsweave --no-analysis",
    "spaCy pass alone",
    "embeddings alone",
    "lexrank",
)
# The two model passes of the default digest, timed on their own on the same articles: what
# limits the end-to-end rate (not digests, so no target applies to them).
PARTS = ("spaCy pass alone", "embeddings alone")
SUMMARY_SENTENCES = 5
DATA_FILE = Path("duc2003") / "clusters.jsonl"
DEFAULT_DATA = Path("../shared/data")
TARGET_RATE = 25.0  # articles per second, end to end
TARGET_RSS_MIB = 1024.0


@dataclass(frozen=True, slots=True)
class Cluster:
    """One DUC cluster: its id and its documents as ``(doc_id, text)`` pairs."""

    cluster_id: str
    documents: tuple[tuple[str, str], ...]


class RegexTokenizer:
    """A sumy tokenizer that needs no NLTK data: newsweave's sentence splitter, word regex."""

    WORD = re.compile(r"\w+(?:['’]\w+)*")

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return tuple(text[start:end] for start, end, _, _ in split_spans(text))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(self.WORD.findall(sentence))


def default_data_dir() -> Path:
    """``../shared/data`` from the working directory, else from the repository root."""
    if DEFAULT_DATA.is_dir():
        return DEFAULT_DATA
    return Path(__file__).resolve().parent.parent / DEFAULT_DATA


def load_clusters(data_file: Path, limit: int | None) -> Iterator[Cluster]:
    """Stream the first ``limit`` clusters (all when ``None``) of a clusters.jsonl file."""
    with data_file.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            obj = json.loads(line)
            docs = tuple((str(d["doc_id"]), str(d["text"])) for d in obj["documents"])
            yield Cluster(str(obj["cluster_id"]), docs)


def write_jsonl(clusters: Iterable[Cluster], folder: Path) -> tuple[list[Path], int]:
    """One JSON Lines file per cluster (``text`` and ``title`` per document); the files and
    the number of documents written."""
    paths: list[Path] = []
    documents = 0
    for cluster in clusters:
        path = folder / f"{cluster.cluster_id}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for doc_id, text in cluster.documents:
                fh.write(json.dumps({"text": text, "title": doc_id}, ensure_ascii=False) + "\n")
        paths.append(path)
        documents += len(cluster.documents)
    return paths, documents


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakSampler:
    """Polls ``measure()`` from a thread while a step runs and keeps the largest reading
    (one is also taken on entering and on leaving), so a short peak between two reads of a
    lifetime high-water mark is still seen."""

    def __init__(self, measure: Callable[[], float], interval: float) -> None:
        self.measure = measure
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self.peak = self.measure()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.measure())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.measure())


class PssSampler(PeakSampler):
    """The proportional set size (PSS: shared pages split between the processes sharing
    them) of this process and all its children, every ``interval`` seconds: the memory the
    run and its forked workers really use together. Linux only
    (``/proc/PID/smaps_rollup``); reports 0 elsewhere."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__(self._total_kib, interval)

    @property
    def peak_kib(self) -> int:
        return int(self.peak)

    @classmethod
    def _total_kib(cls) -> float:
        me = os.getpid()
        return float(cls._pss_kib(me) + sum(cls._pss_kib(k) for k in cls._children(me)))

    @staticmethod
    def _pss_kib(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        kids: list[int] = []
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                kids += [int(x) for x in task.read_text().split()]
            except OSError:
                continue
        return kids


def peak_worker_rss_mib() -> float:
    """The largest peak resident set size of this process's finished children (the spaCy
    workers, forked from it: their pages are largely shared with it, so parent + worker is
    an upper bound on what the two use together, not an exact sum)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _embedder() -> Any:
    """The optional sentence-embedding model, or None when newsweave[semantic] is missing."""
    from newsweave.analyze.embed import Embedder, EmbeddingsUnavailable

    try:
        return Embedder()
    except EmbeddingsUnavailable:
        return None


def bench_newsweave(
    data_file: Path,
    limit: int | None,
    repeat: int,
    with_store: bool,
    analyze: bool = True,
    again: bool = False,
) -> dict[str, Any]:
    """Time ``digest`` on every cluster, ``repeat`` times; with the ingest split unless
    ``with_store``. ``analyze`` runs the spaCy pass (entities and quotes), as by default.
    ``again``: every pass digests into one store that an untimed first pass filled, as when
    a user digests the same articles a second time (stored articles, kept embeddings)."""
    from newsweave.analyze.annotate import Annotator
    from newsweave.ingest import Ingestor
    from newsweave.pipeline import DigestOptions, RunStats, digest
    from newsweave.store import Store

    with tempfile.TemporaryDirectory(prefix="newsweave-bench-") as tmp:
        folder = Path(tmp)
        paths, documents = write_jsonl(load_clusters(data_file, limit), folder)
        ingestor = Ingestor()
        start = time.perf_counter()
        ingestor.languages.load()
        annotator = Annotator() if analyze else None  # the spaCy model, loaded once
        embedder = _embedder() if analyze else None  # the MiniLM model, loaded once
        options = DigestOptions(analyze=analyze, semantic=embedder is not None)
        load_s = time.perf_counter() - start

        passes: list[float] = []
        with PssSampler() as sampler:  # the run and its workers, together
            for n in range(-1 if again else 0, repeat):
                stats = RunStats()
                name = "again.db" if again else f"pass{n}.db"
                store = Store(folder / name) if with_store else None
                if store is not None:
                    store.start_run("bench/digest_speed.py")
                start = time.perf_counter()
                for path in paths:
                    report = digest(
                        [str(path)],
                        ingestor=ingestor,
                        store=store,
                        stats=stats,
                        options=options,
                        annotator=annotator,
                        embedder=embedder,
                    )
                    if not report.stories or not report.stories[0].summary:
                        raise RuntimeError(f"{path.name}: newsweave wrote no summary")
                if n >= 0:  # pass -1 only fills the store
                    passes.append(time.perf_counter() - start)
                if store is not None:
                    store.finish_run(stats.articles, stats.stored)
                    store.close()
        if annotator is not None:
            annotator.close()  # its workers end, so their peak RSS can be read

        result: dict[str, Any] = {
            "pss_mib": sampler.peak_kib / 1024,
            "articles": documents,
            "seconds": statistics.median(passes),
            "setup_s": load_s,
            "digested": stats.articles,
            "skipped": stats.skipped,
        }
        if not with_store:
            ingest_passes: list[float] = []
            for _ in range(repeat):
                start = time.perf_counter()
                for path in paths:
                    list(ingestor.ingest([str(path)]))
                ingest_passes.append(time.perf_counter() - start)
            result["ingest_s"] = statistics.median(ingest_passes)
    return result


def bench_part(data_file: Path, limit: int | None, repeat: int, part: str) -> dict[str, Any]:
    """Time one model pass of the digest alone, per cluster, on the articles newsweave's
    ingester returns: the spaCy pass (``Annotator.annotate``: the parse in forked workers
    and what is copied out of it) or the sentence embeddings of every sentence of at least
    five words (an upper bound: the digest embeds at most 64 statements a story)."""
    from newsweave.analyze.annotate import Annotator
    from newsweave.ingest import Ingestor
    from newsweave.model import Article
    from newsweave.text.sentences import segment

    with tempfile.TemporaryDirectory(prefix="newsweave-bench-") as tmp:
        paths, documents = write_jsonl(load_clusters(data_file, limit), Path(tmp))
        ingestor = Ingestor()
        ingestor.languages.load()
        clusters = [[a for a in ingestor.ingest([str(p)]) if isinstance(a, Article)] for p in paths]
    start = time.perf_counter()
    annotator = Annotator() if part == "spaCy pass alone" else None
    embedder = _embedder() if annotator is None else None
    if annotator is None and embedder is None:
        raise RuntimeError("newsweave[semantic] is not installed")
    setup_s = time.perf_counter() - start
    passes: list[float] = []
    sentences = 0
    with PssSampler() as sampler:
        for _ in range(repeat):
            sentences = 0
            start = time.perf_counter()
            for articles in clusters:
                if annotator is not None:
                    annotator.annotate(articles)
                elif embedder is not None:
                    texts = [
                        s.text for a in articles for s in segment(a) if len(s.text.split()) >= 5
                    ]
                    sentences += len(texts)
                    embedder.encode(texts)
            passes.append(time.perf_counter() - start)
    if annotator is not None:
        annotator.close()  # its workers end, so their peak RSS can be read
    result: dict[str, Any] = {
        "articles": documents,
        "seconds": statistics.median(passes),
        "setup_s": setup_s,
        "pss_mib": sampler.peak_kib / 1024,
    }
    if annotator is None:
        result["sentences"] = sentences
    return result


def bench_lexrank(data_file: Path, limit: int | None, repeat: int) -> dict[str, Any]:
    """Time sumy's LexRank (parse + summarize) on every cluster, ``repeat`` times."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    clusters = list(load_clusters(data_file, limit))
    texts = ["\n\n".join(text for _, text in c.documents) for c in clusters]
    documents = sum(len(c.documents) for c in clusters)
    del clusters
    start = time.perf_counter()
    tokenizer = RegexTokenizer()
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    setup_s = time.perf_counter() - start

    passes: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            parser = PlaintextParser.from_string(text, tokenizer)
            if not summarizer(parser.document, SUMMARY_SENTENCES):
                raise RuntimeError("LexRank wrote no summary")
        passes.append(time.perf_counter() - start)
    return {"articles": documents, "seconds": statistics.median(passes), "setup_s": setup_s}


def run_child(
    system: str, data_dir: Path, limit: int | None, repeat: int, extra: Sequence[str] = ()
) -> dict[str, Any]:
    """Run one system in a fresh interpreter and return what it printed."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--system", system]
    cmd += ["--data", str(data_dir), "--repeat", str(repeat), *extra]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def render(results: dict[str, dict[str, Any]], clusters: int, repeat: int) -> str:
    """The Markdown table and notes printed at the end of a run."""
    rates = {name: r["articles"] / r["seconds"] for name, r in results.items()}
    lexrank_rate = rates["lexrank"]
    lines = [
        f"DUC 2003: {clusters} clusters, {results['lexrank']['articles']} articles; "
        f"{SUMMARY_SENTENCES}-sentence summaries; "
        + ("one pass" if repeat == 1 else f"median of {repeat} passes"),
        "",
        "| system | articles | seconds | articles/s | peak RSS (MiB) | worker peak RSS (MiB) "
        "| peak PSS with workers (MiB) | articles/s vs LexRank |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        pss = f"{r['pss_mib']:.0f}" if "pss_mib" in r else "-"
        lines.append(
            f"| {name} | {r['articles']} | {r['seconds']:.2f} | {rates[name]:.1f} "
            f"| {r['peak_rss_mib']:.0f} | {r['worker_rss_mib']:.0f} | {pss} "
            f"| {rates[name] / lexrank_rate:.2f}x |"
        )
    nw = results["newsweave"]
    rest = nw["seconds"] - nw["ingest_s"]
    lines += [
        "",
        f"newsweave setup (language and spaCy model load, not timed above): "
        f"{nw['setup_s']:.2f} s; "
        f"LexRank setup (stemmer, stop words): {results['lexrank']['setup_s']:.2f} s",
        f"newsweave time split: ingest (read + clean + language) {nw['ingest_s']:.2f} s "
        f"({nw['ingest_s'] / nw['seconds']:.0%}), the rest (cross-article cleaning, "
        f"segmentation, summary, timeline, spaCy entities and quotes) {rest:.2f} s "
        f"({rest / nw['seconds']:.0%})",
        f"newsweave digested {nw['digested']} articles, skipped {nw['skipped']} inputs",
    ]
    for name in PARTS:
        r = results[name]
        words = f"; {r['sentences'] / r['seconds']:.0f} sentences/s" if "sentences" in r else ""
        lines.append(
            f"{name}: {r['articles'] / r['seconds']:.1f} articles/s "
            f"({r['seconds']:.2f} s, model load {r['setup_s']:.2f} s{words})"
        )
    for name in ("newsweave", "newsweave+store", "newsweave --no-analysis"):
        r = results[name]
        memory = max(r["peak_rss_mib"], r["pss_mib"])  # PSS: the workers' shared pages split
        met = rates[name] >= TARGET_RATE and memory < TARGET_RSS_MIB
        verdict = "met" if met else "NOT met"
        lines.append(
            f"target for {name} (>= {TARGET_RATE:.0f} articles/s end to end, "
            f"< {TARGET_RSS_MIB:.0f} MiB peak with its workers): {verdict}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (../shared/data)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    parser.add_argument("--repeat", type=int, default=1, help="passes per system (median)")
    parser.add_argument("--size-only", action="store_true", help="only the story and pile rows")
    parser.add_argument("--topic", default=STORY_TOPIC, help="Timeline17 topic of the story")
    parser.add_argument("--story-size", type=int, default=STORY_SIZE, help="articles in it")
    parser.add_argument("--system", choices=SYSTEMS + SIZE_SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.limit is not None and args.limit < 1):
        parser.error("--repeat and --limit must be at least 1")

    data_dir: Path = args.data if args.data is not None else default_data_dir()
    data_file = data_dir / DATA_FILE
    if not data_file.is_file():
        print(
            f"digest_speed: {data_file} not found; point --data at the folder holding {DATA_FILE}",
            file=sys.stderr,
        )
        return 2

    if args.system is not None:
        if args.system in SIZE_SYSTEMS:
            result = bench_size(data_dir, args.system, args.story_size, args.topic)
        elif args.system == "lexrank":
            result = bench_lexrank(data_file, args.limit, args.repeat)
        elif args.system in PARTS:
            result = bench_part(data_file, args.limit, args.repeat, args.system)
        else:
            again = args.system == AGAIN
            with_store = args.system in ("newsweave+store", AGAIN)
            analyze = args.system != "newsweave --no-analysis"
            result = bench_newsweave(data_file, args.limit, args.repeat, with_store, analyze, again)
        result["peak_rss_mib"] = peak_rss_mib()
        result["worker_rss_mib"] = peak_worker_rss_mib()
        print(json.dumps(result))
        return 0

    if not args.size_only:
        clusters = sum(1 for _ in load_clusters(data_file, args.limit))
        results = {name: run_child(name, data_dir, args.limit, args.repeat) for name in SYSTEMS}
        print(render(results, clusters, args.repeat) + "\n")
    extra = ["--topic", args.topic, "--story-size", str(args.story_size)]
    sized = {name: run_child(name, data_dir, None, 1, extra) for name in SIZE_SYSTEMS}
    print(render_size(sized, args.story_size, args.topic))
    return 0


if __name__ == "__main__":
    sys.exit(main())
