"""The typed records that flow between newsweave's stages.

Every stage takes and returns these small dataclasses, so each stage can be tested and
swapped alone. Records are immutable; a stage that changes one returns a copy
(``dataclasses.replace``). ``to_dict``/``from_dict`` give the JSON shapes used by the store
and the report.
"""

from __future__ import annotations

import hashlib
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the original text that cleaning took out, and why."""

    start: int
    end: int
    reason: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "reason": self.reason, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Removal:
        return cls(int(d["start"]), int(d["end"]), str(d["reason"]), str(d["text"]))


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps character offsets in a cleaned text back to the original text.

    Stored as anchors ``(clean_offset, original_offset)``: between two anchors the texts
    advance together one character for one character. Cleaning only ever deletes or
    shortens runs (collapsed whitespace, ``''`` to ``"``), so this piecewise map is exact.
    """

    anchors: tuple[tuple[int, int], ...] = ((0, 0),)

    def to_original(self, offset: int) -> int:
        """Original offset of the clean character at ``offset`` (or of the clean end)."""
        i = bisect_right(self.anchors, (offset, sys.maxsize)) - 1
        clean0, orig0 = self.anchors[max(i, 0)]
        return orig0 + (offset - clean0)

    def to_list(self) -> list[list[int]]:
        return [[c, o] for c, o in self.anchors]

    @classmethod
    def from_list(cls, items: list[list[int]]) -> OffsetMap:
        return cls(tuple((int(c), int(o)) for c, o in items) or ((0, 0),))


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as ingested: metadata, the text as found, and its cleaned text.

    ``original_text`` is the article body as recovered from the input (for HTML, the main
    text that extraction found); ``clean_text`` is it without boilerplate and with quotes and
    whitespace normalised; ``offsets`` maps the latter back to the former; ``removed`` lists
    what cleaning took out, with offsets into ``original_text``.
    """

    id: str
    original_text: str
    clean_text: str
    path: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: date | None = None
    language: str | None = None
    removed: tuple[Removal, ...] = ()
    offsets: OffsetMap = field(default_factory=OffsetMap)
    notes: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """Where the article came from: its path or its URL."""
        return self.path or self.url or "-"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "original_text": self.original_text,
            "clean_text": self.clean_text,
            "removed": [r.to_dict() for r in self.removed],
            "offsets": self.offsets.to_list(),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        pub = d.get("published")
        return cls(
            id=str(d["id"]),
            original_text=str(d["original_text"]),
            clean_text=str(d["clean_text"]),
            path=d.get("path"),
            url=d.get("url"),
            outlet=d.get("outlet"),
            title=d.get("title"),
            author=d.get("author"),
            published=date.fromisoformat(pub) if pub else None,
            language=d.get("language"),
            removed=tuple(Removal.from_dict(r) for r in d.get("removed", [])),
            offsets=OffsetMap.from_list(d.get("offsets", [[0, 0]])),
            notes=tuple(d.get("notes", [])),
        )


def content_id(text: str, *, title: str | None, outlet: str | None, url: str | None) -> str:
    """Stable article id: a hash of its text and identifying metadata.

    Whitespace is normalised first, so re-reading the same file, or the same article saved
    with other line endings, gives the same id; a syndicated copy under another masthead
    gets its own id (deduplication later links the two).
    """
    norm = " ".join(text.split())
    key = "\x1f".join([norm, " ".join((title or "").split()), outlet or "", url or ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# A lone surrogate: how Python decodes a byte that is not UTF-8 in a file name (U+DC80 to
# U+DCFF, "surrogateescape"), or one left in text by a broken encoder. Neither can be
# encoded as UTF-8, so SQLite and every UTF-8 output refuse them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable_path(text: str) -> str:
    r"""``text`` as valid Unicode that reads like the name on disk: a file-name byte that is
    not UTF-8 (byte 0xFF, decoded by Python as U+DCFF) becomes the four characters ``\xff``,
    as ``os.fsencode(text).decode("utf-8", "backslashreplace")`` writes it; any other lone
    surrogate becomes ``\udXXX``. Valid text comes back unchanged."""
    if text.isascii():
        return text
    return _SURROGATE.sub(_escape_surrogate, text)


def _escape_surrogate(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article's clean text, with its character span."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    in_quote: bool = False  # starts inside a quotation opened by an earlier sentence

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], article_id: str) -> Sentence:
        """A sentence from ``to_dict``'s shape (which leaves out its article's id)."""
        return cls(
            article_id,
            int(d["index"]),
            int(d["start"]),
            int(d["end"]),
            str(d["text"]),
            int(d.get("paragraph", 0)),
            bool(d.get("in_quote", False)),
        )


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer to the source sentence that supports a claim.

    Normally ``sentence`` indexes the source's sentences and the span is in its clean text.
    A photo caption (removed from the body as boilerplate, yet written by the outlet and
    sometimes the only place a detail appears) is cited with ``caption=True``: ``sentence``
    then indexes the article's removed lines and the span is in its original text.
    """

    article_id: str
    sentence: int
    start: int
    end: int
    caption: bool = False

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.article_id,
            "sentence": self.sentence,
            "span": [self.start, self.end],
        }
        if self.caption:
            d["caption"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        """A citation from ``to_dict``'s shape."""
        start, end = d["span"]
        return cls(
            str(d["source"]), int(d["sentence"]), int(start), int(end), bool(d.get("caption"))
        )


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A summary sentence and the source sentences that back it.

    ``generated`` marks a sentence written by a language model (the optional rewrite);
    ``problems`` says why its cited sources do not support it, when it was kept anyway."""

    text: str
    citations: tuple[Citation, ...]
    generated: bool = False
    problems: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "citations": [c.to_dict() for c in self.citations]}
        if self.generated:
            d["generated"] = True
            d["supported"] = not self.problems
            if self.problems:
                d["problems"] = list(self.problems)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SummarySentence:
        """A summary sentence from ``to_dict``'s shape."""
        return cls(
            str(d["text"]),
            _citations(d["citations"]),
            bool(d.get("generated", False)),
            tuple(str(p) for p in d.get("problems", ())),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place in a story, with every spelling that names it.

    ``mentions`` cite each place the entity is named (the span is the name as written);
    ``variants`` are the distinct spellings, misspellings and handles merged into ``name``.
    ``salience`` ranks entities in the story (independent sources, mentions, position).
    """

    id: str
    name: str
    kind: str  # PER, ORG, LOC
    variants: tuple[str, ...]
    mentions: tuple[Citation, ...]
    sources: int
    salience: float
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "variants": list(self.variants),
            "sources": self.sources,
            "salience": round(self.salience, 3),
            "mentions": [m.to_dict() for m in self.mentions],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        """An entity from ``to_dict``'s shape."""
        return cls(
            str(d["id"]),
            str(d["name"]),
            str(d["kind"]),
            tuple(str(v) for v in d["variants"]),
            _citations(d["mentions"]),
            int(d["sources"]),
            float(d["salience"]),
            tuple(str(n) for n in d.get("notes", ())),
        )


@dataclass(frozen=True, slots=True)
class QuoteVariant:
    """One wording of a quote and the sources that print it that way."""

    text: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": [c.to_dict() for c in self.citations]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> QuoteVariant:
        """A quote's wording from ``to_dict``'s shape."""
        return cls(str(d["text"]), _citations(d["citations"]))


@dataclass(frozen=True, slots=True)
class Quote:
    """What someone said, merged across the sources that report it.

    ``kind`` is ``direct`` (a quotation) or ``indirect`` (reported speech). ``speaker`` is an
    entity id when the speaker resolves to one; ``speaker_text`` is the speaker as written
    ("a council spokesperson", "she"). ``variants`` holds each distinct wording with its
    sources; the first is the most widely printed and is ``text``.
    """

    id: str
    kind: str
    text: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    variants: tuple[QuoteVariant, ...]

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(c for v in self.variants for c in v.citations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "speaker": self.speaker,
            "speaker_text": self.speaker_text,
            "cue": self.cue,
            "sources": len({c.article_id for c in self.citations}),
            "variants": [v.to_dict() for v in self.variants],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        """A quote from ``to_dict``'s shape (its source count is derived, not read)."""
        return cls(
            str(d["id"]),
            str(d["kind"]),
            str(d["text"]),
            d.get("speaker"),
            d.get("speaker_text"),
            d.get("cue"),
            tuple(QuoteVariant.from_dict(v) for v in d["variants"]),
        )


@dataclass(frozen=True, slots=True)
class DatedClaim:
    """A date as one source gives it for an event: the value, its precision, the words."""

    value: date
    precision: str  # day, week, month, year
    expression: str  # as written: "on Monday", "in October"
    relative: bool
    citation: Citation

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.value.isoformat(),
            "precision": self.precision,
            "expression": self.expression,
            "relative": self.relative,
            "citation": self.citation.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DatedClaim:
        """A dated claim from ``to_dict``'s shape."""
        return cls(
            date.fromisoformat(d["date"]),
            str(d["precision"]),
            str(d["expression"]),
            bool(d["relative"]),
            Citation.from_dict(d["citation"]),
        )


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated event in a story, merged across the sources that date it the same way.

    ``claims`` are the dated mentions that agree; ``disputed`` holds claims from other sources
    that date the same event differently (so a reader sees both sides).
    """

    date: date
    precision: str
    text: str
    claims: tuple[DatedClaim, ...]
    disputed: tuple[DatedClaim, ...] = ()

    @property
    def label(self) -> str:
        """The date as precise as the sources give it: 2020-10-01, 2020-10, 2020."""
        if self.precision == "year":
            return f"{self.date.year}"
        if self.precision == "month":
            return f"{self.date.year}-{self.date.month:02d}"
        if self.precision == "week":
            return f"week of {self.date.isoformat()}"
        return self.date.isoformat()

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "precision": self.precision,
            "label": self.label,
            "text": self.text,
            "sources": len({c.citation.article_id for c in self.claims}),
            "claims": [c.to_dict() for c in self.claims],
            "disputed": [c.to_dict() for c in self.disputed],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TimelineEntry:
        """A timeline entry from ``to_dict``'s shape (label and source count are derived)."""
        return cls(
            date.fromisoformat(d["date"]),
            str(d["precision"]),
            str(d["text"]),
            tuple(DatedClaim.from_dict(c) for c in d["claims"]),
            tuple(DatedClaim.from_dict(c) for c in d.get("disputed", ())),
        )


@dataclass(frozen=True, slots=True)
class Fact:
    """A checkable statement and every independent source that makes it.

    ``support`` counts independent sources (syndicated copies count once); ``citations``
    cite every sentence, in every source, that states it.
    """

    id: str
    text: str
    support: int
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "support": self.support,
            "sources": len({c.article_id for c in self.citations}),
            "citations": [c.to_dict() for c in self.citations],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fact:
        """A fact from ``to_dict``'s shape."""
        return cls(str(d["id"]), str(d["text"]), int(d["support"]), _citations(d["citations"]))


@dataclass(frozen=True, slots=True)
class ConflictSide:
    """One side of a disagreement: a value and the sources that give it."""

    value: str
    text: str  # the sentence (or caption) that gives it, as written
    citations: tuple[Citation, ...]
    published: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "text": self.text,
            "published": self.published.isoformat() if self.published else None,
            "citations": [c.to_dict() for c in self.citations],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ConflictSide:
        """One side of a conflict from ``to_dict``'s shape."""
        pub = d.get("published")
        return cls(
            str(d["value"]),
            str(d["text"]),
            _citations(d["citations"]),
            date.fromisoformat(pub) if pub else None,
        )


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources that disagree about one thing.

    ``kind``: ``contradiction`` (different values for the same thing), ``update`` (a later
    report of a quantity that changes over time) or ``possible`` (the same topic in different
    measures, which may or may not disagree). ``slot`` says what differs: number, date, name,
    role, place, age or negation. ``what`` names the thing ("people treated", "pint").
    """

    id: str
    kind: str
    slot: str
    what: str
    sides: tuple[ConflictSide, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "slot": self.slot,
            "what": self.what,
            "note": self.note,
            "sides": [s.to_dict() for s in self.sides],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Conflict:
        """A conflict from ``to_dict``'s shape."""
        return cls(
            str(d["id"]),
            str(d["kind"]),
            str(d["slot"]),
            str(d["what"]),
            tuple(ConflictSide.from_dict(s) for s in d["sides"]),
            str(d.get("note", "")),
        )


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article that copies another: ``original_id`` is the earliest published copy."""

    article_id: str
    original_id: str
    similarity: float  # estimated share of the shorter text's word 5-grams in the other
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.article_id,
            "original": self.original_id,
            "similarity": round(self.similarity, 3),
            "exact": self.exact,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Duplicate:
        """A copy from ``to_dict``'s shape."""
        return cls(str(d["source"]), str(d["original"]), float(d["similarity"]), bool(d["exact"]))


@dataclass(frozen=True, slots=True)
class Story:
    """A group of articles about one event, with what was worked out about it."""

    id: str
    title: str
    articles: tuple[Article, ...]
    sentences: dict[str, tuple[Sentence, ...]]
    summary: tuple[SummarySentence, ...] = ()
    rewritten: tuple[SummarySentence, ...] = ()  # the optional, checked abstractive rewrite
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    facts: tuple[Fact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[str, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()  # copies among the articles (kept, counted once)
    shared_terms: tuple[str, ...] = ()  # why the articles were grouped: terms most share
    shared_names: tuple[str, ...] = ()  # ... and names most share

    def to_dict(self) -> dict[str, Any]:
        """The whole record, lossless (unlike the report's shape in ``render.json``):
        articles with their removed spans and offsets, sentences by article id, and the
        exact floats, so that ``Story.from_dict(story.to_dict()) == story``."""
        return {
            "id": self.id,
            "title": self.title,
            "articles": [a.to_dict() for a in self.articles],
            "sentences": {
                aid: [{**s.to_dict(), "in_quote": s.in_quote} for s in ss]
                for aid, ss in self.sentences.items()
            },
            "summary": [_summary_dict(s) for s in self.summary],
            "rewritten": [_summary_dict(s) for s in self.rewritten],
            "entities": [{**e.to_dict(), "salience": e.salience} for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "timeline": [t.to_dict() for t in self.timeline],
            "facts": [f.to_dict() for f in self.facts],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "notes": list(self.notes),
            "duplicates": [{**d.to_dict(), "similarity": d.similarity} for d in self.duplicates],
            "shared_terms": list(self.shared_terms),
            "shared_names": list(self.shared_names),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Story:
        """A story from ``to_dict``'s shape."""
        return cls(
            id=str(d["id"]),
            title=str(d["title"]),
            articles=tuple(Article.from_dict(a) for a in d["articles"]),
            sentences={
                str(aid): tuple(Sentence.from_dict(s, str(aid)) for s in ss)
                for aid, ss in d["sentences"].items()
            },
            summary=tuple(SummarySentence.from_dict(s) for s in d.get("summary", ())),
            rewritten=tuple(SummarySentence.from_dict(s) for s in d.get("rewritten", ())),
            entities=tuple(Entity.from_dict(e) for e in d.get("entities", ())),
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes", ())),
            timeline=tuple(TimelineEntry.from_dict(t) for t in d.get("timeline", ())),
            facts=tuple(Fact.from_dict(f) for f in d.get("facts", ())),
            conflicts=tuple(Conflict.from_dict(c) for c in d.get("conflicts", ())),
            notes=tuple(str(n) for n in d.get("notes", ())),
            duplicates=tuple(Duplicate.from_dict(x) for x in d.get("duplicates", ())),
            shared_terms=tuple(str(t) for t in d.get("shared_terms", ())),
            shared_names=tuple(str(n) for n in d.get("shared_names", ())),
        )


def _summary_dict(s: SummarySentence) -> dict[str, Any]:
    """``to_dict`` with the problems kept even when the sentence was not generated."""
    return {**s.to_dict(), "generated": s.generated, "problems": list(s.problems)}


def _citations(items: list[dict[str, Any]]) -> tuple[Citation, ...]:
    return tuple(Citation.from_dict(c) for c in items)


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used, with a reason a person can act on."""

    path: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "reason": self.reason}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Skipped:
        """A skipped input from ``to_dict``'s shape."""
        return cls(str(d["path"]), str(d["reason"]))


@dataclass(frozen=True, slots=True)
class Report:
    """What a digest run produced: stories plus every input that was skipped."""

    stories: tuple[Story, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self, *, show_removed: bool = False) -> dict[str, Any]:
        """The JSON report (``newsweave.report/1``) as plain data."""
        from newsweave.render.json import report_dict

        return report_dict(self, show_removed=show_removed)

    def render(self, fmt: str = "md", *, show_removed: bool = False) -> str:
        """The report as text: ``"md"``, ``"html"`` or ``"json"``."""
        from newsweave.render import render

        return render(self, fmt, show_removed=show_removed)
