"""The time of day a dated expression gives: "on Saturday afternoon", "late on Thursday
night", "in the early hours of Monday", "at 2.14am on Monday".

A day named in a sentence often comes with the part of the day, or a clock time, written
next to it. :func:`hours` reads those words around the day's span and returns the hours of
that day they allow, as an interval (a night runs past midnight into the next day), so
that two sources' accounts of one event can be checked against each other on one time
line: "Saturday morning" and "Saturday afternoon" cannot both be right, while "late on
Saturday night" and "in the early hours of Sunday" can. The parts of the day are English
words, as the dates this module reads are English; a clock time is read in any format that
says am or pm, or in 24-hour form with a colon.
"""

from __future__ import annotations

import re
from datetime import date

# The hours of its day each part of the day covers (24 and beyond: the next day's small hours).
PARTS = {
    "morning": (5.0, 12.0),
    "lunchtime": (11.5, 14.5),
    "afternoon": (12.0, 18.0),
    "evening": (17.0, 23.0),
    "night": (20.0, 29.0),
}
# "late" and "early" narrow a part of the day to its end or start, or the day itself.
LATE = {None: (17.0, 24.0), "evening": (20.0, 24.0), "night": (21.0, 24.0)}
EARLY = {None: (0.0, 10.0), "morning": (4.0, 9.0), "evening": (17.0, 20.0), "night": (20.0, 23.0)}

_PART = "|".join(PARTS)
_AFTER = re.compile(rf"^[\s,]+(?:at\s+)?({_PART})\b", re.I)
_CLOCK = (
    r"(\d{1,2})(?:[.:](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])"  # 2.14am, 6 a.m., 10pm
    r"|(\d{1,2}):(\d{2})(?!\s*[ap]\.?m)"  # 14:30
)
_CLOCK_BEFORE = re.compile(
    rf"\bat\s+(?:about\s+|around\s+|approximately\s+)?(?:{_CLOCK})\s+(?:on\s+)?$", re.I
)
_CLOCK_AFTER = re.compile(rf"^[\s,]+at\s+(?:about\s+|around\s+)?(?:{_CLOCK})", re.I)
_LATE = re.compile(r"\blate\s+(?:on\s+)?$", re.I)
_EARLY = re.compile(r"\bearly\s+(?:on\s+)?$", re.I)
_EARLY_HOURS = re.compile(r"\bearly hours of\s+(?:on\s+)?$", re.I)
_BEFORE_MIDNIGHT = re.compile(r"\bbefore midnight\s+(?:on\s+)?$", re.I)


def hours(text: str, start: int, end: int, words: str = "") -> tuple[float, float] | None:
    """The hours of the named day (from its midnight) that the words around the span
    ``text[start:end]`` allow; None when they say nothing of the time of day. ``words``
    is the date expression itself ("last night" carries its part)."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    clock = _CLOCK_BEFORE.search(before) or _CLOCK_AFTER.search(after)
    if clock:
        return _clock(clock)
    if _EARLY_HOURS.search(before):
        return (0.0, 5.0)
    if _BEFORE_MIDNIGHT.search(before):
        return (22.0, 24.0)
    part = None
    m = _AFTER.match(after)
    if m:
        part = m.group(1).lower()
    else:
        named = [p for p in PARTS if re.search(rf"\b{p}\b", words, re.I)]
        part = named[0] if named else None
    if _LATE.search(before):
        return LATE.get(part, PARTS[part] if part else LATE[None])
    if _EARLY.search(before):
        return EARLY.get(part, PARTS[part] if part else EARLY[None])
    return PARTS[part] if part else None


def _clock(m: re.Match[str]) -> tuple[float, float] | None:
    """A clock time as a half-hour either side of it."""
    groups = [g for g in m.groups()]
    if groups[0] is not None:
        hour, minute, half = int(groups[0]), int(groups[1] or 0), groups[2].lower()
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    else:
        hour, minute = int(groups[3]), int(groups[4])
        if hour > 23:
            return None
    if minute > 59:
        return None
    at = hour + minute / 60
    return (at - 0.5, at + 0.5)


def apart(
    day_a: date, hours_a: tuple[float, float], day_b: date, hours_b: tuple[float, float]
) -> bool:
    """Whether two (day, hours) accounts cannot be the same moment."""
    a0 = day_a.toordinal() * 24 + hours_a[0]
    a1 = day_a.toordinal() * 24 + hours_a[1]
    b0 = day_b.toordinal() * 24 + hours_b[0]
    b1 = day_b.toordinal() * 24 + hours_b[1]
    return a1 <= b0 or b1 <= a0
