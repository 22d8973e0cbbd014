"""Timeline summarisation: the days that mattered in a long story, each told in source sentences.

DATEWISE-style (Gholipour Ghalandari and Ifrim 2020): candidate days are day-precise temporal
expressions, resolved against the publication date of the article they appear in, plus
publication days. A day ranks high when many articles mention it, most of all articles
written after it (news keeps looking back at what mattered), and when articles are published
on it or the day after. Each chosen day is told by the sentences that mention it, or that
open an article published that day or the next without naming another day, picked by
closeness to their TF-IDF centroid without repeating each other. No learned weights: a few
constants, tuned by leave-one-topic-out cross-validation on Timeline17 (``bench/timeline17.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from newsweave.analyze.temporal import Precision, find_times
from newsweave.text.sentences import split_spans
from newsweave.text.tfidf import content_terms

LETTERS = re.compile(r"[A-Za-z]")
# Reader comments, links and social handles are not what happened on a day.
NOT_NEWS = re.compile(r"\bwrote:|https?://|www\.|(?:^|\s)@\w|^RT\b|\|")


@dataclass(frozen=True, slots=True)
class Document:
    """One dated article: its id, publication day and plain text."""

    id: str
    published: date
    text: str


@dataclass(frozen=True, slots=True)
class TimelineSentence:
    """A sentence quoted in a timeline, with where it comes from (document, index, span)."""

    text: str
    doc_id: str
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimelineDay:
    """One day of a timeline: the day, its sentences and the score that ranked it."""

    date: date
    sentences: tuple[TimelineSentence, ...]
    score: float


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    """The constants of date ranking and sentence choice.

    The defaults are what the grid search of ``bench/timeline17.py --cv`` picks on all
    Timeline17 development topics; that script's leave-one-topic-out run of the same search
    is the estimate of how they do on unseen topics.
    """

    mention_weight: float = 1.0  # per article that names the day
    sentence_weight: float = 0.0  # per sentence that names the day
    later_weight: float = 0.5  # extra, per article published after the day that names it
    earlier_weight: float = 0.0  # extra, per article published before the day that names it
    pub_weight: float = 0.25  # per article published on the day
    next_pub_weight: float = 0.0  # per article published the day after
    count_transform: str = "log"  # "log" (log1p of each count) or "linear"
    first_date_only: bool = False  # a sentence stands only for the first day it names
    lead_sentences: int = 10  # sentences per article that may stand for its publication day
    pub_window: int = 2  # ... and for how many days up to it (2: that day and the day before)
    min_words: int = 5
    max_words: int = 50
    redundancy: float = 0.5  # cosine above which two sentences of a day say the same
    topic_weight: float = 1.0  # pull of the whole collection's centroid against stray topics
    length_penalty: float = 0.01  # per word above target_words: timeline entries are short
    target_words: int = 30

    def __post_init__(self) -> None:
        if self.count_transform not in ("log", "linear"):
            raise ValueError(
                f"count_transform must be 'log' or 'linear', not {self.count_transform!r}"
            )
        if self.pub_window < 1 or self.lead_sentences < 0:
            raise ValueError("pub_window must be >= 1 and lead_sentences >= 0")


@dataclass(frozen=True, slots=True)
class DatedSentence:
    """A sentence of a prepared document: its position, span and text, the days it names."""

    doc: int  # position of its document in the corpus
    index: int
    start: int
    end: int
    text: str
    days: tuple[date, ...]  # day-precise dates it names, in order of appearance
    n_words: int


@dataclass(frozen=True, slots=True, eq=False)
class Corpus:
    """Documents split into sentences, each with the days it names and its TF-IDF vector;
    built once by :func:`prepare` and reused for several timelines (spans, lengths).

    Vectors are stored as rows of a sparse matrix: sentence ``i`` has term ids
    ``ids[indptr[i]:indptr[i + 1]]`` with unit-norm weights ``weights[...]`` (same slice).
    """

    docs: tuple[Document, ...]
    sentences: tuple[DatedSentence, ...] = field(repr=False)
    indptr: np.ndarray = field(repr=False)
    ids: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Term ids and weights of sentence ``i``."""
        a, b = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.ids[a:b], self.weights[a:b]


