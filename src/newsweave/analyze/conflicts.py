"""Conflicts: where the sources of a story disagree.

Conflicts are found by comparing slots of statements about the same thing
(:mod:`newsweave.analyze.statements`): a different figure for the same counted noun
(:mod:`newsweave.analyze.figures`), a different date for the same event, a different role or
name for the same person (:mod:`newsweave.analyze.roles`), a different place for the same
event, or one source denying what another states. No trained model is involved: the rules
are typed comparisons, so each conflict says exactly which values differ and cites both sides.
Only pairs worth comparing are compared (:func:`candidate_pairs`): each statement's nearest
neighbours by topic and bounded groups of statements giving one measure or one kind of
event, so the work grows linearly with the story.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import numpy as np

from newsweave.analyze.daytime import apart, hours
from newsweave.analyze.entities import EntityIndex
from newsweave.analyze.figures import number_conflicts
from newsweave.analyze.quantities import NUMBER, measure, parse_number
from newsweave.analyze.roles import name_conflicts, role_conflicts
from newsweave.analyze.statements import (
    EVENT_CLASSES,
    NO_POLAR,
    Draft,
    Statement,
    event_class,
    span,
)
from newsweave.analyze.temporal import compatible
from newsweave.model import Citation, Conflict, ConflictSide
from newsweave.text.similarity import Similarity, nearest
from newsweave.text.tfidf import content_terms

SAME_EVENT = 0.45  # topic cosine at which two dated statements are about one event
NEGATION_PAIR = 0.6  # topic cosine for a stated / denied pair
SAME_TIME_TOPIC = 0.2  # topic cosine at which two same-day accounts are of one event
# A date right after a reporting verb dates the report, not the event ("said on Wednesday").
REPORTED = re.compile(
    r"\b(?:said|says|told|announced|reported|confirmed|added|stated|wrote)\s+(?:\w+\s+)?$", re.I
)


def find_conflicts(
    statements: Sequence[Statement],
    about: Similarity,
    entities: EntityIndex | None,
    found: Sequence[Draft] = (),
) -> tuple[Conflict, ...]:
    """Every disagreement between two sources, merged per thing and value; ``about`` holds
    the similarity of the statements' topics (their words without figures and dates).
    ``found`` are disagreements found elsewhere (across languages: see
    :mod:`newsweave.analyze.across`), merged with these."""
    pairs = sorted(
        (i, j)
        for i, j in candidate_pairs(statements, about)
        if statements[i].article_id != statements[j].article_id
    )
    drafts: list[Draft] = list(found)
    if pairs:
        sims = about.of(np.array([i for i, _ in pairs]), np.array([j for _, j in pairs]))
        for (i, j), sim in zip(pairs, sims.tolist(), strict=True):
            a, b = statements[i], statements[j]
            drafts += number_conflicts(a, b, sim)
            drafts += _date_conflicts(a, b, sim)
            drafts += _place_conflicts(a, b, sim)
            drafts += _negation_conflicts(a, b, sim)
    if entities is not None:
        drafts += role_conflicts(statements, entities)
        drafts += name_conflicts(statements, entities)
    return _merge(drafts)


NEIGHBOURS = 20  # each statement is compared with its 20 most similar ones
NEIGHBOUR_MIN = 0.15  # ... among those whose topic cosine is at least this
MAX_VALUES = 8  # a measure with more distinct figures than this is a series, not a dispute
MAX_CLASS = 60  # statements of one event class (or one measure) compared pairwise at most


def candidate_pairs(statements: Sequence[Statement], about: Similarity) -> set[tuple[int, int]]:
    """Pairs worth comparing: similar topics, figures of one measure, dated events of one kind.

    This keeps a story of hundreds of articles from comparing every sentence with every
    other one, and drops measures that are series ("N boats on day N") rather than disputes.
    Each statement brings at most NEIGHBOURS nearest topics, and each group of statements
    (one measure, one kind of dated event, opposite states, one substance) at most MAX_CLASS
    members, so the number of pairs grows linearly with the story.
    """
    n = len(statements)
    pairs = nearest(about.pairs(NEIGHBOUR_MIN), n, min(NEIGHBOURS, n - 1))
    by_measure: dict[str, list[tuple[int, float | None]]] = defaultdict(list)
    values: dict[str, set[float]] = defaultdict(set)
    by_class: dict[str, list[int]] = defaultdict(list)
    for s in statements:
        for q in s.quantities:
            key = measure(q)
            if key:
                by_measure[key].append((s.index, q.value))
                if q.value is not None:
                    values[key].add(q.value)
        if any(d[1] in ("day", "month") for d in s.dates):
            for c in event_class(s):
                by_class[c].append(s.index)
    polar = [s.index for s in statements if any(n or p for n, p in s.polar)]
    by_substance: dict[str, list[int]] = defaultdict(list)
    for s in statements:
        for q in s.quantities:
            if q.of:
                by_substance[q.of].append(s.index)
    for s in statements:
        for q in s.quantities:
            for w in q.near:
                if w in by_substance and len(by_substance[w]) <= MAX_CLASS:
                    pairs.update((min(s.index, o), max(s.index, o)) for o in by_substance[w])
    groups = [_spread(ids) for k, ids in by_measure.items() if len(values[k]) <= MAX_VALUES]
    groups.append(polar[:MAX_CLASS])
    groups += [ids[:MAX_CLASS] for ids in by_class.values()]
    for ids in groups:
        uniq = sorted(set(ids))
        pairs.update((x, y) for n, x in enumerate(uniq) for y in uniq[n + 1 :])
    return pairs


def _spread(figures: Sequence[tuple[int, float | None]]) -> list[int]:
    """The statements giving figures of one measure, at most MAX_CLASS of them: when there
    are more, the values take turns (each value's earliest statements first), so that every
    figure given is still set against the others."""
    ids = sorted({i for i, _ in figures})
    if len(ids) <= MAX_CLASS:
        return ids
    by_value: dict[float | None, list[int]] = {}
    for i, value in sorted(figures, key=lambda f: f[0]):
        if i not in by_value.setdefault(value, []):
            by_value[value].append(i)
    chosen: dict[int, None] = {}
    queues = list(by_value.values())
    depth = 0
    while len(chosen) < MAX_CLASS and any(depth < len(q) for q in queues):
        for q in queues:
            if depth < len(q) and len(chosen) < MAX_CLASS:
                chosen.setdefault(q[depth])
        depth += 1
    return sorted(chosen)


def _event_near(s: Statement, start: int, end: int) -> set[str]:
    """Kinds of event named in the clause around a date (eight words either side)."""
    lo = max(s.text.rfind(c, 0, start) for c in ";.") + 1
    hi_candidates = [i for i in (s.text.find(c, end) for c in ";.") if i >= 0]
    hi = min(hi_candidates) if hi_candidates else len(s.text)
    left = re.findall(r"[A-Za-z-]+", s.text[lo:start])[-12:]
    right = re.findall(r"[A-Za-z-]+", s.text[end:hi])[:8]
    words = {w.lower() for w in (*left, *right)}
    return {name for name, ws in EVENT_CLASSES.items() if words & ws}


def _date_conflicts(a: Statement, b: Statement, sim: float) -> list[Draft]:
    out: list[Draft] = []
    for da in a.dates:
        for db in b.dates:
            if da[1] in ("year", "week") or db[1] in ("year", "week"):
                continue
            if REPORTED.search(a.text[: da[4]]) or REPORTED.search(b.text[: db[4]]):
                continue  # "said on Wednesday" dates the report
            ha = hours(a.text, da[4], da[5], da[2]) if da[1] == "day" else None
            hb = hours(b.text, db[4], db[5], db[2]) if db[1] == "day" else None
            same_day = compatible(da[0], da[1], db[0], db[1])
            if same_day and not (ha and hb and apart(da[0], ha, db[0], hb)):
                continue
            if not same_day and ha and hb and not apart(da[0], ha, db[0], hb):
                continue  # "late on Saturday night" / "in the early hours of Sunday"
            shared_class = _event_near(a, da[4], da[5]) & _event_near(b, db[4], db[5])
            label = sorted(shared_class)[0] if shared_class else "event"
            if same_day and ha and hb:
                # One event: the same kind named by both, or not two different kinds, and
                # one topic.
                named_a, named_b = _event_near(a, da[4], da[5]), _event_near(b, db[4], db[5])
                if (shared_class and (sim >= 0.1 or a.entities & b.entities)) or (
                    not (named_a and named_b) and sim >= SAME_TIME_TOPIC
                ):
                    out.append(
                        Draft(
                            "contradiction", "time", f"time of the {label}",
                            (a, _at(da[0], ha), span(a, da[4], da[5])),
                            (b, _at(db[0], hb), span(b, db[4], db[5])),
                        )
                    )  # fmt: skip
                continue
            side_a = (a, da[0].isoformat()[: 7 if da[1] == "month" else 10], span(a, da[4], da[5]))
            side_b = (b, db[0].isoformat()[: 7 if db[1] == "month" else 10], span(b, db[4], db[5]))
            explicit = bool(re.search(r"\d", da[2])) and bool(re.search(r"\d", db[2]))
            if shared_class and (sim >= 0.1 or a.entities & b.entities or explicit):
                out.append(Draft("contradiction", "date", f"date of the {label}", side_a, side_b))
            elif (
                shared_class
                and (da[3] is False or db[3] is False)
                and (len(a.entities & b.entities) >= 1 or a.caption or b.caption)
            ):
                out.append(
                    Draft(
                        "possible", "date", f"date of the {label}", side_a, side_b,
                        "the same kind of event, dated differently; it may be two events",
                    )
                )  # fmt: skip
    return out


def _at(day: date, span_hours: tuple[float, float]) -> str:
    """A day and the hours of it a source gives, for a reader: "2025-10-04 12:00-18:00"."""
    lo, hi = (int(h) % 24 for h in span_hours)
    return f"{day.isoformat()} {lo:02d}:00-{hi:02d}:00"


def _place_conflicts(a: Statement, b: Statement, sim: float) -> list[Draft]:
    """The same event put in different places: different kinds of building ("a hotel roof" /
    "a hospital"), or different named places (place entities) for one event."""
    kinds_a, kinds_b = set(a.kinds), set(b.kinds)
    shared = a.classes & b.classes
    if sim < SAME_EVENT and not (shared and sim >= 0.15):
        overlap = a.terms & b.terms
        if len(overlap) < 2:
            return []
        if len(overlap - {w for p in kinds_a | kinds_b for w in content_terms(p)}) < 2:
            return []
    out: list[Draft] = []
    if (
        kinds_a
        and kinds_b
        and not (kinds_a & kinds_b)
        and not any(k in b.text for k in kinds_a)
        and not any(k in a.text for k in kinds_b)
    ):
        va, vb = sorted(kinds_a)[0], sorted(kinds_b)[0]
        out.append(
            Draft(
                "contradiction",
                "place",
                "kind of place",
                (a, va, a.citation),
                (b, vb, b.citation),
            )
        )
    if (
        sim >= SAME_EVENT
        and shared
        and len(a.place_names) == 1
        and len(b.place_names) == 1
        and not (a.place_names & b.place_names)
    ):
        na, nb = sorted(a.place_names)[0], sorted(b.place_names)[0]
        if na.lower() not in b.text.lower() and nb.lower() not in a.text.lower():
            out.append(
                Draft("contradiction", "place", "place", (a, na, a.citation), (b, nb, b.citation))
            )
    return out


def _polarity_conflicts(a: Statement, b: Statement, sim: float) -> list[Draft]:
    """One source says a thing is off, the other on: "talks have broken down" / "talks
    are continuing"; the two must share their subject words."""
    if a.polar is NO_POLAR or b.polar is NO_POLAR or not a.topic & b.topic:
        return []
    if not any(n or p for n, p in a.polar) or not any(n or p for n, p in b.polar):
        return []
    for (na, pa_), (nb, pb_) in zip(a.polar, b.polar, strict=True):
        for x, y, mx, my, x_pos, y_neg in ((a, b, na, pb_, pa_, nb), (b, a, nb, pa_, pb_, na)):
            if mx and my and not x_pos and not y_neg:
                subject = _shared_subject(x, mx[0], y, my[0])
                if subject:
                    return [
                        Draft(
                            "contradiction", "negation", subject,
                            (x, mx[1], x.citation), (y, my[1], y.citation),
                        )
                    ]  # fmt: skip
    return []


def _shared_subject(x: Statement, ix: int, y: Statement, iy: int) -> str:
    """A content word both statements use near their state words ("talks", "alarm")."""
    wx = content_terms(x.text[max(0, ix - 60) : ix + 40])
    wy = set(content_terms(y.text[max(0, iy - 60) : iy + 40]))
    for w in wx:
        if w in wy and not w.isdigit():
            return w
    return ""


def _negation_conflicts(a: Statement, b: Statement, sim: float) -> list[Draft]:
    """One source states what another denies, read from opposite state words only: a bare
    "not" is too often about something else ("who asked not to be named")."""
    return _polarity_conflicts(a, b, sim)


def _merge(drafts: Sequence[Draft]) -> tuple[Conflict, ...]:
    """One conflict per (kind, slot, thing): each value a side citing every source giving it."""
    grouped: dict[tuple[str, str, str], list[Draft]] = defaultdict(list)
    for d in drafts:
        grouped[(d.kind, d.slot, d.what)].append(d)
    conflicts: list[tuple[int, int, Conflict]] = []
    order = {"contradiction": 0, "update": 1, "possible": 2}
    norm: dict[str, str] = {}
    for (kind, slot, what), items in grouped.items():
        sides: dict[str, list[tuple[Statement, Citation]]] = {}
        cited: dict[str, set[Citation]] = {}
        written: dict[str, str] = {}  # each value as its first draft writes it
        for d in items:
            for st, value, cite in (d.a, d.b):
                key = norm.get(value)
                if key is None:
                    key = norm[value] = _norm_value(value)
                written.setdefault(key, value)
                side = sides.setdefault(key, [])
                if cite not in cited.setdefault(key, set()):
                    cited[key].add(cite)
                    side.append((st, cite))
        if len(sides) < 2:
            continue
        built = []
        for value, cites in sides.items():
            st = cites[0][0]
            built.append(
                ConflictSide(
                    value=written[value],
                    text=st.text,
                    citations=tuple(c for _, c in cites),
                    published=st.published,
                )
            )
        built.sort(key=lambda s: (s.published or date.max, s.value))
        first = min(d.a[0].index for d in items)
        conflicts.append(
            (order[kind], first, Conflict("", kind, slot, what, tuple(built), items[0].note))
        )
    conflicts.sort(key=lambda c: (c[0], c[1]))
    return tuple(
        Conflict(f"C{i}", c.kind, c.slot, c.what, c.sides, c.note)
        for i, (_, _, c) in enumerate(conflicts, 1)
    )


def _norm_value(value: str) -> str:
    """Values compared as numbers where they are numbers ("Five" = "5"), else as text."""
    v = value.lower().strip()
    m = NUMBER.match(v)
    if m and m.group("num") and m.end() >= len(v.split()[0]):
        n = parse_number(m.group("num"))
        if n is not None:
            return f"{n:g}{v[m.end() :]}"
    return v
