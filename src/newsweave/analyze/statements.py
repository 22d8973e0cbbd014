"""Statements: a story's sentences and photo captions with the slots they assert.

Every sentence of at least five words (and every photo caption: outlets write those too)
becomes a :class:`Statement` with typed slots: the numbers it gives with what they count
(:mod:`newsweave.analyze.quantities`), its dates resolved against the article's own date, the
entities it names, whether it is negated or hedged, the kinds of place and event it names and
the opposite-state words it uses. :mod:`newsweave.analyze.facts` and
:mod:`newsweave.analyze.conflicts` compare these slots.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from newsweave.analyze.entities import EntityIndex
from newsweave.analyze.quantities import Quantity, find_quantities
from newsweave.analyze.temporal import MONTHS, WEEKDAYS, TimeExpression, Times, find_times
from newsweave.clean.language import language_code
from newsweave.model import Article, Citation, Sentence
from newsweave.text.tfidf import content_terms

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
# The words NEGATION and HEDGE start with: a text using none of them says neither (one set
# lookup instead of a search; "n't" is the one negation that is not a word of its own).
NEGATION_WORDS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "denied",
        "denies",
        "deny",
    ]
)
HEDGE_WORDS = frozenset(
    [
        "may",
        "might",
        "could",
        "possibly",
        "reportedly",
        "allegedly",
        "apparently",
        "believed",
        "thought",
        "appear",
        "appears",
        "likely",
        "unconfirmed",
        "suspected",
        "understood",
    ]
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
    term_list: tuple[str, ...] = ()  # the content words in order, repeats kept (for TF-IDF)
    topic_list: tuple[str, ...] = ()  # ... of the topic
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
                    make_statement(
                        len(out), cite, sent.text, article, group, entities, previous, found
                    )
                )
            previous = sent.text
        for i, removal in enumerate(article.removed):
            if "caption" not in removal.reason:
                continue
            text = CREDIT.sub("", removal.text).strip()
            if len(text.split()) < MIN_WORDS:
                continue
            cite = Citation(article.id, i, removal.start, removal.start + len(text), caption=True)
            out.append(make_statement(len(out), cite, text, article, group, None, ""))
    return out


def make_statement(
    index: int,
    cite: Citation,
    text: str,
    article: Article | tuple[str, date | None],
    group: int,
    entities: EntityIndex | None,
    previous: str,
    found: Sequence[TimeExpression] | None = None,
) -> Statement:
    """A statement of ``text`` (a sentence, or a caption) with every slot filled in."""
    article_id, published = (
        (article.id, article.published) if isinstance(article, Article) else article
    )
    language = language_code(article.language) if isinstance(article, Article) else None
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
    words = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", text))
    draft = Statement(
        index=index,
        citation=cite,
        text=text,
        article_id=article_id,
        published=published,
        group=group,
        quantities=tuple(find_quantities(text, language)),
        dates=times,
        entities=frozenset(ids),
        people=tuple(people),
        places=frozenset(places),
        place_names=frozenset(place_names),
        negated=_says(NEGATION, NEGATION_WORDS, text, words, "'" in text),
        hedged=_says(HEDGE, HEDGE_WORDS, text, words),
        caption=cite.caption,
        words=words,
    )
    term_list = tuple(content_terms(text))
    topic_list = tuple(content_terms(topic_text(draft)))
    return replace(
        draft,
        terms=frozenset(term_list),
        topic=frozenset(topic_list),
        term_list=term_list,
        topic_list=topic_list,
        kinds=frozenset(_places(draft)),
        classes=frozenset(classes_of(draft.words)),
        polar=_polar(text, draft.words),
    )


def _says(
    pattern: re.Pattern[str],
    first: frozenset[str],
    text: str,
    words: frozenset[str],
    always: bool = False,
) -> bool:
    """Whether ``pattern`` is found in ``text``, searched only when ``words`` (the text's
    lowercased words) hold one of the words it can start with (or ``always``)."""
    return (always or not first.isdisjoint(words)) and pattern.search(text) is not None


def _polar(
    text: str, words: frozenset[str]
) -> tuple[tuple[tuple[int, str] | None, tuple[int, str] | None], ...]:
    """Where each pair of opposite-state words is in a text. A state phrase is searched for
    only when the text's lowercased ``words`` hold every word of one of its phrases."""
    if POLAR_FIRST.isdisjoint(words):
        return NO_POLAR
    found = tuple(
        (
            _where(neg, text) if any(p <= words for p in neg_words) else None,
            _where(pos, text) if any(p <= words for p in pos_words) else None,
        )
        for (neg, pos), (neg_words, pos_words) in zip(POLARITY_RE, POLAR_WORDS, strict=True)
    )
    return found if any(n or p for n, p in found) else NO_POLAR


def _where(pattern: re.Pattern[str], text: str) -> tuple[int, str] | None:
    m = pattern.search(text)
    return (m.start(), m.group(0)) if m else None


def topic_text(s: Statement) -> str:
    """The statement without its figures and date words: what it is about."""
    text = s.text
    for q in sorted(s.quantities, key=lambda q: -q.start):
        text = text[: q.start] + " " + text[q.end :]
    return " ".join(w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in TOPIC_STOP)


def event_class(s: Statement) -> set[str]:
    """The kinds of event a statement names (found once, when it was made)."""
    return set(s.classes)


def classes_of(words: frozenset[str]) -> set[str]:
    """The kinds of event named by any of these (lowercased) words."""
    return {name for name, ws in EVENT_CLASSES.items() if words & ws}


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
# Each state phrase as the set of its words, per pair and side (see _polar).
POLAR_WORDS = [
    tuple(tuple(frozenset(p.lower().split()) for p in side.split("|")) for side in pair)
    for pair in POLARITY
]
NO_POLAR: tuple[tuple[None, None], ...] = tuple((None, None) for _ in POLARITY_RE)
POLAR_FIRST = frozenset(
    phrase.split()[0].lower() for pair in POLARITY for side in pair for phrase in side.split("|")
)


@dataclass(slots=True)
class Draft:
    """One disagreement between two statements, before conflicts are merged per thing."""

    kind: str
    slot: str
    what: str
    a: tuple[Statement, str, Citation]
    b: tuple[Statement, str, Citation]
    note: str = ""


def span(s: Statement, start: int, end: int) -> Citation:
    """A citation of the characters ``start:end`` of a statement's text."""
    c = s.citation
    return Citation(c.article_id, c.sentence, c.start + start, c.start + end, c.caption)
