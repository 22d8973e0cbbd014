"""Entities, quotes and the timeline of a story, on small articles written for these tests."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from conftest import EXAMPLES
from newsweave.analyze.annotate import Annotator
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Story
from newsweave.pipeline import build_story

INGEST = Ingestor(IngestOptions(detect_language=False, min_words=3))


def article(body: str, *, published: str | None, outlet: str) -> Article:
    """An article from plain text with header lines, the way a user would save one."""
    head = f"source: {outlet}\n" + (f"date {published}\n" if published else "")
    items = list(INGEST.ingest(["-"], stdin=io.BytesIO((head + "\n" + body).encode())))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def story_of(annotator: Annotator, *articles: Article) -> Story:
    return build_story(list(articles), annotator=annotator)


def entity(story: Story, name: str):  # type: ignore[no-untyped-def]
    found = [e for e in story.entities if e.name == name]
    assert found, [(e.name, e.variants) for e in story.entities]
    return found[0]


# --- entities --------------------------------------------------------------------------------


def test_short_forms_possessives_and_handles_join_the_full_name(annotator: Annotator) -> None:
    a = article(
        "Harbour master Idris Penwarden closed the marina on Friday after the storm.\n\n"
        "Penwarden's office said repairs would take a month. In a post on X, @idris_penwarden "
        "thanked the volunteers who helped overnight.",
        published="2025-02-14",
        outlet="Tidewater Post",
    )
    story = story_of(annotator, a)
    idris = entity(story, "Idris Penwarden")
    assert idris.kind == "PER"
    assert "@idris_penwarden" in idris.variants
    assert "Penwarden" in idris.variants  # "Penwarden's" with the possessive dropped
    texts = {a.clean_text[m.start : m.end] for m in idris.mentions}
    assert texts == {"Idris Penwarden", "Penwarden", "@idris_penwarden"}


def test_a_misspelling_merges_when_the_context_agrees(annotator: Annotator) -> None:
    a = article(
        "Coach Marta Ellingsworth named her squad for the cup final on Monday. Ellingsworth "
        "picked three new players for the final against Dunmore.",
        published="2025-05-05",
        outlet="Valley Sport",
    )
    b = article(
        "Coach Marta Ellingswroth named a squad with three new players for the cup final "
        "against Dunmore on Monday.",
        published="2025-05-05",
        outlet="County Echo",
    )
    c = article(
        "Three new players are in the squad Marta Ellingsworth named on Monday for the cup "
        "final against Dunmore.",
        published="2025-05-06",
        outlet="Cup Daily",
    )
    story = story_of(annotator, a, b, c)
    marta = entity(story, "Marta Ellingsworth")  # the spelling most sources use
    assert "Marta Ellingswroth" in marta.variants
    assert {m.article_id for m in marta.mentions} == {a.id, b.id, c.id}


def test_two_people_sharing_a_surname_stay_apart(annotator: Annotator) -> None:
    a = article(
        "Anna Calloway won the seat for the Green Party on Thursday. Her brother, Peter "
        "Calloway, lost his own race in the next ward by 40 votes. Calloway said he would "
        "ask for a recount.",
        published="2025-06-06",
        outlet="Ward Herald",
    )
    story = story_of(annotator, a)
    anna = entity(story, "Anna Calloway")
    peter = entity(story, "Peter Calloway")
    assert anna.id != peter.id
    # "Calloway said he would ask for a recount" comes after Peter: it is his.
    sentence = next(s for s in story.sentences[a.id] if "recount" in s.text)
    assert any(m.sentence == sentence.index for m in peter.mentions)
    assert not any(m.sentence == sentence.index for m in anna.mentions)


# --- quotes ----------------------------------------------------------------------------------


def test_split_quote_is_one_quote_with_its_speaker(annotator: Annotator) -> None:
    a = article(
        'Firefighter Lowen Trask led the crew on the roof. "We got there just in time," he '
        'said. "Another ten minutes and the whole row would have gone."',
        published="2025-01-08",
        outlet="Quay Times",
    )
    story = story_of(annotator, a)
    direct = [q for q in story.quotes if q.kind == "direct"]
    assert len(direct) == 1
    q = direct[0]
    assert q.text == (
        "We got there just in time … Another ten minutes and the whole row would have gone."
    )
    assert q.speaker == entity(story, "Lowen Trask").id
    assert q.cue == "say"
    assert len(q.citations) == 2  # both halves cited


def test_colon_and_told_introduce_a_multi_sentence_quote(annotator: Annotator) -> None:
    a = article(
        'Mayor Ottilie Brandt told reporters at the town hall: "The bridge will reopen in '
        'June. Nobody will pay a toll."',
        published="2025-03-03",
        outlet="Town Crier",
    )
    story = story_of(annotator, a)
    (q,) = [q for q in story.quotes if q.kind == "direct"]
    assert q.text == "The bridge will reopen in June. Nobody will pay a toll."
    assert q.cue == "tell"
    assert q.speaker == entity(story, "Ottilie Brandt").id


def test_the_same_quote_in_two_outlets_is_one_quote_citing_both(annotator: Annotator) -> None:
    a = article(
        'Head teacher Rhiannon Vey said the school would stay shut. "The safety of the children '
        'comes before everything else, and we will not reopen until the roof is fixed," she said.',
        published="2025-09-09",
        outlet="Schools Weekly",
    )
    b = article(
        '"The safety of the children comes first, and we will not reopen until the roof is '
        'fixed," head teacher Rhiannon Vey told parents in a letter on Tuesday.',
        published="2025-09-10",
        outlet="Borough News",
    )
    story = story_of(annotator, a, b)
    direct = [q for q in story.quotes if q.kind == "direct"]
    assert len(direct) == 1, [q.text for q in direct]
    q = direct[0]
    assert {c.article_id for c in q.citations} == {a.id, b.id}
    assert len(q.variants) == 2  # the wordings differ, and both are kept
    assert q.speaker == entity(story, "Rhiannon Vey").id


def test_a_pronoun_speaker_is_the_person_quoted_just_before(annotator: Annotator) -> None:
    a = article(
        "Joram Ketter-Obi won the men's race in a course record on Sunday.\n\n"
        "A runner collapsed near the 20-mile marker and was taken to hospital. The race "
        'director, Ms Connie Halloway, said the man was recovering. "He was talking to us in '
        'the ambulance," she said.',
        published="2025-04-07",
        outlet="Kessport Weekly",
    )
    story = story_of(annotator, a)
    (q,) = [q for q in story.quotes if q.kind == "direct"]
    assert q.speaker_text == "she"
    assert q.speaker == entity(story, "Connie Halloway").id


def test_a_quotation_the_parse_leaves_unattributed_keeps_the_name_before_its_colon(
    annotator: Annotator,
) -> None:
    a = article(
        "Walker Colin Brackley was found alive on Hindscar Pike on Sunday.\n\n"
        'His wife Sandra Brackley, 61, sobbed: "I never gave up hope. When the phone rang I '
        'just screamed."',
        published="2025-10-13",
        outlet="Fell Gazette",
    )
    story = story_of(annotator, a)
    (q,) = [q for q in story.quotes if q.kind == "direct"]
    assert q.text.startswith("I never gave up hope")
    assert q.speaker == entity(story, "Sandra Brackley").id


def test_quotes_with_different_numbers_are_not_merged(annotator: Annotator) -> None:
    a = article(
        "Paramedics said 14 people were treated for smoke inhalation at the scene.",
        published="2025-04-01",
        outlet="One",
    )
    b = article(
        "Paramedics said 12 people were treated for smoke inhalation at the scene.",
        published="2025-04-01",
        outlet="Two",
    )
    story = story_of(annotator, a, b)
    reported = [q for q in story.quotes if "smoke inhalation" in q.text]
    assert len(reported) == 2


def test_scare_quotes_are_not_direct_quotes(annotator: Annotator) -> None:
    a = article(
        'The council called the plan a "temporary measure" when it met on Monday night, and '
        "the vote was close.",
        published="2025-04-01",
        outlet="One",
    )
    story = story_of(annotator, a)
    assert not [q for q in story.quotes if q.kind == "direct"]


def test_according_to_is_reported_speech(annotator: Annotator) -> None:
    a = article(
        "According to the Harbour Trust, the sea wall was last repaired in 1998.",
        published="2025-04-01",
        outlet="One",
    )
    story = story_of(annotator, a)
    (q,) = story.quotes
    assert q.kind == "indirect"
    assert q.cue == "according to"
    assert q.speaker_text == "the Harbour Trust"
    assert "sea wall was last repaired" in q.text


# --- timeline --------------------------------------------------------------------------------


def test_relative_dates_resolve_against_each_articles_own_date(annotator: Annotator) -> None:
    # 2025-10-08 is a Wednesday; 2025-10-09 a Thursday.
    wed = article(
        "The ferry Merrin ran aground off Gull Point yesterday, and all 80 passengers were taken "
        "off safely by lifeboat crews.",
        published="2025-10-08",
        outlet="Coast Wire",
    )
    thu = article(
        "All 80 passengers were taken off safely after the ferry Merrin ran aground off Gull "
        "Point on Tuesday. Inspectors said the ferry had passed a safety check in October.",
        published="2025-10-09",
        outlet="Island Post",
    )
    story = story_of(annotator, wed, thu)
    grounding = [t for t in story.timeline if "aground" in t.text]
    assert len(grounding) == 1  # one event, two sources
    entry = grounding[0]
    assert entry.date == date(2025, 10, 7) and entry.precision == "day"
    assert {c.citation.article_id for c in entry.claims} == {wed.id, thu.id}
    assert {c.expression for c in entry.claims} == {"yesterday", "on Tuesday"}
    check = [t for t in story.timeline if "safety check" in t.text]
    assert check and check[0].precision == "month" and check[0].label == "2025-10"
    assert [t.date for t in story.timeline] == sorted(t.date for t in story.timeline)


def test_an_event_dated_differently_is_flagged(annotator: Annotator) -> None:
    a = article(
        "The Kestrel Mill bakery closed its doors for the last time on 3 May after 90 years "
        "of trading in the village.",
        published="2025-05-20",
        outlet="Village Voice",
    )
    b = article(
        "The Kestrel Mill bakery closed its doors for the last time on 5 May after 90 years "
        "of trading in the village.",
        published="2025-05-21",
        outlet="Mill Gazette",
    )
    story = story_of(annotator, a, b)
    closing = [t for t in story.timeline if "closed its doors" in t.text]
    assert len(closing) == 2
    assert all(t.disputed for t in closing)
    assert {d.value for t in closing for d in t.disputed} == {date(2025, 5, 3), date(2025, 5, 5)}


def test_undated_article_leaves_relative_dates_unresolved_and_says_so(
    annotator: Annotator,
) -> None:
    a = article(
        "The library reopened yesterday after a flood closed it in the spring of that year.",
        published=None,
        outlet="No Date News",
    )
    story = story_of(annotator, a)
    assert not story.timeline
    assert any("no publication date" in n for n in story.notes)


# --- the bundled example and the seeds -------------------------------------------------------


def test_example_cluster_entities_and_quotes(annotator: Annotator, ingestor: Ingestor) -> None:
    articles = [a for a in ingestor.ingest([str(EXAMPLES)]) if isinstance(a, Article)]
    story = story_of(annotator, *articles)
    chief = entity(story, "Nadia Kettleborne")
    assert "Nadia Kettlebrone" in chief.variants or "Kettlebrone" in chief.variants
    assert "@rufus_tremayle" in entity(story, "Rufus Tremayle").variants
    shared = [q for q in story.quotes if "never going to be a quick job" in q.text]
    assert len(shared) == 1
    assert len({c.article_id for c in shared[0].citations}) == 4
    assert shared[0].speaker == chief.id
    assert len(shared[0].variants) == 2  # "stopped it reaching" / "kept it from reaching"
    split = [q for q in story.quotes if q.text.startswith("We will be here through the night")]
    assert split and split[0].speaker == chief.id and len(split[0].citations) == 2
    october = [t for t in story.timeline if "in October" in {c.expression for c in t.claims}]
    assert october and october[0].label == "2025-10"


def test_seeds_merge_the_first_name_and_handles(annotator: Annotator, seeds_dir: Path) -> None:
    articles = [
        a
        for a in Ingestor(IngestOptions(detect_language=False)).ingest([str(seeds_dir)])
        if isinstance(a, Article)
    ]
    story = story_of(annotator, *articles)
    people = [e for e in story.entities if e.kind == "PER"]
    top = people[:4]
    # The couple and the friend who donated blood, each once, with their handles merged.
    handles = {v for e in top for v in e.variants if v.startswith("@")}
    assert len(handles) >= 3
    assert len({e.name for e in top}) == len(top)
    assert all(e.sources >= 2 for e in top[:3])
    # Every quote in the seeds has a speaker.
    assert all(q.speaker for q in story.quotes if q.kind == "direct")


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_report_sections_render(annotator: Annotator, fmt: str) -> None:
    from newsweave.model import Report
    from newsweave.render import render

    a = article(
        '"We will rebuild the pier by summer," Mayor Oona Petherick said on Monday.',
        published="2025-02-12",
        outlet="Pier Post",
    )
    out = render(Report((story_of(annotator, a),), ()), fmt)
    assert "Oona Petherick" in out
    assert "2025-02-10" in out
    if fmt != "json":
        assert "Timeline" in out and "Quotes" in out


# --- parallel parsing ------------------------------------------------------------------------


def test_worker_processes_annotate_exactly_as_one_process(
    annotator: Annotator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave.analyze import annotate

    articles = [a for a in INGEST.ingest([str(EXAMPLES)]) if isinstance(a, Article)]
    assert len(articles) >= 4
    serial = Annotator(annotator.nlp, jobs=1).annotate(articles)
    monkeypatch.setattr(annotate, "PARALLEL_CHARS", 0)  # the examples are small: fork anyway
    with Annotator(annotator.nlp, jobs=2) as workers:
        parallel = workers.annotate(articles)
        pool = workers._pool
        assert pool is not None
        again = workers.annotate(list(reversed(articles)))
        assert workers._pool is pool  # the same workers serve the next batch
    assert workers._pool is None  # and stop with the annotator
    assert list(parallel) == [a.id for a in articles]
    assert parallel == serial and again == serial
    assert any(a.names for a in parallel.values()) and any(
        a.attributions for a in parallel.values()
    )


def test_without_worker_processes_annotation_runs_in_this_one(
    annotator: Annotator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave.analyze import annotate

    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    articles = [a for a in INGEST.ingest([str(EXAMPLES)]) if isinstance(a, Article)]
    monkeypatch.setattr(annotate, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(annotate, "ProcessPoolExecutor", no_processes)
    assert Annotator(annotator.nlp, jobs=2).annotate(articles) == Annotator(
        annotator.nlp, jobs=1
    ).annotate(articles)


def test_names_are_compared_without_their_accents() -> None:
    from rapidfuzz.distance import DamerauLevenshtein

    from newsweave.analyze.entities import normalise

    assert normalise("Hélène Dufresnay", "PER")[0] == normalise("Helene Dufresnay", "PER")[0]
    assert normalise("Dr Sunniva Håland", "PER")[0] == "sunniva haland"
    umlaut, spelt = normalise("Oberländer", "PER")[0], normalise("Oberlaender", "PER")[0]
    assert DamerauLevenshtein.distance(umlaut, spelt) == 1  # a misspelling apart


def test_a_form_of_address_is_not_a_role_that_clashes() -> None:
    from newsweave.analyze.roles import _honorific

    assert all(_honorific(w) for w in ("Dr", "Dr.", "Prof.", "Mrs", "Sen."))
    assert not any(_honorific(w) for w in ("Judge", "mayor", "director", "dr"))
