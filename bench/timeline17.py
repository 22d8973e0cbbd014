"""Timeline17: timelines from ``newsweave.analyze.tls`` scored against the gold timelines.

Setup, as in news-tls (Gholipour Ghalandari and Ifrim 2020, ``experiments/evaluate.py`` and
``news_tls/data.py``): for each gold timeline, the input is the articles of its topic
published between its first and last date (``get_input_time_span`` with extension 0), the
predicted timeline has as many dates as the gold one (``max_dates=len(ref_dates)``) and
``round(mean sentences per gold date)`` sentences per date (``get_average_summary_length``),
and only dates inside the span may be chosen.

Metrics, as news-tls reports them (Martschat and Markert 2017, the ``tilse`` toolkit):

* date F1: ``tilse.evaluation.dates.evaluate_dates``, precision and recall of the predicted
  date set against the gold date set;
* alignment ROUGE-1/-2 F: ``TimelineRougeEvaluator.evaluate_align_date_content_costs_many_to_one``
  ("align+ m:1"): each predicted date is mapped to the gold date of least cost
  ``(1 - 1/(|days apart| + 1)) * (1 - approximate ROUGE-1 F of the two summaries)`` (and each
  gold date to a predicted date, for recall); matched n-gram counts are weighted by
  ``1/(|days apart| + 1)``, unmatched dates count against the score, and counts are summed
  over dates before dividing (micro average);
* the mean over timelines is news-tls's ``get_average_results``: precision and recall are
  averaged over timelines and F is computed from those averages.

ROUGE counts come from one of two implementations, both named in the output:

* ``tilse``: the real thing, ``tilse`` 0.2.1 with pyrouge's ROUGE-1.5.5 Perl script (stemming,
  stopwords removed), run in a separate interpreter given by ``--tilse-python`` (a scratch
  venv with ``pip install tilse`` and Debian's ``libxml-parser-perl``), because tilse is no
  dependency of newsweave;
* ``reimpl``: this file's re-implementation of the same algorithm with ROUGE-1.5.5's text
  handling (lowercase, ``-`` split off, non-alphanumerics removed, the SMART stopword list,
  Porter stems for tokens longer than 3 characters) but without ROUGE's WordNet exception
  list, so scores differ slightly from ``tilse``. It is fast, and it is what ``--cv`` tunes on.

Predicted sentences are PTB-tokenized again (clitics and punctuation split off) before
scoring, as the gold sentences are.

Rows: our system (``TimelineOptions()`` defaults); three baselines run here on the same data:
``mentioncount+centroid`` (news-tls's unsupervised DATEWISE variant, approximately: dates by
how many sentences name them first, sentences by CentroidOpt), ``pubcount+lead`` (dates by
the number of articles published that day, their articles' first sentences) and
``random+lead`` (random publication days, seeded, with their articles' first sentences);
and the published DATEWISE numbers for all of Timeline17 (19 timelines, supervised date
ranker) as a reference, not run here.

Gold data: a date that a timeline lists twice keeps its last entry (news-tls builds a dict),
and an entry whose date does not parse (MJ_bbc's ``2011-04-0``) is skipped with a notice.

``--cv`` runs leave-one-topic-out cross-validation of the constants in
:class:`~newsweave.analyze.tls.TimelineOptions` (topic = the event before the first ``_``:
the five bpoil outlets are one topic), reporting for each timeline the scores of the
constants chosen on the other topics.

Usage: ``python bench/timeline17.py [--data DIR] [--tilse-python PY] [--cv] [--topics T ...]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

from nltk.stem.porter import PorterStemmer  # type: ignore[import-untyped]

from newsweave.analyze.tls import (
    Corpus,
    Document,
    TimelineOptions,
    build_timeline,
    prepare,
    rank_dates,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DATEWISE = {"date_f1": 0.544, "rouge_1": 0.120, "rouge_2": 0.035}  # news-tls paper, Table 3, T17
TARGETS = {"date_f1": 0.60, "rouge_1": 0.13}

Timeline = dict[date, list[str]]
System = Callable[[Corpus, "Gold"], Timeline]
PRF = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Gold:
    """One gold timeline: its topic, file name and dated sentences (PTB-tokenized)."""

    topic: str
    name: str
    entries: dict[date, list[str]]

    @property
    def span(self) -> tuple[date, date]:
        return min(self.entries), max(self.entries)

    @property
    def n_sentences(self) -> int:
        """news-tls ``get_average_summary_length``: Python's round of the mean."""
        lens = [len(s) for s in self.entries.values()]
        return round(sum(lens) / len(lens))


