"""Story grouping quality: newsweave's grouping of articles into stories beside classic anchors.

Why (issue 6): a digest of a day's news starts by putting the articles that report the same
story into one group. B-cubed and pairwise F1 against gold story labels tell whether
newsweave's grouping beats the usual TF-IDF clusterers, at the easy level (different topics)
and at the hard one (two similar but different events of one topic, ECB+).

Datasets, each read as one pile of articles (only these files and fields are read):

* ECB+ (``story_clustering_derived/ecbplus_docs_with_event_labels.jsonl``: ``doc_id``,
  ``text``, ``gold_topic``, ``gold_event_cluster``), scored twice: against ``gold_topic``
  and against ``gold_event_cluster`` (each topic holds two similar events: the hard case).
* DUC 2003 (``duc2003/clusters.jsonl``: ``cluster_id``, documents' ``doc_id`` and
  ``text``): all clusters' documents in one pile, gold = ``cluster_id``. A ``doc_id`` in two
  clusters is kept once, with the first cluster (file order) as its gold. The date of a
  document comes from its ``doc_id`` (``APW19990519.0113`` -> 1999-05-19).
* Timeline17 (``timeline17/articles.jsonl``: ``topic``, ``id``, ``date``, ``text``), scored
  against the ``topic`` field, which names a topic/outlet set (``bpoil_bbc``,
  ``bpoil_reuters``, ...), and against the real topic: the name before the first ``_``,
  case-folded (``bpoil``, ``h1n1``, ``egyptianprotests``, ...). Over the 17 published T17
  set names this prefix is unambiguous (9 topics); the set level counts merging two outlets'
  sets of one topic as an error, which no text-based grouper can avoid, so the topic level
  is the fair one. The topic level is shown only when the prefix merges some sets.
* SemEval-2022 task 8 (``semeval2022_task8_sample/pairs.jsonl``: ``pair_id``, ``lang1``,
  ``lang2``, ``text1``, ``text2``, ``Overall``): English-English pairs only, deduplicated by
  ``pair_id``; gold "same story" iff ``Overall <= 1.5``. Each system groups just the two texts
  of a pair and says "same" when it puts them in one group; scored by accuracy and by F1 of
  the "same" class.

Every document goes through newsweave's own ingester, as the product reads it: the pile is
written to a temporary JSON Lines file (``text``, and ``published`` where a date is known;
the data have no titles) and read back with ``Ingestor().ingest``. The items grouped and
scored, by every system, are the articles it returns: an input it skips (empty text, too
few words) is left out, and documents with an identical text (one article id) count once,
with the gold label of the first. Both are reported. The anchors read each item's original
text, PTB tokens (`````, ``-LRB-``) and all, as newsweave does.

Systems, on the same items:

* ``newsweave``: ``group_articles(articles, GroupOptions(threshold=t))`` with ``t`` tuned,
  and ``newsweave (default)``: ``group_articles(articles)``, untuned. The articles' term
  vectors and dedup fingerprints do not depend on ``t``, so the grid computes them once and
  runs the rest of ``group`` per threshold, checked against ``group_articles`` itself at
  the default threshold (``--exact`` calls ``group_articles`` at every grid point).
* ``tfidf-agglomerative``: scikit-learn's ``TfidfVectorizer(sublinear_tf=True,
  stop_words="english")`` fitted on the texts being grouped, then
  ``AgglomerativeClustering(linkage="average", distance_threshold=t, n_clusters=None)`` on
  the cosine distances (given precomputed, which is the same as ``metric="cosine"``; the
  distance matrix is computed once per pile and shared with hdbscan).
* ``hdbscan``: the ``hdbscan`` package on the same cosine distances (``metric="precomputed"``),
  tuning ``min_cluster_size``, ``min_samples`` and ``cluster_selection_epsilon``; noise
  points (label -1) become singleton groups. On a SemEval pair (two points) hdbscan can only
  ever form one cluster, so there it runs with ``min_cluster_size=2, min_samples=1,
  allow_single_cluster=True`` and tunes ``cluster_selection_epsilon``, which then decides
  "same" exactly when the cosine distance is at most epsilon. (On a pair both anchors are
  thus a cosine-distance threshold on TF-IDF fitted to the two texts, and agree.)
* Reference rows: ``singletons`` (every item alone) and ``one group`` (all items together).

Tuning, the same for every system: each pile is split into two halves by gold topic (ECB+:
odd vs even topic number; DUC 2003: clusters alternating in sorted ``cluster_id`` order;
Timeline17: the ``topic`` field's sets alternating in sorted, case-folded order). A system's
parameter is the grid point with the best B-cubed F1 on half A (the first in grid order on a
tie), scored on half B; and the reverse. The tables give the means over the two held-out
halves. ECB+ topic and event levels are tuned separately, and so are the two Timeline17
levels. SemEval pairs are split alternating in sorted ``pair_id`` order and tuned for
accuracy. Timeline17 is split by set, not by real topic: with the few real topics of a part
of the data (5 in the development part) a split by topic gives lopsided halves of two or
three topics (where "one group" scores well); split by set, one real topic's sets can fall
in both halves, and each half then holds part of that topic.

Metrics (implemented here, see :func:`cluster_scores`): B-cubed precision and recall are the
per-item averages of ``|pred(i) & gold(i)| / |pred(i)|`` and ``/ |gold(i)|``; pairwise
precision and recall count the pairs of items put together by the system and by the gold
labels. F1 is their harmonic mean.

Usage: ``python bench/stories_quality.py [--data DIR] [--systems a,b] [--limit N]
[--dump FILE] [--quiet] [--exact]``. ``--systems`` picks among ``newsweave``,
``newsweave-topics`` (``GroupOptions.by_topic``: the broader grouping, one group per topic,
tuned the same way), ``tfidf-agglomerative`` and ``hdbscan`` (default: all; the reference
rows always run).
``--limit N`` keeps the first N documents (pairs) of each half, in file order, for quick
runs. ``--dump`` writes the held-out predicted groups (as document ids) of every system,
dataset, level and half as JSON. The full run takes about three minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from newsweave.model import Article, Duplicate
from summary_quality import command_line, id_date  # one definition for every bench

DEFAULT_DATA = Path("../shared/data")
ECB_FILE = Path("story_clustering_derived") / "ecbplus_docs_with_event_labels.jsonl"
DUC_FILE = Path("duc2003") / "clusters.jsonl"
T17_FILE = Path("timeline17") / "articles.jsonl"
SEMEVAL_FILE = Path("semeval2022_task8_sample") / "pairs.jsonl"
DATA_FILES = (ECB_FILE, DUC_FILE, T17_FILE, SEMEVAL_FILE)
SYSTEMS = ("newsweave", "newsweave-topics", "tfidf-agglomerative", "hdbscan")
SAME_STORY_MAX = 1.5  # SemEval "Overall" at or below this: the same story
HALVES = ("A", "B")

# Grids. A parameter is a tuple of numbers; () is "the system's defaults".
Param = tuple[float, ...]
NEWSWEAVE_GRID: tuple[Param, ...] = tuple(
    (t / 100,)
    for t in (1, 2, 3, 5, 8, 10, 12, 14, 16, 18, 20, 22, 25, 28, 32, 36, 40, 45, 50, 60, 70)
)
AGGLOMERATIVE_GRID: tuple[Param, ...] = tuple((t / 1000,) for t in range(400, 1000, 25))
HDBSCAN_GRID: tuple[Param, ...] = tuple(
    (mcs, ms, eps)
    for mcs in (2, 3, 5, 8, 12, 20, 35)
    for ms in sorted({1, mcs})
    for eps in (0.0, 0.3, 0.5)
)
PAIR_GRID: tuple[Param, ...] = tuple((t / 100,) for t in range(5, 100, 5))

Labels = list[int]  # a predicted group number per item


# -- data -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Doc:
    doc_id: str
    text: str
    published: date | None
    gold: tuple[str, ...]  # one label per level of its corpus
    half: int  # 0 = A, 1 = B


@dataclass
class Corpus:
    name: str
    levels: tuple[str, ...]
    docs: list[Doc]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Pair:
    pair_id: str
    text1: str
    text2: str
    same: bool
    half: int


def default_data_dir() -> Path:
    """``../shared/data`` from the working directory, else from the repository root."""
    if DEFAULT_DATA.is_dir():
        return DEFAULT_DATA
    return Path(__file__).resolve().parent.parent / DEFAULT_DATA


def read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def natural_key(value: str) -> tuple[int, int, str, str]:
    """Numbers in numeric order, before other names (case-folded order)."""
    return (0, int(value), "", "") if value.isdigit() else (1, 0, value.casefold(), value)


def alternate(keys: Iterable[str]) -> dict[str, int]:
    """Half 0, 1, 0, 1, ... over the sorted distinct keys."""
    return {k: n % 2 for n, k in enumerate(sorted(set(keys), key=natural_key))}


def iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def limit_halves(docs: list[Doc], limit: int | None) -> list[Doc]:
    """The first ``limit`` documents of each half (all when ``None``), in file order."""
    if limit is None:
        return docs
    taken = [0, 0]
    out: list[Doc] = []
    for doc in docs:
        if taken[doc.half] < limit:
            taken[doc.half] += 1
            out.append(doc)
    return out


def load_ecb(path: Path, limit: int | None) -> Corpus:
    rows = list(read_jsonl(path))
    topics = {str(r["gold_topic"]) for r in rows}
    if all(t.isdigit() for t in topics):
        half = {t: (int(t) + 1) % 2 for t in topics}  # odd topics: A, even: B
    else:
        half = alternate(topics)
    docs = [
        Doc(
            str(r["doc_id"]),
            str(r["text"]),
            None,
            (str(r["gold_topic"]), str(r["gold_event_cluster"])),
            half[str(r["gold_topic"])],
        )
        for r in rows
    ]
    return Corpus("ECB+", ("topic", "event"), limit_halves(docs, limit))


def load_duc(path: Path, limit: int | None) -> Corpus:
    rows = list(read_jsonl(path))
    half = alternate(str(r["cluster_id"]) for r in rows)
    docs: list[Doc] = []
    seen: set[str] = set()
    repeated = 0
    for r in rows:
        cluster = str(r["cluster_id"])
        for d in r["documents"]:
            doc_id = str(d["doc_id"])
            if doc_id in seen:
                repeated += 1  # in an earlier cluster too: that one is its gold
                continue
            seen.add(doc_id)
            docs.append(Doc(doc_id, str(d["text"]), id_date(doc_id), (cluster,), half[cluster]))
    corpus = Corpus("DUC 2003", ("cluster",), limit_halves(docs, limit))
    corpus.notes.append(f"{repeated} doc_ids found in a second cluster, kept with the first")
    return corpus


def t17_topic(name: str) -> str:
    """The real topic of a Timeline17 topic/outlet set: ``bpoil_bbc`` -> ``bpoil``."""
    return name.split("_", 1)[0].casefold()


def load_t17(path: Path, limit: int | None) -> Corpus:
    rows = list(read_jsonl(path))
    sets = {str(r["topic"]) for r in rows}
    topics = {t17_topic(s) for s in sets}
    half = alternate(sets)
    with_topic = len(topics) < len(sets)
    docs = [
        Doc(
            str(r["id"]),
            str(r["text"]),
            iso_date(r.get("date")),
            (str(r["topic"]), t17_topic(str(r["topic"]))) if with_topic else (str(r["topic"]),),
            half[str(r["topic"])],
        )
        for r in rows
    ]
    levels = ("set", "topic") if with_topic else ("set",)
    corpus = Corpus("Timeline17", levels, limit_halves(docs, limit))
    corpus.notes.append(
        f"{len(sets)} topic/outlet sets over {len(topics)} topics: "
        + ", ".join(sorted(topics, key=natural_key))
    )
    return corpus


def load_semeval(path: Path, limit: int | None) -> list[Pair]:
    rows: dict[str, dict[str, Any]] = {}
    for r in read_jsonl(path):
        if r["lang1"] == "en" and r["lang2"] == "en":
            rows.setdefault(str(r["pair_id"]), r)  # first copy of a repeated pair
    half = alternate(rows)
    pairs = [
        Pair(k, str(r["text1"]), str(r["text2"]), float(r["Overall"]) <= SAME_STORY_MAX, half[k])
        for k, r in sorted(rows.items())
    ]
    if limit is None:
        return pairs
    taken = [0, 0]
    out: list[Pair] = []
    for p in pairs:
        if taken[p.half] < limit:
            taken[p.half] += 1
            out.append(p)
    return out


# -- ingest ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    doc: Doc
    article: Article


@dataclass
class Ingested:
    articles: list[Article | None]  # per document, None when the ingester skipped it
    skipped: int


def ingest(texts: Sequence[tuple[str, date | None]], folder: Path, ingestor: Any) -> Ingested:
    """Each text's article (None when skipped), read through newsweave's ingester."""
    path = folder / "pile.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for text, published in texts:
            record = {"text": text}
            if published is not None:
                record["published"] = published.isoformat()
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    articles: list[Article | None] = [None] * len(texts)
    skipped = 0
    for item in ingestor.ingest([str(path)]):
        if isinstance(item, Article):
            line = int(str(item.path).rsplit(":", 1)[1])  # "<file>:<line number>"
            articles[line - 1] = item
        else:
            skipped += 1
    return Ingested(articles, skipped)


def corpus_items(corpus: Corpus, ingested: Ingested) -> tuple[list[Item], int]:
    """The distinct articles, each with its first document; and how many were merged."""
    items: list[Item] = []
    seen: set[str] = set()
    merged = 0
    for doc, article in zip(corpus.docs, ingested.articles, strict=True):
        if article is None:
            continue
        if article.id in seen:
            merged += 1
            continue
        seen.add(article.id)
        items.append(Item(doc, article))
    return items, merged


# -- metrics --------------------------------------------------------------------------------


class Scores(NamedTuple):
    b3_p: float
    b3_r: float
    b3_f: float
    pw_p: float
    pw_r: float
    pw_f: float


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def pairs_of(n: int) -> int:
    return n * (n - 1) // 2


def cluster_scores(pred: Sequence[Any], gold: Sequence[Any]) -> Scores:
    """B-cubed and pairwise precision, recall and F1 of a predicted labelling against gold.

    >>> s = cluster_scores([1, 1, 2, 2, 2], ["a", "a", "a", "b", "b"])
    >>> round(s.b3_p, 4), round(s.b3_r, 4), s.pw_p, s.pw_r
    (0.7333, 0.7333, 0.5, 0.5)

    With no pair put together (or none in the gold), pairwise precision (recall) is 1.
    """
    if len(pred) != len(gold) or not pred:
        raise ValueError("need one predicted and one gold label per item")
    cells = Counter(zip(pred, gold, strict=True))
    pred_sizes = Counter(pred)
    gold_sizes = Counter(gold)
    n = len(pred)
    b3_p = sum(c * c / pred_sizes[p] for (p, _), c in cells.items()) / n
    b3_r = sum(c * c / gold_sizes[g] for (_, g), c in cells.items()) / n
    together = sum(pairs_of(c) for c in cells.values())
    pred_pairs = sum(pairs_of(c) for c in pred_sizes.values())
    gold_pairs = sum(pairs_of(c) for c in gold_sizes.values())
    pw_p = together / pred_pairs if pred_pairs else 1.0
    pw_r = together / gold_pairs if gold_pairs else 1.0
    return Scores(b3_p, b3_r, f1(b3_p, b3_r), pw_p, pw_r, f1(pw_p, pw_r))


def self_check() -> None:
    """The toy example worked by hand (see :func:`cluster_scores`)."""
    s = cluster_scores([1, 1, 2, 2, 2], ["a", "a", "a", "b", "b"])
    assert abs(s.b3_p - 11 / 15) < 1e-12 and abs(s.b3_r - 11 / 15) < 1e-12
    assert s.pw_p == 0.5 and s.pw_r == 0.5
    perfect = cluster_scores([7, 7, 3], ["x", "x", "y"])
    assert perfect == Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


def mean_scores(rows: Sequence[Scores]) -> Scores:
    return Scores(*(statistics.fmean(col) for col in zip(*rows, strict=True)))


# -- systems --------------------------------------------------------------------------------


class Half:
    """The items of one half of a pile, with their TF-IDF cosine distances (computed once)."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = list(items)

    @cached_property
    def distances(self) -> npt.NDArray[np.float64]:
        return cosine_distances([it.doc.text for it in self.items])

    def gold(self, level: int) -> list[str]:
        return [it.doc.gold[level] for it in self.items]


