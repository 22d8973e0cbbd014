"""Records of a story (entities, quotes, timeline, facts, conflicts, copies) and of a run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from newsweave.model.article import (
    Article,
    Citation,
    Sentence,
    SummarySentence,
    citations_from,
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
            citations_from(d["mentions"]),
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
        return cls(str(d["text"]), citations_from(d["citations"]))


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
        return cls(str(d["id"]), str(d["text"]), int(d["support"]), citations_from(d["citations"]))


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
            citations_from(d["citations"]),
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
