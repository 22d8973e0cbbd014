"""Conflicts between the figures of two statements: the same measure given different values.

A different figure for the same counted noun is a contradiction; a later, different figure
for a quantity that changes over time (a toll, the number evacuated) is an ``update``; the
same topic in different measures ("7 pints" vs "several bags of blood") is ``possible``.
Rounding, spelled-out numbers, different people, and one measure taken at different times
("in early trading" vs "at the close") are not conflicts.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsweave.analyze.quantities import (
    CHANGING,
    CHANGING_STATES,
    MEASURES,
    PEOPLE,
    YEAR,
    Quantity,
    family,
    measure,
    same_measure,
    same_value,
    unit_key,
)
from newsweave.analyze.statements import Draft, Statement, span
from newsweave.analyze.temporal import compatible, period

SAME_TOPIC = 0.3  # cosine (numbers and dates left out) at which two statements are about one thing
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
# Counts that only grow as a story unfolds.
CUMULATIVE = frozenset(["dead", "injured", "arrested", "infected", "affected", "rescued"])


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


def number_conflicts(a: Statement, b: Statement, sim: float) -> list[Draft]:
    """Figures of one measure the two statements give differently (or, failing that, one
    thing given in two measures); ``sim`` is their topic cosine."""
    out: list[Draft] = []
    possible: Draft | None = None
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
) -> Draft | None:
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
    if qa.unit != YEAR and not _same_time(a, qa, b, qb, changing):
        return None  # "800 job losses announced in March": an older figure
    side_a = (a, qa.text, span(a, qa.start, qa.end))
    side_b = (b, qb.text, span(b, qb.start, qb.end))
    slot = "age" if qa.unit == "age" else "year" if qa.unit == YEAR else "number"
    what = _what(qa)
    if changing and a.published and b.published and a.published != b.published:
        older, newer = (side_a, side_b) if a.published < b.published else (side_b, side_a)
        q_old, q_new = (qa, qb) if a.published < b.published else (qb, qa)
        falling = q_old.value is not None and q_new.value is not None and q_new.value < q_old.value
        if falling and qa.state & CUMULATIVE:
            # A count that can only grow (the dead, the treated) is lower in a later report:
            # one of the two is wrong.
            return Draft(
                "contradiction", slot, what, older, newer, "a later report gives a lower count"
            )
        return Draft("update", slot, what, older, newer, "a later report gives a new figure")
    return Draft("contradiction", slot, what, side_a, side_b)


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
) -> Draft | None:
    """Figures in different measures of one thing: "7 pints" / "several bags of blood"."""
    if not measure(qa) or not measure(qb) or YEAR in (qa.unit, qb.unit):
        return None  # a year something was done in is no measure of anything else
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
    side_a = (a, f"{qa.text} {qa.unit}".strip(), span(a, qa.start, qa.end))
    side_b = (b, f"{qb.text} {qb.unit}".strip(), span(b, qb.start, qb.end))
    topic = qa.of or qb.of or next(iter(sorted(qa.state & qb.state)), "")
    what = topic or f"{qa.unit} / {qb.unit}"
    return Draft("possible", "number", what, side_a, side_b, "the same thing in different measures")


def _what(q: Quantity) -> str:
    if q.unit == "age":
        return "age"
    if q.unit == YEAR:
        return f"year {q.of}"  # "year founded"
    return f"{q.unit} of {q.of}" if q.of else q.unit or "figure"
