"""Facts and conflicts: what several sources state alike, and where they disagree.

Every sentence (and every photo caption: outlets write those too) becomes a statement with
typed slots: the numbers it gives with what they count (:mod:`newsweave.analyze.quantities`),
its dates resolved against the article's own date, the entities it names, whether it is
negated or hedged. Statements that say the same thing in different sources (similar words,
no slot in disagreement) are one fact, supported by the independent sources that state it.

Conflicts are found by comparing slots of statements about the same thing: a different
figure for the same counted noun, a different date for the same event, a different role or
name for the same person, a different place for the same event, or one source denying what
another states. A later, different figure for a quantity that changes over time (a toll, the
number evacuated) is an ``update``; the same topic in different measures ("7 pints" vs
"several bags of blood") is ``possible``. Rounding, spelled-out numbers, different people,
and one measure taken at different times ("in early trading" vs "at the close") are not
conflicts. No trained model is involved: the rules are typed comparisons, so each conflict
says exactly which values differ and cites both sides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from newsweave.analyze.annotate import COMMON_TITLES
from newsweave.analyze.embed import Encoder
from newsweave.analyze.entities import EntityIndex
from newsweave.analyze.quantities import (
    CHANGING,
    CHANGING_STATES,
    MEASURES,
    NUMBER,
    PEOPLE,
    Quantity,
    family,
    find_quantities,
    measure,
    parse_number,
    same_measure,
    same_value,
    unit_key,
)
from newsweave.analyze.temporal import (
    MONTHS,
    WEEKDAYS,
    TimeExpression,
    Times,
    compatible,
    find_times,
    period,
)
from newsweave.model import Article, Citation, Conflict, ConflictSide, Entity, Fact, Sentence
from newsweave.summarize.extractive import content_terms, cosines, tfidf_matrix

SAME_FACT = 0.55  # cosine at which two statements say the same thing
SAME_MEANING = 0.8  # embedding cosine at which two statements say the same thing
SAME_TOPIC = 0.3  # cosine (numbers and dates left out) at which two statements are about one thing
SAME_EVENT = 0.45  # topic cosine at which two dated statements are about one event
NEGATION_PAIR = 0.6  # topic cosine for a stated / denied pair
MIN_WORDS = 5
CREDIT = re.compile(r"\s*\b(?:Picture|Photo|Photograph|Image|Credit)s?\s*:.*$", re.IGNORECASE)
NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|denied|denies|deny)\b|n't\b",
    re.IGNORECASE,
)
HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|reportedly|allegedly|apparently|believed|thought to|"
    r"appears?|likely|unconfirmed|suspected|understood to)\b",
    re.IGNORECASE,
)
# Words that say when a figure was measured: different ones mean different measurements.
MOMENTS = frozenset(
    [
        "early",
        "midday",
        "intraday",
        "peak",
        "initially",
        "initial",
        "final",
        "quarter",
        "quarterly",
        "annual",
        "full-year",
        "yearly",
        "monthly",
        "weekly",
        "daily",
        "first-half",
        "second-half",
        "first-quarter",
        "second-quarter",
        "third-quarter",
        "fourth-quarter",
    ]
)
UPDATE_CUES = frozenset(
    [
        "risen",
        "rose",
        "rises",
        "climbed",
        "climb",
        "now",
        "updated",
        "revised",
        "so",
        "far",
        "since",
        "latest",
        "narrowed",
        "widened",
        "recount",
        "corrected",
        "grown",
        "grew",
        "increased",
    ]
)
# A date right after a reporting verb dates the report, not the event ("said on Wednesday").
REPORTED = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|added|stated|wrote)\s+(?:\w+\s+)?$", re.I
)
# Kinds of event: two dates for the same kind of event involving the same people disagree.
EVENT_CLASSES = {
    "life": frozenset(
        [
            "born",
            "birth",
            "died",
            "death",
            "dead",
            "lost",
            "loss",
            "killed",
            "stillborn",
            "miscarriage",
        ]
    ),
    "strike": frozenset(["strike", "walkout", "walk", "stoppage"]),
    "discovery": frozenset(["discovered", "detected", "found", "noticed", "spotted", "identified"]),
    "accident": frozenset(
        [
            "crash",
            "crashed",
            "collided",
            "collision",
            "overturned",
            "derailed",
            "derailment",
            "collapsed",
            "collapse",
            "exploded",
            "explosion",
            "grounded",
            "sank",
            "capsized",
        ]
    ),
    "launch": frozenset(["launched", "launch", "lifted", "lift-off", "liftoff"]),
    "open": frozenset(["opened", "open", "opening", "launched", "launch", "unveiled"]),
    "close": frozenset(["closed", "close", "closing", "shut", "shutdown"]),
    "arrest": frozenset(["arrested", "arrest", "detained", "charged"]),
    "vote": frozenset(["vote", "voted", "election", "elected", "ballot"]),
    "start": frozenset(["began", "begin", "started", "start", "broke", "erupted"]),
}
TOPIC_STOP = frozenset(
    [*MONTHS, *WEEKDAYS, "yesterday", "today", "tonight", "week", "month", "year", "said", "says"]
)


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence or caption with the slots it asserts."""

    index: int
    citation: Citation
    text: str
    article_id: str
    published: date | None
    group: int
    quantities: tuple[Quantity, ...]
    dates: tuple[
        tuple[date, str, str, bool, int, int], ...
    ]  # value, precision, words, relative, span
    entities: frozenset[str]
    people: tuple[tuple[int, int, str], ...]  # person mentions: start, end (in text), id
    places: frozenset[str]
    place_names: frozenset[str]
    negated: bool
    hedged: bool
    caption: bool
    words: frozenset[str]
    terms: frozenset[str] = frozenset()  # stemmed content words
    topic: frozenset[str] = frozenset()  # stemmed content words without figures and dates
    kinds: frozenset[str] = frozenset()  # kinds of place ("hotel", "hospital")
    classes: frozenset[str] = frozenset()  # kinds of event named
    # For each pair of opposite states: where the "off" and the "on" words are, if at all.
    polar: tuple[tuple[tuple[int, str] | None, tuple[int, str] | None], ...] = ()


