"""Temporal expressions: found in a sentence and resolved against the article's own date.

"Yesterday", "on Monday", "last year", "earlier this month", "in October", "a year ago" mean
different days in articles published on different days, so every relative expression is
anchored at the publication date of the article it appears in. Each result carries its
precision (day, week, month, year): "in October" stays a month. Past tense is assumed unless
the sentence speaks of the future ("will", "next", "is expected to"), following the rules in
the field notes: a weekday in a past-tense sentence is the latest such day on or before
publication, a month after the publication month is in the previous year.

This is the first building block of the timeline (issue 3); it is not yet in the report.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from newsweave.clean.language import language_code

if TYPE_CHECKING:
    from newsweave.model import Article, Sentence


class Precision(Enum):
    """How exact a resolved date is."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A temporal expression in a text: its span, what it says and the date it means.

    ``value`` is the first day of the period meant (the day, the month's first day, ...);
    it is None when a relative expression has no publication date to anchor it.
    """

    start: int
    end: int
    text: str
    value: date | None
    precision: Precision
    relative: bool
    kind: str = ""  # which pattern found it: "md", "weekday", "wmd", ... ("" from elsewhere)


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
# The years a news timeline can date: what ``_YEAR`` matches. A resolved date outside them
# ("7000 years ago", "0001-01-01", a date past what ``datetime.date`` holds) is dropped.
FIRST_YEAR, LAST_YEAR = 1800, 2199
_YEAR = r"(?P<year>1[89]\d\d|2[01]\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_NUM = r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)"
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
FUTURE = re.compile(
    r"\b(?:will|won't|shall|next|upcoming|is (?:due|expected|scheduled|set) to|are (?:due|"
    r"expected|scheduled|set) to|plans? to|going to)\b",
    re.I,
)

# Order matters: longer, more specific patterns first; overlapping later matches are dropped.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    ("dmy", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)),
    ("my", re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b", re.I)),
    ("wmd", re.compile(rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)", re.I)),
    ("wdm", re.compile(rf"\b{_WEEKDAY},?\s+(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w-])(?!,?\s*\d)", re.I)),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)", re.I)),
    ("dm", re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.I)),
    ("ago", re.compile(rf"\b{_NUM}\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("rel_unit", re.compile(r"\b(?P<which>last|this|next|earlier this|later this)\s+(?P<unit>week|month|year)\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|today|tonight|tomorrow|last night|this (?:morning|afternoon|evening))\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?P<which>last|this|next|on)\s+)?{_WEEKDAY}\b", re.I)),
    ("month", re.compile(rf"\b(?:(?P<which>in|last|this|next|since|until|by|early|late|mid-?)\s+){_MONTH}(?![\w-])", re.I)),
    ("year", re.compile(rf"\b(?:in|since|by|until|of|during|from|early|late|mid-?)\s+{_YEAR}\b", re.I)),
]  # fmt: skip


QUOTED = re.compile(r'["\u201c][^"\u201c\u201d]*["\u201d]')
# A reporting or past verb right before a date ties the date to the past.
PAST_VERB = re.compile(
    r"\b(?:said|announced|told|reported|confirmed|added|\w+ed)\s+(?:\w+\s+){0,2}$", re.I
)
# A sentence in the present ("is", "are"), with no verb in the past and no word of the
# future, leaves a date named without its year to the nearest such date to publication
# ("Sanders is focusing on the March 3 contests", said in February). Past tense stays the
# default: irregular past verbs ("wrote", "met") are not told apart here.
PRESENT = re.compile(r"\b(?:is|are|am)\b", re.I)
PAST_ANY = re.compile(r"\b(?:was|were|had|did|said|told|\w{3,}ed)\b", re.I)


# Words without which a text holds no temporal expression: a cheap test before the patterns.
TRIGGER = re.compile(
    r"\d|yesterday|today|tonight|tomorrow|night|morning|afternoon|evening|\bago\b|"
    r"\b(?:last|this|next|earlier|later)\s+(?:week|month|year)|"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + "|"
    + "|".join(WEEKDAYS),
    re.I,
)


# Each sentence's temporal expressions, keyed by (article id, sentence index): found once
# per story and shared by the timeline and the facts.
Times = Mapping[tuple[str, int], Sequence["TimeExpression"]]


def times_of(articles: Sequence[Article], sentences: Mapping[str, Sequence[Sentence]]) -> Times:
    """Every sentence's temporal expressions, resolved against its own article's date, in
    its own article's language."""
    return {
        (a.id, s.index): find_times(s.text, a.published, a.language)
        for a in articles
        for s in sentences.get(a.id, ())
    }


def find_times(text: str, anchor: date | None, language: str | None = None) -> list[TimeExpression]:
    """Every temporal expression in ``text``, resolved against ``anchor`` where relative;
    in a ``language`` other than English, as far as dateparser knows it (see
    :mod:`newsweave.analyze.foreign_dates`)."""
    code = language_code(language)
    if code is not None and code != "en":
        from newsweave.analyze.foreign_dates import foreign_times

        return foreign_times(text, anchor, code)
    if not TRIGGER.search(text):
        return []
    quotes = [(m.start(), m.end()) for m in QUOTED.finditer(text)]
    narrative = QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    future_outside = bool(FUTURE.search(narrative))
    past_outside = not PRESENT.search(narrative) or bool(PAST_ANY.search(narrative))
    headline = _title_case(text)
    taken: list[tuple[int, int]] = []
    found: list[TimeExpression] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if "may" in m.group(0) and not re.search(r"\bMay\b", m.group(0)):
                continue  # the verb "may", not the month
            if not headline and _in_name(text, m.start(), m.end()):
                taken.append((m.start(), m.end()))
                continue  # "Super Tuesday", "CBS This Morning", "the Sunday Times"
            # Tense is read from the words around the date: a quotation speaks in its own
            # tense ("'We will rebuild,' she said on Monday" is a past Monday).
            inside = next(((s, e) for s, e in quotes if s <= m.start() < e), None)
            future: bool | None
            if inside:
                quote = text[inside[0] : inside[1]]
                if FUTURE.search(quote):
                    future = True
                else:
                    future = None if PRESENT.search(quote) and not PAST_ANY.search(quote) else False
            else:
                # The words before the date in its clause: "said on Monday it will cut jobs"
                # is a past Monday; "will strike from 20 February" a future day.
                clause_start = max(narrative.rfind(c, 0, m.start()) for c in ";.!?") + 1
                before = narrative[clause_start : m.start()]
                if PAST_VERB.search(before):
                    future = False
                elif FUTURE.search(before) or future_outside:
                    future = True
                else:
                    future = False if past_outside else None
            resolved = _resolve_safely(kind, m, anchor, future)
            if resolved is None:
                continue
            value, precision, relative = resolved
            if value is None and not relative:
                continue  # an impossible or implausible date such as 2020-02-31
            taken.append((m.start(), m.end()))
            found.append(
                TimeExpression(m.start(), m.end(), m.group(0), value, precision, relative, kind)
            )
    return sorted(found, key=lambda t: t.start)


def names_in(text: str) -> list[str]:
    """The temporal words of ``text`` that are part of a name, not a date: "Super Tuesday",
    "CBS This Morning", "the Sunday Times" (see :func:`_in_name`)."""
    if not TRIGGER.search(text) or _title_case(text):
        return []
    return [
        m.group(0)
        for _, pattern in PATTERNS
        for m in pattern.finditer(text)
        if _in_name(text, m.start(), m.end())
    ]


# A word that opens a sentence or a clause, where any word is capitalised.
OPENER = re.compile(r"(?:^|[.!?:;\"`'*\u2022\u201c\u2018(\u2014\u2013-]|\s-)\s*$")
# A capitalised word right before a weekday that a determiner or preposition introduces:
# the weekday is the head of a name ("on Super Tuesday", "the Good Friday agreement",
# "the March 3 Super Tuesday contests"),
# unlike "officials in Tokyo Wednesday" or "the White House Tuesday" (not introduced so).
NAMED_DAY = re.compile(
    r"(?:\b(?:the|a|an|on|before|after|since|until|ahead of|\d{1,2})|'s)\s+([A-Z][a-z]+)\s+$"
)
WORD_IN = re.compile(r"[A-Za-z]+")
# What comes right before a one-word name such as "Today": a possessive, "the", or
# initials ("NBC's Today", "the Today programme", "USA Today").
INTRODUCES_NAME = re.compile(r"(?:'\s?s|\bthe|\b[A-Z]{2,4})\s+(?:[`'\"\u201c\u2018]+\s*)?$")


def _in_name(text: str, start: int, end: int) -> bool:
    """Whether the date words at ``text[start:end]`` are part of a name, read from how
    English capitalises. It writes "this", "week", "today" in lower case, so inside a
    name when capitalised after the expression's first word ("ABC's This Week", "CBS This
    Morning"), or alone after a possessive, "the" or a broadcaster's initials ("NBC's
    Today show", "USA Today"). A weekday after a capitalised word that a determiner or
    preposition introduces is the head of a name ("on Super Tuesday", "the Good Friday
    agreement"), and so is one between a determiner and a capitalised word ("the Sunday
    Times"). Words in capitals say nothing (a headline, or emphasis)."""
    words = list(WORD_IN.finditer(text, start, end))
    if not words:
        return False
    for n, w in enumerate(words):
        word = w.group()
        if _calendar_word(word) or not word[0].isupper() or word.isupper():
            continue
        if n > 0:
            return True
        if len(words) == 1 and INTRODUCES_NAME.search(text[: w.start()]):
            return True
    first = words[0].group()
    if first.lower() not in WEEKDAYS:
        return False
    before = NAMED_DAY.search(text[:start])
    if (
        before
        and not _calendar_word(before.group(1))
        and not OPENER.search(text[: before.start(1)])
    ):
        return True
    after = re.match(r"\s+([A-Z][a-z]+)", text[end:])
    return bool(
        after
        and not _calendar_word(after.group(1))
        and re.search(r"\b(?:the|a|an)\s+$", text[:start], re.I)
    )


def _calendar_word(word: str) -> bool:
    return word.lower() in MONTHS or word.lower() in WEEKDAYS


def _title_case(text: str) -> bool:
    """Whether most longer words are capitalised, as in a headline: names cannot be told
    from other words there."""
    words = [w for w in WORD_IN.findall(text)[1:] if len(w) > 3 and not _calendar_word(w)]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) * 2 > len(words)


