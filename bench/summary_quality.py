"""Summary quality: ROUGE of newsweave's extractive summarizer beside classic anchors.

Why: the digest's summary is the product's main output, and ROUGE against human summaries
of the DUC 2003 and MultiLing 2011 news clusters is the traditional way to tell whether a
multi-document summarizer beats the lead baseline and the graph/frequency classics.

What runs, on every cluster, on the same documents and with the same truncation:

* ``newsweave``: the cluster's documents are written to a temporary JSON Lines file
  (``text``, and ``published`` where a date is known) and read back through
  ``Ingestor().ingest``, as the product does; then
  ``build_story(articles, SummaryOptions(max_sentences=20, max_words=N))`` with no
  annotator and no embedder, so only cleaning, segmentation and the summarizer run. The
  summary is its sentences' text joined in order. The ``build_story`` call (which also
  builds the timeline and facts) is timed, and so is a second call of the summarizer alone
  on the story's sentences.
* ``Lead``: the first sentences of the earliest article (by date, else the first document).
* sumy's ``LexRank``, ``TextRank``, ``LSA`` and ``SumBasic`` on the cluster's documents
  joined into one text, with sumy's English Snowball stemmer and stop words. Sentences come
  from newsweave's rule-based splitter and words from a regex (:class:`RegexTokenizer`),
  because sumy's default tokenizer needs NLTK punkt data. Each gives what sumy returns for
  15 sentences (its best 15, in text order; more when 15 hold fewer words than the budget),
  cut to the budget. ``LexRank, best first`` is the same LexRank ranking taken best
  sentence first until the budget is full (sumy's text order and the cut favour the
  earlier documents; best first is the other usual way to fill a word budget).
* ``Random``: a seeded shuffle of all sentences, skipping a sentence when more than half of
  its content words are in one already chosen; the mean over 5 seeds.

Scoring: ``rouge_score`` with ``rouge1``, ``rouge2``, ``rougeL`` and the Porter stemmer;
each system output is cut to its first N words (100 for DUC 2003, 250 for MultiLing 2011;
whitespace words); references are not cut (neither dataset README asks for it). Each output
is scored against every reference, averaged over references, then over clusters. Recall is
the traditional DUC number; F is shown beside it.

DUC 2003 has no date field; the date of a document is read from its ``doc_id``
(``APW19990519.0113`` -> 1999-05-19, the TREC/DUC naming convention) and used by ``Lead``
and given to newsweave as ``published``. MultiLing documents carry a ``date``.

Usage: ``python bench/summary_quality.py [--data DIR] [--limit N] [--dump FILE]``. Only
``DIR/duc2003/clusters.jsonl`` (``cluster_id``, documents' ``doc_id`` and ``text``,
references' ``text``) and ``DIR/multiling2011_en/topics.jsonl`` (``topic_id``, documents'
``doc_id``, ``date`` and ``text``, references' ``text``) are read. ``--dump`` writes every
system's (cut) output per cluster as JSON Lines, for error analysis.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from digest_speed import RegexTokenizer  # the same NLTK-free tokenizer for sumy
from newsweave.text.sentences import split_spans

DEFAULT_DATA = Path("../shared/data")
METRICS = ("rouge1", "rouge2", "rougeL")
SUMY_SYSTEMS = ("LexRank", "TextRank", "LSA", "SumBasic")
LEXRANK_BEST_FIRST = "LexRank, best first"
SYSTEMS = ("newsweave", "Lead", *SUMY_SYSTEMS, LEXRANK_BEST_FIRST, "Random")
SUMY_SENTENCES = 15  # asked of each sumy summarizer; more when they hold fewer words than N
RANDOM_SEEDS = 5
RANDOM_OVERLAP = 0.5
DOC_ID_DATE = re.compile(r"^[A-Z_]+(\d{4})(\d{2})(\d{2})")


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    text: str
    published: date | None


@dataclass(frozen=True, slots=True)
class Cluster:
    cluster_id: str
    documents: tuple[Document, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    path: Path  # relative to the data folder
    id_field: str
    budget: int  # words of system output that are scored


DATASETS = (
    Dataset("DUC 2003", Path("duc2003") / "clusters.jsonl", "cluster_id", 100),
    Dataset("MultiLing 2011 (en)", Path("multiling2011_en") / "topics.jsonl", "topic_id", 250),
)


class Ranking:
    """Mixin for a sumy summarizer: its call returns every sentence as ``(position,
    sentence)``, best first, instead of the best ``count`` in text order.

    Same ratings and the same stable sort as sumy's own ``_get_best_sentences`` (ratings
    are computed in text order: LSA's rating is an iterator over the sentences), so the
    first ``count`` re-sorted by position are exactly what sumy would return."""

    @staticmethod
    def _get_best_sentences(
        sentences: Sequence[Any], count: int, rating: Any, *args: Any, **kwargs: Any
    ) -> tuple[tuple[int, Any], ...]:
        def rate(s: Any) -> Any:
            return rating[s] if isinstance(rating, dict) else rating(s, *args, **kwargs)

        rated = [(o, s, rate(s)) for o, s in enumerate(sentences)]
        rated.sort(key=lambda x: x[2], reverse=True)  # stable: ties keep text order
        return tuple((o, s) for o, s, _ in rated)


def default_data_dir() -> Path:
    """``../shared/data`` from the working directory, else from the repository root."""
    if DEFAULT_DATA.is_dir():
        return DEFAULT_DATA
    return Path(__file__).resolve().parent.parent / DEFAULT_DATA


def doc_date(doc: dict[str, Any]) -> date | None:
    """The document's ``date`` field, else the date its TREC-style ``doc_id`` encodes."""
    value = doc.get("date")
    if value:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    return id_date(str(doc["doc_id"]))