def statements_of(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    entities: EntityIndex | None = None,
    groups: Mapping[str, int] | None = None,
    times: Times | None = None,
) -> list[Statement]:
    """The statements of a story: sentences of at least five words, and photo captions.

    ``times`` are the sentences' temporal expressions when the caller already found them."""
    groups = groups or {a.id: i for i, a in enumerate(articles)}
    out: list[Statement] = []
    for article in articles:
        group = groups.get(article.id, -1)
        previous = ""
        for sent in sentences.get(article.id, ()):
            if len(sent.text.split()) >= MIN_WORDS:
                cite = Citation(article.id, sent.index, sent.start, sent.end)
                found = None if times is None else times.get((article.id, sent.index))
                out.append(
                    _statement(len(out), cite, sent.text, article, group, entities, previous, found)
                )
            previous = sent.text
        for i, removal in enumerate(article.removed):
            if "caption" not in removal.reason:
                continue
            text = CREDIT.sub("", removal.text).strip()
            if len(text.split()) < MIN_WORDS:
                continue
            cite = Citation(article.id, i, removal.start, removal.start + len(text), caption=True)
            out.append(_statement(len(out), cite, text, article, group, None, ""))
    return out


def _statement(
    index: int,
    cite: Citation,
    text: str,
    article: Article | tuple[str, date | None],
    group: int,
    entities: EntityIndex | None,
    previous: str,
    found: Sequence[TimeExpression] | None = None,
) -> Statement:
    article_id, published = (
        (article.id, article.published) if isinstance(article, Article) else article
    )
    ids: set[str] = set()
    people: list[tuple[int, int, str]] = []
    places: set[str] = set()
    place_names: set[str] = set()
    if entities is not None and not cite.caption:
        for s, e, eid in entities.spans_in(article_id, cite.start, cite.end):
            ids.add(eid)
            kind = entities.by_id[eid].kind
            if kind == "PER":
                people.append((s - cite.start, e - cite.start, eid))
            elif kind == "LOC":
                places.add(eid)
                place_names.add(text[s - cite.start : e - cite.start])
    times = tuple(
        (t.value, t.precision.value, t.text, t.relative, t.start, t.end)
        for t in (find_times(text, published) if found is None else found)
        if t.value is not None
    )
    draft = Statement(
        index=index,
        citation=cite,
        text=text,
        article_id=article_id,
        published=published,
        group=group,
        quantities=tuple(find_quantities(text)),
        dates=times,
        entities=frozenset(ids),
        people=tuple(people),
        places=frozenset(places),
        place_names=frozenset(place_names),
        negated=bool(NEGATION.search(text)),
        hedged=bool(HEDGE.search(text)),
        caption=cite.caption,
        words=frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", text)),
    )
    return replace(
        draft,
        terms=frozenset(content_terms(text)),
        topic=frozenset(content_terms(_topic_text(draft))),
        kinds=frozenset(_places(draft)),
        classes=frozenset(_event_class(draft)),
        polar=tuple((_where(neg, text), _where(pos, text)) for neg, pos in POLARITY_RE),
    )


def _where(pattern: re.Pattern[str], text: str) -> tuple[int, str] | None:
    m = pattern.search(text)
    return (m.start(), m.group(0)) if m else None


def compare_claims(a: str, b: str, published: date | None = None) -> tuple[Conflict, ...]:
    """How two claims from two sources disagree, by the same rules as a story's statements
    (figures, dates, places, opposite states); for checking two sentences on their own."""
    sa = _statement(0, Citation("a", 0, 0, len(a)), a, ("a", published), 0, None, "")
    sb = _statement(1, Citation("b", 0, 0, len(b)), b, ("b", published), 1, None, "")
    vec = tfidf_matrix([_topic_text(sa), _topic_text(sb)])
    return find_conflicts([sa, sb], vec @ vec.T, None)


def _topic_text(s: Statement) -> str:
    """The statement without its figures and date words: what it is about."""
    text = s.text
    for q in sorted(s.quantities, key=lambda q: -q.start):
        text = text[: q.start] + " " + text[q.end :]
    return " ".join(w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in TOPIC_STOP)


def analyse(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    entities: EntityIndex | None = None,
    groups: Mapping[str, int] | None = None,
    embedder: Encoder | None = None,
    times: Times | None = None,
) -> tuple[tuple[Fact, ...], tuple[Conflict, ...]]:
    """The story's facts (most supported first) and conflicts (contradictions first).

    With an ``embedder`` (the optional MiniLM model), two statements also say the same thing
    when their sentence embeddings are close, which catches paraphrases and translations that
    share few words; without it, word overlap (TF-IDF) alone decides.
    """
    groups = groups or {a.id: i for i, a in enumerate(articles)}
    statements = statements_of(articles, sentences, entities, groups, times)
    if not statements:
        return (), ()
    same = cosines([s.text for s in statements])
    if embedder is not None:
        same = _with_meaning(statements, same, embedder)
    about = cosines([_topic_text(s) for s in statements])
    conflicts = find_conflicts(statements, about, entities)
    facts = group_facts(statements, same, conflicts)
    return facts, conflicts


