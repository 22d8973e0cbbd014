"""The time of day next to a named day, and conflicts between two accounts of one event."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsweave.analyze.daytime import apart, hours
from newsweave.analyze.facts import compare_claims
from newsweave.analyze.temporal import find_times

FRIDAY = date(2025, 10, 10)


def _hours(text: str) -> tuple[float, float] | None:
    (t,) = [t for t in find_times(text, FRIDAY) if t.value is not None]
    return hours(text, t.start, t.end, t.text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Protesters began the blockade on Saturday afternoon.", (12.0, 18.0)),
        ("The result was declared late on Thursday night.", (21.0, 24.0)),
        ("It came down late on Sunday evening.", (20.0, 24.0)),
        ("It happened in the early hours of Thursday.", (0.0, 5.0)),
        ("The roof fell at 2.14am on Monday.", (2 + 14 / 60 - 0.5, 2 + 14 / 60 + 0.5)),
        ("The bridge reopened on Monday.", None),
    ],
)
def test_parts_of_the_day_and_clock_times(text: str, expected: tuple[float, float] | None) -> None:
    got = _hours(text)
    if expected is None:
        assert got is None
    else:
        assert got is not None and got == pytest.approx(expected, abs=0.01)


def test_a_night_runs_into_the_next_morning() -> None:
    saturday, sunday = date(2025, 10, 4), date(2025, 10, 5)
    assert not apart(saturday, (20.0, 29.0), sunday, (0.0, 5.0))
    assert apart(saturday, (21.0, 24.0), sunday, (0.0, 5.0))
    assert apart(saturday, (5.0, 12.0), saturday, (12.0, 18.0))


def test_one_event_at_two_times_of_one_day_is_a_time_conflict() -> None:
    found = compare_claims(
        "Protesters began the blockade of the bypass on Saturday afternoon.",
        "Protesters began the blockade of the bypass on Saturday morning.",
        FRIDAY,
    )
    assert [(c.kind, c.slot) for c in found] == [("contradiction", "time")]


def test_the_same_time_in_other_words_is_no_conflict() -> None:
    assert not compare_claims(
        "The fire broke out on Monday afternoon near the village.",
        "The fire broke out on Monday at 3pm near the village.",
        FRIDAY,
    )


@given(st.text(max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_no_text_makes_hours_raise(text: str, start: int, length: int) -> None:
    hours(text, min(start, len(text)), min(start + length, len(text)))