def cosine_distances(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """1 - cosine similarity of sublinear TF-IDF vectors (English stop words) fitted on
    ``texts``; a text with no scored word is at distance 1 from every other."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    except ValueError:  # no word left at all (empty vocabulary)
        d = np.ones((len(texts), len(texts)))
    else:
        d = 1.0 - np.asarray((x @ x.T).toarray(), dtype=np.float64)
    np.fill_diagonal(d, 0.0)
    return np.clip(d, 0.0, 2.0)


def agglomerative(d: npt.NDArray[np.float64], threshold: float) -> Labels:
    from sklearn.cluster import AgglomerativeClustering

    if len(d) < 2:
        return [0] * len(d)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    )
    return [int(x) for x in model.fit(d).labels_]


def hdbscan_labels(
    d: npt.NDArray[np.float64],
    min_cluster_size: int,
    min_samples: int,
    epsilon: float,
    single_cluster: bool = False,
) -> Labels:
    """hdbscan's labels, each noise point (-1) made a group of its own."""
    import hdbscan

    n = len(d)
    if n < max(min_cluster_size, min_samples + 1):
        return list(range(n))  # too few points for these parameters: all alone
    model = hdbscan.HDBSCAN(
        metric="precomputed",
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        cluster_selection_epsilon=epsilon,
        allow_single_cluster=single_cluster,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = [int(x) for x in model.fit(d).labels_]
    top = max(raw, default=-1)
    out: Labels = []
    for label in raw:
        if label < 0:
            top += 1
            label = top
        out.append(label)
    return out


def groups_to_labels(items: Sequence[Item], groups: Sequence[Sequence[str]]) -> Labels:
    """Group numbers per item from groups of article ids; every article exactly once."""
    where: dict[str, int] = {}
    for n, group in enumerate(groups):
        for article_id in group:
            if article_id in where:
                raise RuntimeError(f"group_articles put article {article_id} in two groups")
            where[article_id] = n
    missing = [it.article.id for it in items if it.article.id not in where]
    if missing or len(where) != len(items):
        raise RuntimeError(f"group_articles lost or invented articles ({len(missing)} lost)")
    return [where[it.article.id] for it in items]


Groups = list[tuple[str, ...]]


def canonical(groups: Iterable[Sequence[str]]) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted(g)) for g in groups)