def id_date(doc_id: str) -> date | None:
    """The date a TREC-style ``doc_id`` encodes (``APW19990519.0113`` -> 1999-05-19)."""
    m = DOC_ID_DATE.match(doc_id)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def load_clusters(data_file: Path, id_field: str, limit: int | None) -> list[Cluster]:
    """The first ``limit`` clusters (all when ``None``) of a clusters/topics JSON Lines file."""
    clusters: list[Cluster] = []
    with data_file.open(encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(clusters) >= limit:
                break
            obj = json.loads(line)
            docs = tuple(
                Document(str(d["doc_id"]), str(d["text"]), doc_date(d)) for d in obj["documents"]
            )
            refs = tuple(str(r["text"]) for r in obj["reference_summaries"])
            clusters.append(Cluster(str(obj[id_field]), docs, refs))
    return clusters


def cut(text: str, budget: int) -> str:
    """The first ``budget`` whitespace words of ``text``."""
    return " ".join(text.split()[:budget])


def sentences_of(text: str) -> list[str]:
    """Sentences by newsweave's rule-based splitter, whitespace collapsed."""
    return [" ".join(text[s:e].split()) for s, e, _, _ in split_spans(text)]


def fill(sentences: Sequence[str], budget: int) -> str:
    """Sentences in the given order until the budget is reached, then cut to it."""
    out: list[str] = []
    words = 0
    for sentence in sentences:
        if words >= budget:
            break
        out.append(sentence)
        words += len(sentence.split())
    return cut(" ".join(out), budget)


# -- systems --------------------------------------------------------------------------------


class Newsweave:
    """newsweave's summarizer on articles read through its own ingester."""

    def __init__(self, budget: int) -> None:
        from newsweave.ingest import Ingestor
        from newsweave.summarize.extractive import SummaryOptions

        self.ingestor = Ingestor()
        self.ingestor.languages.load()
        self.options = SummaryOptions(max_sentences=20, max_words=budget)
        self.seconds: list[float] = []
        self.summary_seconds: list[float] = []
        self.skipped = 0
        self.duplicates = 0
        self.articles = 0

    def __call__(self, cluster: Cluster, folder: Path) -> str:
        from newsweave.model import Article
        from newsweave.pipeline import build_story
        from newsweave.summarize.extractive import summarize

        path = folder / f"{cluster.cluster_id}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for doc in cluster.documents:
                record: dict[str, str] = {"text": doc.text}
                if doc.published is not None:
                    record["published"] = doc.published.isoformat()
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        articles: dict[str, Article] = {}
        for item in self.ingestor.ingest([str(path)]):
            if not isinstance(item, Article):
                self.skipped += 1
            elif item.id in articles:
                self.duplicates += 1  # the same text twice: the product keeps one
            else:
                articles[item.id] = item
        self.articles += len(articles)
        start = time.perf_counter()
        story = build_story(list(articles.values()), self.options)
        self.seconds.append(time.perf_counter() - start)
        start = time.perf_counter()  # the summarizer alone, on the story's own sentences
        summarize(story.articles, story.sentences, self.options)
        self.summary_seconds.append(time.perf_counter() - start)
        return " ".join(s.text for s in story.summary)


def lead(cluster: Cluster, budget: int) -> str:
    """The first sentences of the earliest article (data order breaks ties and no date)."""
    docs = cluster.documents
    first = min(range(len(docs)), key=lambda i: (docs[i].published or date.max, i))
    return fill(sentences_of(docs[first].text), budget)


def words(ranked: Sequence[tuple[int, Any]]) -> int:
    """Words in the sentences of a sumy ranking."""
    return sum(len(str(s).split()) for _, s in ranked)


def sumy_systems() -> dict[str, Callable[[str, int], dict[str, str]]]:
    """The sumy anchors, each a function of (joined text, budget) -> {system: summary}.

    Each gives sumy's own output: the best ``SUMY_SENTENCES`` sentences in text order, cut
    to the budget. LexRank also gives its sentences best first, cut to the budget (the
    usual way to fill a word budget from a ranking), as ``LEXRANK_BEST_FIRST``."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "SumBasic": SumBasicSummarizer,
    }
    tokenizer = RegexTokenizer()
    stemmer = Stemmer("english")
    stop_words = get_stop_words("english")
    systems: dict[str, Callable[[str, int], dict[str, str]]] = {}
    for name, base in classes.items():
        summarizer = type(f"Ranking{base.__name__}", (Ranking, base), {})(stemmer)
        summarizer.stop_words = stop_words

        def run(
            text: str, budget: int, summarizer: Any = summarizer, name: str = name
        ) -> dict[str, str]:
            document = PlaintextParser.from_string(text, tokenizer).document
            ranked: tuple[tuple[int, Any], ...] = summarizer(document, len(document.sentences))
            count = SUMY_SENTENCES
            while count < len(ranked) and words(ranked[:count]) < budget:
                count += 1  # short sentences: ask for more, until the budget can be filled
            in_text_order = sorted(ranked[:count], key=lambda x: x[0])
            out = {name: fill([" ".join(str(s).split()) for _, s in in_text_order], budget)}
            if name == "LexRank":
                best_first = [" ".join(str(s).split()) for _, s in ranked]
                out[LEXRANK_BEST_FIRST] = fill(best_first, budget)
            return out

        systems[name] = run
    return systems


class RandomBaseline:
    """Sentences in a seeded random order, skipping near-repeats of a chosen one."""

    def __init__(self) -> None:
        from sumy.nlp.stemmers import Stemmer
        from sumy.utils import get_stop_words

        self.stemmer = Stemmer("english")
        self.stop_words = get_stop_words("english")
        self.word = RegexTokenizer.WORD

    def content(self, sentence: str) -> frozenset[str]:
        words = (w.lower() for w in self.word.findall(sentence))
        return frozenset(self.stemmer(w) for w in words if w not in self.stop_words)

    def __call__(self, cluster: Cluster, budget: int, seed: int) -> str:
        pool = [s for d in cluster.documents for s in sentences_of(d.text)]
        random.Random(f"{seed}:{cluster.cluster_id}").shuffle(pool)
        chosen: list[str] = []
        seen: list[frozenset[str]] = []
        words = 0
        for sentence in pool:
            if words >= budget:
                break
            terms = self.content(sentence)
            if not terms:
                continue
            if any(len(terms & other) / len(terms) > RANDOM_OVERLAP for other in seen):
                continue
            chosen.append(sentence)
            seen.append(terms)
            words += len(sentence.split())
        return cut(" ".join(chosen), budget)


# -- scoring --------------------------------------------------------------------------------


Scores = dict[str, float]  # "rouge1_r", "rouge1_f", ...


def score(scorer: Any, output: str, references: Sequence[str]) -> Scores:
    """ROUGE recall and F of one output, averaged over the references."""
    totals = {f"{m}_{k}": 0.0 for m in METRICS for k in ("r", "f")}
    for ref in references:
        result = scorer.score(ref, output)  # (target, prediction)
        for m in METRICS:
            totals[f"{m}_r"] += result[m].recall
            totals[f"{m}_f"] += result[m].fmeasure
    return {k: v / len(references) for k, v in totals.items()}


def mean_scores(rows: Sequence[Scores]) -> Scores:
    return {k: statistics.fmean(r[k] for r in rows) for k in rows[0]}


@dataclass
class Result:
    dataset: Dataset
    clusters: int
    documents: int
    scores: dict[str, Scores]
    newsweave_seconds: float
    summary_seconds: float
    newsweave_articles: int
    skipped: int
    duplicates: int


def evaluate(
    dataset: Dataset, clusters: Sequence[Cluster], dump: Any | None, progress: bool
) -> Result:
    """Run every system on every cluster of one dataset and average the scores."""
    from rouge_score.rouge_scorer import RougeScorer

    scorer = RougeScorer(list(METRICS), use_stemmer=True)
    budget = dataset.budget
    newsweave = Newsweave(budget)
    anchors = sumy_systems()
    randomizer = RandomBaseline()
    per_system: dict[str, list[Scores]] = {name: [] for name in SYSTEMS}
    with tempfile.TemporaryDirectory(prefix="newsweave-rouge-") as tmp:
        for n, cluster in enumerate(clusters, 1):
            outputs = {"newsweave": cut(newsweave(cluster, Path(tmp)), budget)}
            outputs["Lead"] = lead(cluster, budget)
            joined = "\n\n".join(d.text for d in cluster.documents)
            for run in anchors.values():
                outputs.update(run(joined, budget))
            for name, output in outputs.items():
                per_system[name].append(score(scorer, output, cluster.references))
            randoms = [randomizer(cluster, budget, seed) for seed in range(RANDOM_SEEDS)]
            per_system["Random"].append(
                mean_scores([score(scorer, r, cluster.references) for r in randoms])
            )
            if dump is not None:
                record = {
                    "dataset": dataset.name,
                    "cluster_id": cluster.cluster_id,
                    "outputs": {**outputs, "Random (seed 0)": randoms[0]},
                    "rouge2_recall": {k: v[-1]["rouge2_r"] for k, v in per_system.items()},
                    "references": list(cluster.references),
                }
                dump.write(json.dumps(record, ensure_ascii=False) + "\n")
            if progress:
                print(f"{dataset.name}: {n}/{len(clusters)} clusters", end="\r", file=sys.stderr)
    if progress:
        print(file=sys.stderr)
    return Result(
        dataset=dataset,
        clusters=len(clusters),
        documents=sum(len(c.documents) for c in clusters),
        scores={name: mean_scores(rows) for name, rows in per_system.items()},
        newsweave_seconds=statistics.fmean(newsweave.seconds),
        summary_seconds=statistics.fmean(newsweave.summary_seconds),
        newsweave_articles=newsweave.articles,
        skipped=newsweave.skipped,
        duplicates=newsweave.duplicates,
    )


def render(result: Result) -> str:
    """One dataset's Markdown table and notes."""
    ds = result.dataset
    lines = [
        f"### {ds.name}: {result.clusters} clusters, {result.documents} documents, "
        f"outputs cut to {ds.budget} words",
        "",
        "| system | R-1 R | R-1 F | R-2 R | R-2 F | R-L R | R-L F |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in SYSTEMS:
        s = result.scores[name]
        label = f"{name} (mean of {RANDOM_SEEDS} seeds)" if name == "Random" else name
        cells = " | ".join(f"{100 * s[f'{m}_{k}']:.2f}" for m in METRICS for k in ("r", "f"))
        lines.append(f"| {label} | {cells} |")
    nw = result.scores["newsweave"]
    diff = 100 * (nw["rouge2_r"] - result.scores["LexRank"]["rouge2_r"])
    diff_best_first = 100 * (nw["rouge2_r"] - result.scores[LEXRANK_BEST_FIRST]["rouge2_r"])
    behind = [
        f"{name} on {label}"
        for name in SYSTEMS[1:]
        for metric, label in (("rouge1_r", "R-1 R"), ("rouge2_r", "R-2 R"))
        if result.scores[name][metric] >= nw[metric]
    ]
    lines += [
        "",
        f"newsweave minus LexRank, R-2 recall: {diff:+.2f} points "
        f"({diff_best_first:+.2f} against {LEXRANK_BEST_FIRST})",
        f"newsweave: {result.summary_seconds:.3f} s per cluster for the summarizer alone, "
        f"{result.newsweave_seconds:.3f} s for build_story without spaCy (mean); "
        f"{result.newsweave_articles} articles summarised, {result.skipped} inputs "
        f"skipped by the ingester, {result.duplicates} duplicate texts merged",
        "anchors at or above newsweave (recall): " + (", ".join(behind) or "none"),
    ]
    return "\n".join(lines)


def command_line() -> str:
    """The command as it was run, with the interpreter relative to the working directory."""
    try:
        python = os.path.relpath(sys.executable)
    except ValueError:
        python = sys.executable
    return shlex.join([python, *sys.argv])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (../shared/data)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    parser.add_argument("--dump", type=Path, default=None, help="write outputs as JSON Lines")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")

    data_dir: Path = args.data if args.data is not None else default_data_dir()
    missing = [str(data_dir / ds.path) for ds in DATASETS if not (data_dir / ds.path).is_file()]
    if missing:
        print(f"summary_quality: not found: {', '.join(missing)}", file=sys.stderr)
        return 2

    print(f"command: {command_line()}")
    print()
    start = time.perf_counter()
    dump = args.dump.open("w", encoding="utf-8") if args.dump is not None else None
    try:
        for ds in DATASETS:
            clusters = load_clusters(data_dir / ds.path, ds.id_field, args.limit)
            result = evaluate(ds, clusters, dump, progress=not args.quiet)
            print(render(result))
            print()
    finally:
        if dump is not None:
            dump.close()
    print(f"wall time: {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
