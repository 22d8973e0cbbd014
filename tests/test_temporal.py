"""Temporal expressions resolved against each article's own publication date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.analyze.temporal import FIRST_YEAR, LAST_YEAR, Precision, find_times, times_of

WEDNESDAY = date(2031, 4, 9)  # a Wednesday


def _one(text: str, anchor: date | None = WEDNESDAY) -> tuple[date | None, Precision, str]:
    (t,) = find_times(text, anchor)
    assert text[t.start : t.end] == t.text
    return t.value, t.precision, t.text


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("The bridge closed yesterday.", date(2031, 4, 8), Precision.DAY),
        ("Crews stayed on site this morning.", WEDNESDAY, Precision.DAY),
        ("The council met on Monday.", date(2031, 4, 7), Precision.DAY),
        ("The council met on Wednesday.", WEDNESDAY, Precision.DAY),
        ("The council will meet on Monday.", date(2031, 4, 14), Precision.DAY),
        ("The council met last Friday.", date(2031, 4, 4), Precision.DAY),
        ("Residents wrote to the council in October.", date(2030, 10, 1), Precision.MONTH),
        ("Residents wrote to the council in March.", date(2031, 3, 1), Precision.MONTH),
        ("The lock passed an inspection last year.", date(2030, 1, 1), Precision.YEAR),
        ("A delivery arrived earlier this month.", date(2031, 4, 1), Precision.MONTH),
        ("A year ago the canal froze.", date(2030, 1, 1), Precision.YEAR),
        ("The boat sank three days ago.", date(2031, 4, 6), Precision.DAY),
        ("He was born on September 28, 2020.", date(2020, 9, 28), Precision.DAY),
        ("It reopened on 10 March.", date(2031, 3, 10), Precision.DAY),
        ("It happened in May 2029.", date(2029, 5, 1), Precision.MONTH),
        ("The trust was founded in 1988.", date(1988, 1, 1), Precision.YEAR),
    ],
)
def test_resolution(text: str, value: date, precision: Precision) -> None:
    got_value, got_precision, _ = _one(text)
    assert (got_value, got_precision) == (value, precision)


def test_undated_article_leaves_relative_expressions_unresolved() -> None:
    value, precision, text = _one("The bridge closed yesterday.", anchor=None)
    assert value is None and text == "yesterday" and precision is Precision.DAY
    assert _one("He was born on September 28, 2020.", anchor=None)[0] == date(2020, 9, 28)


def test_impossible_dates_and_plain_numbers_are_not_times() -> None:
    assert (
        find_times("The code 2031-02-31 is not a date, and 45 boats is a count.", WEDNESDAY) == []
    )


def test_several_expressions_in_order() -> None:
    times = find_times(
        "On Monday the trust said the lock, built in 1988, would reopen next month.", WEDNESDAY
    )
    assert [t.text for t in times] == ["On Monday", "in 1988", "next month"]


@pytest.mark.parametrize(
    "text",
    [
        "Farmers settled the valley 7000 years ago.",
        "The rock formed 4000000 years ago.",
        "The debt would take 10000000000000000000000 days ago to repay.",
        "The stone was cut 1" + "0" * 5000 + " years ago.",
    ],
)
def test_dates_outside_the_calendar_are_dropped_not_raised(text: str) -> None:
    assert [t for t in find_times(text, WEDNESDAY) if t.value is not None] == []


def test_an_anchor_at_the_calendars_edge_does_not_raise() -> None:
    assert find_times("It opened tomorrow, next week and next year.", date.max) == []
    assert find_times("It closed yesterday, last week and last year.", date.min) == []


def test_implausible_explicit_dates_are_dropped() -> None:
    assert find_times("The file was stamped 0001-01-01 and 9999-12-31.", WEDNESDAY) == []


# Numbers as written: any length, up to more digits than int() converts by default.
_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**30).map(str),
    st.integers(min_value=1, max_value=6000).map(lambda k: "9" * k),
)


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(max_size=40),
    n=_NUMBERS,
    unit=st.sampled_from(["day", "days", "week", "weeks", "month", "months", "year", "years"]),
    word=st.sampled_from(["ago", "before", "later", "earlier"]),
    anchor=st.one_of(st.none(), st.dates()),
)
def test_n_units_ago_never_raises(
    before: str, n: str, unit: str, word: str, anchor: date | None
) -> None:
    text = f"{before} {n} {unit} {word}, on Monday, last year, next month, in May"
    for t in find_times(text, anchor):
        assert text[t.start : t.end] == t.text
        assert t.value is None or FIRST_YEAR <= t.value.year <= LAST_YEAR


@settings(max_examples=300, deadline=None)
@given(text=st.text(), anchor=st.one_of(st.none(), st.dates()))
def test_arbitrary_text_never_raises(text: str, anchor: date | None) -> None:
    for t in find_times(text, anchor):
        assert text[t.start : t.end] == t.text


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Die Polizei teilte gestern mit, dass niemand verletzt wurde.", [("gestern", date(2031, 4, 8), Precision.DAY)]),
        ("de", "Der Gemeinderat hat am Montag den Bau beschlossen.", [("Montag", date(2031, 4, 7), Precision.DAY)]),
        ("de", "Der Vertrag läuft bis zum 30. Juni 2032, die Brücke war seit März gesperrt.", [("30. Juni 2032", date(2032, 6, 30), Precision.DAY), ("März", date(2031, 3, 1), Precision.MONTH)]),
        ("de", "Vor drei Jahren stürzte schon einmal eine Brücke ein.", [("Vor drei Jahren", date(2028, 1, 1), Precision.YEAR)]),
        ("es", "El informe fue publicado el martes por el banco.", [("martes", date(2031, 4, 8), Precision.DAY)]),
        ("fr", "La grève a commencé le 2 avril, il y a un an.", [("2 avril", date(2031, 4, 2), Precision.DAY), ("il y a un an", date(2030, 1, 1), Precision.YEAR)]),
        ("fr", "La ville a inauguré samedi un musée.", [("samedi", date(2031, 4, 5), Precision.DAY)]),
        # function words that dateparser's data also lists as weekdays ("Die", "Mit")
        ("de", "Die Feuerwehr war mit hundert Einsatzkräften vor Ort.", []),
        # lengths of time, and an abbreviation that is a word ("jeu": Thursday, or a game)
        ("de", "Er starb mit 89 Jahren, die Arbeiten dauern zwei Wochen.", []),
        ("fr", "Le jeu a duré cinq ans.", []),
        # an English-looking date in a language dateparser does not know is not read

        ("zz", "It reopened on 10 March 2030.", []),
    ],
)  # fmt: skip
def test_dates_in_other_languages(
    language: str, text: str, expected: list[tuple[str, date, Precision]]
) -> None:
    times = find_times(text, WEDNESDAY, language)
    assert [(t.text, t.value, t.precision) for t in times] == expected
    assert all(text[t.start : t.end] == t.text for t in times)


def test_dates_in_other_languages_without_an_article_date() -> None:
    text = "Der Vertrag läuft bis zum 30. Juni 2032, die Brücke war seit März gesperrt."
    got = [(t.text, t.value, t.relative) for t in find_times(text, None, "de-DE")]
    assert got == [("30. Juni 2032", date(2032, 6, 30), False), ("März", None, True)]


def test_times_of_reads_each_article_in_its_language() -> None:
    from newsweave.model import Article, Sentence

    text = "Die Brücke wurde am Montag gesperrt."
    article = Article(
        id="a", original_text=text, clean_text=text, published=WEDNESDAY, language="de"
    )
    sentence = Sentence(article_id="a", index=0, start=0, end=len(text), text=text)
    (found,) = times_of([article], {"a": [sentence]}).values()
    assert [(t.text, t.value) for t in found] == [("Montag", date(2031, 4, 7))]


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(
                ["vor", "7000", "Jahren", "am", "Montag", "30.", "Juni", "2032", "die", "mit",
                 "il", "y", "a", "un", "an", "ans", "hace", "999999", "años", "de", "marzo", ","]
            ),
            max_size=12,
        ).map(" ".join),
    ),
    language=st.sampled_from(["de", "fr", "es", "zz", "en", None]),
    anchor=st.one_of(st.none(), st.dates()),
)  # fmt: skip
def test_arbitrary_text_in_any_language_never_raises(
    text: str, language: str | None, anchor: date | None
) -> None:
    for t in find_times(text, anchor, language):
        assert text[t.start : t.end] == t.text
        assert t.value is None or FIRST_YEAR <= t.value.year <= LAST_YEAR


PRIMARY_EVE = date(2020, 2, 19)  # a Wednesday, two weeks before the 3 March primaries


@pytest.mark.parametrize(
    ("text", "anchor", "dates"),
    [
        # A day named in a name is no date.
        ("Sanders is focusing on the March 3 Super Tuesday contests.", PRIMARY_EVE,
         [date(2020, 3, 3)]),
        ("Bloomberg spent heavily ahead of Super Tuesday.", PRIMARY_EVE, []),
        ("She said on CBS This Morning that she would run.", PRIMARY_EVE, []),
        ("He told NBC's Today show he was sorry.", PRIMARY_EVE, []),
        ("The Sunday Times reported the talks.", PRIMARY_EVE, []),
        ("Shoppers queued on Good Friday.", PRIMARY_EVE, []),
        # ... but a place or a person before a weekday is not part of it.
        ("The White House Tuesday said the plan would go ahead.", PRIMARY_EVE,
         [date(2020, 2, 18)]),
        ("Officials in Tokyo Wednesday announced new rules.", PRIMARY_EVE, [PRIMARY_EVE]),
        # A headline capitalises everything: its dates stay dates.
        ("Storm Hits Coast On Tuesday Night", PRIMARY_EVE, [date(2020, 2, 18)]),
        # The weekday of the article itself is the article's day.
        ("The vote was held on Wednesday night.", PRIMARY_EVE, [PRIMARY_EVE]),
        ("Talks will resume on Wednesday night, officials said.", PRIMARY_EVE, [PRIMARY_EVE]),
        # A weekday with a day and month fixes the year.
        ("Voting opens on Tuesday, March 3.", PRIMARY_EVE, [date(2020, 3, 3)]),
        ("Pre-orders open on Friday 19 September.", date(2025, 9, 16), [date(2025, 9, 19)]),
        ("The plant opened on Friday 12 September.", date(2025, 9, 15), [date(2025, 9, 12)]),
        # No tense but the present: the nearest such day; in the past: the last one.
        ("The March 3 primaries are the big test.", PRIMARY_EVE, [date(2020, 3, 3)]),
        ("Residents wrote to the council on March 3.", PRIMARY_EVE, [date(2019, 3, 3)]),
    ],
)  # fmt: skip
def test_named_days_and_the_year_around_publication(
    text: str, anchor: date, dates: list[date]
) -> None:
    assert [t.value for t in find_times(text, anchor)] == dates