NEAR_MISS = 0.2  # TF-IDF cosine from which a pair is worth an embedding comparison
MAX_EMBEDDED = 64  # statements embedded per story at most: the nearest misses first


def _with_meaning(
    statements: Sequence[Statement], same: np.ndarray, embedder: Encoder
) -> np.ndarray:
    """Raise the similarity of paraphrases that share few words, using sentence embeddings.

    Only statements in a lexical near miss with another source's statement are embedded
    (pairs above SAME_FACT already count as one fact, pairs below NEAR_MISS are about other
    things), which keeps the model's cost to a fraction of the story's sentences. On one
    scale, an embedding cosine of SAME_MEANING counts as a TF-IDF cosine of SAME_FACT.
    The model costs about 10 ms a sentence on two cores, so at most MAX_EMBEDDED statements
    are embedded, those whose nearest miss comes closest to SAME_FACT first.
    """
    articles = np.array([s.article_id for s in statements])
    other = articles[:, None] != articles[None, :]
    near = other & (same >= NEAR_MISS) & (same < SAME_FACT)
    closest = np.where(near, same, 0.0).max(axis=1)
    wanted = np.flatnonzero(closest > 0)
    if wanted.size > MAX_EMBEDDED:
        # Nearest misses first; ties by position, so the choice never depends on chance.
        wanted = np.sort(wanted[np.lexsort((wanted, -closest[wanted]))][:MAX_EMBEDDED])
    if wanted.size == 0:
        return same
    vectors = embedder.encode([statements[int(i)].text for i in wanted])
    meaning = (vectors @ vectors.T) * (SAME_FACT / SAME_MEANING)
    out = same.copy()
    sub = out[np.ix_(wanted, wanted)]
    out[np.ix_(wanted, wanted)] = np.maximum(sub, meaning)
    return out


# --- facts -------------------------------------------------------------------------------------


def group_facts(
    statements: Sequence[Statement], same: np.ndarray, conflicts: Sequence[Conflict] = ()
) -> tuple[Fact, ...]:
    """Statements saying the same thing in different sources, as facts with their support."""
    body = [s for s in statements if not s.caption]
    parent = {s.index: s.index for s in body}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members: dict[int, list[Statement]] = {s.index: [s] for s in body}
    for x, a in enumerate(body):
        for b in body[x + 1 :]:
            if a.article_id == b.article_id or same[a.index, b.index] < SAME_FACT:
                continue
            ra, rb = find(a.index), find(b.index)
            if ra == rb:
                continue
            # Every member of one group must agree with every member of the other: "14
            # treated" and "12 treated" never end up in one fact through a third sentence.
            if any(_slots_disagree(x2, y2) for x2 in members[ra] for y2 in members[rb]):
                continue
            keep, gone = min(ra, rb), max(ra, rb)
            parent[gone] = keep
            members[keep] += members.pop(gone)
    clusters: dict[int, list[Statement]] = defaultdict(list)
    for s in body:
        clusters[find(s.index)].append(s)
    drafts = []
    for group in clusters.values():
        support = len({m.group for m in group})
        first = min(group, key=lambda m: m.index)
        cites = tuple(m.citation for m in sorted(group, key=lambda m: m.index))
        drafts.append((support, first.index, first.text, cites))
    drafts.sort(key=lambda d: (-d[0], d[1]))
    return tuple(
        Fact(f"F{i}", text, support, cites) for i, (support, _, text, cites) in enumerate(drafts, 1)
    )


def _slots_disagree(a: Statement, b: Statement) -> bool:
    """Two similar sentences that give different figures or dates are not one fact."""
    for qa in a.quantities:
        for qb in b.quantities:
            if qa.unit and qa.unit == qb.unit and not same_value(qa, qb):
                return True
    return any(
        not compatible(da[0], da[1], db[0], db[1])
        for da in a.dates
        for db in b.dates
        if da[1] == db[1] == "day"
    )