# ----------------------------------------------------------------------------- data

PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "''", "'", "n't", "...", "'s"}
NO_SPACE_BEFORE |= {"'re", "'ve", "'ll", "'d", "'m", "'S", "N'T"}
NO_SPACE_AFTER = {"(", "[", "{", "``", "`", "$", "#"}


def detokenize(text: str) -> str:
    """Undo PTB tokenization line by line: brackets, ``/'' quotes, clitics, punctuation."""
    lines = []
    for line in text.split("\n"):
        out: list[str] = []
        glue = True
        for tok in line.split():
            word = PTB_BRACKETS.get(tok, tok)
            attach = glue or tok in NO_SPACE_BEFORE or tok.lower() in NO_SPACE_BEFORE
            word = {"``": '"', "''": '"', "`": "'"}.get(word, word)
            out.append(word if attach else " " + word)
            glue = tok in NO_SPACE_AFTER
        lines.append("".join(out))
    return "\n".join(line for line in lines if line)


PTB_SPLIT = re.compile(r"(?i)(n't|'s|'re|'ve|'ll|'d|'m)\b|([^\w\s'-])")


def ptb_tokenize(sentence: str) -> str:
    """A light PTB tokenization of a predicted sentence, to match the gold sentences."""
    return " ".join(PTB_SPLIT.sub(lambda m: f" {m.group(0)} ", sentence).split())