def prepare(docs: Iterable[Document]) -> Corpus:
    """Split every document into sentences, resolve the days each sentence names and weigh
    its terms by TF-IDF over all the documents' sentences."""
    documents = tuple(docs)
    sentences: list[DatedSentence] = []
    vocab: dict[str, int] = {}
    ids: list[int] = []
    tfs: list[int] = []
    indptr = [0]
    for k, doc in enumerate(documents):
        for i, (start, end, _para, _quote) in enumerate(split_spans(doc.text)):
            text = doc.text[start:end]
            terms = content_terms(text)
            for term, tf in Counter(terms).items():
                ids.append(vocab.setdefault(term, len(vocab)))
                tfs.append(tf)
            indptr.append(len(ids))
            days = mentioned_days(text, doc.published)
            sentences.append(DatedSentence(k, i, start, end, text, days, len(text.split())))
    id_arr = np.array(ids, dtype=np.int64)
    ptr = np.array(indptr, dtype=np.int64)
    df = np.bincount(id_arr, minlength=len(vocab)).astype(np.float64)
    n = max(len(sentences), 1)
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    w = (1.0 + np.log(np.array(tfs, dtype=np.float64))) * idf[id_arr]
    row_of = np.repeat(np.arange(len(sentences)), np.diff(ptr))
    norms = np.sqrt(np.bincount(row_of, weights=w * w, minlength=len(sentences)))
    norms[norms == 0] = 1.0
    w = w / norms[row_of] if w.size else w
    return Corpus(documents, tuple(sentences), ptr, id_arr, w)


def mentioned_days(sentence: str, published: date) -> tuple[date, ...]:
    """Day-precise dates a sentence names, resolved against its article's publication day
    (see :func:`newsweave.analyze.temporal.find_times`: tense is read from the words before
    each date, "last night" is the day before publication, "weeks ago" is not a day)."""
    return tuple(
        t.value
        for t in find_times(sentence, published)
        if t.precision is Precision.DAY and t.value is not None
    )


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """What speaks for one day: articles and sentences naming it, and articles published."""

    mention_docs: int = 0  # articles naming the day
    mention_sentences: int = 0  # sentences naming the day
    later_docs: int = 0  # articles published after the day that name it
    earlier_docs: int = 0  # articles published before the day that name it (announcements)
    published: int = 0  # articles published on the day
    published_next: int = 0  # articles published the day after


def date_evidence(
    corpus: Corpus, start: date | None = None, end: date | None = None, first_only: bool = False
) -> dict[date, DateEvidence]:
    """Counts for every day in ``[start, end]`` named by, or the publication day of, an
    article published in that span."""
    docs = _in_span(corpus, start, end)
    sents: Counter[date] = Counter()
    by_doc: dict[int, set[date]] = defaultdict(set)
    for s in corpus.sentences:
        if s.doc in docs and s.days:
            days = s.days[:1] if first_only else tuple(dict.fromkeys(s.days))
            sents.update(days)
            by_doc[s.doc].update(days)
    mentions: Counter[date] = Counter()
    later: Counter[date] = Counter()
    earlier: Counter[date] = Counter()
    published: Counter[date] = Counter()
    for k in docs:
        pub = corpus.docs[k].published
        published[pub] += 1
        for d in by_doc.get(k, ()):
            mentions[d] += 1
            if d < pub:
                later[d] += 1
            elif d > pub:
                earlier[d] += 1
    return {
        d: DateEvidence(
            mentions[d],
            sents[d],
            later[d],
            earlier[d],
            published[d],
            published[d + timedelta(days=1)],
        )
        for d in set(mentions) | set(published)
        if (start is None or d >= start) and (end is None or d <= end)
    }