class Newsweave:
    """newsweave's story grouping, ``group_articles`` with ``threshold=param[0]`` (its defaults
    for ``()``).

    ``group_articles`` computes each article's term vector (``features``) and dedup
    ``fingerprint`` anew on every call, and neither depends on the threshold. Unless
    ``exact``, the grid therefore computes them once per article and runs the rest of
    ``group`` (``duplicates_of``, then ``cluster`` with ``GroupOptions(threshold=t)``) per
    grid point; wherever the grid meets the default threshold, the groups are checked to be
    those of ``group_articles(articles)`` itself (:attr:`checked` counts the checks)."""

    def __init__(self, exact: bool, topics: bool = False) -> None:
        from newsweave.group.duplicates import Fingerprint
        from newsweave.group.stories import Features, GroupOptions

        self.exact = exact
        self.topics = topics  # GroupOptions.by_topic: one group per topic, not per event
        self.base = GroupOptions.by_topic() if topics else GroupOptions()
        self.features: dict[tuple[str, date | None], Features] = {}
        self.fingerprints: dict[tuple[str, date | None], Fingerprint] = {}
        self.defaults: dict[tuple[str, ...], Groups] = {}
        self.duplicates: dict[tuple[str, ...], list[Duplicate]] = {}
        self.checked = 0
        self.default_seconds = 0.0  # in group_articles(articles), over every article set
        self.default_articles = 0

    def default(self, articles: Sequence[Article]) -> Groups:
        """``group_articles(articles)``, computed once per article set."""
        from newsweave.group.stories import group_articles

        key = tuple(a.id for a in articles)
        if key not in self.defaults:
            start = time.perf_counter()
            self.defaults[key] = group_articles(list(articles), self.base)
            self.default_seconds += time.perf_counter() - start
            self.default_articles += len(articles)
        return self.defaults[key]

    def __call__(self, articles: Sequence[Article], param: Param) -> Groups:
        from newsweave.group.duplicates import duplicates_of, fingerprint
        from newsweave.group.stories import GroupOptions, cluster, features, group_articles

        if not param:
            return self.default(articles)
        options = (
            GroupOptions.by_topic(param[0]) if self.topics else GroupOptions(threshold=param[0])
        )
        if self.exact:
            return group_articles(list(articles), options)
        for a in articles:
            key = (a.id, a.published)
            if key not in self.features:
                self.features[key] = features(a, self.base)
                self.fingerprints[key] = fingerprint(a, self.base.dedup)
        keys = [(a.id, a.published) for a in articles]
        ids = tuple(a.id for a in articles)
        if ids not in self.duplicates:
            self.duplicates[ids] = list(
                duplicates_of([self.fingerprints[k] for k in keys], self.base.dedup)
            )
        dups = self.duplicates[ids]
        groups = [g.article_ids for g in cluster([self.features[k] for k in keys], dups, options)]
        if param[0] == self.base.threshold:
            if canonical(groups) != canonical(self.default(articles)):
                raise RuntimeError(
                    "the cached newsweave path disagrees with group_articles; run with --exact"
                )
            self.checked += 1
        return groups


