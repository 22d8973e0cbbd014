"""Texts longer than spaCy's ``max_length`` are annotated in pieces, with offsets into the
whole text; articles in another language than the model's are not annotated."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsweave.analyze import annotate
from newsweave.analyze.annotate import Annotation, Annotator, pieces
from newsweave.clean.language import language_notes
from newsweave.model import Article

FIRST = ["Anna", "Peter", "Maria", "Tomas", "Lena", "David", "Sofia"]
LAST = ["Keller", "Novak", "Brandt", "Okafor", "Lindqvist", "Moreau", "Castillo"]
PLACES = ["Leeds", "Toronto", "Nairobi", "Lyon", "Osaka", "Denver", "Glasgow"]


def _sentences() -> Iterator[str]:
    """Generated news-like sentences, a paragraph break every few, a quotation now and then."""
    for k in itertools.count():
        who = f"{FIRST[k % 7]} {LAST[(k // 7) % 7]}"
        where = PLACES[(k // 49) % 7]
        yield f"{who} travelled to {where} on the morning of day {k} to meet the council. "
        if k % 4 == 3:
            yield f'"The road to {where} will open again soon," {who} said.\n\n'


def _text(chars: int, ending: str) -> str:
    out: list[str] = []
    size = 0
    for sentence in _sentences():
        out.append(sentence)
        size += len(sentence)
        if size >= chars:
            break
    return "".join(out) + ending


ENDING = "In the evening Zebulon Quartermain flew home to Glasgow."


def _article(text: str, language: str | None = None, aid: str = "long") -> Article:
    return Article(id=aid, original_text=text, clean_text=text, language=language)


def _check_offsets(text: str, found: Annotation) -> None:
    assert found.names
    for name in found.names:
        assert text[name.start : name.end] == name.text
    for attribution in found.attributions:
        for start, end in attribution.content:
            assert 0 <= start < end <= len(text)
        for span in (attribution.cue, attribution.source):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)
    for start, end in found.subjects:
        assert text[start:end].strip() == text[start:end] != ""


def test_pieces_cover_the_text_and_prefer_paragraph_ends() -> None:
    text = "One two three.\n\nFour five six. Seven eight nine.\n\nTen."
    cuts = pieces(text, 30)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(cuts))
    assert all(b - a <= 30 for a, b in cuts)
    assert text[: cuts[0][1]] == "One two three.\n\n"
    assert pieces("x" * 25, 10) == [(0, 10), (10, 20), (20, 25)]  # no space: hard cuts
    assert pieces("short", 10) == [(0, 5)]


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.sampled_from("ab .\n"), max_size=300), limit=st.integers(2, 40))
def test_pieces_are_consecutive_and_within_the_limit(text: str, limit: int) -> None:
    cuts = pieces(text, limit)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(cuts))
    assert all(0 < b - a <= limit for a, b in cuts) or text == ""


def test_a_text_in_pieces_keeps_offsets_into_the_whole_text(
    annotator: Annotator, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _text(6000, ENDING)
    monkeypatch.setattr(annotate, "PIECE_CHARS", 1000)
    found = Annotator(annotator.nlp, jobs=1).annotate([_article(text)])["long"]
    _check_offsets(text, found)
    last = [n for n in found.names if n.text == "Zebulon Quartermain"]
    assert last and last[0].start == text.index("Zebulon") and last[0].kind == "PER"
    assert len(found.attributions) >= 10
    quoted = {text[s:e] for a in found.attributions for s, e in a.content}
    assert any(q.startswith("The road to") for q in quoted)


@pytest.mark.slow
def test_an_article_over_max_length_is_annotated(annotator: Annotator) -> None:
    text = _text(1_200_000, ENDING)
    assert len(text) > annotator.nlp.max_length
    found = Annotator(annotator.nlp, jobs=1).annotate([_article(text)])["long"]
    _check_offsets(text, found)
    assert found.names[-2].text == "Zebulon Quartermain"
    assert found.names[-2].start == text.index("Zebulon")


def test_articles_in_another_language_are_not_annotated(annotator: Annotator) -> None:
    english = "Anna Keller travelled to Leeds on Monday. The council met her there."
    german = "Zudem reiste Anna Keller am Montag nach Leeds. Darin sah sie keinen Widerspruch."
    articles = [
        _article(english, "en-GB", "a"),
        _article(english, None, "b"),
        _article(german, "de", "c"),
    ]
    found = Annotator(annotator.nlp, jobs=1).annotate(articles)
    assert found["a"].names and found["b"].names
    assert found["c"] == Annotation("c", (), ())
    (note,) = language_notes(articles)
    assert "1 of 3" in note and "German" in note and "entity" in note
    assert language_notes(articles[:2]) == []
