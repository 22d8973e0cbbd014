"""Lines that recur across independent articles are boilerplate; syndicated copies are not."""

from __future__ import annotations

from newsweave.clean.repetition import remove_repeated_lines
from newsweave.ingest import IngestOptions, build_article
from newsweave.ingest.text import Metadata
from newsweave.model import Article

OPTIONS = IngestOptions(detect_language=False)
FOOTER = "Read our guide to how we report on local courts and councils"


def _article(body: str, title: str) -> Article:
    meta = Metadata(title=title)
    return build_article(body, meta, [], path=title, options=OPTIONS, languages=None)


def test_a_footer_shared_by_independent_articles_is_removed() -> None:
    a = _article(
        f"The bridge over the Lock reopened on Friday after six weeks of repairs.\n\n{FOOTER}\n",
        "a",
    )
    b = _article(
        f"A new bakery opened on Mill Street, its owner said, with queues round the corner.\n\n{FOOTER}\n",
        "b",
    )
    out = remove_repeated_lines([a, b])
    for article in out:
        assert FOOTER not in article.clean_text
        assert any(r.reason == "repeated across articles" for r in article.removed)
    assert "bridge" in out[0].clean_text and "bakery" in out[1].clean_text


def test_syndicated_copies_keep_their_shared_text() -> None:
    body = (
        "The bridge over the Lock reopened on Friday after six weeks of repairs.\n\n"
        "Engineers replaced two of the cast-iron beams, the council said in a statement.\n\n"
        "Traffic was flowing normally by the afternoon, according to the highways team.\n"
    )
    a = _article(body, "Bridge reopens")
    b = _article(body + "\nShare your views with the newsdesk today\n", "Lock bridge open again")
    out = remove_repeated_lines([a, b])
    assert [x.clean_text for x in out] == [a.clean_text, b.clean_text]


def test_a_quote_needs_three_independent_witnesses() -> None:
    quote = '"We are thrilled to have the bridge back," the mayor said on social media.'
    texts = [
        "The bridge over the Lock reopened on Friday after six weeks of repairs.",
        "A new bakery opened on Mill Street with queues round the corner all morning.",
        "The county fair drew record crowds this weekend, organisers said on Sunday.",
    ]
    two = remove_repeated_lines(
        [_article(f"{t}\n\n{quote}\n", str(i)) for i, t in enumerate(texts[:2])]
    )
    assert all(quote in a.clean_text for a in two)
    three = remove_repeated_lines(
        [_article(f"{t}\n\n{quote}\n", str(i)) for i, t in enumerate(texts)]
    )
    assert all(quote not in a.clean_text for a in three)


def test_a_trimmed_wire_copy_with_an_outlet_line_keeps_its_paragraphs() -> None:
    """A radio station republishes two of a wire story's four paragraphs between its own
    outlet line and a listen-live promo: too few shared lines for their line sets to overlap
    by half, yet most of its words are the wire's, so it is one witness, not two."""
    paragraphs = [
        "A woman was killed and a man was hurt after an explosion destroyed a house on Thursday.",
        "The blast happened at about 7.50am. Thirty homes were evacuated, the fire service said.",
        "Engineers cut off supplies to the street while they investigate a suspected gas leak.",
        "The council has opened a rest centre at the leisure centre for families who left.",
    ]
    wire = _article("\n\n".join(paragraphs) + "\n", "wire")
    radio = _article(
        "Radio Station | News\n\n"
        + "\n\n".join(paragraphs[:2])
        + "\n\nListen to us live on the app and on 105.3FM.\n",
        "radio",
    )
    out = remove_repeated_lines([wire, radio])
    assert all(paragraphs[1] in a.clean_text for a in out)