@dataclass
class System:
    """A row of the tables: how to group a half, and how to group a SemEval pair."""

    name: str
    grid: tuple[Param, ...]
    group: Callable[[Half, Param], Labels]
    pair_grid: tuple[Param, ...]
    pair_same: Callable[[Item, Item, Param], bool]
    show: Callable[[Param], str]
    note: Callable[[], str] | None = None  # a line for the end of the report
    seconds: float = 0.0
    calls: int = 0

    def timed_group(self, half: Half, param: Param) -> Labels:
        start = time.perf_counter()
        labels = self.group(half, param)
        self.seconds += time.perf_counter() - start
        self.calls += 1
        return labels

    def timed_pair(self, a: Item, b: Item, param: Param) -> bool:
        start = time.perf_counter()
        same = self.pair_same(a, b, param)
        self.seconds += time.perf_counter() - start
        self.calls += 1
        return same


@lru_cache(maxsize=4096)
def text_pair_distances(text1: str, text2: str) -> npt.NDArray[np.float64]:
    return cosine_distances([text1, text2])


def pair_distance(a: Item, b: Item) -> npt.NDArray[np.float64]:
    """The 2 x 2 distances of a pair's texts, TF-IDF fitted on the two (computed once)."""
    return text_pair_distances(a.doc.text, b.doc.text)