def load(data: Path, topics: Sequence[str] | None) -> tuple[dict[str, list[Document]], list[Gold]]:
    """Articles (detokenized) by topic, and the gold timelines of the chosen topics."""
    folder = data / "timeline17"
    docs: dict[str, list[Document]] = defaultdict(list)
    with open(folder / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if topics and a["topic"] not in topics:
                continue
            docs[a["topic"]].append(
                Document(str(a["id"]), date.fromisoformat(a["date"]), detokenize(a["text"]))
            )
    golds: list[Gold] = []
    with open(folder / "timelines.jsonl", encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            if topics and t["topic"] not in topics:
                continue
            entries: dict[date, list[str]] = {}
            for e in t["entries"]:
                try:
                    day = date.fromisoformat(e["date"])
                except ValueError:  # MJ_bbc has "2011-04-0"; news-tls has no such date either
                    print(f"skipped gold entry with date {e['date']!r} in {t['topic']}")
                    continue
                entries[day] = list(e["sentences"])  # news-tls: a repeated date's last entry wins
            golds.append(Gold(t["topic"], t["timeline_file"], entries))
    for topic in docs:
        docs[topic].sort(key=lambda d: (d.published, d.id))
    return dict(docs), golds


# -------------------------------------------------------------------------- systems


def ours(options: TimelineOptions) -> System:
    """newsweave's timeline with the given constants."""

    def run(corpus: Corpus, gold: Gold) -> Timeline:
        start, end = gold.span
        days = build_timeline(
            corpus, len(gold.entries), gold.n_sentences, start=start, end=end, options=options
        )
        return {d.date: [s.text for s in d.sentences] for d in days}

    return run


def _lead(
    corpus: Corpus, day: date, k: int, in_span: set[int], rng: random.Random | None
) -> list[str]:
    """The first sentences of the articles published on ``day`` (shuffled when ``rng``)."""
    docs = [i for i, d in enumerate(corpus.docs) if d.published == day and i in in_span]
    if rng is not None:
        rng.shuffle(docs)
    by_doc: dict[int, list[str]] = defaultdict(list)
    for s in corpus.sentences:
        if s.doc in docs and len(s.text.split()) >= 5:
            by_doc[s.doc].append(s.text)
    out: list[str] = []
    depth = 0
    while len(out) < k and any(len(v) > depth for v in by_doc.values()):
        out.extend(by_doc[i][depth] for i in docs if len(by_doc[i]) > depth)
        depth += 1
    return out[:k]


NEWS_TLS_LIKE = TimelineOptions(topic_weight=0.0, length_penalty=0.0, max_words=1000, min_words=1)


def mentioncount_centroid(corpus: Corpus, gold: Gold) -> Timeline:
    """news-tls's unsupervised DATEWISE variant, approximately: dates by the number of
    sentences whose first day-precise date they are (``MentionCountDateRanker``), sentences
    by the summary-centroid greedy choice (``CentroidOpt``) among those naming the day or
    leading articles published that day or the next, with no topic pull or length penalty."""
    start, end = gold.span
    counts = Counter(
        s.days[0]
        for s in corpus.sentences
        if s.days and start <= corpus.docs[s.doc].published <= end and start <= s.days[0] <= end
    )
    ranking = sorted(((d, float(c)) for d, c in counts.items()), key=lambda x: (-x[1], x[0]))
    days = build_timeline(
        corpus,
        len(gold.entries),
        gold.n_sentences,
        start=start,
        end=end,
        options=NEWS_TLS_LIKE,
        ranking=ranking,
    )
    return {d.date: [s.text for s in d.sentences] for d in days}


def pubcount_lead(corpus: Corpus, gold: Gold) -> Timeline:
    """Dates by the number of articles published on them; their articles' first sentences."""
    start, end = gold.span
    in_span = {i for i, d in enumerate(corpus.docs) if start <= d.published <= end}
    counts = Counter(corpus.docs[i].published for i in in_span)
    ranked = sorted(counts, key=lambda d: (-counts[d], d))[: len(gold.entries)]
    return {d: _lead(corpus, d, gold.n_sentences, in_span, None) for d in sorted(ranked)}


def random_lead(corpus: Corpus, gold: Gold) -> Timeline:
    """Random publication days (seeded by the timeline) with their articles' first sentences."""
    rng = random.Random(f"{gold.topic}/{gold.name}")
    start, end = gold.span
    in_span = {i for i, d in enumerate(corpus.docs) if start <= d.published <= end}
    days = sorted({corpus.docs[i].published for i in in_span})
    chosen = rng.sample(days, min(len(days), len(gold.entries)))
    return {d: _lead(corpus, d, gold.n_sentences, in_span, rng) for d in sorted(chosen)}


# -------------------------------------------------------------------------- metrics

# ROUGE-1.5.5's smart_common_words.txt, the entries that can match a token after its
# preprocessing (letters and digits only).
SMART_TEXT = (
    "reuters ap jan feb mar apr may jun jul aug sep oct nov dec tech news index mon tue "
    "wed thu fri sat a able about above according accordingly across actually after "
    "afterwards again against all allow allows almost alone along already also although "
    "always am amid among amongst an and another any anybody anyhow anyone anything anyway "
    "anyways anywhere apart appear appreciate appropriate are around as aside ask asking "
    "associated at available away awfully b be became because become becomes becoming been "
    "before beforehand behind being believe below beside besides best better between "
    "beyond both brief but by c came can cannot cant cause causes certain certainly "
    "changes clearly co com come comes concerning consequently consider considering "
    "contain containing contains corresponding could course currently d definitely "
    "described despite did different do does doing done down downwards during e each edu "
    "eg eight either else elsewhere enough entirely especially et etc even ever every "
    "everybody everyone everything everywhere ex exactly example except f far few fifth "
    "five followed following follows for former formerly forth four from further "
    "furthermore g get gets getting given gives go goes going gone got gotten greetings h "
    "had happens hardly has have having he hello help hence her here hereafter hereby "
    "herein hereupon hers herself hi him himself his hither hopefully how howbeit however "
    "i ie if ignored immediate in inasmuch inc indeed indicate indicated indicates inner "
    "insofar instead into inward is it its itself j just k keep keeps kept know knows "
    "known l lately later latter latterly least less lest let like liked likely little "
    "look looking looks ltd m mainly many may maybe me mean meanwhile merely might more "
    "moreover most mostly much must my myself n namely nd near nearly necessary need needs "
    "neither never nevertheless new next nine no nobody non none noone nor normally not "
    "nothing novel now nowhere o obviously of off often oh ok okay old on once one ones "
    "only onto or other others otherwise ought our ours ourselves out outside over overall "
    "own p particular particularly per perhaps placed please plus possible presumably "
    "probably provides q que quite qv r rather rd re really reasonably regarding "
    "regardless regards relatively respectively right s said same saw say saying says "
    "second secondly see seeing seem seemed seeming seems seen self selves sensible sent "
    "serious seriously seven several shall she should since six so some somebody somehow "
    "someone something sometime sometimes somewhat somewhere soon sorry specified specify "
    "specifying still sub such sup sure t take taken tell tends th than thank thanks thanx "
    "that thats the their theirs them themselves then thence there thereafter thereby "
    "therefore therein theres thereupon these they think third this thorough thoroughly "
    "those though three through throughout thru thus to together too took toward towards "
    "tried tries truly try trying twice two u un under unfortunately unless unlikely until "
    "unto up upon us use used useful uses using usually uucp v value various very via viz "
    "vs w want wants was way we welcome well went were what whatever when whence whenever "
    "where whereafter whereas whereby wherein whereupon wherever whether which while "
    "whither who whoever whole whom whose why will willing wish with within without wonder "
    "would x y yes yet you your yours yourself yourselves z zero"
)
SMART_STOPWORDS = frozenset(SMART_TEXT.split())
NON_ALNUM = re.compile(r"[^a-z0-9-]")
PUNCT = string.punctuation  # tilse tests ``token not in string.punctuation`` (a substring test)


class Rouge:
    """ROUGE-1/-2 match counts with ROUGE-1.5.5's text handling (``-m -s``, no WordNet
    exceptions), memoised per summary."""

    def __init__(self) -> None:
        self.stemmer = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
        self.stems: dict[str, str] = {}
        self.memo: dict[str, list[str]] = {}

    def tokens(self, sentences: Sequence[str]) -> list[str]:
        key = "\n".join(sentences)
        if key not in self.memo:
            self.memo[key] = self._tokens(sentences)
        return self.memo[key]

    def _tokens(self, sentences: Sequence[str]) -> list[str]:
        text = NON_ALNUM.sub(" ", " ".join(sentences).lower().replace("-", " - "))
        out = []
        for tok in text.split():
            if tok in SMART_STOPWORDS or not tok[0].isalnum():
                continue
            if len(tok) > 3:
                if tok not in self.stems:
                    self.stems[tok] = self.stemmer.stem(tok)
                tok = self.stems[tok]
            out.append(tok)
        return out

    def counts(self, pred: Sequence[str], ref: Sequence[str]) -> dict[str, tuple[int, int, int]]:
        """For ROUGE-1 and -2: (matches, predicted n-grams, reference n-grams)."""
        p, r = self.tokens(pred), self.tokens(ref)
        out = {}
        for n, name in ((1, "rouge_1"), (2, "rouge_2")):
            pc = Counter(zip(*(p[i:] for i in range(n)), strict=False))
            rc = Counter(zip(*(r[i:] for i in range(n)), strict=False))
            out[name] = (sum((pc & rc).values()), sum(pc.values()), sum(rc.values()))
        return out


def _bag(summary: Sequence[str]) -> Counter[str]:
    """Whitespace tokens that are not one punctuation character (tilse's approximation)."""
    return Counter(t for s in summary for t in s.split() if t not in PUNCT)


def _approx_rouge1_f(pc: Counter[str], rc: Counter[str]) -> float:
    """tilse ``util.compute_rouge_approximation``: ROUGE-1 F on whitespace tokens, unstemmed."""
    match = sum((pc & rc).values())
    p = match / sum(pc.values()) if pc else 0.0
    r = match / sum(rc.values()) if rc else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def align_rouge(pred: Timeline, ref: Timeline, rouge: Rouge) -> dict[str, PRF]:
    """tilse ``evaluate_align_date_content_costs_many_to_one`` for one reference timeline."""
    pdates, rdates = sorted(pred), sorted(ref)
    if not pdates:
        return {m: (0.0, 0.0, 0.0) for m in ("rouge_1", "rouge_2")}
    pbags = [_bag(pred[d]) for d in pdates]
    rbags = [_bag(ref[d]) for d in rdates]
    cost = [
        [
            (1 - 1 / (abs(pd.toordinal() - rd.toordinal()) + 1)) * (1 - _approx_rouge1_f(pb, rb))
            for rd, rb in zip(rdates, rbags, strict=True)
        ]
        for pd, pb in zip(pdates, pbags, strict=True)
    ]
    num: dict[str, float] = defaultdict(float)
    pden: dict[str, float] = defaultdict(float)
    rnum: dict[str, float] = defaultdict(float)
    rden: dict[str, float] = defaultdict(float)
    for i, pd in enumerate(pdates):  # precision: each predicted date to its cheapest gold date
        j = min(range(len(rdates)), key=lambda j: cost[i][j])
        weight = 1 / (abs(pd.toordinal() - rdates[j].toordinal()) + 1)
        for m, (hit, npred, _) in rouge.counts(pred[pd], ref[rdates[j]]).items():
            num[m] += weight * hit
            pden[m] += npred
    for j, rd in enumerate(rdates):  # recall: each gold date to its cheapest predicted date
        i = min(range(len(pdates)), key=lambda i: cost[i][j])
        weight = 1 / (abs(pdates[i].toordinal() - rd.toordinal()) + 1)
        for m, (hit, _, nref) in rouge.counts(pred[pdates[i]], ref[rd]).items():
            rnum[m] += weight * hit
            rden[m] += nref
    out = {}
    for m in ("rouge_1", "rouge_2"):
        p = num[m] / pden[m] if pden[m] else 0.0
        r = rnum[m] / rden[m] if rden[m] else 0.0
        out[m] = (p, r, _f(p, r))
    return out


def date_prf(pred: Timeline, ref: Timeline) -> PRF:
    """tilse ``evaluate_dates``."""
    shared = len(set(pred) & set(ref))
    p = shared / len(pred) if pred else 0.0
    r = shared / len(ref)
    return p, r, _f(p, r)


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


TILSE_SCRIPT = r"""
import datetime, json, sys
from tilse.data.timelines import GroundTruth, Timeline
from tilse.evaluation import rouge
ev = rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"])
def tl(d):
    return Timeline({datetime.date.fromisoformat(k): v for k, v in d.items()})
items = json.load(open(sys.argv[1]))
out = [ev.evaluate_align_date_content_costs_many_to_one(tl(p), GroundTruth([tl(r)])) for p, r in items]
json.dump(out, open(sys.argv[2], "w"))
"""


def tilse_rouge(pairs: Sequence[tuple[Timeline, Timeline]], python: str) -> list[dict[str, PRF]]:
    """Alignment ROUGE by the real tilse (ROUGE-1.5.5 Perl), in another interpreter; the
    pairs are split over two processes."""
    halves = [list(pairs[: len(pairs) // 2]), list(pairs[len(pairs) // 2 :])]
    with ProcessPoolExecutor(2) as pool:
        parts = list(pool.map(_tilse_batch, halves, [python, python]))
    return [r for part in parts for r in part]


def _tilse_batch(pairs: list[tuple[Timeline, Timeline]], python: str) -> list[dict[str, PRF]]:
    import tempfile

    if not pairs:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        src.write_text(json.dumps([[_jsonable(p), _jsonable(r)] for p, r in pairs]))
        subprocess.run(
            [python, "-c", TILSE_SCRIPT, str(src), str(dst)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        raw = json.loads(dst.read_text())
    return [
        {m: (v[m]["precision"], v[m]["recall"], v[m]["f_score"]) for m in ("rouge_1", "rouge_2")}
        for v in raw
    ]


def _jsonable(tl: Timeline) -> dict[str, list[str]]:
    return {d.isoformat(): s for d, s in sorted(tl.items())}


@dataclass(frozen=True, slots=True)
class Scores:
    """One timeline's scores: date, ROUGE-1 and ROUGE-2 as (precision, recall, F)."""

    date: PRF
    rouge_1: PRF
    rouge_2: PRF


def mean_scores(scores: Sequence[Scores]) -> Scores:
    """news-tls ``get_average_results``: mean precision and recall, F of the means."""

    def avg(parts: Iterable[PRF]) -> PRF:
        items = list(parts)
        p = sum(x[0] for x in items) / len(items)
        r = sum(x[1] for x in items) / len(items)
        return p, r, _f(p, r)

    return Scores(
        avg(s.date for s in scores), avg(s.rouge_1 for s in scores), avg(s.rouge_2 for s in scores)
    )


def score_all(
    preds: Sequence[Timeline], golds: Sequence[Gold], rouge: Rouge, tilse_python: str | None
) -> list[Scores]:
    """Scores of each predicted timeline against its gold timeline."""
    refs = [{d: [" ".join(s.split()) for s in v] for d, v in g.entries.items()} for g in golds]
    toks = [{d: [ptb_tokenize(s) for s in v] for d, v in p.items()} for p in preds]
    if tilse_python:
        rs = tilse_rouge(list(zip(toks, refs, strict=True)), tilse_python)
    else:
        rs = [align_rouge(p, r, rouge) for p, r in zip(toks, refs, strict=True)]
    return [
        Scores(date_prf(p, r), x["rouge_1"], x["rouge_2"])
        for p, r, x in zip(toks, refs, rs, strict=True)
    ]


# ------------------------------------------------------------------- cross-validation


def event(topic: str) -> str:
    """The event a topic is about: ``bpoil_bbc`` and ``bpoil_reuters`` are both ``bpoil``."""
    return topic.split("_")[0].lower()


# Stage 1 (date ranking, scored by date F1) and stage 2 (sentences, scored by date F1 +
# ROUGE-1 + ROUGE-2 F); every other constant keeps its TimelineOptions default.
RANK_GRID: dict[str, list[Any]] = {
    "later_weight": [0.0, 0.5, 1.0, 2.0],
    "pub_weight": [0.0, 0.25, 0.5, 1.0],
    "next_pub_weight": [0.0, 0.25, 0.5, 1.0],
    "first_date_only": [False, True],
}
SUMMARY_GRID: dict[str, list[Any]] = {
    "topic_weight": [0.0, 1.0, 2.0],
    "lead_sentences": [5, 10],
    "max_words": [50, 80],
    "length_penalty": [0.0, 0.005, 0.01],
    "target_words": [20, 30],
}


def _grid(base: TimelineOptions, grid: dict[str, list[Any]]) -> list[TimelineOptions]:
    keys = list(grid)
    return [replace(base, **dict(zip(keys, vals, strict=True))) for vals in product(*grid.values())]


def _date_f1_only(corpus: Corpus, gold: Gold, options: TimelineOptions) -> float:
    """Date F1 of the top ranked dates, without writing summaries (for the ranking grid)."""
    start, end = gold.span
    top = [d for d, _ in rank_dates(corpus, options, start, end)[: len(gold.entries)]]
    return date_prf({d: [] for d in top}, gold.entries)[2]


def cross_validate(corpora: dict[str, Corpus], golds: Sequence[Gold], rouge: Rouge) -> None:
    """Leave-one-topic-out: choose ranking constants by date F1, then summary constants by
    date F1 + ROUGE-1 + ROUGE-2 (reimpl), on the other topics; score the held-out one.

    Grid search in two stages, from the same starting point for every fold (the
    TimelineOptions defaults outside the grids); ties go to the earlier grid entry.
    """
    t0 = time.perf_counter()
    rank_configs = _grid(TimelineOptions(), RANK_GRID)
    date_f1 = [[_date_f1_only(corpora[g.topic], g, o) for g in golds] for o in rank_configs]
    events = sorted({event(g.topic) for g in golds})
    chosen_rank: dict[str, TimelineOptions] = {}
    for ev in events:
        train = [j for j, g in enumerate(golds) if event(g.topic) != ev]
        best = max(range(len(rank_configs)), key=lambda c: sum(date_f1[c][j] for j in train))
        chosen_rank[ev] = rank_configs[best]
    train_all = range(len(golds))
    best_all = max(range(len(rank_configs)), key=lambda c: sum(date_f1[c][j] for j in train_all))
    print(f"ranking grid: {len(rank_configs)} configs in {time.perf_counter() - t0:.0f} s")

    cache: dict[tuple[TimelineOptions, int], Scores] = {}

    def scores(opts: TimelineOptions, j: int) -> Scores:
        key = (opts, j)
        if key not in cache:
            g = golds[j]
            pred = ours(opts)(corpora[g.topic], g)
            cache[key] = score_all([pred], [g], rouge, None)[0]
        return cache[key]

    def objective(s: Scores) -> float:
        return s.date[2] + s.rouge_1[2] + s.rouge_2[2]

    held_out: dict[int, Scores] = {}
    report: list[str] = []
    for ev in events:
        train = [j for j, g in enumerate(golds) if event(g.topic) != ev]
        test = [j for j, g in enumerate(golds) if event(g.topic) == ev]
        configs = _grid(chosen_rank[ev], SUMMARY_GRID)
        pick = max(configs, key=lambda o: sum(objective(scores(o, j)) for j in train))
        for j in test:
            held_out[j] = scores(pick, j)
        report.append(f"- held out {ev}: {_describe(pick)}")
    print(f"cross-validation done in {time.perf_counter() - t0:.0f} s")
    print("\nConstants chosen per fold (the others' topics only):\n")
    print("\n".join(report))
    configs = _grid(rank_configs[best_all], SUMMARY_GRID)
    final = max(configs, key=lambda o: sum(objective(scores(o, j)) for j in train_all))
    print(f"\nChosen on all development topics (the shipped defaults): {_describe(final)}\n")
    rows = [(g, held_out[j]) for j, g in enumerate(golds)]
    print("Leave-one-topic-out scores (reimpl ROUGE):\n")
    _table({"ours (CV)": rows})


def _describe(o: TimelineOptions) -> str:
    keys = list(RANK_GRID) + list(SUMMARY_GRID)
    return ", ".join(f"{k}={getattr(o, k)}" for k in keys)


# -------------------------------------------------------------------------- output


def _table(results: dict[str, list[tuple[Gold, Scores]]]) -> None:
    print("| timeline | system | dates | k | date F1 | align R-1 F | align R-2 F |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    names = list(results)
    first = results[names[0]]
    for j, (g, _) in enumerate(first):
        for name in names:
            s = results[name][j][1]
            print(
                f"| {g.topic} | {name} | {len(g.entries)} | {g.n_sentences} | "
                f"{s.date[2]:.3f} | {s.rouge_1[2]:.3f} | {s.rouge_2[2]:.3f} |"
            )
    for name in names:
        m = mean_scores([s for _, s in results[name]])
        print(
            f"| **mean ({len(first)} timelines)** | **{name}** | | | **{m.date[2]:.3f}** | "
            f"**{m.rouge_1[2]:.3f}** | **{m.rouge_2[2]:.3f}** |"
        )
    print(
        f"| all of T17 (19 timelines), published | DATEWISE | | | {DATEWISE['date_f1']:.3f} | "
        f"{DATEWISE['rouge_1']:.3f} | {DATEWISE['rouge_2']:.3f} |"
    )


def _prepare_topic(docs: list[Document]) -> Corpus:
    return prepare(docs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tilse-python", help="interpreter with tilse installed (official ROUGE)")
    parser.add_argument("--cv", action="store_true", help="leave-one-topic-out tuning report")
    parser.add_argument("--topics", nargs="*", help="only these topics")
    parser.add_argument("--jobs", type=int, default=2, help="processes for preparing topics")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    docs, golds = load(args.data, args.topics)
    golds = [g for g in golds if g.topic in docs]
    names = sorted(docs)
    with ProcessPoolExecutor(args.jobs) as pool:
        corpora = dict(zip(names, pool.map(_prepare_topic, [docs[n] for n in names]), strict=True))
    t_prep = time.perf_counter() - t0
    n_docs = sum(len(v) for v in docs.values())
    n_sents = sum(len(c.sentences) for c in corpora.values())
    print(f"{n_docs} articles, {n_sents} sentences, {len(golds)} gold timelines")
    print(f"prepared (split, dates, terms) in {t_prep:.1f} s")
    rouge = Rouge()
    if args.cv:
        cross_validate(corpora, golds, rouge)
        print(f"\nwall time {time.perf_counter() - t0:.0f} s")
        return 0

    systems: dict[str, System] = {
        "newsweave": ours(TimelineOptions()),
        "mentioncount+centroid": mentioncount_centroid,
        "pubcount+lead": pubcount_lead,
        "random+lead": random_lead,
    }
    results: dict[str, list[tuple[Gold, Scores]]] = {}
    for name, system in systems.items():
        t1 = time.perf_counter()
        preds = [system(corpora[g.topic], g) for g in golds]
        t_sys = time.perf_counter() - t1
        scores = score_all(preds, golds, rouge, args.tilse_python)
        results[name] = list(zip(golds, scores, strict=True))
        print(
            f"{name}: timelines built in {t_sys:.1f} s, scored in {time.perf_counter() - t1 - t_sys:.1f} s"
        )
    scorer = "tilse 0.2.1 (ROUGE-1.5.5)" if args.tilse_python else "reimpl (no WordNet exceptions)"
    print(f"\nROUGE: {scorer}\n")
    _table(results)
    m = mean_scores([s for _, s in results["newsweave"]])
    met = m.date[2] >= TARGETS["date_f1"] and m.rouge_1[2] >= TARGETS["rouge_1"]
    print(
        f"\nTargets: date F1 >= {TARGETS['date_f1']}, align ROUGE-1 >= {TARGETS['rouge_1']}: "
        f"{'met' if met else 'not met'}"
    )
    print(f"\ncommand: python {' '.join(sys.argv)}")
    print(f"wall time {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
