"""What an article's language means for the analysis: codes, notes, function words."""

from __future__ import annotations

import pytest

from newsweave.clean.language import (
    closest_language,
    function_words,
    in_model_language,
    language_code,
    language_notes,
)
from newsweave.model import Article


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-US", "en"),
        ("de_DE", "de"),
        ("FR", "fr"),
        ("deu", "de"),
        ("eng", "en"),
        ("", None),
        (None, None),
        ("English", None),
        ("und", None),
        ("zxx", None),
    ],
)
def test_language_code(tag: str | None, code: str | None) -> None:
    assert language_code(tag) == code


def _article(aid: str, language: str | None) -> Article:
    return Article(id=aid, original_text="x", clean_text="x", path=f"{aid}.txt", language=language)


def test_only_articles_known_to_be_in_another_language_miss_the_model() -> None:
    assert in_model_language(_article("a", "en-GB"))
    assert in_model_language(_article("b", None))  # undetected: analysed as before
    assert not in_model_language(_article("c", "de"))
    assert in_model_language(_article("c", "de"), "xx")  # a multilingual model


def test_language_notes_say_which_articles_got_no_analysis_and_why() -> None:
    articles = [_article("a", "en"), _article("b", "de"), _article("c", "de"), _article("d", "fr")]
    (note,) = language_notes(articles)
    assert note.startswith("3 of 4 articles are not in English")
    assert "German (2)" in note and "French (1)" in note
    assert "b.txt, c.txt, d.txt" in note and "no entity or quote analysis" in note
    assert language_notes(articles[:1]) == []
    assert language_notes([]) == []


def test_function_words_come_from_spacy_and_word_frequencies() -> None:
    german = function_words("de")
    assert {"der", "die", "und", "sie", "eine", "werden", "darin"} <= german
    assert not {"feuerwehr", "brücke", "limburg"} & german
    assert {"de", "la", "les"} <= function_words("fr")
    assert function_words("sw") == frozenset()  # neither spaCy nor wordfreq knows it


def test_closest_language_stands_in_only_for_a_close_one() -> None:
    assert closest_language("de", ["de", "en"]) == "de"
    assert closest_language("hr", ["sh", "en"]) == "sh"  # Serbo-Croatian for Croatian
    assert closest_language("la", ["it", "en"]) is None  # not Italian for Latin
    assert closest_language("not a code", ["en"]) is None