def show_threshold(param: Param) -> str:
    return f"{param[0]:g}" if param else "default"


def show_hdbscan(param: Param) -> str:
    if len(param) == 1:
        return f"eps {param[0]:g}"  # a SemEval pair: only the epsilon is tuned
    mcs, ms, eps = param
    return f"{mcs:g}/{ms:g}/{eps:g}"


def newsweave_systems(name: str, newsweave: Newsweave) -> list[System]:
    """The default row and the tuned row of one newsweave grouping mode."""
    out: list[System] = []

    def nw_group(half: Half, param: Param) -> Labels:
        return groups_to_labels(half.items, newsweave([it.article for it in half.items], param))

    def nw_pair(a: Item, b: Item, param: Param) -> bool:
        if a.article.id == b.article.id:
            return True  # one text: one article
        return len(newsweave([a.article, b.article], param)) == 1

    def nw_note() -> str:
        rate = newsweave.default_articles / max(newsweave.default_seconds, 1e-9)
        speed = (
            f"group_articles(articles): {newsweave.default_seconds:.1f} s for "
            f"{newsweave.default_articles} articles in all ({rate:.0f} articles/s)"
        )
        if newsweave.exact:
            return f"{name}: {speed}; group_articles at every grid point (--exact)"
        return (
            f"{name}: {speed}; the grid from cached features, {newsweave.checked} "
            f"checks against group_articles at the default threshold "
            f"{newsweave.base.threshold:g} passed"
        )

    # the default row first: its time is group_articles'; the grid then reuses it
    out.append(System(f"{name} (default)", ((),), nw_group, ((),), nw_pair, show_threshold))
    out.append(
        System(
            name,
            NEWSWEAVE_GRID,
            nw_group,
            NEWSWEAVE_GRID,
            nw_pair,
            show_threshold,
            nw_note,
        )
    )
    return out


