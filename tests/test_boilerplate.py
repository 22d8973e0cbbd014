"""Boilerplate rules, on lines written for these tests."""

import pytest

from newsweave.clean.boilerplate import find_boilerplate, is_photo_source, line_reason, split_lines


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("5 min read", "read-time badge"),
        ("·3-min read", "read-time badge"),
        ("Share this article", "share prompt"),
        ("Facebook Twitter Email", "share prompt"),
        ("Sign up to our evening newsletter for the best of the week.", "newsletter prompt"),
        ("The Weekly Lantern is out now and you can subscribe here.", "newsletter prompt"),
        ("Like this article? Get more delivered straight to your inbox.", "newsletter prompt"),
        ("Follow us on Instagram for more.", "follow-us prompt"),
        ("© 2031 Lantern Media Ltd. All rights reserved.", "copyright notice"),
        ("Photo credit: Ana Mol - Vista Images", "photo credit"),
        ("A heron on the weir at dawn. Picture: Ana Mol / Vista", "caption with photo credit"),
        ("Read more: Council votes on the new bridge", "related link"),
        ("Spotted a mistake? Tell our newsdesk.", "feedback prompt"),
    ],
)
def test_boilerplate_lines(line: str, reason: str) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Users can subscribe for $5 a month, the company said.",
        "The mayor said the newsletter had been sent to every household last spring, a claim "
        "the opposition disputes.",
        'She wrote: "I have never felt so supported in my life."',
        "Police said the photo was taken on Tuesday near the harbour.",
        "Share prices fell 4% in early trading.",
    ],
)
def test_body_lines_are_kept(line: str) -> None:
    assert line_reason(line) is None


def test_related_block_takes_its_teasers_but_stops_at_prose() -> None:
    text = (
        "The bridge reopened on Friday.\n\nYou Might Also Like\n\nTen Walks by the River\n"
        "Why Owls Hoot at Night\n"
    )
    removed = find_boilerplate(split_lines(text))
    assert [r.text for r in removed] == [
        "You Might Also Like",
        "Ten Walks by the River",
        "Why Owls Hoot at Night",
    ]
    assert all(text[r.start : r.end] == r.text for r in removed)


def test_inline_credit_in_a_body_line() -> None:
    text = "The mayor opened the bridge (Photo: Ana Mol/Vista) before a crowd of hundreds."
    (removal,) = find_boilerplate(split_lines(text))
    assert removal.reason == "photo credit"
    assert "Ana Mol" in removal.text


def test_repeated_line_in_one_article() -> None:
    text = "Scenes from the riverside\nBody sentence here.\nScenes from the riverside\n"
    reasons = [r.reason for r in find_boilerplate(split_lines(text))]
    assert reasons == ["repeated line"]


def test_photo_agencies_are_not_outlets() -> None:
    assert is_photo_source("Getty Images")
    assert is_photo_source("Instagram")
    assert not is_photo_source("Harbour Daily")


def test_a_credit_glued_to_a_long_paragraph_removes_only_the_credit() -> None:
    body = (
        "The lock gates on the Lockton canal were replaced this week after a survey found "
        "that the old oak beams had rotted through, the canal trust said on Friday, adding "
        "that boats would be able to pass again from Monday morning."
    )
    for text, credit in (
        (f"Photograph: Ana Mol/Vista {body}", "Photograph: Ana Mol/Vista "),
        (f"{body} Picture: Ana Mol", " Picture: Ana Mol"),
    ):
        (removal,) = find_boilerplate(split_lines(text))
        assert removal.text == credit
        assert removal.reason == "photo credit"


def test_a_long_paragraph_opening_with_a_credit_word_is_kept() -> None:
    text = (
        "Photograph: AP The lock gates on the Lockton canal were replaced this week after a "
        "survey found that the old oak beams had rotted through, the canal trust said."
    )
    assert find_boilerplate(split_lines(text)) == []
