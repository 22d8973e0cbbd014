"""Temporal expressions in other languages than English, read with dateparser's data.

In another language, dateparser's data for it names the words of dates: months, weekdays,
units ("Jahren", "semanas") and relative days ("gestern", "hier"). Each such word that is
not also a function word of the language (the data gives German "die" and "mit" as
weekdays), nor an abbreviation that is often a word ("jeu", "mar"), anchors a search: the
longest span of date words around it (those above, its numbers, "vor", "il y a", "de"; at
most ``_REACH`` either side, inside the clause) that dateparser reads as a date, cut to the
fewest words that still mean that date. A span around a unit of time must date it ("vor
drei Jahren", "el año pasado"), not measure it ("zwei Wochen", "mit 89 Jahren"). Past dates
are preferred (the news tense). Two parses against bases 400 days apart tell a relative
expression from an absolute one; an article without a date is parsed against a fixed base,
and its relative expressions are left unresolved, as in English
(:mod:`newsweave.analyze.temporal`).
"""

from __future__ import annotations

import calendar
import re
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from newsweave.analyze.temporal import FIRST_YEAR, LAST_YEAR, Precision, TimeExpression
from newsweave.clean.language import function_words

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_REACH = 4
_BASES = (date(2001, 6, 15), date(2002, 7, 20))
_MAX = date.max.toordinal()
_PERIODS = {"week": Precision.WEEK, "month": Precision.MONTH, "year": Precision.YEAR}
_WORD = re.compile(r"\S+")
_CLAUSE_END = re.compile(r"[,;:!?]$|(?<!\d)\.$")  # "30." is a German day, not an end
_NAMED = (*(m.lower() for m in calendar.month_name[1:]), *(d.lower() for d in calendar.day_name))


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    anchors: frozenset[str]  # words that start a search for a date
    units: frozenset[str]  # "jahren", "semanas": anchors even when common words
    words: frozenset[str]  # every word of dates ("vor", "de", "il", "y", "a")
    numbers: frozenset[str]  # number words ("ein", "un"): with a unit only ("un an")
    shifts: frozenset[str]  # words that date a length of time ("vor", "il", "y", "a", "in")
    relative: frozenset[str]  # relative phrases ("dieses jahr", "el año pasado")


def foreign_times(text: str, anchor: date | None, code: str) -> list[TimeExpression]:
    """The temporal expressions dateparser reads in a text in the language ``code`` (none
    when dateparser does not know the language), resolved against ``anchor``."""
    vocab = _vocabulary(code)
    if vocab is None:
        return []
    words = [(m.start(), m.end(), _bare(m.group())) for m in _WORD.finditer(text)]
    out: list[TimeExpression] = []
    for k, (start, _, word) in enumerate(words):
        if word not in vocab.anchors or (out and start < out[-1].end):
            continue
        found = _around(text, words, k, anchor, code, vocab)
        if found is not None and not (out and found.start < out[-1].end):
            out.append(found)
    return out


def _bare(word: str) -> str:
    return word.strip(string.punctuation + "«»“”„‘’¿¡").lower()


def _around(
    text: str,
    words: list[tuple[int, int, str]],
    k: int,
    anchor: date | None,
    code: str,
    vocab: _Vocabulary,
) -> TimeExpression | None:
    """The date expression around the anchor word ``k`` (see above), or None."""
    counts = words[k][2] in vocab.units

    def joins(i: int) -> bool:  # word i may be part of the date
        word = words[i][2]
        if word in vocab.numbers:
            return counts  # "un an", not "samedi un (musée)"
        return word in vocab.words or word.rstrip(".").isdigit()

    lo, hi = k, k
    while lo > 0 and k - lo < _REACH and joins(lo - 1) and not _ends(text, words, lo - 1):
        lo -= 1
    while hi + 1 < len(words) and hi - k < _REACH and joins(hi + 1) and not _ends(text, words, hi):
        hi += 1
    # the anchor word stays, and with a unit of time the words that date it ("vor")
    kept = {k} | {i for i in range(lo, hi + 1) if counts and words[i][2] in vocab.shifts}
    base = anchor or _BASES[0]
    spans = sorted(
        ((a, b) for a in range(lo, k + 1) for b in range(k, hi + 1)),
        key=lambda ab: (ab[0] - ab[1], ab[0]),
    )
    for a, b in spans:
        said = _span(text, words, a, b)[2]
        first = _parse(said, code, base)
        if first is None or (counts and not _dated(said, words[a : b + 1], vocab)):
            continue  # no date, or a length of time ("zwei Wochen", "mit 89 Jahren")
        while True:  # cut to the fewest words
            if b not in kept and _same(text, words, a, b - 1, first, code, base):
                b -= 1
            elif a not in kept and _same(text, words, a + 1, b, first, code, base):
                a += 1
            else:
                lone = a == b and words[a][2] in function_words(code)
                if lone and words[a][2] not in vocab.units:
                    return None  # a function word that dateparser's data also lists
                return _expression(_span(text, words, a, b), first, anchor, code)
    return None