def single_source(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """For each source, the facts only it states."""
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.support == 1:
            out[f.citations[0].article_id].append(f)
    return dict(out)


# --- conflicts ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    kind: str
    slot: str
    what: str
    a: tuple[Statement, str, Citation]
    b: tuple[Statement, str, Citation]
    note: str = ""


def find_conflicts(
    statements: Sequence[Statement], about: np.ndarray, entities: EntityIndex | None
) -> tuple[Conflict, ...]:
    """Every disagreement between two sources, merged per thing and value."""
    drafts: list[_Draft] = []
    for i, j in sorted(_candidate_pairs(statements, about)):
        a, b = statements[i], statements[j]
        if a.article_id == b.article_id:
            continue
        sim = float(about[a.index, b.index])
        drafts += _number_conflicts(a, b, sim)
        drafts += _date_conflicts(a, b, sim)
        drafts += _place_conflicts(a, b, sim)
        drafts += _negation_conflicts(a, b, sim)
    if entities is not None:
        drafts += _role_conflicts(statements, entities)
        drafts += _name_conflicts(statements, entities)
    return _merge(drafts)


NEIGHBOURS = 20  # each statement is compared with its 20 most similar ones
# Counts that only grow as a story unfolds.
CUMULATIVE = frozenset(["dead", "injured", "arrested", "infected", "affected", "rescued"])
MAX_VALUES = 8  # a measure with more distinct figures than this is a series, not a dispute
MAX_CLASS = 60  # statements of one event class compared pairwise at most


def _candidate_pairs(statements: Sequence[Statement], about: np.ndarray) -> set[tuple[int, int]]:
    """Pairs worth comparing: similar topics, figures of one measure, dated events of one kind.

    This keeps a story of hundreds of articles from comparing every sentence with every
    other one, and drops measures that are series ("N boats on day N") rather than disputes.
    """
    pairs: set[tuple[int, int]] = set()
    n = len(statements)
    k = min(NEIGHBOURS, n - 1)
    if k > 0:
        near = np.argpartition(-about, kth=min(k, n - 1), axis=1)[:, : k + 1]
        for i in range(n):
            for j in near[i]:
                j = int(j)
                if j != i and about[i, j] >= 0.15:
                    pairs.add((min(i, j), max(i, j)))
    by_measure: dict[str, list[int]] = defaultdict(list)
    values: dict[str, set[float]] = defaultdict(set)
    by_class: dict[str, list[int]] = defaultdict(list)
    for s in statements:
        for q in s.quantities:
            key = measure(q)
            if key:
                by_measure[key].append(s.index)
                if q.value is not None:
                    values[key].add(q.value)
        if any(d[1] in ("day", "month") for d in s.dates):
            for c in _event_class(s):
                by_class[c].append(s.index)
    polar = [s.index for s in statements if any(n or p for n, p in s.polar)]
    by_substance: dict[str, list[int]] = defaultdict(list)
    for s in statements:
        for q in s.quantities:
            if q.of:
                by_substance[q.of].append(s.index)
    for s in statements:
        for q in s.quantities:
            for w in q.near:
                if w in by_substance and len(by_substance[w]) <= MAX_CLASS:
                    pairs.update((min(s.index, o), max(s.index, o)) for o in by_substance[w])
    groups = [ids for k, ids in by_measure.items() if len(values[k]) <= MAX_VALUES]
    groups.append(polar[:MAX_CLASS])
    groups += [ids[:MAX_CLASS] for ids in by_class.values()]
    for ids in groups:
        uniq = sorted(set(ids))
        pairs.update((x, y) for n, x in enumerate(uniq) for y in uniq[n + 1 :])
    return pairs


def _span(s: Statement, start: int, end: int) -> Citation:
    c = s.citation
    return Citation(c.article_id, c.sentence, c.start + start, c.start + end, c.caption)


STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "to",
        "in",
        "on",
        "at",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "by",
        "for",
        "from",
        "with",
        "as",
        "it",
        "its",
        "their",
        "his",
        "her",
        "they",
        "he",
        "she",
        "said",
        "says",
        "after",
        "before",
        "that",
        "this",
        "had",
        "has",
        "have",
        "will",
        "would",
    ]
)


MARKET = frozenset(
    [
        "trading",
        "shares",
        "share",
        "stock",
        "stocks",
        "market",
        "index",
        "price",
        "prices",
        "futures",
    ]
)
MARKET_MOMENTS = frozenset(["open", "opening", "opened", "close", "closed", "closing"])


def _moments(q: Quantity) -> set[str]:
    """When a figure was taken: the nearest time-of-measurement word ("in early trading",
    "second-quarter revenue", "full-year outlook"); market words ("closed") count only next
    to a market ("schools closed" is not a closing price)."""
    words = set(MOMENTS)
    if q.close & MARKET or set(q.near) & MARKET:
        words |= MARKET_MOMENTS
    candidates = [(d, w) for d, w in enumerate(q.right[:5], 1) if w in words]
    candidates += [(d, w) for d, w in enumerate(reversed(q.left[-5:]), 1) if w in words]
    if not candidates:
        return set()
    w = min(candidates)[1]
    return {
        "quarter" if "quarter" in w else "year" if w in ("annual", "yearly", "full-year") else w
    }


def _near_overlap(qa: Quantity, qb: Quantity) -> int:
    """Content words shared by the clauses of two figures, units aside."""
    return len((set(qa.near) & set(qb.near)) - STOP - {qa.unit, qb.unit})


def _person_near(s: Statement, q: Quantity) -> str | None:
    """The person a figure is attached to ("Ana Ruiz, 34", "34-year-old Ana Ruiz"), when
    one is named right by it."""
    best: tuple[int, str] | None = None
    for ps, pe, eid in s.people:
        if q.unit == "age":
            before = pe <= q.start and s.text[pe : q.start].strip() in (",", "(")
            after = ps >= q.end and re.fullmatch(r"-year-old\s+", s.text[q.end : ps]) is not None
            if before or after:
                return eid
            continue
        gap = q.start - pe if pe <= q.start else ps - q.end
        if 0 <= gap <= 12 and (best is None or gap < best[0]):
            best = (gap, eid)
    return best[1] if best else None


def _number_conflicts(a: Statement, b: Statement, sim: float) -> list[_Draft]:
    out: list[_Draft] = []
    possible: _Draft | None = None
    for qa in a.quantities:
        for qb in b.quantities:
            if (qa.value is None and qb.value is None) or "times" in (qa.unit, qb.unit):
                continue
            if same_measure(qa, qb):
                draft = _same_measure(a, b, qa, qb, sim)
                if draft is not None:
                    out.append(draft)
            elif possible is None:
                possible = _other_measure(a, b, qa, qb, sim)
    if possible is not None and not out:
        out.append(possible)
    return out