def _resolve_safely(
    kind: str, m: re.Match[str], anchor: date | None, future: bool | None
) -> tuple[date | None, Precision, bool] | None:
    """``_resolve``, with a date the calendar cannot hold or a timeline would not date
    dropped: arithmetic past ``date.min``/``date.max`` raises, and is caught here."""
    try:
        resolved = _resolve(kind, m, anchor, future)
    except (OverflowError, ValueError):
        return None
    if resolved is None or resolved[0] is None:
        return resolved
    return resolved if FIRST_YEAR <= resolved[0].year <= LAST_YEAR else None


def _resolve(
    kind: str, m: re.Match[str], anchor: date | None, future: bool | None
) -> tuple[date | None, Precision, bool] | None:
    """The date an expression of a ``kind`` means; ``future`` is the tense around it (None
    when the sentence has neither a past verb nor a word of the future)."""
    g = m.groupdict()
    if kind == "iso":
        return _safe(int(g["year"]), int(g["m"]), int(g["d"])), Precision.DAY, False
    if kind in ("mdy", "dmy"):
        return (
            _safe(int(g["year"]), MONTHS[g["month"].lower()], int(g["day"])),
            Precision.DAY,
            False,
        )
    if kind == "my":
        return _safe(int(g["year"]), MONTHS[g["month"].lower()], 1), Precision.MONTH, False
    if kind in ("md", "dm", "wmd", "wdm"):
        month, day = MONTHS[g["month"].lower()], int(g["day"])
        if not 1 <= day <= 31:
            return None
        if anchor is None:
            return None, Precision.DAY, True
        if kind in ("wmd", "wdm"):
            # "Friday 19 September": the year in which that day is that weekday, nearest
            # to publication; as if the weekday were not there if no such year is near.
            weekday = WEEKDAYS[g["weekday"].lower()]
            fits = [
                d
                for y in (anchor.year - 1, anchor.year, anchor.year + 1)
                if (d := _safe(y, month, day)) is not None and d.weekday() == weekday
            ]
            if fits:
                return min(fits, key=lambda d: abs(d - anchor)), Precision.DAY, True
        if future is None:
            return _nearest(anchor, month, day), Precision.DAY, True
        year = _year_for(month, anchor, future)
        if future and (month, day) < (anchor.month, anchor.day):
            year = anchor.year + 1  # "will start on April 2", said on 9 April
        return _safe(year, month, day), Precision.DAY, True
    if kind == "month":
        month = MONTHS[g["month"].lower()]
        if anchor is None:
            return None, Precision.MONTH, True
        which = (g.get("which") or "").lower()
        if future is None and which not in ("last", "next"):
            return _nearest(anchor, month, 1), Precision.MONTH, True
        fut = bool(future) or which == "next"
        year = _year_for(month, anchor, fut)
        if which == "last" and year == anchor.year and month >= anchor.month:
            year -= 1
        return date(year, month, 1), Precision.MONTH, True
    if kind == "year":
        return _safe(int(g["year"]), 1, 1), Precision.YEAR, False
    if anchor is None:
        return None, _unit_precision(g.get("unit")), True
    if kind == "yesterday":
        word = m.group(0).lower()
        delta = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        return anchor + timedelta(days=delta), Precision.DAY, True
    if kind == "weekday":
        target = WEEKDAYS[g["weekday"].lower()]
        which = (g.get("which") or "").lower()
        shift = (anchor.weekday() - target) % 7
        if which == "last":
            back = shift or 7
            return anchor - timedelta(days=back), Precision.DAY, True
        if shift == 0 and which != "next":
            return anchor, Precision.DAY, True  # "on Wednesday night" in a Wednesday paper
        if which == "next" or future:
            ahead = (target - anchor.weekday()) % 7 or 7
            return anchor + timedelta(days=ahead), Precision.DAY, True
        return anchor - timedelta(days=shift), Precision.DAY, True
    if kind == "ago":
        raw = g["n"].lower()
        if raw in ("several", "few") or len(raw) > 6:
            return None  # vague, or far more than a timeline reaches (and int() may refuse)
        n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        unit = g["unit"].lower()
        value = _shift(anchor, unit, -n)
        if unit == "month":
            value = value.replace(day=1)
        elif unit == "year":
            value = date(value.year, 1, 1)
        return value, _unit_precision(unit), True
    if kind == "rel_unit":
        which, unit = g["which"].lower(), g["unit"].lower()
        step = {"last": -1, "next": 1}.get(which, 0)
        value = _shift(anchor, unit, step)
        if unit == "week":
            value -= timedelta(days=value.weekday())
        elif unit == "month":
            value = value.replace(day=1)
        else:
            value = date(value.year, 1, 1)
        return value, _unit_precision(unit), True
    return None


