import pytest

from newsweave.text.sentences import split_spans


def _sents(text: str) -> list[str]:
    return [text[s:e] for s, e, _, _ in split_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Ana Mol met U.S. officials on Jan. 5 at 3 p.m. in Lockton. They agreed.",
            ["Dr. Ana Mol met U.S. officials on Jan. 5 at 3 p.m. in Lockton.", "They agreed."],
        ),
        ('"Why now?" she asked. Nobody answered.', ['"Why now?" she asked.', "Nobody answered."]),
        ('He called it "final." Then he left.', ['He called it "final."', "Then he left."]),
        (
            "J. K. Brenn spoke first. The crowd cheered.",
            ["J. K. Brenn spoke first.", "The crowd cheered."],
        ),
        (
            "The river rose 2.5 metres. Roads closed.",
            ["The river rose 2.5 metres.", "Roads closed."],
        ),
        ("It moved to the U.S. The firm said so.", ["It moved to the U.S.", "The firm said so."]),
        ("Prices rose... Then they fell.", ["Prices rose...", "Then they fell."]),
    ],
)
def test_boundaries(text: str, expected: list[str]) -> None:
    assert _sents(text) == expected


def test_multi_sentence_quotation_is_tracked() -> None:
    text = 'She said: "We are ready. The boats are in. Come early." The gates open at six.'
    spans = list(split_spans(text))
    assert [text[s:e] for s, e, _, _ in spans] == [
        'She said: "We are ready.',
        "The boats are in.",
        'Come early."',
        "The gates open at six.",
    ]
    assert [q for *_, q in spans] == [False, True, True, False]


def test_headlines_and_bullets_stand_alone() -> None:
    text = "Lanterns Return to the Canal\nThe festival is back.\n\nWhat to know:\n- Boats start at six\n- Bring a torch"
    assert _sents(text) == [
        "Lanterns Return to the Canal",
        "The festival is back.",
        "What to know:",
        "- Boats start at six",
        "- Bring a torch",
    ]


def test_hard_wrapped_lines_are_joined() -> None:
    text = (
        "The festival returned to the canal on Saturday and organisers said that\n"
        "more than nine thousand people came. It ended at midnight."
    )
    assert len(_sents(text)) == 2


def test_paragraph_numbers() -> None:
    spans = list(split_spans("One. Two.\n\nThree."))
    assert [p for _, _, p, _ in spans] == [0, 0, 1]
