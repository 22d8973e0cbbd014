"""Facts and conflicts: each slot type, and update / contradiction / possible, on own fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_article
from newsweave.analyze.annotate import Annotator
from newsweave.analyze.facts import compare_claims
from newsweave.analyze.quantities import find_quantities, same_value
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Conflict, Story
from newsweave.pipeline import build_story


def story(annotator: Annotator, *texts: tuple[str, str | None]) -> Story:
    """A story from (text, published) pairs, one outlet each."""
    arts = [make_article(t, published=d, outlet=f"Outlet {i}") for i, (t, d) in enumerate(texts, 1)]
    return build_story(arts, annotator=annotator)


def kinds(s: Story) -> list[tuple[str, str]]:
    return [(c.kind, c.slot) for c in s.conflicts]


def values(c: Conflict) -> set[str]:
    return {side.value for side in c.sides}


# --- quantities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Twelve people were hurt.", 12, "people"),
        ("a dozen cars burned", 12, "car"),
        ("Sixty-eight passengers spent the night", 68, "passenger"),
        ("about 85,000 sets", 85_000, "set"),
        ("damage of $1.2 million", 1_200_000, "$"),
        ("shares fell 6 per cent", 6, "%"),
        ("Ana Ruiz, 34, said", 34, "age"),
        ("a 58-year-old man", 58, "age"),
        ("nine out of ten schools", 90, "%"),
        ("18 of the train's 30 wagons", 18, "wagon"),
        ("two blood transfusions", 2, "transfusion"),
    ],
)
def test_quantities_read_value_and_unit(text: str, value: float, unit: str) -> None:
    q = find_quantities(text)[0]
    assert q.value == value and q.unit == unit


def test_dates_times_multipliers_and_years_are_not_counts() -> None:
    assert find_quantities("It began on 7 October at 9 p.m. in 2024.") == []
    assert [q.unit for q in find_quantities("I tried writing this 4 times")] == ["times"]
    assert find_quantities("She won in 2:21:07.") == []


def test_rounding_bounds_and_written_precision_agree() -> None:
    def q(t: str):  # type: ignore[no-untyped-def]
        return find_quantities(t)[0]

    assert same_value(q("about 85,000 sets"), q("85,312 sets"))
    assert same_value(q("More than 100 firefighters"), q("Around 120 firefighters"))
    assert same_value(q("43 degrees"), q("43.1 degrees"))
    assert same_value(q("twelve people"), q("12 people"))
    assert not same_value(q("magnitude 6.0"), q("magnitude 6.1"))
    assert not same_value(q("14 people"), q("12 people"))


# --- numbers: contradiction, update, possible, and what is none of them ----------------------


def test_different_counts_at_the_same_time_contradict(annotator: Annotator) -> None:
    s = story(
        annotator,
        (
            "The ferry Arden ran aground off Holm Point and all 80 passengers were taken off.",
            "2025-10-08",
        ),
        (
            "Sixty-eight passengers were taken off the ferry Arden after it ran aground.",
            "2025-10-08",
        ),
    )
    (c,) = s.conflicts
    assert (c.kind, c.slot) == ("contradiction", "number")
    assert values(c) == {"80", "Sixty-eight"}
    assert all(side.citations for side in c.sides)  # both sides cited


def test_a_rising_toll_in_a_later_report_is_an_update(annotator: Annotator) -> None:
    s = story(
        annotator,
        (
            "A fire at the Orvel textile mill killed three workers on Monday, officials said.",
            "2025-03-03",
        ),
        ("The death toll from Monday's fire at the Orvel mill has risen to five.", "2025-03-04"),
    )
    (c,) = s.conflicts
    assert (c.kind, c.slot) == ("update", "number")
    assert [side.value for side in c.sides] == ["three", "five"]  # oldest first


def test_a_lower_later_count_of_the_injured_is_a_contradiction(annotator: Annotator) -> None:
    s = story(
        annotator,
        (
            "Paramedics said 14 people were treated for smoke inhalation at the Tarn Street fire.",
            "2025-03-10",
        ),
        (
            "The ambulance service said 12 people were treated for smoke inhalation after the Tarn Street fire.",
            "2025-03-11",
        ),
    )
    (c,) = s.conflicts
    assert c.kind == "contradiction" and "lower" in c.note


def test_different_measures_of_one_thing_are_possible(annotator: Annotator) -> None:
    s = story(
        annotator,
        ("Doctors gave the climber 7 pints of blood after the fall on Ben Carrow.", "2025-06-02"),
        (
            "The injured climber received two blood transfusions at Carrow General after the fall.",
            "2025-06-02",
        ),
    )
    (c,) = s.conflicts
    assert (c.kind, c.slot) == ("possible", "number")


def test_tempting_non_conflicts_are_not_reported(annotator: Annotator) -> None:
    s = story(
        annotator,
        (
            "About 85,000 toy sets are being recalled by Pell Toys. Shares in Pell fell 6% in "
            "early trading. Twelve shops stopped selling the sets. Founder Ida Pell, 61, apologised.",
            "2025-05-05",
        ),
        (
            "Pell Toys is recalling 85,312 sets. Pell shares closed down 9%. The company said 12 "
            "shops had removed them. Her son Tom Pell, 34, runs the factory.",
            "2025-05-05",
        ),
    )
    assert s.conflicts == ()


# --- dates, roles, names, places, opposite states --------------------------------------------


def test_the_same_event_on_two_dates_is_a_date_contradiction(annotator: Annotator) -> None:
    s = story(
        annotator,
        ("Drivers at Norrby Rail will strike from 20 February, their union said.", "2025-02-10"),
        (
            "Norrby Rail drivers plan to strike on 21 February over pay, the union said.",
            "2025-02-10",
        ),
    )
    assert ("contradiction", "date") in kinds(s)


def test_a_report_date_is_not_an_event_date(annotator: Annotator) -> None:
    s = story(
        annotator,
        ("The Kell bridge closed on Monday for repairs, the council said.", "2025-02-12"),
        ("The council said on Wednesday that the Kell bridge is closed for repairs.", "2025-02-12"),
    )
    assert ("contradiction", "date") not in kinds(s)


def test_roles_names_places_and_opposite_states(annotator: Annotator) -> None:
    s = story(
        annotator,
        (
            "Health Minister Rosa Lindqvist said the drug would be free. Councillor Gerd Halvard "
            "denied the bribery charges. The outbreak was traced to a cooling tower at a hotel in "
            "Marrow. Singer Ada Vell has cancelled her concert at the Oldport Arena.",
            "2025-12-09",
        ),
        (
            "Deputy health minister Rosa Lindqvist said the drug would be free. Former councillor "
            "Geir Halvard denied the bribery charges. The outbreak was traced to a cooling tower at "
            "a hospital in Marrow. Ada Vell's concert at the Oldport Arena will go ahead as planned.",
            "2025-12-10",
        ),
    )
    found = kinds(s)
    for slot in ("role", "name", "place", "negation"):
        assert ("contradiction", slot) in found, (slot, found)


def test_compare_claims_on_two_sentences() -> None:
    (c,) = compare_claims("Talks over pay have broken down.", "Talks over pay are continuing.")
    assert (c.kind, c.slot) == ("contradiction", "negation")
    assert (
        compare_claims("The dam holds 40 million litres.", "The dam holds 40 million litres.") == ()
    )


# --- facts -----------------------------------------------------------------------------------


def test_facts_count_independent_sources_and_single_source_details(annotator: Annotator) -> None:
    wire = (
        "The Hallam lighthouse will be restored with a grant from the coastal trust. Work starts "
        "in spring and will take two years. Scaffolding will cover the tower from April, and "
        "the lamp will be taken to a workshop in Grimsby for cleaning. The trust said the "
        "light had guided fishing boats into Hallam harbour since 1871. Local volunteers "
        "will run tours of the site once the work is done."
    )
    s = story(
        annotator,
        (wire, "2025-01-10"),
        (wire + " The keeper's cottage will become a museum.", "2025-01-11"),  # syndicated copy
        ("A grant from the coastal trust will pay to restore the Hallam lighthouse.", "2025-01-11"),
    )
    grant = next(f for f in s.facts if "grant" in f.text)
    assert grant.support == 2  # the copy counts once
    assert len({c.article_id for c in grant.citations}) == 3
    museum = next(f for f in s.facts if "museum" in f.text)
    assert museum.support == 1


def test_seeds_report_the_date_and_blood_disagreements(
    annotator: Annotator, seeds_dir: Path
) -> None:
    arts = [
        a
        for a in Ingestor(IngestOptions(detect_language=False)).ingest([str(seeds_dir)])
        if isinstance(a, Article)
    ]
    s = build_story(arts, annotator=annotator)
    dates = [c for c in s.conflicts if c.slot == "date"]
    assert any({v[:7] for v in values(c)} >= {"2020-10", "2020-09"} for c in dates)
    blood = [c for c in s.conflicts if c.slot == "number" and "blood" in c.what]
    assert blood
    units = " ".join(values(blood[0]))
    assert "pint" in units and "transfusion" in units
    for c in [*dates, *blood]:
        assert len({side.citations[0].article_id for side in c.sides}) >= 2  # both sides cited


def test_the_labelled_set_is_well_formed() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "conflicts" / "check_set.py")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = (ROOT / "bench" / "conflicts" / "clusters.jsonl").read_text().splitlines()
    assert len([json.loads(r) for r in rows if r]) >= 25


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            "The club was founded in 2011 in Harbourne.",
            "The club, founded in 2009, is in Harbourne.",
            ["year"],
        ),
        (
            "The race was first held in 1891.",
            "The race, first held in 1898, drew crowds.",
            ["year"],
        ),
        ("The mayor was elected in 2019.", "She moved to the city in 2017.", []),
        ("The library opened in 1906.", "The library opened in 1906 and closed in 2001.", []),
        ("In 2019 the plant made 40 cars a day.", "In 2021 the plant made 60 cars a day.", []),
    ],
)
def test_the_year_something_was_done_in_is_compared_by_what_was_done(
    a: str, b: str, expected: list[str]
) -> None:
    found = [c for c in compare_claims(a, b) if c.slot == "year" or c.kind != "possible"]
    assert [c.slot for c in found if c.slot == "year"] == expected