def _same_measure(
    a: Statement, b: Statement, qa: Quantity, qb: Quantity, sim: float
) -> _Draft | None:
    if same_value(qa, qb):
        later = a.published and b.published and a.published != b.published
        if not (
            later and qa.value != qb.value and (qa.bound or qb.bound) and qa.state & CHANGING_STATES
        ):
            return None  # agree; but "at least 12 dead" then "31 dead" a day later is news
    fam = family(qa)
    if fam in ("money", "share"):
        # A share of or sum for what? The "of" phrase or the clause must say the same.
        overlap = _near_overlap(qa, qb)
        next_to = {
            w
            for w in (qa.close & qb.close) - STOP
            if unit_key(w) not in (qa.unit, qb.unit)
            and w not in ("percent", "per", "cent", "million", "billion", "thousand")
        }
        if (
            not (qa.of and qa.of == qb.of)
            and overlap < 2
            and not (overlap and sim >= SAME_TOPIC)
            and not next_to
        ):
            return None  # "20% contained" / "60 percent contained" share a word
    elif qa.unit in MEASURES:
        pass  # "magnitude 6.1" / "magnitude 6.0": a story's event has one
    elif fam in ("length", "area", "time", "mass", "volume"):
        same_substance = bool(qa.of and qa.of == qb.of)
        if not same_substance and (sim < SAME_TOPIC or _near_overlap(qa, qb) < 1):
            return None  # "every 15 minutes" / "ten minutes after lift-off"
    elif (
        fam != "age"
        and measure(qa) != "people"
        and not qa.state
        and sim < SAME_TOPIC
        and _near_overlap(qa, qb) < 1
        and not (a.entities & b.entities)
    ):
        return None  # two counts of one noun with nothing else in common
    if measure(qa) == "people" and not qa.state and (sim < SAME_TOPIC or _near_overlap(qa, qb) < 1):
        return None  # "45 residents" and "six people": people, but not the same people
    if "part" in (qa.unit, qb.unit):
        return None
    pa, pb = _person_near(a, qa), _person_near(b, qb)
    if qa.unit == "age":
        shared = a.terms & b.terms
        if pa != pb or (pa is None and len(shared) < 2):
            return None  # ages of two different (or unknown) people
    elif pa and pb and pa != pb:
        return None
    moments_a = _moments(qa)
    moments_b = _moments(qb)
    if (moments_a or moments_b) and not (moments_a & moments_b):
        return None  # measured at different times: "early trading" vs "closed"
    changing = (
        bool(qa.state & CHANGING_STATES)
        or qa.unit in CHANGING
        or bool((set(qa.near) | set(qb.near)) & UPDATE_CUES)
    )
    if not _same_time(a, qa, b, qb, changing):
        return None  # "800 job losses announced in March": an older figure
    side_a = (a, qa.text, _span(a, qa.start, qa.end))
    side_b = (b, qb.text, _span(b, qb.start, qb.end))
    slot = "age" if qa.unit == "age" else "number"
    what = _what(qa)
    if changing and a.published and b.published and a.published != b.published:
        older, newer = (side_a, side_b) if a.published < b.published else (side_b, side_a)
        q_old, q_new = (qa, qb) if a.published < b.published else (qb, qa)
        falling = q_old.value is not None and q_new.value is not None and q_new.value < q_old.value
        if falling and qa.state & CUMULATIVE:
            # A count that can only grow (the dead, the treated) is lower in a later report:
            # one of the two is wrong.
            return _Draft(
                "contradiction", slot, what, older, newer, "a later report gives a lower count"
            )
        return _Draft("update", slot, what, older, newer, "a later report gives a new figure")
    return _Draft("contradiction", slot, what, side_a, side_b)


def _date_near(s: Statement, q: Quantity) -> tuple[date, str] | None:
    """A date written in the same clause as a figure, within 60 characters of it."""
    best: tuple[int, tuple[date, str]] | None = None
    for value, precision, _words, _rel, ds, de in s.dates:
        gap = ds - q.end if ds >= q.end else q.start - de
        between = s.text[min(q.end, de) : max(q.start, ds)]
        if 0 <= gap <= 60 and not re.search(r"[;.]\s", between) and (best is None or gap < best[0]):
            best = (gap, (value, precision))
    return best[1] if best else None


def _same_time(a: Statement, qa: Quantity, b: Statement, qb: Quantity, changing: bool) -> bool:
    """Whether two figures can be about the same moment: dates next to them agree (unless
    the figure changes over time: a toll is reported day by day), and a figure dated well
    before its own article is not set against a current one."""
    da, db = _date_near(a, qa), _date_near(b, qb)
    if da and db and not changing:
        return compatible(da[0], da[1], db[0], db[1])
    for d, s in ((da, a), (db, b)):
        if d and s.published and period(d[0], d[1])[1] < s.published - timedelta(days=30):
            return False
    return True


def _other_measure(
    a: Statement, b: Statement, qa: Quantity, qb: Quantity, sim: float
) -> _Draft | None:
    """Figures in different measures of one thing: "7 pints" / "several bags of blood"."""
    if not measure(qa) or not measure(qb):
        return None
    fa, fb = family(qa), family(qb)
    if {fa, fb} & {"money", "age", "length", "area", "time"} and fa != fb:
        return None
    if fa == fb and fa != "count" and fa != "share":
        return None  # same family, different unit: a conversion, not a conflict
    if qa.value is not None and qb.value is not None and qa.value == qb.value:
        return None
    people = PEOPLE | {"people", "person", "other"}
    amounts = measure(qa) not in people and measure(qb) not in people
    substance = amounts and (
        bool(qa.of and (qa.of == qb.of or qa.of == qb.unit or qa.of in qb.near))
        or bool(qb.of and (qb.of == qa.unit or qb.of in qa.near))
    )
    if not substance and not (qa.state & qb.state and sim >= 0.2):
        return None
    side_a = (a, f"{qa.text} {qa.unit}".strip(), _span(a, qa.start, qa.end))
    side_b = (b, f"{qb.text} {qb.unit}".strip(), _span(b, qb.start, qb.end))
    topic = qa.of or qb.of or next(iter(sorted(qa.state & qb.state)), "")
    what = topic or f"{qa.unit} / {qb.unit}"
    return _Draft(
        "possible", "number", what, side_a, side_b, "the same thing in different measures"
    )


