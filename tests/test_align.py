"""Agreement across paraphrase and language, translations found by their sentences, and
numbers written the way each language writes them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newsweave.analyze.embed import Embedder
from newsweave.analyze.facts import analyse
from newsweave.analyze.numerals import local_digits
from newsweave.analyze.quantities import find_quantities
from newsweave.group.sources import source_groups
from newsweave.ingest import IngestOptions, build_article
from newsweave.ingest.text import Metadata
from newsweave.model import Article
from newsweave.text.sentences import segment

OPTIONS = IngestOptions(detect_language=False)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def _article(body: str, name: str, language: str = "en", day: int = 8) -> Article:
    meta = Metadata(title=name, outlet=name, published=date(2025, 10, day), language=language)
    return build_article(body, meta, [], path=name, options=OPTIONS, languages=None)


def _agreed(articles: list[Article], embedder: Embedder) -> list[set[str]]:
    """The article ids behind each fact stated by two or more sources."""
    sentences = {a.id: segment(a) for a in articles}
    facts, _ = analyse(articles, sentences, embedder=embedder)
    return [{c.article_id for c in f.citations} for f in facts if f.support >= 2]


def test_a_paraphrase_in_another_language_is_one_fact(embedder: Embedder) -> None:
    a = _article(
        "A tram left the rails in Orrin on Tuesday morning. Some 300 homes near the depot "
        "were evacuated as a precaution. The operator said services would resume on Friday.",
        "wire",
    )
    b = _article(
        "In Orrin ist am Dienstagmorgen eine Straßenbahn entgleist. Rund 300 Haushalte in der "
        "Nähe des Depots mussten vorsorglich ihre Wohnungen verlassen. Der Stadtrat will den "
        "Unfall im November untersuchen lassen.",
        "zeitung",
        "de",
    )
    agreed = _agreed([a, b], embedder)
    assert {a.id, b.id} in agreed


def test_sentences_of_one_story_saying_different_things_stay_apart(embedder: Embedder) -> None:
    a = _article(
        "The council approved the new budget on Monday evening after a long debate. "
        "Libraries in three villages will close next spring.",
        "one",
    )
    b = _article(
        "Campaigners gathered outside the town hall with placards before the meeting. "
        "The leader of the opposition called the plan a disgrace for the county.",
        "two",
    )
    assert _agreed([a, b], embedder) == []


def test_agreeing_words_with_different_figures_are_never_one_fact(embedder: Embedder) -> None:
    a = _article("Thirty homes on Maudsley Terrace were evacuated after the blast.", "one")
    b = _article("Forty homes on Maudsley Terrace were evacuated after the blast.", "two")
    assert _agreed([a, b], embedder) == []


def test_a_translation_is_found_by_its_aligned_sentences(embedder: Embedder) -> None:
    english = (
        "Battery maker Hexacell opened a cell factory in Wendelstadt on Friday. "
        "The plant will make cells for electric cars from next spring. "
        "About 1,200 people already work on the site. "
        "The company was founded as a spin-off of the technical university."
    )
    german = (
        "Der Batteriehersteller Hexacell hat am Freitag eine Zellfabrik in Wendelstadt eröffnet. "
        "Das Werk soll ab dem nächsten Frühjahr Zellen für Elektroautos fertigen. "
        "Rund 1.200 Menschen arbeiten bereits auf dem Gelände. "
        "Das Unternehmen wurde als Ausgründung der Technischen Hochschule gegründet."
    )
    own = (
        "Die Eröffnung wurde von Protesten begleitet. Anwohner fürchten mehr Lastwagenverkehr. "
        "Der Bürgermeister sprach von einem guten Tag für die Region. "
        "Die Gewerkschaft fordert einen Tarifvertrag für die Beschäftigten."
    )
    articles = [
        _article(english, "wire"),
        _article(german, "zeitung", "de"),
        _article(own, "lokal", "de"),
    ]
    with_model = source_groups(articles, encoder=embedder)
    assert with_model[articles[1].id] == with_model[articles[0].id]
    assert with_model[articles[2].id] != with_model[articles[0].id]


@pytest.mark.parametrize(
    ("text", "language", "values"),
    [
        ("Quelque 2 300 dockers ont cessé le travail.", "fr", [2300.0]),
        ("Le syndicat réclame 9 %, contre 4,5 % proposés.", "fr", [9.0, 4.5]),
        ("Das Werk hat 3.500 Stellen.", "de", [3500.0]),
        ("About 2,300 dockers walked out.", "en", [2300.0]),
        ("About 2,300 dockers walked out.", None, [2300.0]),
        # Scale words of the language, from CLDR: the figure a translation gives too.
        ("Hexacell hat 2,1 Milliarden Euro investiert.", "de", [2.1e9]),
        ("Ein Umsatz von 13,2 Mrd. Euro.", "de", [13.2e9]),
        ("Un investissement de 2,4 milliards d'euros.", "fr", [2.4e9]),
        ("Una inversión de 2.100 millones de euros.", "es", [2.1e9]),
        ("The company has invested €2.1 billion in the site.", "en", [2.1e9]),
        ("Some 1.2bn people, $3mn.", "en", [1.2e9, 3e6]),
    ],
)
def test_numbers_are_read_the_way_the_language_writes_them(
    text: str, language: str | None, values: list[float]
) -> None:
    found = find_quantities(text, language)
    assert [q.value for q in found] == values
    assert all(text[q.start : q.end] == q.text for q in found)


@given(
    st.text(alphabet="0123456789 .,%\u00a0\u202fab", max_size=40),
    st.sampled_from(["fr", "de", "es", "en", "xx"]),
)
def test_local_digits_keeps_every_offset(text: str, language: str) -> None:
    out = local_digits(text, language)
    assert len(out) == len(text)
    assert [i for i, ch in enumerate(out) if ch.isalpha()] == [
        i for i, ch in enumerate(text) if ch.isalpha()
    ]


@given(
    st.lists(
        st.sampled_from(
            [
                "2,1",
                "350",
                " ",
                "Milliarden",
                "Mrd.",
                "Mio.",
                "milliards",
                "Md",
                "mil millones",
                "millones",
                "miliardi",
                "Tausend",
                "Euro",
                "x",
            ]
        ),
        max_size=12,
    ),
    st.sampled_from(["fr", "de", "es", "it", "en", "xx"]),
)
@example(["2,1", " ", "Milliarden", " ", "Euro"], "de")
@example(["3", " ", "mil millones"], "es")
def test_scale_words_are_rewritten_in_place(parts: list[str], language: str) -> None:
    text = "".join(parts)
    out = local_digits(text, language)
    assert len(out) == len(text)
    assert [i for i, ch in enumerate(out) if ch.isdigit()] == [
        i for i, ch in enumerate(text) if ch.isdigit()
    ]
    for q in find_quantities(text, language):
        assert text[q.start : q.end] == q.text


def _conflicts(articles: list[Article], embedder: Embedder) -> list[tuple[str, set[str]]]:
    """Each conflict's slot and the values its sides give."""
    sentences = {a.id: segment(a) for a in articles}
    _, conflicts = analyse(articles, sentences, embedder=embedder)
    return [(c.slot, {side.value for side in c.sides}) for c in conflicts]


def test_a_figure_given_differently_in_another_language_is_a_conflict(
    embedder: Embedder,
) -> None:
    a = _article(
        "Valdren said on Thursday it would cut about 1,800 jobs worldwide by the end of 2026, "
        "mostly in administration. The company makes brakes and steering parts.",
        "wire",
    )
    b = _article(
        "Bis Ende 2026 sollen weltweit rund 2.400 Stellen bei Valdren wegfallen, vor allem in "
        "der Verwaltung. Das Unternehmen stellt Bremsen und Lenkungsteile her.",
        "zeitung",
        "de",
    )
    found = _conflicts([a, b], embedder)
    assert any(values >= {"1,800", "2.400"} for _, values in found), found


def test_the_same_figure_or_a_figure_of_another_day_is_no_conflict(embedder: Embedder) -> None:
    a = _article(
        "Drovenia on Wednesday ordered five Halsmark diplomats to leave the country within 72 "
        "hours. The ministry accused them of spying.",
        "wire",
    )
    same = _article(
        "Drowenien hat am Mittwoch fünf Diplomaten aus Halsmark ausgewiesen. Sie müssen das Land "
        "binnen 72 Stunden verlassen.",
        "zeitung",
        "de",
    )
    assert _conflicts([a, same], embedder) == []
