"""Quotations in languages the parser does not read, attributed by punctuation and case."""

from __future__ import annotations

import pytest

from newsweave.analyze.quoted import marked_quotations


def _said(text: str) -> list[tuple[str, str | None]]:
    """Each quotation's first words and its speaker as written."""
    out = []
    for a in marked_quotations(text):
        s, e = a.content[0]
        speaker = text[a.source[0] : a.source[1]] if a.source else None
        out.append((" ".join(text[s:e].split()[:3]), speaker))
    return out


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '"Wir haben die Produktion sofort gestoppt", sagte Geschäftsführer Anton Brennholt. '
            '"Die Sicherheit unserer Kunden geht vor."',
            [("Wir haben die", "Geschäftsführer Anton Brennholt"),
             ("Die Sicherheit unserer", "Geschäftsführer Anton Brennholt")],
        ),
        (
            "« Nous allons étudier l'offre avec attention », a déclaré la présidente de Morvan, "
            "Hélène Dufresnay.",
            [("Nous allons étudier", "Hélène Dufresnay")],
        ),
        (
            '"Morvan es la pieza que nos faltaba", afirmó el consejero delegado de Castellane, '
            "Rafael Montijo, quien prevé ahorros.",
            [("Morvan es la", "Rafael Montijo")],
        ),
        (
            '"Das dritte Quartal war schwieriger als geplant", sagte Vorstandschefin Dr. Margit '
            "Oberländer in einer Telefonkonferenz.",
            [("Das dritte Quartal", "Vorstandschefin Dr. Margit Oberländer")],
        ),
        (
            'Der Minister Rustam Kaleb sagte: „Die Priorität sind jetzt die Überlebenden."',
            [("Die Priorität sind", "Der Minister Rustam Kaleb")],
        ),
        # A pronoun is no name: the cue stays, the speaker is left to the person named before.
        ('"Ich habe schon an meinen Heimflug gedacht", sagte sie.', [("Ich habe schon", None)]),
        # Too short to be a quotation; a new sentence after the quotation is no attribution.
        ('Er nannte es "ein Desaster". Die Polizei ermittelt.', []),
        ('"Wir bleiben hier bis morgen." Die Polizei ermittelt.', [("Wir bleiben hier", None)]),
    ],
)  # fmt: skip
def test_quotations_and_their_speakers_in_other_languages(
    text: str, said: list[tuple[str, str | None]]
) -> None:
    assert _said(text) == said


def test_a_quotation_standing_alone_takes_the_one_name_of_the_next_sentence() -> None:
    text = (
        'Nineteen injuries were reported. "We should have caught this sooner." Those were the '
        "words of Oliver Grange, the managing director.\n\n"
        '"It was a long night for everyone."\n\nCrews from Leeds and York attended.'
    )
    found = marked_quotations(text, names_by_case=True)
    speakers = [text[a.source[0] : a.source[1]] if a.source else None for a in found]
    assert speakers == ["Oliver Grange", None]  # the second ends its paragraph
    # German capitalises every noun: there, the next sentence is not read for a name.
    assert (
        marked_quotations('"Wir bleiben hier bis morgen." Die Polizei ermittelt.')[0].source is None
    )