def build_systems(names: Sequence[str], exact: bool) -> list[System]:
    systems: list[System] = []
    if "newsweave" in names:
        systems += newsweave_systems("newsweave", Newsweave(exact))
    if "newsweave-topics" in names:
        systems += newsweave_systems("newsweave, by topic", Newsweave(exact, topics=True))
    if "tfidf-agglomerative" in names:
        systems.append(
            System(
                "tfidf-agglomerative",
                AGGLOMERATIVE_GRID,
                lambda half, p: agglomerative(half.distances, p[0]),
                PAIR_GRID,
                lambda a, b, p: len(set(agglomerative(pair_distance(a, b), p[0]))) == 1,
                show_threshold,
            )
        )
    if "hdbscan" in names:

        def hdb_pair(a: Item, b: Item, param: Param) -> bool:
            labels = hdbscan_labels(pair_distance(a, b), 2, 1, param[0], single_cluster=True)
            return labels[0] == labels[1]

        systems.append(
            System(
                "hdbscan",
                HDBSCAN_GRID,
                lambda half, p: hdbscan_labels(half.distances, int(p[0]), int(p[1]), p[2]),
                PAIR_GRID,
                hdb_pair,
                show_hdbscan,
            )
        )
    systems.append(
        System(
            "singletons",
            ((),),
            lambda half, p: list(range(len(half.items))),
            ((),),
            lambda a, b, p: a.article.id == b.article.id,
            show_threshold,
        )
    )
    systems.append(
        System(
            "one group",
            ((),),
            lambda half, p: [0] * len(half.items),
            ((),),
            lambda a, b, p: True,
            show_threshold,
        )
    )
    return systems


# -- tuning and scoring ---------------------------------------------------------------------


@dataclass
class Row:
    """One system at one level of one pile: per held-out half, the parameter tuned on the
    other half, its scores and its groups."""

    params: list[str]
    scores: list[Scores]
    groups: list[int]
    predicted: list[list[list[str]]]  # groups of doc ids per held-out half


@dataclass
class PileResult:
    corpus: Corpus
    items: int
    per_half: list[int]
    skipped: int
    merged: int
    gold_groups: dict[str, list[int]]  # level -> per half
    rows: dict[str, dict[str, Row]]  # level -> system -> row


def evaluate_pile(
    corpus: Corpus, items: list[Item], systems: Sequence[System], progress: bool
) -> dict[str, dict[str, Row]]:
    """Grid search on each half, then each level's choice on one half scored on the other."""
    halves = [Half([it for it in items if it.doc.half == h]) for h in (0, 1)]
    rows: dict[str, dict[str, Row]] = {level: {} for level in corpus.levels}
    for system in systems:
        labels: list[list[Labels]] = [[], []]  # per half, per grid point
        for h, half in enumerate(halves):
            for n, param in enumerate(system.grid, 1):
                if progress:
                    print(
                        f"\r{corpus.name} half {HALVES[h]} ({len(half.items)} items): "
                        f"{system.name} {n}/{len(system.grid)}\033[K",
                        end="",
                        file=sys.stderr,
                    )
                labels[h].append(system.timed_group(half, param) if half.items else [])
        for lv, level in enumerate(corpus.levels):
            row = Row([], [], [], [])
            for held_out in (1, 0):
                tune = 1 - held_out
                gold_tune = halves[tune].gold(lv)
                best = max(
                    range(len(system.grid)),
                    key=lambda g: cluster_scores(labels[tune][g], gold_tune).b3_f,
                )
                pred = labels[held_out][best]
                row.params.append(system.show(system.grid[best]))
                row.scores.append(cluster_scores(pred, halves[held_out].gold(lv)))
                row.groups.append(len(set(pred)))
                by_group: dict[int, list[str]] = {}
                for it, label in zip(halves[held_out].items, pred, strict=True):
                    by_group.setdefault(label, []).append(it.doc.doc_id)
                row.predicted.append(list(by_group.values()))
            rows[level][system.name] = row
    if progress:
        print(f"\r{corpus.name}: done\033[K", file=sys.stderr)
    return rows


@dataclass
class PairRow:
    params: list[str]
    accuracy: list[float]
    precision: list[float]
    recall: list[float]
    f1: list[float]


@dataclass
class PairResult:
    pairs: int
    per_half: list[int]
    same: int
    dropped: int
    identical: int
    rows: dict[str, PairRow]