def _same(
    text: str,
    words: list[tuple[int, int, str]],
    a: int,
    b: int,
    first: tuple[date, Precision],
    code: str,
    base: date,
) -> bool:
    """Whether words ``a`` to ``b`` still mean the date ``first``."""
    return _parse(_span(text, words, a, b)[2], code, base) == first


def _dated(said: str, words: list[tuple[int, int, str]], vocab: _Vocabulary) -> bool:
    """Whether a span with a unit of time dates something ("vor drei Jahren", "im Jahr
    2020", "el año pasado") rather than measuring a length of time."""
    shifted = any(w in vocab.shifts or (len(w) == 4 and w.isdigit()) for _, _, w in words)
    return shifted or said.lower() in vocab.relative


def _ends(text: str, words: list[tuple[int, int, str]], i: int) -> bool:
    """Whether word ``i`` ends a clause."""
    return bool(_CLAUSE_END.search(text[words[i][0] : words[i][1]]))


def _span(text: str, words: list[tuple[int, int, str]], a: int, b: int) -> tuple[int, int, str]:
    """Words ``a`` to ``b``, without punctuation at either end ("Juni 2032," -> "Juni 2032")."""
    start, end = words[a][0], words[b][1]
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end, text[start:end]


def _expression(
    span: tuple[int, int, str], first: tuple[date, Precision], anchor: date | None, code: str
) -> TimeExpression | None:
    """The expression ``span`` that means ``first`` against ``anchor``, if a timeline can
    hold it."""
    start, end, said = span
    value, precision = first
    later = _BASES[1] if anchor is None else date.fromordinal(min(anchor.toordinal() + 400, _MAX))
    other = _parse(said, code, later)
    relative = other is None or other[0] != value
    if relative and anchor is None:
        return TimeExpression(start, end, said, None, precision, True)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return TimeExpression(start, end, said, value, precision, relative)


def _parse(span: str, code: str, base: date) -> tuple[date, Precision] | None:
    """The date ``span`` means against ``base``, at its precision (the first day of a week,
    month or year), or None."""
    if not span:
        return None
    try:
        data = _parser(code, base).get_date_data(span)
        if data.date_obj is None:
            return None
        precision = _PERIODS.get(data.period or "day", Precision.DAY)
        value = data.date_obj.date()
        if precision is Precision.WEEK:
            value -= timedelta(days=value.weekday())
        elif precision is Precision.MONTH:
            value = value.replace(day=1)
        elif precision is Precision.YEAR:
            value = value.replace(month=1, day=1)
    except (ValueError, OverflowError):  # a date past what the calendar holds
        return None
    return value, precision


@lru_cache(maxsize=64)
def _parser(code: str, base: date) -> DateDataParser:
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
    }
    return DateDataParser(languages=[code], settings=settings)


@lru_cache(maxsize=64)
def _vocabulary(code: str) -> _Vocabulary | None:
    """The words of dates in dateparser's data for the language (None: it has none)."""
    from dateparser.languages.loader import default_loader

    try:
        default_loader.get_locale_map(languages=[code])
        info = default_loader.get_locale(code).info
    except (ValueError, KeyError):  # "Unknown language(s)"
        return None
    function = function_words(code)
    named = {_bare(w) for key in _NAMED for w in info.get(key, ())}
    # an abbreviation ("jeu", "mar") starts no search on its own: it is often a word
    short = {
        _bare(w)
        for key in _NAMED
        for w in info.get(key, ())
        for full in info.get(key, ())
        if len(w) < len(full) and _bare(full).startswith(_bare(w))
    }
    units = {_bare(w) for key in ("year", "month", "week", "day") for w in info.get(key, ())}
    relative = {
        _bare(p) for ps in info.get("relative-type", {}).values() for p in ps if " " not in p
    }
    anchors = {w for w in named if w not in function and w not in short} | relative | units
    phrases = [
        *(p for key in ("ago", "in", "skip") for p in info.get(key, ())),
        *(p for ps in info.get("relative-type", {}).values() for p in ps),
        *(w for d in info.get("simplifications", ()) for w in d if w.replace(" ", "").isalpha()),
    ]
    every = {_bare(w) for p in phrases for w in p.split()} | named | units | relative
    numbers = {
        _bare(w) for d in info.get("simplifications", ()) for w, n in d.items() if n.isdigit()
    }
    shifts = {_bare(w) for key in ("ago", "in") for p in info.get(key, ()) for w in p.split()}
    phrases_of = {p.lower() for ps in info.get("relative-type", {}).values() for p in ps}
    return _Vocabulary(
        frozenset(w for w in anchors if len(w) > 1),
        frozenset(units),
        frozenset(every - {""}),
        frozenset(numbers),
        frozenset(shifts - {""}),
        frozenset(phrases_of),
    )