def rank_dates(
    corpus: Corpus,
    options: TimelineOptions | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[tuple[date, float]]:
    """Every candidate day in ``[start, end]`` with its score, best first."""
    opts = options or TimelineOptions()
    evidence = date_evidence(corpus, start, end, opts.first_date_only)
    scored = [(d, date_score(e, opts)) for d, e in evidence.items()]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored


def date_score(e: DateEvidence, opts: TimelineOptions) -> float:
    """A weighted sum of a day's (log or raw) counts."""
    parts = (
        (opts.mention_weight, e.mention_docs),
        (opts.sentence_weight, e.mention_sentences),
        (opts.later_weight, e.later_docs),
        (opts.earlier_weight, e.earlier_docs),
        (opts.pub_weight, e.published),
        (opts.next_pub_weight, e.published_next),
    )
    if opts.count_transform == "log":
        return sum(w * math.log1p(c) for w, c in parts)
    return float(sum(w * c for w, c in parts))


def build_timeline(
    docs: Sequence[Document] | Corpus,
    n_dates: int,
    n_sentences: int,
    *,
    start: date | None = None,
    end: date | None = None,
    options: TimelineOptions | None = None,
    ranking: Sequence[tuple[date, float]] | None = None,
) -> list[TimelineDay]:
    """A timeline of at most ``n_dates`` days with at most ``n_sentences`` sentences each,
    in date order, from the documents published in ``[start, end]`` (all when None).

    ``ranking`` replaces :func:`rank_dates` with the caller's own scored days.
    """
    opts = options or TimelineOptions()
    corpus = docs if isinstance(docs, Corpus) else prepare(docs)
    if n_dates <= 0 or n_sentences <= 0:
        return []
    ranked = list(ranking) if ranking is not None else rank_dates(corpus, opts, start, end)
    in_span = _in_span(corpus, start, end)
    pool = [
        i
        for i, s in enumerate(corpus.sentences)
        if s.doc in in_span
        and opts.min_words <= s.n_words <= opts.max_words
        and LETTERS.search(s.text) is not None
        and NOT_NEWS.search(s.text) is None
        and s.text.rstrip().endswith((".", "!", '"', "'", ")"))
    ]
    topic = _topic(corpus, pool) if opts.topic_weight else None
    candidates = _candidates(corpus, pool, opts)
    used: set[str] = set()  # texts already in the timeline (syndicated copies repeat them)
    days: list[TimelineDay] = []
    for d, score in ranked:
        if len(days) >= n_dates:
            break
        items = [i for i in candidates.get(d, ()) if _key(corpus, i) not in used]
        chosen = _summarise(corpus, items, n_sentences, opts, topic)
        if not chosen:
            continue  # nothing left to say about the day: the next one takes its place
        used.update(_key(corpus, i) for i in chosen)
        days.append(TimelineDay(d, tuple(_cite(corpus, i) for i in chosen), score))
    days.sort(key=lambda day: day.date)
    return days


def _in_span(corpus: Corpus, start: date | None, end: date | None) -> set[int]:
    return {
        k
        for k, doc in enumerate(corpus.docs)
        if (start is None or doc.published >= start) and (end is None or doc.published <= end)
    }


def _candidates(corpus: Corpus, pool: list[int], opts: TimelineOptions) -> dict[date, list[int]]:
    """Sentences that may stand for each day: those that name it, and lead sentences naming
    no day of articles published on it or within ``pub_window - 1`` days after."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for i in pool:
        s = corpus.sentences[i]
        if s.days:
            for d in dict.fromkeys(s.days[:1] if opts.first_date_only else s.days):
                by_day[d].append(i)
        elif s.index < opts.lead_sentences:
            pub = corpus.docs[s.doc].published
            for k in range(opts.pub_window):
                by_day[pub - timedelta(days=k)].append(i)
    return by_day


def _dense(corpus: Corpus, items: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The items' vectors as a dense matrix over their own terms, and those terms' ids."""
    rows = [corpus.row(i) for i in items]
    ids = np.unique(np.concatenate([r[0] for r in rows]))
    mat = np.zeros((len(items), len(ids)), dtype=np.float64)
    for r, (cols, w) in enumerate(rows):
        mat[r, np.searchsorted(ids, cols)] = w
    return mat, ids


def _topic(corpus: Corpus, pool: list[int]) -> np.ndarray:
    """Unit centroid of the pool's sentences over the whole vocabulary."""
    rows = [corpus.row(i) for i in pool]
    if not rows:
        return np.zeros(0)
    ids = np.concatenate([r[0] for r in rows])
    w = np.concatenate([r[1] for r in rows])
    size = int(corpus.ids.max()) + 1 if corpus.ids.size else 0
    topic = np.bincount(ids, weights=w, minlength=size)
    norm = float(np.linalg.norm(topic))
    return topic / norm if norm > 0 else topic


def _summarise(
    corpus: Corpus, items: list[int], k: int, opts: TimelineOptions, topic: np.ndarray | None
) -> list[int]:
    """Greedily add the sentence that brings the summary closest to the candidates' centroid
    (news-tls CentroidOpt), skipping near-duplicates of what is already chosen."""
    items = [i for i in dict.fromkeys(items) if corpus.indptr[i + 1] > corpus.indptr[i]]
    if not items:
        return []
    mat, ids = _dense(corpus, items)
    centroid = mat.sum(axis=0)
    norm = float(np.linalg.norm(centroid))
    centroid = centroid / norm if norm > 0 else centroid
    if topic is not None:
        centroid = centroid + opts.topic_weight * topic[ids]
    excess = np.array(
        [max(0, corpus.sentences[i].n_words - opts.target_words) for i in items], dtype=np.float64
    )
    chosen: list[int] = []
    summed = np.zeros(mat.shape[1], dtype=np.float64)
    remaining = list(range(len(items)))
    while remaining and len(chosen) < k:
        sums = summed[None, :] + mat[remaining]
        norms = np.linalg.norm(sums, axis=1)
        norms[norms == 0] = 1.0
        gain = (sums @ centroid) / norms - opts.length_penalty * excess[remaining]
        picked = -1
        for o in np.argsort(-gain, kind="stable"):
            r = remaining[int(o)]
            if all(float(mat[r] @ mat[c]) <= opts.redundancy for c in chosen):
                picked = r
                break
        if picked < 0:
            break
        chosen.append(picked)
        summed += mat[picked]
        remaining.remove(picked)
    return [items[r] for r in chosen]


def _key(corpus: Corpus, i: int) -> str:
    return " ".join(corpus.sentences[i].text.lower().split())


def _cite(corpus: Corpus, i: int) -> TimelineSentence:
    s = corpus.sentences[i]
    return TimelineSentence(s.text, corpus.docs[s.doc].id, s.index, s.start, s.end)