def _what(q: Quantity) -> str:
    if q.unit == "age":
        return "age"
    return f"{q.unit} of {q.of}" if q.of else q.unit or "figure"


def _event_class(s: Statement) -> set[str]:
    if s.classes:
        return set(s.classes)
    return {name for name, words in EVENT_CLASSES.items() if s.words & words}


def _event_near(s: Statement, start: int, end: int) -> set[str]:
    """Kinds of event named in the clause around a date (eight words either side)."""
    lo = max(s.text.rfind(c, 0, start) for c in ";.") + 1
    hi_candidates = [i for i in (s.text.find(c, end) for c in ";.") if i >= 0]
    hi = min(hi_candidates) if hi_candidates else len(s.text)
    left = re.findall(r"[A-Za-z-]+", s.text[lo:start])[-12:]
    right = re.findall(r"[A-Za-z-]+", s.text[end:hi])[:8]
    words = {w.lower() for w in (*left, *right)}
    return {name for name, ws in EVENT_CLASSES.items() if words & ws}


def _date_conflicts(a: Statement, b: Statement, sim: float) -> list[_Draft]:
    out: list[_Draft] = []
    for da in a.dates:
        for db in b.dates:
            if da[1] in ("year", "week") or db[1] in ("year", "week"):
                continue
            if compatible(da[0], da[1], db[0], db[1]):
                continue
            if REPORTED.search(a.text[: da[4]]) or REPORTED.search(b.text[: db[4]]):
                continue  # "said on Wednesday" dates the report
            shared_class = _event_near(a, da[4], da[5]) & _event_near(b, db[4], db[5])
            label = sorted(shared_class)[0] if shared_class else "event"
            side_a = (a, da[0].isoformat()[: 7 if da[1] == "month" else 10], _span(a, da[4], da[5]))
            side_b = (b, db[0].isoformat()[: 7 if db[1] == "month" else 10], _span(b, db[4], db[5]))
            explicit = bool(re.search(r"\d", da[2])) and bool(re.search(r"\d", db[2]))
            if shared_class and (sim >= 0.1 or a.entities & b.entities or explicit):
                out.append(_Draft("contradiction", "date", f"date of the {label}", side_a, side_b))
            elif (
                shared_class
                and (da[3] is False or db[3] is False)
                and (len(a.entities & b.entities) >= 1 or a.caption or b.caption)
            ):
                out.append(
                    _Draft(
                        "possible", "date", f"date of the {label}", side_a, side_b,
                        "the same kind of event, dated differently; it may be two events",
                    )
                )  # fmt: skip
    return out


BUILDINGS = (
    "shopping centre|shopping center|shopping mall|mall|hotel|hospital|school|church|mosque|"
    "temple|factory|warehouse|station|airport|stadium|arena|prison|university|college|office|"
    "restaurant|bar|nightclub|club|market|bank|museum|library|theatre|theater|cinema|port|"
    "harbour|harbor|spaceport|launch site|base|barracks|embassy|court|farm|mine|plant|refinery"
)
PLACE_KIND = re.compile(
    r"\b(?:at|in|from|on|near|inside|outside|to)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:roof of (?:the |a |an )?)?((?:[\w'-]+\s+){0,3}?(?:" + BUILDINGS + r"))\b"
)
BUILDING = re.compile(r"\b(" + BUILDINGS + r")\b")


def _places(s: Statement) -> set[str]:
    """Kinds of building a statement puts things at, after a locative preposition ("on a
    hotel roof", "at a hospital", "from the Sandor launch site")."""
    return {_kind(m.group(1)) for m in PLACE_KIND.finditer(s.text)}


def _kind(phrase: str) -> str:
    found = BUILDING.findall(phrase)
    return found[-1] if found else phrase.lower()


def _place_conflicts(a: Statement, b: Statement, sim: float) -> list[_Draft]:
    """The same event put in different places: different kinds of building ("a hotel roof" /
    "a hospital"), or different named places (place entities) for one event."""
    kinds_a, kinds_b = set(a.kinds), set(b.kinds)
    common = (a.terms & b.terms) - {w for p in kinds_a | kinds_b for w in content_terms(p)}
    shared = _event_class(a) & _event_class(b)
    if sim < SAME_EVENT and not (shared and sim >= 0.15) and len(common) < 2:
        return []
    out: list[_Draft] = []
    if (
        kinds_a
        and kinds_b
        and not (kinds_a & kinds_b)
        and not any(k in b.text for k in kinds_a)
        and not any(k in a.text for k in kinds_b)
    ):
        va, vb = sorted(kinds_a)[0], sorted(kinds_b)[0]
        out.append(
            _Draft(
                "contradiction",
                "place",
                "kind of place",
                (a, va, a.citation),
                (b, vb, b.citation),
            )
        )
    if (
        sim >= SAME_EVENT
        and shared
        and len(a.place_names) == 1
        and len(b.place_names) == 1
        and not (a.place_names & b.place_names)
    ):
        na, nb = sorted(a.place_names)[0], sorted(b.place_names)[0]
        if na.lower() not in b.text.lower() and nb.lower() not in a.text.lower():
            out.append(
                _Draft("contradiction", "place", "place", (a, na, a.citation), (b, nb, b.citation))
            )
    return out