def pair_metrics(decisions: Sequence[bool], gold: Sequence[bool]) -> tuple[float, ...]:
    """Accuracy, and precision, recall and F1 of the "same story" class."""
    tp = sum(d and g for d, g in zip(decisions, gold, strict=True))
    said = sum(decisions)
    real = sum(gold)
    accuracy = sum(d == g for d, g in zip(decisions, gold, strict=True)) / max(1, len(gold))
    p = tp / said if said else 1.0
    r = tp / real if real else 1.0
    return accuracy, p, r, f1(p, r)


def evaluate_pairs(
    pairs: Sequence[Pair],
    ingestor: Any,
    folder: Path,
    systems: Sequence[System],
    progress: bool,
) -> PairResult:
    texts: list[tuple[str, date | None]] = []
    for p in pairs:
        texts += [(p.text1, None), (p.text2, None)]
    ingested = ingest(texts, folder, ingestor)
    kept: list[tuple[Pair, Item, Item]] = []
    for n, p in enumerate(pairs):
        a, b = ingested.articles[2 * n], ingested.articles[2 * n + 1]
        if a is not None and b is not None:
            doc1 = Doc(f"{p.pair_id}/1", p.text1, None, (), p.half)
            doc2 = Doc(f"{p.pair_id}/2", p.text2, None, (), p.half)
            kept.append((p, Item(doc1, a), Item(doc2, b)))
    halves = [[k for k in kept if k[0].half == h] for h in (0, 1)]
    rows: dict[str, PairRow] = {}
    for system in systems:
        decisions: list[list[list[bool]]] = [[], []]  # per half, per grid point, per pair
        for h, half in enumerate(halves):
            for n, param in enumerate(system.pair_grid, 1):
                if progress:
                    print(
                        f"\rSemEval half {HALVES[h]}: {system.name} {n}/{len(system.pair_grid)}"
                        "\033[K",
                        end="",
                        file=sys.stderr,
                    )
                decisions[h].append([system.timed_pair(a, b, param) for _, a, b in half])
        row = PairRow([], [], [], [], [])
        for held_out in (1, 0):
            tune = 1 - held_out
            gold_tune = [p.same for p, _, _ in halves[tune]]
            best = max(
                range(len(system.pair_grid)),
                key=lambda g: pair_metrics(decisions[tune][g], gold_tune)[0],
            )
            gold = [p.same for p, _, _ in halves[held_out]]
            acc, prec, rec, f = pair_metrics(decisions[held_out][best], gold)
            row.params.append(system.show(system.pair_grid[best]))
            row.accuracy.append(acc)
            row.precision.append(prec)
            row.recall.append(rec)
            row.f1.append(f)
        rows[system.name] = row
    if progress:
        print("\rSemEval: done\033[K", file=sys.stderr)
    return PairResult(
        pairs=len(kept),
        per_half=[len(h) for h in halves],
        same=sum(p.same for p, _, _ in kept),
        dropped=len(pairs) - len(kept),
        identical=sum(a.article.id == b.article.id for _, a, b in kept),
        rows=rows,
    )


