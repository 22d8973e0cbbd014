"""Timeline summarisation: dates ranked from what articles name, sentences that tell each day."""

from __future__ import annotations

from datetime import date

import pytest

from newsweave.analyze.tls import (
    Document,
    TimelineOptions,
    build_timeline,
    date_evidence,
    mentioned_days,
    prepare,
    rank_dates,
)

# A fictional story: a dam at Marrow Falls cracks, the valley is evacuated, the dam is
# repaired. 2031-03-03 (the crack) is named by four articles; 2031-03-05 (a minor
# inspection) by one.
CRACK = date(2031, 3, 3)
EVACUATION = date(2031, 3, 4)
INSPECTION = date(2031, 3, 5)
DOCS = (
    Document(
        "a1",
        date(2031, 3, 4),
        "Engineers found a long crack in the Marrow Falls dam yesterday.\n"
        "The valley council ordered families below the dam to leave their homes at once.\n"
        "Buses carried more than two thousand residents to the county showground.",
    ),
    Document(
        "a2",
        date(2031, 3, 6),
        "The crack in the Marrow Falls dam was found on March 3 by a routine survey team.\n"
        "An inspector from the state water board visited the site on March 5.\n"
        "Residents of the valley remain at the showground while repairs are planned.",
    ),
    Document(
        "a3",
        date(2031, 3, 10),
        "Since the Marrow Falls dam cracked on March 3, the valley has stood empty.\n"
        "Contractors poured the first concrete of the repair on Monday.\n"
        "The council says families could return home within a fortnight.",
    ),
    Document(
        "a4",
        date(2031, 3, 20),
        "Families returned to the valley on Thursday after the repaired dam passed its tests.\n"
        "The Marrow Falls dam cracked on March 3, forcing the largest evacuation in the county.\n"
        "The council thanked the volunteers who ran the showground for two weeks.",
    ),
)


def test_a_day_named_by_several_articles_outranks_a_day_named_once() -> None:
    ranked = [d for d, _ in rank_dates(prepare(DOCS))]
    assert ranked[0] == CRACK
    assert ranked.index(CRACK) < ranked.index(INSPECTION)
    evidence = date_evidence(prepare(DOCS))
    assert evidence[CRACK].mention_docs == 4
    assert evidence[CRACK].later_docs == 4
    assert evidence[INSPECTION].mention_docs == 1


def test_relative_days_resolve_against_each_articles_own_date() -> None:
    assert mentioned_days("The bridge closed yesterday.", date(2021, 3, 10)) == (date(2021, 3, 9),)
    assert mentioned_days("The bridge closed yesterday.", date(2021, 4, 2)) == (date(2021, 4, 1),)
    # 2021-03-10 was a Wednesday: "on Monday" in past tense is two days before.
    assert mentioned_days("The vote took place on Monday.", date(2021, 3, 10)) == (
        date(2021, 3, 8),
    )
    # The same words in an article a week later mean a different Monday.
    assert mentioned_days("The vote took place on Monday.", date(2021, 3, 17)) == (
        date(2021, 3, 15),
    )


def test_tense_is_judged_up_to_the_expression() -> None:
    wednesday = date(2031, 4, 9)
    said = "The mill said on Monday it will close its second shift."
    assert mentioned_days(said, wednesday) == (date(2031, 4, 7),)
    planned = "The mill will close its second shift on Monday."
    assert mentioned_days(planned, wednesday) == (date(2031, 4, 14),)


def test_last_night_and_vague_periods() -> None:
    friday = date(2031, 4, 11)
    assert mentioned_days("Fire crews left the mill last night.", friday) == (date(2031, 4, 10),)
    assert mentioned_days("The mill closed two weeks ago.", friday) == ()
    assert mentioned_days("Workers may 5 times a year ask for leave.", friday) == ()


def test_sentences_of_a_day_name_it_or_were_published_then() -> None:
    corpus = prepare(DOCS)
    by_id = {d.id: d for d in DOCS}
    timeline = build_timeline(corpus, 4, 2)
    assert timeline
    for day in timeline:
        for s in day.sentences:
            doc = by_id[s.doc_id]
            assert doc.text[s.start : s.end] == s.text
            named = mentioned_days(s.text, doc.published)
            lead_for_day = not named and 0 <= (doc.published - day.date).days <= 1
            assert day.date in named or lead_for_day, (day.date, s.text)


def test_output_is_in_date_order_and_respects_the_sizes() -> None:
    for n_dates, n_sentences in ((1, 1), (2, 1), (3, 2), (50, 3)):
        timeline = build_timeline(DOCS, n_dates, n_sentences)
        dates = [day.date for day in timeline]
        assert dates == sorted(dates)
        assert len(set(dates)) == len(dates)
        assert 1 <= len(timeline) <= n_dates
        assert all(1 <= len(day.sentences) <= n_sentences for day in timeline)
    assert build_timeline(DOCS, 1, 1)[0].date == CRACK


def test_no_sentence_is_told_twice() -> None:
    copy = Document("a1-copy", DOCS[0].published, DOCS[0].text)
    timeline = build_timeline((*DOCS, copy), 10, 3)
    texts = [s.text for day in timeline for s in day.sentences]
    assert len(texts) == len(set(texts))


def test_span_limits_articles_and_days() -> None:
    corpus = prepare(DOCS)
    timeline = build_timeline(corpus, 10, 2, start=date(2031, 3, 4), end=date(2031, 3, 6))
    assert timeline
    for day in timeline:
        assert date(2031, 3, 4) <= day.date <= date(2031, 3, 6)
        assert all(s.doc_id in {"a1", "a2"} for s in day.sentences)
    assert CRACK not in {day.date for day in timeline}


def test_dates_do_not_depend_on_document_order() -> None:
    forward = [day.date for day in build_timeline(DOCS, 3, 1)]
    backward = [day.date for day in build_timeline(DOCS[::-1], 3, 1)]
    assert forward == backward


def test_callers_ranking_replaces_the_default() -> None:
    timeline = build_timeline(DOCS, 1, 1, ranking=[(EVACUATION, 1.0), (CRACK, 0.5)])
    assert [day.date for day in timeline] == [EVACUATION]
    # A day with nothing to tell is skipped for the next one.
    timeline = build_timeline(DOCS, 1, 1, ranking=[(date(2031, 1, 1), 9.0), (CRACK, 0.5)])
    assert [day.date for day in timeline] == [CRACK]


def test_degenerate_inputs() -> None:
    assert build_timeline([], 5, 2) == []
    assert build_timeline(DOCS, 0, 2) == []
    assert build_timeline(DOCS, 3, 0) == []
    with pytest.raises(ValueError, match="count_transform"):
        TimelineOptions(count_transform="sqrt")
    with pytest.raises(ValueError, match="pub_window"):
        TimelineOptions(pub_window=0)
