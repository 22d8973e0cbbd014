"""Stories at scale: speed and memory of near-duplicate detection and story grouping (issue 6).

Why: a newsroom feed holds tens of thousands of articles a day, many of them syndicated or
lightly edited copies of one another. Deduplication and story grouping run over the whole
pile, so their cost must grow close to linearly with it. Issue 6 asks for at least 1,000
articles/s for dedup + grouping at 100k articles, a growth exponent k <= 1.15 (time ~ n^k)
and under 4 GB peak memory at 100k.

The piles (1k, 10k and 100k articles by default, ``--sizes``) are sampled from the dev data:
every document of ``DIR/timeline17/articles.jsonl`` (``text``; ``date`` as published),
``DIR/duc2003/clusters.jsonl`` (the documents' ``text``; the date their ``doc_id`` encodes,
``APW19990519.0113`` -> 1999-05-19) and
``DIR/story_clustering_derived/ecbplus_docs_with_event_labels.jsonl`` (``text``; no date).
Only those files and fields are read. Each document is ingested once, through newsweave's
own ``Ingestor().ingest`` on a temporary JSON Lines file (``text`` and ``published``);
documents the ingester skips, and exact repeats (the same content id), are left out. What
is left is the pool of distinct source articles.

A pile of n articles draws n times from the pool, with replacement (seeded: ``--seed`` and
n). The first draw of a source is the ingested article itself; every later draw is a
varied copy, a near-duplicate rather than an exact one. The variation recipe, per copy:

* the end is trimmed with probability 1/2 when the source has at least 6 sentences: the
  last 1 to max(1, sentences // 10) sentences (newsweave's sentence splitter) are dropped;
* 1 to max(1, words // 150) words of at least 3 letters are each replaced by a common news
  word (``reportedly``, ``officials``, ...), keeping an initial capital;
* a new headline (a prefix such as ``UPDATE:`` and the first 6 to 10 words of the first
  sentence) becomes the ``title``, and with probability 1/2 is also the text's first line;
* with probability 1/2 a boilerplate line is appended (``Read more: https://...``,
  ``(c) 2024 Outlet 7. All rights reserved.``, ...);
* ``outlet`` and ``url`` name one of 50 made-up outlets; ``published`` moves 0 to 2 days
  later (when the source has a date).

With ``--variation rewrites`` every later draw is instead a rewrite: a distinct article on
the same story, not a near-duplicate, so that the grouping proper (not the dedup) sees the
whole pile, as in a feed of many outlets writing their own copy. Per rewrite: each sentence
of the source is kept with probability 0.6 (at least one), in order; one word in 12 of at
least 3 letters is replaced by a common news word; headline, outlet, url as above, and
``published`` moves 0 to 3 days later. Its 5-gram Jaccard with the source is far under
0.7 (the pile table shows it), so few rewrites are found as copies.

A copy (or rewrite) is ``dataclasses.replace`` of the ingested source with that text as both
``original_text`` and ``clean_text`` (so ``removed`` is empty and ``offsets`` is the
identity map: offsets stay consistent), and a fresh id from ``newsweave.model.content_id``
(sha256 of text, title, outlet and url, 16 hex digits, as the ingester makes them). The
copies skip the ingester on purpose: ingestion is not what is measured, and 100k ingests
would take longer than the step measured. Each pile's row says how many distinct sources it
holds, and the exact 5-gram Jaccard of a sample of copies with their source (how near the
near-duplicates are).

Systems, each size in a fresh subprocess (this script re-invoked with ``--system``), so
that the peak resident memory (the child's ``VmHWM``: Python, numpy and Rust allocations
alike) is per system and size. Not ``ru_maxrss``: on Linux it survives ``exec``, so a
child would report at least its parent's peak at the time it was started. The child loads
the pickled pool, builds its pile (not timed), calls the measured functions once on the
first 50 articles (not timed: imports and one-off setup such as the word-frequency table),
collects garbage and reads its resident memory; then:

* ``newsweave``: ``find_duplicates(articles)`` (``newsweave.group.duplicates``) alone, then
  ``group_articles(articles)`` (``newsweave.group.stories``), which deduplicates itself
  before grouping. So ``group_articles``'s time is dedup + grouping: it is the row's
  seconds and articles/s; ``find_duplicates``'s is shown beside it (grouping alone is
  about the difference). The numbers of duplicates (and exact ones) and of groups are a
  sanity check: a pile of n articles from d distinct sources holds n - d varied copies.
* ``rensa``: the MinHash step alone, from the library newsweave's dedup builds on, as an
  anchor for the overhead of newsweave's own steps: word 5-gram shingles of each
  ``clean_text`` (lowercased; words as newsweave's dedup finds them: runs of letters and
  digits, inner apostrophes kept), ``RMinHash(num_perm=128, seed=42)``, an
  ``RMinHashLSH(threshold=0.7, num_perm=128, num_bands=16)`` index (16 bands of 8 rows:
  the S-curve's midpoint (1/16)^(1/8) is 0.71), every article inserted and then queried.
  It counts the candidate pairs, the pairs whose MinHash Jaccard estimate is >= 0.7, and
  the articles with such a match earlier in the pile (comparable to newsweave's duplicates).
  Shingling (Python) and MinHash (Rust) are timed apart.

Reported per size and system: seconds, articles/s, the peak RSS of the whole child
(``VmHWM``; at small sizes it is set by loading the pool, not by the step), the RSS
with the pile loaded just before the timed step, and the growth during the step: the
highest RSS seen by a thread polling ``/proc/self/statm`` every 10 ms (or ``VmHWM`` when
that rose during the step) minus the RSS before it; and the peak PSS (proportional set
size: shared pages split between the processes sharing them) of the child together with
the worker processes it forks during the step (newsweave computes the term vectors of a
pile of 20,000 articles or more in forked workers), sampled every 0.1 s from
``/proc/PID/smaps_rollup``. The target check takes the larger of the two peaks. Per
system, k is the
least-squares slope of log(seconds) against log(n) over the sizes. A system that runs past
``--timeout`` (or fails) at one size is not run at the larger ones.

Usage: ``python bench/stories_scale.py [--data DIR] [--sizes 1000,10000,100000]
[--systems newsweave,rensa] [--variation copies|rewrites] [--seed S] [--repeat R]
[--timeout SECONDS] [--pool-cache FILE] [--quiet]``. With ``--repeat`` each time is the median of R passes in
the same child. Ingesting the pool takes about a minute; ``--pool-cache`` keeps it in a
file and reuses it while the data files and newsweave's ingest, cleaning and model code are
unchanged (a hash of them is stored with it).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import hashlib
import importlib
import json
import math
import pickle
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from digest_speed import PeakSampler, PssSampler  # one polling thread, two measures
from newsweave.model import Article, OffsetMap, content_id
from summary_quality import command_line, id_date  # one definition for every bench

SYSTEMS = ("newsweave", "rensa")
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_DATA = Path("../shared/data")
TIMELINE17 = Path("timeline17") / "articles.jsonl"
DUC2003 = Path("duc2003") / "clusters.jsonl"
ECBPLUS = Path("story_clustering_derived") / "ecbplus_docs_with_event_labels.jsonl"
DATA_FILES = (TIMELINE17, DUC2003, ECBPLUS)
INGEST_CODE = ("ingest", "clean", "text")  # newsweave folders whose code shapes the pool

# The anchor's MinHash settings (those newsweave's dedup is described with).
SHINGLE_WORDS = 5
NUM_PERM = 128
MINHASH_SEED = 42
LSH_THRESHOLD = 0.7
LSH_BANDS = 16
SHINGLE_WORD = re.compile(r"\w+(?:['’]\w+)*")  # the words newsweave's dedup shingles

# The variation recipe.
OUTLETS = 50
MIN_SENTENCES_TO_TRIM = 6
WORDS_PER_CHANGE = 150
VARIATIONS = ("copies", "rewrites")
REWRITE_KEEP = 0.6  # share of the source's sentences a rewrite keeps
REWRITE_WORDS_PER_CHANGE = 12
WORD = re.compile(r"\b[^\W\d_]{3,}\b")
REPLACEMENTS = (
    "reportedly",
    "officials",
    "several",
    "recently",
    "major",
    "local",
    "early",
    "later",
    "also",
    "nearly",
    "sources",
    "critics",
)
HEADLINE_PREFIXES = ("", "", "UPDATE: ", "Breaking: ", "Analysis: ", "Live: ", "Report: ")
BOILERPLATE = (
    "Read more: https://outlet{outlet}.example.com/news/{serial}",
    "(c) 2024 Outlet {outlet}. All rights reserved.",
    "Follow Outlet {outlet} on social media for the latest updates.",
    "This article was updated with additional reporting.",
)

WARMUP_ARTICLES = 50
JACCARD_SAMPLE = 300
TARGET_RATE = 1_000.0  # articles per second, dedup + grouping, at the largest target size
TARGET_SIZE = 100_000
TARGET_K = 1.15
TARGET_RSS_MIB = 4096.0


@dataclass(frozen=True, slots=True)
class Source:
    """One distinct ingested article of the pool, with its sentence ends in ``clean_text``."""

    article: Article
    origin: str  # the data file it came from
    ends: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Pile:
    """A sampled pile: the articles and, for each, the index of its source in the pool."""

    articles: list[Article]
    sources: list[int]
    distinct: int


# -- the pool ---------------------------------------------------------------------------------


def default_data_dir() -> Path:
    """``../shared/data`` from the working directory, else from the repository root."""
    if DEFAULT_DATA.is_dir():
        return DEFAULT_DATA
    return Path(__file__).resolve().parent.parent / DEFAULT_DATA


def read_documents(data_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """``(origin, record for the ingester)`` for every source document of the three files."""
    with (data_dir / TIMELINE17).open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            record = {"text": str(obj["text"])}
            if obj.get("date"):
                record["published"] = str(obj["date"])
            yield "timeline17", record
    with (data_dir / DUC2003).open(encoding="utf-8") as fh:
        for line in fh:
            for doc in json.loads(line)["documents"]:
                record = {"text": str(doc["text"])}
                published = id_date(str(doc["doc_id"]))
                if published is not None:
                    record["published"] = published.isoformat()
                yield "duc2003", record
    with (data_dir / ECBPLUS).open(encoding="utf-8") as fh:
        for line in fh:
            yield "ecbplus", {"text": str(json.loads(line)["text"])}


def ingest_pool(data_dir: Path) -> tuple[list[Source], dict[str, int]]:
    """Ingest every source document once; the distinct articles and counts for the report."""
    from newsweave.ingest import Ingestor
    from newsweave.text.sentences import split_spans

    origins: list[str] = []
    counts: dict[str, int] = {"documents": 0, "skipped": 0, "repeats": 0}
    pool: list[Source] = []
    seen: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="newsweave-scale-") as tmp:
        path = Path(tmp) / "sources.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for origin, record in read_documents(data_dir):
                origins.append(origin)
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        counts["documents"] = len(origins)
        for n, item in enumerate(Ingestor().ingest([str(path)])):
            if not isinstance(item, Article):
                counts["skipped"] += 1
                continue
            if item.id in seen:
                counts["repeats"] += 1
                continue
            seen.add(item.id)
            line = int(str(item.path).rsplit(":", 1)[1]) if item.path else n + 1
            ends = tuple(end for _, end, _, _ in split_spans(item.clean_text))
            pool.append(Source(item, origins[line - 1], ends))
    for origin in ("timeline17", "duc2003", "ecbplus"):
        counts[origin] = sum(1 for s in pool if s.origin == origin)
    return pool, counts


def pool_key(data_dir: Path) -> str:
    """What a pool depends on: the data files (size, mtime) and newsweave's ingest code."""
    import newsweave

    digest = hashlib.sha256()
    for name in DATA_FILES:
        st = (data_dir / name).stat()
        digest.update(f"{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    root = Path(newsweave.__file__).parent
    code = [root / "model.py", *(p for d in INGEST_CODE for p in (root / d).glob("*.py"))]
    for path in sorted(code):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def save_pool(path: Path, key: str, pool: list[Source], counts: dict[str, int]) -> None:
    """Pickle the pool as plain tuples (``Source`` may live in ``__main__``)."""
    rows = [(s.article, s.origin, s.ends) for s in pool]
    with path.open("wb") as fh:
        pickle.dump({"key": key, "pool": rows, "counts": counts}, fh, pickle.HIGHEST_PROTOCOL)


def load_pool(path: Path, key: str | None = None) -> tuple[list[Source], dict[str, int]] | None:
    """The pool pickled at ``path``; None when it was made from other data or code."""
    with path.open("rb") as fh:
        saved: dict[str, Any] = pickle.load(fh)
    if key is not None and saved.get("key") != key:
        return None
    return [Source(*row) for row in saved["pool"]], saved["counts"]


# -- the pile ---------------------------------------------------------------------------------


def replace_word(word: str, rng: random.Random) -> str:
    """A common news word in place of ``word``, capitalised like it."""
    new = rng.choice(REPLACEMENTS)
    return new.capitalize() if word[:1].isupper() else new


def vary(source: Source, rng: random.Random, serial: int) -> Article:
    """A near-duplicate copy of ``source`` by the recipe in the module docstring."""
    article = source.article
    text = article.clean_text
    ends = source.ends
    cut = len(text)
    if len(ends) >= MIN_SENTENCES_TO_TRIM and rng.random() < 0.5:
        drop = rng.randint(1, max(1, len(ends) // 10))
        cut = ends[-1 - drop]
    body = text[:cut].rstrip()
    words = body.count(" ") + body.count("\n") + 1
    for _ in range(rng.randint(1, max(1, words // WORDS_PER_CHANGE))):
        m = WORD.search(body, rng.randrange(len(body))) or WORD.search(body)
        if m is not None:
            body = body[: m.start()] + replace_word(m.group(), rng) + body[m.end() :]
    first_sentence = text[: ends[0]] if ends else text
    headline = rng.choice(HEADLINE_PREFIXES) + " ".join(
        first_sentence.split()[: rng.randint(6, 10)]
    )
    outlet_no = rng.randrange(OUTLETS)
    lines = [headline, body] if rng.random() < 0.5 else [body]
    if rng.random() < 0.5:
        lines.append(rng.choice(BOILERPLATE).format(outlet=outlet_no, serial=serial))
    later = rng.randint(0, 2) if article.published is not None else 0
    return drawn(article, "\n".join(lines), headline, outlet_no, serial, later)


def drawn(
    article: Article, text: str, headline: str, outlet_no: int, serial: int, days_later: int
) -> Article:
    """The source article with a new text, headline, outlet, url and date (and a new id)."""
    outlet = f"Outlet {outlet_no}"
    url = f"https://outlet{outlet_no}.example.com/news/{serial}"
    published = article.published
    if published is not None:
        published += timedelta(days=days_later)
    return dataclasses.replace(
        article,
        id=content_id(text, title=headline, outlet=outlet, url=url),
        original_text=text,
        clean_text=text,
        path=None,
        url=url,
        outlet=outlet,
        title=headline,
        published=published,
        removed=(),
        offsets=OffsetMap(),
        notes=(),
    )


def rewrite(source: Source, rng: random.Random, serial: int) -> Article:
    """A distinct article on the source's story, by the rewrite recipe in the docstring."""
    article = source.article
    text = article.clean_text
    starts = (0, *source.ends[:-1])
    sentences = [text[a:b].strip() for a, b in zip(starts, source.ends, strict=True)] or [text]
    kept = [x for x in sentences if rng.random() < REWRITE_KEEP] or sentences[:1]
    words = " ".join(kept).split(" ")
    for _ in range(max(1, len(words) // REWRITE_WORDS_PER_CHANGE)):
        k = rng.randrange(len(words))
        if WORD.fullmatch(words[k]):
            words[k] = replace_word(words[k], rng)
    body = " ".join(words)
    headline = rng.choice(HEADLINE_PREFIXES) + " ".join(body.split()[: rng.randint(6, 10)])
    outlet_no = rng.randrange(OUTLETS)
    later = rng.randint(0, 3) if article.published is not None else 0
    return drawn(article, body, headline, outlet_no, serial, later)


def build_pile(pool: Sequence[Source], n: int, seed: int, variation: str = "copies") -> Pile:
    """``n`` draws from the pool with replacement: first draws as ingested, later ones varied
    (near-duplicate copies, or rewrites)."""
    make = rewrite if variation == "rewrites" else vary
    rng = random.Random(f"{seed}:{n}")
    ids = {s.article.id for s in pool}
    drawn: set[int] = set()
    articles: list[Article] = []
    sources: list[int] = []
    for serial in range(n):
        k = rng.randrange(len(pool))
        if k not in drawn:
            drawn.add(k)
            article = pool[k].article
        else:
            article = make(pool[k], rng, serial)
            while article.id in ids:  # never seen: the url holds the serial
                article = make(pool[k], rng, serial)
        ids.add(article.id)
        articles.append(article)
        sources.append(k)
    return Pile(articles, sources, len(drawn))


def shingles(text: str) -> list[str]:
    """Word 5-grams of the lowercased text, repeats kept (the whole text when it is shorter)."""
    words = SHINGLE_WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words)]
    return list(map(" ".join, zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)))


def jaccard_sample(pool: Sequence[Source], pile: Pile, seed: int) -> dict[str, Any]:
    """Exact 5-gram Jaccard of a sample of varied copies with their source."""
    copies = [i for i, a in enumerate(pile.articles) if a.id != pool[pile.sources[i]].article.id]
    if not copies:
        return {"copies": 0, "sampled": 0, "mean": None, "at_least": None}
    picked = random.Random(seed).sample(copies, min(JACCARD_SAMPLE, len(copies)))
    values = []
    for i in picked:
        a = set(shingles(pile.articles[i].clean_text))
        b = set(shingles(pool[pile.sources[i]].article.clean_text))
        values.append(len(a & b) / len(a | b))
    return {
        "copies": len(copies),
        "sampled": len(values),
        "mean": statistics.fmean(values),
        "at_least": sum(v >= LSH_THRESHOLD for v in values) / len(values),
    }


# -- the systems ------------------------------------------------------------------------------


def current_rss_mib() -> float:
    """This process's resident set size now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return peak_rss_mib()
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    """This process's peak resident set size: ``VmHWM`` (Linux), else ``ru_maxrss``.

    ``ru_maxrss`` survives ``exec``: a child started from a parent holding 800 MiB reports
    at least 800 MiB, whatever it uses itself. ``VmHWM`` is the high-water mark of the
    process's own memory map, so it counts the child alone."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class RssSampler(PeakSampler):
    """This process's resident memory, polled every 10 ms: the peak while a step runs, even
    when the process's lifetime peak (``VmHWM``) was reached before it."""

    def __init__(self, interval: float = 0.01) -> None:
        super().__init__(current_rss_mib, interval)


Step = Callable[[Sequence[Article]], tuple[dict[str, float], dict[str, Any]]]


def newsweave_step() -> Step:
    """``find_duplicates`` alone, then ``group_articles`` (which deduplicates itself: its time
    is dedup + grouping); returns both times and what they found."""
    # Imported by name: the bench must load (and type-check) in a checkout without them.
    find_duplicates = importlib.import_module("newsweave.group.duplicates").find_duplicates
    group_articles = importlib.import_module("newsweave.group.stories").group_articles

    def step(articles: Sequence[Article]) -> tuple[dict[str, float], dict[str, Any]]:
        start = time.perf_counter()
        duplicates = find_duplicates(articles)
        dedup_s = time.perf_counter() - start
        start = time.perf_counter()
        groups = group_articles(articles)
        group_s = time.perf_counter() - start
        sizes = [len(g) for g in groups]
        found = {
            "duplicates": len(duplicates),
            "exact": sum(1 for d in duplicates if d.exact),
            "groups": len(groups),
            "multi": sum(1 for s in sizes if s > 1),
            "largest": max(sizes, default=0),
            "grouped": sum(sizes),
        }
        parts = {"find_duplicates": dedup_s, "group_articles": group_s}
        return parts, found

    return step


def rensa_step() -> Step:
    """Shingles and MinHash, LSH insert, LSH query with a Jaccard check of each candidate."""
    rensa = importlib.import_module("rensa")  # no type information in the package

    def step(articles: Sequence[Article]) -> tuple[dict[str, float], dict[str, Any]]:
        shingle_s = minhash_s = 0.0
        hashes: list[Any] = []
        for article in articles:  # one article's shingles at a time: 100k lists would not fit
            start = time.perf_counter()
            tokens = shingles(article.clean_text)
            middle = time.perf_counter()
            mh = rensa.RMinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
            mh.update(tokens)
            hashes.append(mh)
            shingle_s += middle - start
            minhash_s += time.perf_counter() - middle
        start = time.perf_counter()
        lsh = rensa.RMinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, num_bands=LSH_BANDS)
        for i, mh in enumerate(hashes):
            lsh.insert(i, mh)
        insert_s = time.perf_counter() - start
        start = time.perf_counter()
        candidates = similar = 0
        matched = bytearray(len(hashes))  # 1: similar to an earlier article
        for i, mh in enumerate(hashes):
            for j in lsh.query(mh):
                if j > i:  # each pair once, from its earlier article
                    candidates += 1
                    if mh.jaccard(hashes[j]) >= LSH_THRESHOLD:
                        similar += 1
                        matched[j] = 1
        query_s = time.perf_counter() - start
        found = {"candidates": candidates, "similar": similar, "matched": sum(matched)}
        parts = {"shingles": shingle_s, "minhash": minhash_s, "insert": insert_s, "query": query_s}
        return parts, found

    return step


STEPS: dict[str, Callable[[], Step]] = {"newsweave": newsweave_step, "rensa": rensa_step}


def total(system: str, parts: dict[str, float]) -> float:
    """The step's time: ``group_articles`` for newsweave (it runs dedup and grouping), else
    the sum of the parts."""
    return parts["group_articles"] if system == "newsweave" else sum(parts.values())


def bench_child(
    system: str, pool_file: Path, n: int, seed: int, repeat: int, variation: str
) -> dict[str, Any]:
    """Build the pile, then time one system on it ``repeat`` times (in this process)."""
    loaded = load_pool(pool_file)  # no key: never None
    if loaded is None:
        raise RuntimeError(f"{pool_file}: no pool")
    pool = loaded[0]
    start = time.perf_counter()
    pile = build_pile(pool, n, seed, variation)
    build_s = time.perf_counter() - start
    sample = jaccard_sample(pool, pile, seed)
    del pool
    step = STEPS[system]()
    step(pile.articles[:WARMUP_ARTICLES])  # imports and one-off setup, not timed
    gc.collect()
    rss_before = current_rss_mib()
    peak_before = peak_rss_mib()
    passes: list[dict[str, float]] = []
    found: dict[str, Any] = {}
    with RssSampler() as sampler, PssSampler() as pss:
        for _ in range(repeat):
            parts, found = step(pile.articles)
            passes.append(parts)
    peak = peak_rss_mib()
    step_peak = max(sampler.peak, peak) if peak > peak_before else sampler.peak
    parts = {k: statistics.median(p[k] for p in passes) for k in passes[0]}
    return {
        "system": system,
        "articles": n,
        "distinct": pile.distinct,
        "text_mib": sum(len(a.clean_text) for a in pile.articles) / 2**20,
        "build_s": build_s,
        "jaccard": sample,
        "seconds": statistics.median(total(system, p) for p in passes),
        "parts": parts,
        "found": found,
        "peak_rss_mib": peak,
        "peak_pss_mib": pss.peak_kib / 1024,
        "rss_before_mib": rss_before,
        "step_mib": max(0.0, step_peak - rss_before),
    }


Outcome = dict[str, Any] | str  # a child's result, or why there is none


def measured(
    results: dict[tuple[str, int], Outcome], key: tuple[str, int]
) -> dict[str, Any] | None:
    """The result for ``(system, size)``, None when it was not measured."""
    r = results.get(key)
    return r if isinstance(r, dict) else None


def run_child(
    system: str, pool_file: Path, n: int, seed: int, repeat: int, timeout: float, variation: str
) -> Outcome:
    """Run one system on one pile in a fresh interpreter: its result, or why there is none."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--system", system]
    cmd += ["--pool", str(pool_file), "--sizes", str(n), "--seed", str(seed)]
    cmd += ["--repeat", str(repeat), "--variation", variation]
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"timed out (> {timeout:.0f} s)"
    except subprocess.CalledProcessError as exc:
        return f"failed (exit status {exc.returncode}; its error is above)"
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# -- the report -------------------------------------------------------------------------------


def growth_exponent(points: Sequence[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) against log(n); None with fewer than 2 sizes."""
    if len({n for n, _ in points}) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(s, 1e-9)) for _, s in points]
    return statistics.linear_regression(xs, ys).slope


def split_text(r: dict[str, Any]) -> str:
    parts = r["parts"]
    if r["system"] == "newsweave":
        return (
            f"find_duplicates {parts['find_duplicates']:.2f}; "
            f"group_articles {parts['group_articles']:.2f} (its own dedup included)"
        )
    return " + ".join(f"{k} {v:.2f}" for k, v in parts.items())


def found_text(r: dict[str, Any]) -> str:
    f = r["found"]
    if r["system"] == "newsweave":
        return (
            f"{f['duplicates']} duplicates ({f['exact']} exact); {f['groups']} groups, "
            f"{f['multi']} of 2+, largest {f['largest']}"
        )
    return (
        f"{f['candidates']} candidate pairs, {f['similar']} with estimate >= {LSH_THRESHOLD}; "
        f"{f['matched']} articles match an earlier one"
    )


def render(
    results: dict[tuple[str, int], Outcome],
    systems: Sequence[str],
    sizes: Sequence[int],
    counts: dict[str, int],
    pool_size: int,
    seed: int,
    repeat: int,
    variation: str = "copies",
) -> str:
    """The Markdown tables and notes printed at the end of a run."""
    later = "rewrites" if variation == "rewrites" else "varied copies"
    lines = [
        f"Pool: {pool_size} distinct ingested articles ({counts['timeline17']} Timeline17, "
        f"{counts['duc2003']} DUC 2003, {counts['ecbplus']} ECB+) of {counts['documents']} "
        f"documents ({counts['skipped']} skipped by the ingester, {counts['repeats']} exact "
        f"repeats); later draws: {later}; seed {seed}; "
        + ("one pass" if repeat == 1 else f"median of {repeat} passes"),
        "",
        f"| articles | distinct sources | {later} | text (MiB) | their 5-gram Jaccard "
        f"with source: mean, share >= {LSH_THRESHOLD} | RSS with pile loaded (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in sizes:
        piles = [r for s in systems if (r := measured(results, (s, n))) is not None]
        if not piles:
            lines.append(f"| {n} | - | - | - | - | - |")
            continue
        r = piles[0]
        j = r["jaccard"]
        jac = (
            "-" if j["mean"] is None else f"{j['mean']:.2f}, {j['at_least']:.0%} of {j['sampled']}"
        )
        rss = min(p["rss_before_mib"] for p in piles)
        lines.append(
            f"| {n} | {r['distinct']} | {n - r['distinct']} | {r['text_mib']:.0f} | {jac} "
            f"| {rss:.0f} |"
        )
    lines += [
        "",
        "| system | articles | seconds | time split (s) | articles/s | peak RSS (MiB) "
        "| peak PSS with workers (MiB) | RSS growth in step (MiB) | found |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for system in systems:
        for n in sizes:
            if (system, n) not in results:
                continue
            outcome = results[(system, n)]
            if isinstance(outcome, str):
                lines.append(f"| {system} | {n} | - | {outcome} | - | - | - | - | - |")
                continue
            lines.append(
                f"| {system} | {n} | {outcome['seconds']:.2f} | {split_text(outcome)} "
                f"| {n / outcome['seconds']:,.0f} | {outcome['peak_rss_mib']:.0f} "
                f"| {outcome['peak_pss_mib']:.0f} "
                f"| {outcome['step_mib']:.0f} | {found_text(outcome)} |"
            )
    lines.append("")
    exponents: dict[str, float | None] = {}
    for system in systems:
        points = [
            (n, r["seconds"]) for n in sizes if (r := measured(results, (system, n))) is not None
        ]
        exponents[system] = growth_exponent(points)
        k = exponents[system]
        over = ", ".join(str(n) for n, _ in points)
        lines.append(
            f"{system}: growth exponent k = "
            + (f"{k:.2f} (time ~ n^k, least squares over n = {over})" if k is not None else "-")
        )
    if "newsweave" in systems:
        lines.append(target_line(results, sizes, exponents.get("newsweave")))
    return "\n".join(lines)


def target_line(
    results: dict[tuple[str, int], Outcome], sizes: Sequence[int], k: float | None
) -> str:
    """Whether newsweave met issue 6's targets, where this run measured them."""
    head = (
        f"target (newsweave at {TARGET_SIZE:,} articles: >= {TARGET_RATE:,.0f} articles/s, "
        f"k <= {TARGET_K}, peak < {TARGET_RSS_MIB:,.0f} MiB): "
    )
    if TARGET_SIZE not in sizes:
        return head + f"not measured ({TARGET_SIZE:,} not among --sizes)"
    r = results.get(("newsweave", TARGET_SIZE), "not run")
    if isinstance(r, str):
        return head + f"NOT met ({r})"
    rate = TARGET_SIZE / r["seconds"]
    # the larger of the process's own peak and its peak together with forked workers
    peak = max(r["peak_rss_mib"], r.get("peak_pss_mib", 0.0))
    checks = [
        f"{rate:,.0f} articles/s " + ("ok" if rate >= TARGET_RATE else "NOT met"),
        ("k -" if k is None else f"k {k:.2f} " + ("ok" if k <= TARGET_K else "NOT met")),
        f"peak {peak:,.0f} MiB " + ("ok" if peak < TARGET_RSS_MIB else "NOT met"),
    ]
    met = rate >= TARGET_RATE and k is not None and k <= TARGET_K
    met = met and peak < TARGET_RSS_MIB
    return head + ("met" if met else "NOT met") + " (" + "; ".join(checks) + ")"


def parse_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (../shared/data)")
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="pile sizes, comma-separated (1000,10000,100000)",
    )
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}"
    )
    parser.add_argument(
        "--variation",
        choices=VARIATIONS,
        default="copies",
        help="later draws of a source: near-duplicate copies (the issue's pile; default) or "
        "rewrites (distinct articles on the same story)",
    )
    parser.add_argument("--seed", type=int, default=6, help="sampling seed (6)")
    parser.add_argument("--repeat", type=int, default=1, help="passes per system and size (median)")
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds per system and size (1800)"
    )
    parser.add_argument(
        "--pool-cache",
        type=Path,
        default=None,
        help="keep the ingested pool in this file and reuse it while the data and newsweave's "
        "ingest code are unchanged",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--system", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in parse_list(args.sizes)})
    except ValueError:
        parser.error("--sizes takes whole numbers, e.g. 1000,10000,100000")
    systems = parse_list(args.systems)
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown or not systems:
        parser.error(f"--systems takes some of {', '.join(SYSTEMS)}")
    if not sizes or min(sizes) < 1 or args.repeat < 1 or args.timeout <= 0:
        parser.error("--sizes and --repeat must be at least 1, --timeout above 0")

    if args.system is not None:  # a child: one system, one size
        if args.pool is None or len(sizes) != 1:
            parser.error("--system needs --pool and one size")
        result = bench_child(
            args.system, args.pool, sizes[0], args.seed, args.repeat, args.variation
        )
        print(json.dumps(result))
        return 0

    data_dir: Path = args.data if args.data is not None else default_data_dir()
    missing = [str(data_dir / f) for f in DATA_FILES if not (data_dir / f).is_file()]
    if missing:
        print(f"stories_scale: not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"stories_scale: {message}", file=sys.stderr, flush=True)

    print(f"command: {command_line()}")
    print()
    wall = time.perf_counter()
    key = pool_key(data_dir)
    cache: Path | None = args.pool_cache
    cached = None
    if cache is not None and cache.is_file():
        try:
            cached = load_pool(cache, key)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, KeyError, TypeError):
            cached = None  # unreadable or from an older version of this script: rebuilt
    if cached is not None:
        pool, counts = cached
        progress(f"pool of {len(pool)} distinct articles read from {cache}")
    else:
        progress("ingesting the source documents once ...")
        pool, counts = ingest_pool(data_dir)
        progress(f"pool of {len(pool)} distinct articles ({time.perf_counter() - wall:.0f} s)")
    results: dict[tuple[str, int], Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="newsweave-scale-") as tmp:
        pool_file = cache if cache is not None else Path(tmp) / "pool.pickle"
        if cached is None:
            save_pool(pool_file, key, pool, counts)
            progress(f"pool saved to {pool_file} ({pool_file.stat().st_size / 2**20:.0f} MiB)")
        stopped: dict[str, str] = {}  # systems that timed out or failed on a smaller pile
        for n in sizes:
            for system in systems:
                if system in stopped:
                    results[(system, n)] = f"not run: {stopped[system]} on a smaller pile"
                    progress(f"{system} @ {n}: {results[(system, n)]}")
                    continue
                progress(f"{system} @ {n} ...")
                r = run_child(
                    system, pool_file, n, args.seed, args.repeat, args.timeout, args.variation
                )
                results[(system, n)] = r
                if isinstance(r, str):
                    stopped[system] = r.split(" (")[0]
                    progress(f"{system} @ {n}: {r}")
                else:
                    progress(
                        f"{system} @ {n}: {r['seconds']:.2f} s ({n / r['seconds']:,.0f}/s), "
                        f"peak {r['peak_rss_mib']:.0f} MiB; {found_text(r)}"
                    )
    print(
        render(results, systems, sizes, counts, len(pool), args.seed, args.repeat, args.variation)
    )
    print(f"wall time: {time.perf_counter() - wall:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