# Opposite states news reports give of one thing.
POLARITY = (
    (
        "cancelled|canceled|called off|postponed|scrapped",
        "go ahead|goes ahead|going ahead|as planned|will take place|still on",
    ),
    (
        "broken down|broke down|collapsed|stalled|failed|ended",
        "continuing|continue|ongoing|progressing|resumed|constructive",
    ),
    (
        "switched off|turned off|disabled|not working|out of order|broken|failed",
        "working|functioning|operational|switched on",
    ),
    (
        "no one was killed|nobody was killed|no one died|nobody died|no deaths|no fatalities",
        "died|killed|dead",
    ),
    ("acquitted|cleared|not guilty", "convicted|guilty"),
    ("rejected|blocked|voted down", "approved|passed|backed"),
    ("denied|denies", "confirmed|admitted|admits"),
    ("closed|shut", "open|reopened"),
)
POLARITY_RE = [
    (
        re.compile(r"\b(?:" + x + r")\b", re.IGNORECASE),
        re.compile(r"\b(?:" + y + r")\b", re.IGNORECASE),
    )
    for x, y in POLARITY
]


def _polarity_conflicts(a: Statement, b: Statement, sim: float) -> list[_Draft]:
    """One source says a thing is off, the other on: "talks have broken down" / "talks
    are continuing"; the two must share their subject words."""
    if not a.topic & b.topic:
        return []
    if not any(n or p for n, p in a.polar) or not any(n or p for n, p in b.polar):
        return []
    for (na, pa_), (nb, pb_) in zip(a.polar, b.polar, strict=True):
        for x, y, mx, my, x_pos, y_neg in ((a, b, na, pb_, pa_, nb), (b, a, nb, pa_, pb_, na)):
            if mx and my and not x_pos and not y_neg:
                subject = _shared_subject(x, mx[0], y, my[0])
                if subject:
                    return [
                        _Draft(
                            "contradiction", "negation", subject,
                            (x, mx[1], x.citation), (y, my[1], y.citation),
                        )
                    ]  # fmt: skip
    return []


def _shared_subject(x: Statement, ix: int, y: Statement, iy: int) -> str:
    """A content word both statements use near their state words ("talks", "alarm")."""
    wx = content_terms(x.text[max(0, ix - 60) : ix + 40])
    wy = set(content_terms(y.text[max(0, iy - 60) : iy + 40]))
    for w in wx:
        if w in wy and not w.isdigit():
            return w
    return ""


def _negation_conflicts(a: Statement, b: Statement, sim: float) -> list[_Draft]:
    """One source states what another denies, read from opposite state words only: a bare
    "not" is too often about something else ("who asked not to be named")."""
    return _polarity_conflicts(a, b, sim)


ROLE_BEFORE = re.compile(r"((?:[A-Za-z][\w.'’-]*,?\s+){1,4})$")
ROLE_AFTER = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?((?:[\w'’-]+\s+){0,4}?[\w'’-]+),")
PARTY_AFTER = re.compile(r"^,\s+(?:of|from)\s+(?:the\s+)?((?:[A-Z][\w'-]+\s*){1,4})")
PARTY_BEFORE = re.compile(r"((?:[A-Z][\w'-]+\s+){0,3}[A-Z][\w'-]+)['’]s\s+$")
DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "his",
        "her",
        "their",
        "our",
        "city's",
        "city’s",
        "museum's",
        "museum’s",
    ]
)


def _roles_of(s: Statement, ps: int, pe: int, titles: frozenset[str]) -> tuple[str, str] | None:
    """The role written next to a name: "museum director Clara Vey", "chief curator, Clara
    Vey", "Clara Vey, the museum's director,", "Labour's Dev Castell", "of the Liberal Party"."""
    before, after = s.text[:ps], s.text[pe:]
    m = ROLE_BEFORE.search(before)
    if m:
        words = [w.strip(",") for w in m.group(1).split()]
        for i, w in enumerate(words):
            if w.lower().strip(".") in titles:
                role = [x.lower() for x in words[i:] if x.lower() not in DETERMINERS]
                # keep the adjectives right before the title ("deputy health minister")
                j = i
                while j > 0 and words[j - 1].lower() in RANKS | {
                    "health",
                    "finance",
                    "foreign",
                    "interior",
                    "education",
                    "justice",
                    "defence",
                    "defense",
                    "chief",
                }:
                    j -= 1
                role = [x.lower() for x in words[j:] if x.lower() not in DETERMINERS]
                return " ".join(role), "role"
    m2 = ROLE_AFTER.match(after)
    if m2:
        words = m2.group(1).split()
        if any(w.lower().strip(".") in titles for w in words):
            return " ".join(w.lower() for w in words if w.lower() not in DETERMINERS), "role"
    m3 = PARTY_AFTER.match(after)
    if m3 and re.search(
        r"\b(?:Party|Labour|Liberal|Green|Conservative|Democrat|Republican)", m3.group(1)
    ):
        return m3.group(1).strip().lower(), "party"
    m4 = PARTY_BEFORE.search(before)
    if m4 and re.search(
        r"\b(?:Party|Labour|Liberal|Green|Conservative|Democrat|Republican|Tory)\b", m4.group(1)
    ):
        return m4.group(1).strip().lower(), "party"
    return None


RANKS = frozenset(
    ["deputy", "assistant", "acting", "vice", "former", "interim", "senior", "junior"]
)


