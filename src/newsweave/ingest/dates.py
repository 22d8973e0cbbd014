"""Publication dates from the many ways inputs write them."""

from __future__ import annotations

import re
from datetime import date, datetime

ISO_DATE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
ISO_AT_START = re.compile(
    r"^\s*(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?(?=\s|$)"
)


def parse_date(value: object) -> date | None:
    """Parse a publication date; ISO forms fast, words ("2 November 2020") via dateparser.

    Returns None for anything that is not a plausible calendar date, never raises.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        try:
            ts = float(value) / (1000.0 if value > 1e11 else 1.0)
            return datetime.utcfromtimestamp(ts).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text or len(text) > 80:
        return None
    m = ISO_DATE.search(text)
    if m:
        try:
            return _plausible(date(int(m["y"]), int(m["m"]), int(m["d"])))
        except ValueError:
            return None
    if not re.search(r"\d", text):
        return None
    return _parse_words(text)


def _parse_words(text: str) -> date | None:
    import dateparser  # heavy import, only when a date is written in words

    try:
        parsed = dateparser.parse(
            text,
            languages=None,
            settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
        )
    except (ValueError, OverflowError, TypeError):
        return None
    return _plausible(parsed.date()) if parsed else None


def _plausible(d: date) -> date | None:
    return d if 1800 <= d.year <= 2200 else None


def split_leading_date(text: str) -> tuple[date | None, str]:
    """Split ``"2020-11-02 Rest of line"`` into the date and the rest."""
    m = ISO_AT_START.match(text)
    if not m:
        return None, text
    return parse_date(m["date"]), text[m.end() :].strip()
