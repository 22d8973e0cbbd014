"""Plain-text articles: header lines, a headline, bylines, source lines and datelines.

A text article may begin with header lines (``title: ...``, ``source: ...``,
``date 2020-11-02``); its first line is the headline when it reads like one; byline,
source and date lines become metadata rather than body text. What is found is returned as
metadata plus :class:`~newsweave.model.Removal` records for the lines that were metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from newsweave.clean.boilerplate import (
    BYLINE,
    DATE_LINE,
    DATELINE,
    NAME_ONLY,
    NAME_WITH_READ_TIME,
    READ_TIME,
    ROLE_WORDS,
    SOURCE_LINE,
    Line,
    is_photo_source,
    split_lines,
)
from newsweave.ingest.dates import parse_date, split_leading_date
from newsweave.model import Removal

HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "source": "outlet",
    "outlet": "outlet",
    "site": "outlet",
    "publisher": "outlet",
    "publication": "outlet",
    "author": "author",
    "byline": "author",
    "by": "author",
    "date": "published",
    "published": "published",
    "pubdate": "published",
    "url": "url",
    "link": "url",
    "lang": "language",
    "language": "language",
}
HEADER = re.compile(r"^\s*(?P<key>[A-Za-z_-]{2,12})\s*[:=]\s*(?P<value>.*?)\s*$")
DATE_HEADER = re.compile(
    r"^\s*(?:date|published|pubdate)\s+(?P<rest>\d{4}-\d{1,2}-\d{1,2}.*)$", re.I
)
MAX_HEADLINE_WORDS = 25
DATELINE_SCAN_LINES = 6


@dataclass
class Metadata:
    """Metadata recovered from an input, filled by whichever parser finds it first."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    url: str | None = None
    language: str | None = None
    notes: list[str] = field(default_factory=list)

    def set(self, name: str, value: object) -> None:
        """Set a field unless it already has a value; dates are parsed, text trimmed."""
        if getattr(self, name) is not None or value in (None, ""):
            return
        if name == "published":
            value = parse_date(value)
            if value is None:
                return
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            return  # a JSON record's true, or an object where text belongs: no metadata
        else:
            value = " ".join(str(value).split())
            if not value:
                return
        setattr(self, name, value)


def parse_text(text: str, meta: Metadata) -> list[Removal]:
    """Read metadata lines from a plain-text article; return the lines to drop from the body."""
    lines = split_lines(text)
    removals: list[Removal] = []
    i = _parse_headers(lines, meta, removals)
    i = _skip_blank(lines, i)
    # Headline: the first line, when it reads like one.
    if i < len(lines):
        first = lines[i].text.strip()
        if meta.title and _same(first, meta.title):
            removals.append(Removal(lines[i].start, lines[i].end, "title", lines[i].text))
            i += 1
        elif not meta.title and _reads_like_headline(lines, i):
            meta.set("title", first)
            removals.append(Removal(lines[i].start, lines[i].end, "title", lines[i].text))
            i += 1
    _parse_front_matter(lines, i, meta, removals)
    return removals


def _parse_headers(lines: list[Line], meta: Metadata, removals: list[Removal]) -> int:
    i = 0
    while i < len(lines):
        line = lines[i]
        m = DATE_HEADER.match(line.text)
        if m:
            published, rest = split_leading_date(m["rest"])
            if published is None:
                break
            meta.set("published", published)
            if rest:
                # "date 2020-11-02 Headline text" on one line: the rest is the headline.
                cut = line.text.rindex(rest)
                removals.append(Removal(line.start, line.start + cut, "header", line.text[:cut]))
                meta.set("title", rest)
                removals.append(Removal(line.start + cut, line.end, "title", line.text[cut:]))
            else:
                removals.append(Removal(line.start, line.end, "header", line.text))
            i += 1
            continue
        m = HEADER.match(line.text)
        if not m or m["key"].lower() not in HEADER_KEYS or not m["value"]:
            break
        meta.set(HEADER_KEYS[m["key"].lower()], m["value"])
        removals.append(Removal(line.start, line.end, "header", line.text))
        i += 1
    return i


def _skip_blank(lines: list[Line], i: int) -> int:
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    return i


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _reads_like_headline(lines: list[Line], i: int) -> bool:
    """A short first line without closing punctuation, followed by more text."""
    s = lines[i].text.strip()
    words = s.split()
    if not words or len(words) > MAX_HEADLINE_WORDS or len(s) > 220:
        return False
    if s.endswith((".", ",", ";", ":")) or s[0] in "\"'“‘-•*":
        return False
    if BYLINE.match(s) or SOURCE_LINE.match(s) or READ_TIME.match(s) or DATE_LINE.match(s):
        return False
    return any(line.text.strip() for line in lines[i + 1 :])


def _parse_front_matter(lines: list[Line], i: int, meta: Metadata, removals: list[Removal]) -> None:
    """Bylines, "From <Outlet>" and date lines near the top, and a dateline agency."""
    scanned = 0
    while i < len(lines) and scanned < DATELINE_SCAN_LINES:
        line = lines[i]
        s = line.text.strip()
        i += 1
        if not s:
            continue
        scanned += 1
        nxt = _next_text(lines, i)
        if m := BYLINE.match(s):
            meta.set("author", m["author"])
            outlet = m["outlet"]
            if outlet and not is_photo_source(outlet) and not ROLE_WORDS.search(outlet):
                meta.set("outlet", outlet.strip())
            removals.append(Removal(line.start, line.end, "byline", line.text))
        elif (m := NAME_WITH_READ_TIME.match(s)) or (
            (m := NAME_ONLY.match(s)) and nxt is not None and READ_TIME.match(nxt)
        ):
            meta.set("author", m["author"])
            removals.append(Removal(line.start, line.end, "byline", line.text))
        elif (m := SOURCE_LINE.match(s)) and not is_photo_source(m["outlet"]):
            meta.set("outlet", m["outlet"])
            removals.append(Removal(line.start, line.end, "source line", line.text))
        elif (m := DATE_LINE.match(s)) and parse_date(m.group(1)):
            meta.set("published", m.group(1))
            removals.append(Removal(line.start, line.end, "date line", line.text))
        elif m := DATELINE.match(s):
            agency = m["agency"].strip()
            if not is_photo_source(agency):
                meta.set("outlet", agency)
            removals.append(Removal(line.start, line.start + m.end(), "dateline", m.group(0)))
            _dateline_date(m["place"], meta)
            break
        elif len(s.split()) > MAX_HEADLINE_WORDS:
            # Prose has started; a dateline can only open the first paragraph.
            break


def _dateline_date(place: str, meta: Metadata) -> None:
    """Note a day-and-month dateline ("PORT, March 11"); the year is not known from it."""
    m = re.search(r",\s*([A-Z][a-z]{2,8}\.?\s+\d{1,2})$", place)
    if m and meta.published is None:
        meta.notes.append(f"dateline gives {m.group(1)} without a year")


def _next_text(lines: list[Line], i: int) -> str | None:
    i = _skip_blank(lines, i)
    return lines[i].text.strip() if i < len(lines) else None