def _role_conflicts(statements: Sequence[Statement], entities: EntityIndex) -> list[_Draft]:
    """A person given different roles or parties by different sources."""
    titles = COMMON_TITLES | {"curator", "head", "leader", "candidate", "councillor", "mayor"}
    roles: dict[tuple[str, str], dict[str, tuple[Statement, str, Citation]]] = defaultdict(dict)
    for s in statements:
        for ps, pe, eid in s.people:
            found = _roles_of(s, ps, pe, titles)
            if found is None:
                continue
            role, kind = found
            roles[(eid, kind)].setdefault(s.article_id, (s, role, _span(s, ps, pe)))
    out: list[_Draft] = []
    for (eid, kind), by_article in roles.items():
        items = list(by_article.values())
        for x, a in enumerate(items):
            for b in items[x + 1 :]:
                ka, kb = a[1], b[1]
                if ka == kb or ka in kb or kb in ka:
                    if not _role_clash(ka, kb):
                        continue
                elif kind == "party" and (set(ka.split()) & set(kb.split())):
                    continue
                name = entities.by_id[eid].name
                out.append(_Draft("contradiction", "role", f"{kind} of {name}", a, b))
    return out


def _name_conflicts(statements: Sequence[Statement], entities: EntityIndex) -> list[_Draft]:
    """Two first names for one surname in different sources, never side by side in one
    article: likely one person named differently ("Gerd" / "Geir Halvorsen")."""
    surnames = {e.name.split()[-1] for e in entities.entities if e.kind == "PER"}
    people = [
        e
        for e in entities.entities
        if len(e.name.split()) in (2, 3)
        and (e.kind == "PER" or (e.kind == "ORG" and e.name.split()[-1] in surnames))
    ]
    out: list[_Draft] = []
    for x, a in enumerate(people):
        for b in people[x + 1 :]:
            if a.name.split()[-1] != b.name.split()[-1] or a.name.split()[0] == b.name.split()[0]:
                continue
            arts_a = {m.article_id for m in a.mentions}
            arts_b = {m.article_id for m in b.mentions}
            if arts_a & arts_b:
                continue  # named side by side somewhere: two people
            sa = _statement_naming(statements, a)
            sb = _statement_naming(statements, b)
            if sa and sb and _same_role(sa, sb):
                out.append(
                    _Draft(
                        "contradiction", "name", f"name of {a.name.split()[-1]}",
                        (sa[0], a.name, sa[1]), (sb[0], b.name, sb[1]),
                    )
                )  # fmt: skip
    return out


def _same_role(sa: tuple[Statement, Citation], sb: tuple[Statement, Citation]) -> bool:
    """Whether two naming sentences give the named person the same role ("councillor Gerd
    Halvorsen" / "Ex-councillor Geir Halvorsen"): a mother and a son are two people."""

    def role(s: Statement, c: Citation) -> set[str]:
        start = c.start - s.citation.start
        words = re.findall(r"[A-Za-z]+", s.text[max(0, start - 40) : start].lower())[-4:]
        return {w for w in words if w in COMMON_TITLES}

    return bool(role(*sa) & role(*sb))


def _statement_naming(
    statements: Sequence[Statement], entity: Entity
) -> tuple[Statement, Citation] | None:
    """The first statement naming an entity, with the name's span."""
    for m in entity.mentions:
        for s in statements:
            c = s.citation
            if not c.caption and s.article_id == m.article_id and c.start <= m.start < c.end:
                return s, Citation(m.article_id, c.sentence, m.start, m.end)
    return None


def _role_clash(a: str, b: str) -> bool:
    """ "deputy chief" and "chief" name different ranks."""
    ranks = {"deputy", "assistant", "acting", "vice", "former", "interim", "senior", "junior"}
    return bool((set(a.split()) ^ set(b.split())) & ranks)


def _merge(drafts: Sequence[_Draft]) -> tuple[Conflict, ...]:
    """One conflict per (kind, slot, thing): each value a side citing every source giving it."""
    grouped: dict[tuple[str, str, str], list[_Draft]] = defaultdict(list)
    for d in drafts:
        grouped[(d.kind, d.slot, d.what)].append(d)
    conflicts: list[tuple[int, int, Conflict]] = []
    order = {"contradiction": 0, "update": 1, "possible": 2}
    for (kind, slot, what), items in grouped.items():
        sides: dict[str, list[tuple[Statement, Citation]]] = defaultdict(list)
        for d in items:
            for st, value, cite in (d.a, d.b):
                key = _norm_value(value)
                if all(c != cite for _, c in sides[key]):
                    sides[key].append((st, cite))
        if len(sides) < 2:
            continue
        built = []
        for value, cites in sides.items():
            st = cites[0][0]
            built.append(
                ConflictSide(
                    value=next(
                        v for d in items for s2, v, _ in (d.a, d.b) if _norm_value(v) == value
                    ),
                    text=st.text,
                    citations=tuple(c for _, c in cites),
                    published=st.published,
                )
            )
        built.sort(key=lambda s: (s.published or date.max, s.value))
        first = min(d.a[0].index for d in items)
        conflicts.append(
            (order[kind], first, Conflict("", kind, slot, what, tuple(built), items[0].note))
        )
    conflicts.sort(key=lambda c: (c[0], c[1]))
    return tuple(
        Conflict(f"C{i}", c.kind, c.slot, c.what, c.sides, c.note)
        for i, (_, _, c) in enumerate(conflicts, 1)
    )


def _norm_value(value: str) -> str:
    """Values compared as numbers where they are numbers ("Five" = "5"), else as text."""
    v = value.lower().strip()
    m = NUMBER.match(v)
    if m and m.group("num") and m.end() >= len(v.split()[0]):
        n = parse_number(m.group("num"))
        if n is not None:
            return f"{n:g}{v[m.end() :]}"
    return v