# -- output ---------------------------------------------------------------------------------


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def render_pile(result: PileResult, systems: Sequence[System]) -> str:
    c = result.corpus
    out: list[str] = []
    for level in c.levels:
        gold = result.gold_groups[level]
        out += [
            f"### {c.name}, {level} level: {result.items} items (A {result.per_half[0]}, "
            f"B {result.per_half[1]}), {gold[0]} + {gold[1]} gold groups",
            "",
            "| system | tuned on A -> B | tuned on B -> A | B³ P | B³ R | B³ F1 | B³ F1 B / A "
            "| pair P | pair R | pair F1 | groups B / A (gold) |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for system in systems:
            row = result.rows[level][system.name]
            m = mean_scores(row.scores)
            out.append(
                f"| {system.name} | {row.params[0]} | {row.params[1]} | {pct(m.b3_p)} "
                f"| {pct(m.b3_r)} | **{pct(m.b3_f)}** "
                f"| {pct(row.scores[0].b3_f)} / {pct(row.scores[1].b3_f)} "
                f"| {pct(m.pw_p)} | {pct(m.pw_r)} | {pct(m.pw_f)} "
                f"| {row.groups[0]} / {row.groups[1]} ({gold[1]} / {gold[0]}) |"
            )
        out.append("")
    out.append(
        f"{c.name}: {len(c.docs)} documents read, {result.skipped} skipped by the ingester, "
        f"{result.merged} merged into an earlier document's article (same text)"
        + "".join(f"; {note}" for note in c.notes)
    )
    return "\n".join(out)


def render_pairs(result: PairResult, systems: Sequence[System]) -> str:
    out = [
        f"### SemEval-2022 task 8, English pairs: {result.pairs} pairs (A {result.per_half[0]}, "
        f"B {result.per_half[1]}), {result.same} the same story (Overall <= {SAME_STORY_MAX})",
        "",
        "| system | tuned on A -> B | tuned on B -> A | accuracy | accuracy B / A "
        "| same P | same R | same F1 |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for system in systems:
        row = result.rows[system.name]
        out.append(
            f"| {system.name} | {row.params[0]} | {row.params[1]} "
            f"| **{pct(statistics.fmean(row.accuracy))}** "
            f"| {pct(row.accuracy[0])} / {pct(row.accuracy[1])} "
            f"| {pct(statistics.fmean(row.precision))} | {pct(statistics.fmean(row.recall))} "
            f"| {pct(statistics.fmean(row.f1))} |"
        )
    out += [
        "",
        f"SemEval: {result.dropped} pairs dropped (a text skipped by the ingester), "
        f"{result.identical} pairs of identical texts",
    ]
    return "\n".join(out)


def parse_systems(value: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown system(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SYSTEMS)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (../shared/data)")
    parser.add_argument(
        "--systems",
        type=parse_systems,
        default=list(SYSTEMS),
        help=f"comma-separated, from {','.join(SYSTEMS)} (default: all)",
    )
    parser.add_argument("--limit", type=int, default=None, help="first N documents of each half")
    parser.add_argument("--dump", type=Path, default=None, help="write predicted groups as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument(
        "--exact",
        action="store_true",
        help="call group_articles at every newsweave grid point (slower; see Newsweave)",
    )
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    self_check()

    data_dir: Path = args.data if args.data is not None else default_data_dir()
    missing = [str(data_dir / f) for f in DATA_FILES if not (data_dir / f).is_file()]
    if missing:
        print(f"stories_quality: not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    if "newsweave" in args.systems or "newsweave-topics" in args.systems:
        try:
            import newsweave.group.stories  # noqa: F401
        except ImportError as exc:
            print(
                f"stories_quality: cannot import newsweave.group.stories ({exc}); "
                "run with --systems tfidf-agglomerative,hdbscan",
                file=sys.stderr,
            )
            return 2

    from newsweave.ingest import Ingestor

    progress = not args.quiet
    print(f"command: {command_line()}")
    print()
    start = time.perf_counter()
    systems = build_systems(args.systems, args.exact)
    ingestor = Ingestor()
    ingestor.languages.load()
    dump: dict[str, Any] = {}
    loaders: tuple[tuple[Callable[[Path, int | None], Corpus], Path], ...] = (
        (load_ecb, ECB_FILE),
        (load_duc, DUC_FILE),
        (load_t17, T17_FILE),
    )
    with tempfile.TemporaryDirectory(prefix="newsweave-stories-") as tmp:
        for load, path in loaders:
            corpus = load(data_dir / path, args.limit)
            if progress:
                print(f"{corpus.name}: ingesting {len(corpus.docs)} documents", file=sys.stderr)
            ingested = ingest([(d.text, d.published) for d in corpus.docs], Path(tmp), ingestor)
            items, merged = corpus_items(corpus, ingested)
            if {it.doc.half for it in items} != {0, 1}:
                print(f"### {corpus.name}: skipped, one half holds no article\n")
                continue
            rows = evaluate_pile(corpus, items, systems, progress)
            result = PileResult(
                corpus=corpus,
                items=len(items),
                per_half=[sum(it.doc.half == h for it in items) for h in (0, 1)],
                skipped=ingested.skipped,
                merged=merged,
                gold_groups={
                    level: [
                        len({it.doc.gold[lv] for it in items if it.doc.half == h}) for h in (0, 1)
                    ]
                    for lv, level in enumerate(corpus.levels)
                },
                rows=rows,
            )
            print(render_pile(result, systems))
            print()
            sys.stdout.flush()
            dump[corpus.name] = {
                level: {
                    name: [
                        {"tuned_on": HALVES[1 - h], "scored_on": HALVES[h], "param": p, "groups": g}
                        for h, p, g in zip((1, 0), row.params, row.predicted, strict=True)
                    ]
                    for name, row in by_system.items()
                }
                for level, by_system in rows.items()
            }
        pairs = load_semeval(data_dir / SEMEVAL_FILE, args.limit)
        if progress:
            print(f"SemEval: ingesting {len(pairs)} English pairs", file=sys.stderr)
        if {p.half for p in pairs} == {0, 1}:
            pair_result = evaluate_pairs(pairs, ingestor, Path(tmp), systems, progress)
            print(render_pairs(pair_result, systems))
        else:
            print("### SemEval-2022 task 8: skipped, one half holds no English pair")
    print()
    print(
        "time spent grouping (all grid points, halves and datasets): "
        + ", ".join(f"{s.name} {s.seconds:.1f} s ({s.calls} calls)" for s in systems)
    )
    for system in systems:
        if system.note is not None:
            print(system.note())
    print(
        "parameters: newsweave threshold; tfidf-agglomerative cosine distance threshold; "
        "hdbscan min_cluster_size/min_samples/cluster_selection_epsilon on the piles, "
        "epsilon on SemEval pairs"
    )
    if args.dump is not None:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wall time: {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
