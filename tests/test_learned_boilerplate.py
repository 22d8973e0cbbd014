"""The learned boilerplate-line model: promos and prompts go in any language, news stays."""

from __future__ import annotations

from datetime import date

import pytest

from newsweave.analyze.embed import Embedder
from newsweave.clean.learned import (
    REASON,
    model,
    outlet_line,
    probabilities,
    remove_learned_boilerplate,
)
from newsweave.ingest import IngestOptions, build_article
from newsweave.ingest.text import Metadata

OPTIONS = IngestOptions(detect_language=False)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_the_packaged_model_loads_with_a_weight_per_feature() -> None:
    weights, cutoff = model()
    assert weights.shape == (1 + Embedder.dimensions + 3,) and 0.5 <= cutoff < 1


def test_prompts_score_above_news_in_several_languages(embedder: Embedder) -> None:
    furniture = [
        "Suivez-nous sur Instagram et abonnez-vous à notre newsletter",
        "Folgen Sie uns auf Facebook und Twitter",
        "Listen live to Radio Calder on 105.3FM and on our app",
    ]
    news = [
        "Firefighters evacuated thirty homes after the blast on Thursday morning.",
        "Les pompiers ont évacué trente maisons après l'explosion de jeudi matin.",
        "Die Feuerwehr brachte nach der Explosion dreißig Familien in Sicherheit.",
    ]
    # Every line in the middle of a long article: the words alone must tell them apart.
    p = probabilities(furniture + news, embedder, [(5, 5)] * 6)
    assert min(p[:3]) > max(p[3:])
    assert max(p[3:]) < model()[1]


def test_removed_lines_are_reported_and_the_news_is_kept(embedder: Embedder) -> None:
    body = (
        "Firefighters evacuated thirty homes after the blast on Thursday morning.\n\n"
        "Suivez-nous sur Instagram et abonnez-vous à notre newsletter\n\n"
        "The cause of the explosion is being investigated by the gas network.\n"
    )
    meta = Metadata(title="Blast", published=date(2025, 1, 23), language="en")
    article = build_article(body, meta, [], path="a", options=OPTIONS, languages=None)
    (out,) = remove_learned_boilerplate([article], embedder)
    assert "Suivez-nous" not in out.clean_text
    assert "thirty homes" in out.clean_text and "gas network" in out.clean_text
    assert [r.text for r in out.removed if r.reason == REASON] == [
        "Suivez-nous sur Instagram et abonnez-vous à notre newsletter"
    ]


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("Radio Calder | News", "Radio Calder"),
        ("The Daily Ledger", "The Daily Ledger"),
        ("BREAKING NEWS", None),
        ("Listen live to Radio Calder on 105.3FM.", None),
        ("Follow @DailyClarion on X for breaking news", None),
    ],
)
def test_an_outlet_line_names_the_outlet(line: str, outlet: str | None) -> None:
    assert outlet_line(line) == outlet


def test_the_outlet_line_under_a_headline_becomes_the_outlet(embedder: Embedder) -> None:
    body = (
        "Radio Calder | News\n\n"
        "A tram left the rails in Orrin on Tuesday morning, injuring four passengers.\n\n"
        "The operator said services would resume on Friday after inspections of the track.\n"
    )
    meta = Metadata(title="Tram derails in Orrin", language="en")
    article = build_article(body, meta, [], path="a", options=OPTIONS, languages=None)
    assert article.outlet is None
    (out,) = remove_learned_boilerplate([article], embedder)
    assert out.outlet == "Radio Calder"
    assert "Radio Calder" not in out.clean_text
