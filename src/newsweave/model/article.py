"""Records of one article: its text and cleaning, its sentences, and citations of them."""

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
            citations_from(d["citations"]),
            bool(d.get("generated", False)),
            tuple(str(p) for p in d.get("problems", ())),
        )


def citations_from(items: list[dict[str, Any]]) -> tuple[Citation, ...]:
    """Citations read back from their ``to_dict`` shapes."""
    return tuple(Citation.from_dict(c) for c in items)