def _unit_precision(unit: str | None) -> Precision:
    return {"week": Precision.WEEK, "month": Precision.MONTH, "year": Precision.YEAR}.get(
        (unit or "day").lower(), Precision.DAY
    )


def _year_for(month: int, anchor: date, future: bool) -> int:
    """The year of a month named without one: the last such month in the past tense, the
    next one in the future tense."""
    if future:
        return anchor.year if month >= anchor.month else anchor.year + 1
    return anchor.year if month <= anchor.month else anchor.year - 1


def _nearest(anchor: date, month: int, day: int) -> date | None:
    """The date of this month and day nearest to ``anchor``, in its year or the next or
    last (a month when ``day`` is 1 and the caller means the month)."""
    near = [
        d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _safe(y, month, day))
    ]
    return min(near, key=lambda d: abs(d - anchor)) if near else None


def _shift(anchor: date, unit: str, n: int) -> date:
    """``anchor`` moved ``n`` units; raises OverflowError or ValueError off the calendar."""
    if unit == "day":
        return anchor + timedelta(days=n)
    if unit == "week":
        return anchor + timedelta(weeks=n)
    months = anchor.year * 12 + anchor.month - 1 + (n if unit == "month" else 12 * n)
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    day = min(anchor.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def period(value: date, precision: str) -> tuple[date, date]:
    """The first and last day a date of this precision ("day", "week", "month", "year") covers."""
    if precision == "year":
        return date(value.year, 1, 1), date(value.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last)
    if precision == "week":
        return value, value + timedelta(days=min(6, (date.max - value).days))
    return value, value


def compatible(va: date, pa: str, vb: date, pb: str) -> bool:
    """Whether two dates can mean the same time: equal, or one period inside the other."""
    a0, a1 = period(va, pa)
    b0, b1 = period(vb, pb)
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)
