"""Near-duplicates and story grouping: planted copies, similar events kept apart, order."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from newsweave.group.duplicates import find_duplicates
from newsweave.group.stories import Features, GroupOptions, cluster, group, group_articles
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article

QUAKES = Path(__file__).parent / "fixtures" / "two-quakes"
INGESTOR = Ingestor(IngestOptions(detect_language=False))


def _read(*folders: Path) -> list[Article]:
    return [a for a in INGESTOR.ingest([str(f) for f in folders]) if isinstance(a, Article)]


ARTICLES = _read(QUAKES, EXAMPLES)


def _variant(article: Article, k: int) -> Article:
    """A rewritten wire copy: new headline, trimmed ending, added promo, later date."""
    lines = article.clean_text.split("\n")
    body = "\n".join(lines[: len(lines) - k % 2])
    body = body.replace(" said ", " told reporters ", k) + f"\nRead {k} more stories like this."
    return dataclasses.replace(
        article,
        id=hashlib.sha256(body.encode()).hexdigest()[:16],
        title=f"Copy {k}: {article.title}",
        clean_text=body,
        published=(article.published or date(2031, 1, 1)) + timedelta(days=k),
    )


def test_planted_near_duplicates_are_found_with_their_original() -> None:
    original = max(ARTICLES, key=lambda a: len(a.clean_text))
    copies = [_variant(original, k) for k in (1, 2)]
    found = {d.article_id: d for d in find_duplicates([*copies, *ARTICLES])}
    for copy in copies:
        assert found[copy.id].original_id == original.id
        assert not found[copy.id].exact and 0.5 < found[copy.id].similarity < 1.0
    # different articles about the same event are not copies of each other
    quake_ids = {a.id for a in ARTICLES if "Valmora" in a.clean_text}
    assert len(quake_ids - set(found)) == 3


def test_an_exact_copy_with_another_headline_and_a_promo_line() -> None:
    found = find_duplicates(ARTICLES)
    exact = [d for d in found if d.exact]
    by_id = {a.id: a for a in ARTICLES}
    assert any(
        by_id[d.article_id].outlet == "Daily Record"
        and by_id[d.original_id].outlet == "Valmora Herald"
        for d in exact
    ), [(by_id[d.article_id].outlet, by_id[d.original_id].outlet) for d in found]


def test_two_similar_events_stay_apart_and_each_event_stays_together() -> None:
    groups = group(ARTICLES)
    by_id = {a.id: a for a in ARTICLES}
    outlets = [sorted(by_id[i].outlet or "" for i in g.article_ids) for g in groups]
    valmora = next(o for o in outlets if "Valmora Herald" in o)
    tarrow = next(o for o in outlets if "Coast Courier" in o)
    assert valmora == sorted(["Valmora Herald", "Northern Post", "Valley Wire", "Daily Record"]), (
        outlets
    )
    assert tarrow == ["Coast Courier", "Lisk Evening News"], outlets
    assert len(groups) == 3  # the two quakes and the Port Alder fire
    quake = next(g for g in groups if "Valmora Herald" in [by_id[i].outlet for i in g.article_ids])
    assert {"Brennick", "Varrow"} <= set(quake.shared_names)
    assert quake.first == date(2031, 3, 4) and quake.last == date(2031, 3, 5)
    assert len(quake.duplicates) == 1


def test_by_topic_the_two_quakes_are_one_group_and_the_fire_another() -> None:
    by_id = {a.id: a for a in ARTICLES}
    groups = group(ARTICLES, GroupOptions.by_topic())
    outlets = sorted(sorted(by_id[i].outlet or "" for i in g.article_ids) for g in groups)
    fire = sorted(a.outlet or "" for a in ARTICLES if a.source.startswith(str(EXAMPLES)))
    quakes = sorted(a.outlet or "" for a in ARTICLES if a.source.startswith(str(QUAKES)))
    assert outlets == sorted([fire, quakes])


@settings(max_examples=15, deadline=None)
@given(st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_input_order(rnd: random.Random) -> None:
    articles = list(ARTICLES)
    expected = {frozenset(g) for g in group_articles(articles)}
    rnd.shuffle(articles)
    assert {frozenset(g) for g in group_articles(articles)} == expected


@pytest.mark.parametrize("n", [0, 1])
def test_no_or_one_article(n: int) -> None:
    groups = group_articles(ARTICLES[:n])
    assert groups == ([(ARTICLES[0].id,)] if n else [])


def _stored_stories(db: Path) -> set[frozenset[str]]:
    from newsweave.store import Store

    with Store(db) as store:
        return {frozenset(s["articles"]) for s in store.stories()}


def test_incremental_add_gives_the_same_stories_as_one_batch(tmp_path: Path) -> None:
    from newsweave.cli import main

    files = sorted([*QUAKES.iterdir(), *EXAMPLES.iterdir()])
    batch, steps = tmp_path / "batch.db", tmp_path / "steps.db"
    assert main(["add", *map(str, files), "--db", str(batch), "--quiet"]) == 0
    for chunk in (files[5:], files[:2], files[2:5]):  # out of order, in three runs
        assert main(["add", *map(str, chunk), "--db", str(steps), "--quiet"]) == 0
    assert main(["add", str(files[0]), "--db", str(steps), "--quiet"]) == 0  # nothing new
    stories = _stored_stories(batch)
    assert stories == _stored_stories(steps)
    assert len(stories) == 3
    assert stories == {frozenset(g) for g in group_articles(_read(*files))}


def test_stories_command_lists_the_store_as_a_table_or_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from newsweave.cli import main

    db = str(tmp_path / "s.db")
    assert main(["stories", "--db", db]) == 2  # no store yet: a clear error
    assert "newsweave add" in capsys.readouterr().err
    assert main(["add", str(QUAKES), "--db", db, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["stories", "--db", db]) == 0
    table = capsys.readouterr().out
    assert "Valmora" in table and "Tarrow" in table  # headlines nearest each centroid
    assert main(["stories", "--db", db, "--format", "json"]) == 0
    stories = json.loads(capsys.readouterr().out)["stories"]
    assert [(s["sources"], s["duplicates"]) for s in stories] == [(3, 1), (2, 0)]
    assert stories[0]["first_published"] == "2031-03-04"
    assert "Varrow" in stories[0]["shared_names"]


def test_digest_of_a_mixed_folder_reports_each_story(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from newsweave.cli import main

    args = ["digest", str(QUAKES), str(EXAMPLES), "--no-store", "--no-analysis", "-f", "json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    stories = report["stories"]
    assert len(stories) == 3
    assert [len(s["sources"]) for s in stories] == [5, 4, 2]
    quake = stories[1]
    assert len(quake["duplicates"]) == 1 and quake["duplicates"][0]["exact"]
    assert "Brennick" in quake["grouping"]["shared_names"]
    assert main([*args, "--one-story"]) == 0
    assert len(json.loads(capsys.readouterr().out)["stories"]) == 1
    assert main([*args, "--group-by", "topic"]) == 0
    by_topic = json.loads(capsys.readouterr().out)["stories"]
    assert [len(s["sources"]) for s in by_topic] == [6, 5]  # both quakes, then the fire


def test_the_same_article_given_twice_is_one_article() -> None:
    twice = [ARTICLES[0], *ARTICLES, ARTICLES[0]]
    assert find_duplicates(twice) == find_duplicates(ARTICLES)
    assert sorted(group_articles(twice)) == sorted(group_articles(ARTICLES))


def test_a_component_too_large_to_cluster_exactly_is_split_not_lost() -> None:
    from newsweave.group.stories import GroupOptions

    groups = group_articles(ARTICLES, GroupOptions(max_dense=2))
    assert sorted(a for g in groups for a in g) == sorted(a.id for a in ARTICLES)
    assert all(len(g) <= 2 + 1 for g in groups)  # at most two originals, plus the exact copy


def test_signatures_do_not_depend_on_the_batch_they_were_computed_in() -> None:
    from newsweave.group.duplicates import fingerprints

    whole = fingerprints(ARTICLES)
    one_by_one = fingerprints(ARTICLES, batch=1)
    assert [(f.article_id, f.exact, f.size) for f in whole] == [
        (f.article_id, f.exact, f.size) for f in one_by_one
    ]
    assert all((a.digest == b.digest).all() for a, b in zip(whole, one_by_one, strict=True))


def _event_features(
    shared: float = 0.5, own: float = 0.8, second_detail: float = 1.0
) -> list[Features]:
    """Ten articles on two quakes of one week: they share the words of the kind ("quake",
    "magnitude") and differ in the place and the town named, and each has a detail of its own
    (in the second quake's articles at ``second_detail``: little, and they are rewrites of one
    text)."""
    out = []
    for k in range(10):
        event, town = ("valmora", "orrin") if k < 5 else ("tarrow", "lisk")
        terms = [
            ("quake", shared),
            ("magnitude", shared),
            (event, own),
            (town, own),
            (f"d{k}", 1.0 if k < 5 else second_detail),
        ]
        norm = math.sqrt(sum(w * w for _, w in terms))
        vector = tuple(sorted((t, w / norm) for t, w in terms))
        out.append(Features(f"a{k}", date(2031, 3, 1 + k % 3), vector, (event.title(),), event))
    return out


def test_a_story_of_two_similar_events_is_split_by_what_tells_them_apart() -> None:
    feats = _event_features()
    merged = cluster(feats, [], GroupOptions(refine=0))  # the first, pile-wide pass alone
    assert [len(g.article_ids) for g in merged] == [10]
    split = sorted(sorted(g.article_ids) for g in cluster(feats, [], GroupOptions()))
    assert split == [[f"a{k}" for k in range(5)], [f"a{k}" for k in range(5, 10)]]
    # a part smaller than refine_min is never split off
    assert len(cluster(feats, [], GroupOptions(refine_min=6))) == 1


def test_rewrites_of_one_text_count_once_towards_a_split() -> None:
    """Five close rewrites of one wire story are one voice, not the four articles a split
    needs: a story is not cut in two because one text came under several mastheads."""
    feats = _event_features(second_detail=0.2)
    assert len(cluster(feats, [], GroupOptions())) == 1
    # counted as five articles, the same rewrites are split off
    assert len(cluster(feats, [], GroupOptions(rewrite=1.01))) == 2


def test_term_vectors_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    # 64 made-up words, each once: all tie for the 40 places of the vector
    made_up = [f"zq{a}{b}x" for a in "bcdfghjk" for b in "lmnprstv"]
    (tmp_path / "ties.txt").write_text(
        "Ties at the cut\n\n" + " ".join(made_up) + ".\n", encoding="utf-8"
    )
    script = (
        "import json, sys\n"
        "from newsweave.group.stories import features\n"
        "from newsweave.ingest import IngestOptions, Ingestor\n"
        "ing = Ingestor(IngestOptions(detect_language=False))\n"
        "arts = [a for a in ing.ingest(sys.argv[1:]) if hasattr(a, 'clean_text')]\n"
        "print(json.dumps([features(a).terms for a in sorted(arts, key=lambda a: a.id)]))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", script, str(QUAKES), str(EXAMPLES), str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("embassies", "embassy"),
        ("crashes", "crash"),
        ("quakes", "quake"),
        ("killed", "kill"),
        ("killing", "kill"),
        ("stopped", "stop"),
        ("making", "make"),
        ("charged", "charge"),
        ("morning", "morning"),  # "morn" is too rare to be its base
        ("news", "news"),  # "new" is a stopword: no fold
        ("crisis", "crisis"),
        ("zqblx", "zqblx"),  # not an English word: kept as written
    ],
)
def test_inflected_forms_fold_into_their_base_form(word: str, base: str) -> None:
    from newsweave.group.stories import base_form

    assert base_form(word) == base


def _article(text: str, title: str = "") -> Article:
    key = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Article(id=key, original_text=text, clean_text=text, title=title)


def test_two_articles_that_inflect_a_word_differently_share_its_term() -> None:
    from newsweave.group.stories import features

    one = dict(features(_article("Rescuers searched the collapsed embassies all night.")).terms)
    two = dict(features(_article("A rescuer is searching the collapsed embassy.")).terms)
    assert {"rescuer", "search", "embassy", "collapse"} <= one.keys() & two.keys()
    unfolded = GroupOptions(fold=False)
    assert "embassies" in dict(features(_article("The embassies closed."), unfolded).terms)


def test_a_name_is_not_folded() -> None:
    from newsweave.group.stories import features

    terms = dict(features(_article("The film starred Esther Williams in the lead.")).terms)
    assert "williams" in terms and "william" not in terms


def test_vectors_of_an_older_version_in_the_store_are_computed_again(tmp_path: Path) -> None:
    from newsweave.cli import main
    from newsweave.group.stories import FEATURES_VERSION
    from newsweave.store import Store

    db = tmp_path / "s.db"
    assert main(["add", str(QUAKES), "--db", str(db), "--quiet"]) == 0
    before = _stored_stories(db)
    with Store(db) as store:  # as an older newsweave would have left them
        store.db.execute("UPDATE fingerprints SET features = json_remove(features, '$.v')")
        store.db.execute(
            "UPDATE fingerprints SET features = json_set(features, '$.terms', json('[]'))"
        )
        store.db.commit()
        assert len(list(store.unfingerprinted())) == len(list(QUAKES.iterdir()))
    assert main(["add", str(QUAKES), "--db", str(db), "--quiet"]) == 0
    with Store(db) as store:
        assert list(store.unfingerprinted()) == []
        _, feats = store.fingerprints()
        assert all(f.terms for f in feats)
        rows = store.db.execute("SELECT json_extract(features, '$.v') FROM fingerprints")
        versions = {r[0] for r in rows}
        assert versions == {FEATURES_VERSION}
    assert _stored_stories(db) == before


def _edge_set(edges: tuple[Any, Any, Any]) -> dict[tuple[int, int], float]:
    """Candidate edges as {(row, column): similarity}, rounded for comparison."""
    i, j, s = edges
    return {(int(a), int(b)): round(float(c), 5) for a, b, c in zip(i, j, s, strict=True)}


def test_candidate_edges_match_a_dense_computation_in_any_block_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy as np

    from newsweave.group import stories

    opts = GroupOptions(threshold=0.05)
    feats = sorted((stories.features(a, opts) for a in ARTICLES), key=stories.canonical_key)
    raw, _ = stories._matrix(feats)
    df = np.bincount(raw.indices, minlength=raw.shape[1])
    matrix = stories._reweight(raw, df, opts.pile_prior)
    whole = _edge_set(stories._edges(matrix, df, feats, opts))
    # every pair, densely: the cosine with the time penalty, kept at the threshold
    dense = (matrix @ matrix.T).toarray()
    ii, jj = np.triu_indices(len(feats), k=1)
    sims = dense[ii, jj] / (1.0 + stories._time_penalty(stories._days(feats), ii, jj, opts))
    expected = {
        (int(a), int(b)): round(float(c), 5)
        for a, b, c in zip(ii, jj, sims, strict=True)
        if c >= opts.threshold
    }
    assert whole == expected and len(whole) > 3
    monkeypatch.setattr(stories, "EDGE_BLOCK", 2)
    monkeypatch.setattr(stories, "PAIR_CHUNK", 3)
    assert _edge_set(stories._edges(matrix, df, feats, opts)) == whole
    # the terms of three articles or more made "common": they no longer propose pairs, but a pair
    # proposed by another term still counts them in its cosine
    marked = df.copy()
    marked[df >= 3] = 60
    proposer = matrix.copy()
    proposer.data[(marked > 50)[proposer.indices]] = 0.0
    shares = (proposer @ proposer.T).toarray()
    proposed = {pair: s for pair, s in whole.items() if shares[pair] > 0}
    assert 0 < len(proposed) < len(whole)
    assert _edge_set(stories._edges(matrix, marked, feats, opts)) == proposed


def test_term_vectors_of_a_large_pile_in_workers_are_those_of_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from concurrent.futures import process

    from newsweave.group import stories
    from newsweave.parallel import can_fork, forked_ranges

    serial = stories.all_features(ARTICLES, GroupOptions(jobs=1))
    assert serial == [stories.features(a) for a in ARTICLES]
    monkeypatch.setattr(stories, "PARALLEL_FEATURES", 2)
    assert stories.all_features(ARTICLES, GroupOptions(jobs=2)) == serial
    shared = (ARTICLES, GroupOptions())
    forked = forked_ranges(stories._features_range, shared, len(ARTICLES), 2)
    assert forked == (serial if can_fork() else None)
    assert group(ARTICLES, GroupOptions(jobs=3)) == group(ARTICLES, GroupOptions(jobs=1))

    def no_processes(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(process.ProcessPoolExecutor, "__init__", no_processes)
    assert stories.all_features(ARTICLES, GroupOptions(jobs=2)) == serial  # done here instead


# Texts written for these tests: unrelated stories, and pairs on one event, in German,
# Spanish and French.
GERMAN_UNRELATED = [
    (
        "Großbrand in Sägewerk bei Kaufbeuren",
        "In der Nacht zum Dienstag ist in einem Sägewerk bei Kaufbeuren ein Großbrand "
        "ausgebrochen. Die Feuerwehr war mit mehr als hundert Einsatzkräften vor Ort, wie "
        "die Polizei mitteilte. Sie konnte ein Übergreifen der Flammen auf ein benachbartes "
        "Wohnhaus verhindern. Eine Lagerhalle mit Holzvorräten brannte jedoch vollständig "
        "nieder. Verletzt wurde niemand. Den Schaden schätzen die Ermittler auf mehrere "
        "hunderttausend Euro. Zur Brandursache wollten die Beamten noch keine Angaben "
        "machen, ein technischer Defekt an einer Säge werde aber nicht ausgeschlossen.",
    ),
    (
        "Hansa Rostock stellt neuen Trainer vor",
        "Der Fußball-Zweitligist Hansa Rostock hat einen neuen Cheftrainer. Der Verein "
        "stellte am Montag den früheren Mittelfeldspieler vor, der zuletzt eine "
        "Nachwuchsmannschaft betreut hatte. Er soll die Mannschaft aus dem Tabellenkeller "
        "führen. Sie hatte die vergangenen fünf Spiele verloren und steht auf einem "
        "Abstiegsplatz. Der Sportdirektor sprach von einer schwierigen Entscheidung, die "
        "aber notwendig gewesen sei. Der Vertrag läuft bis zum Ende der Saison und "
        "verlängert sich im Fall des Klassenerhalts um ein weiteres Jahr.",
    ),
    (
        "Stadtrat beschließt neue Straßenbahnlinie in Freiburg",
        "Der Freiburger Gemeinderat hat am Donnerstag den Bau einer neuen "
        "Straßenbahnlinie beschlossen. Sie soll den Stadtteil Dietenbach mit der Innenstadt "
        "verbinden und in vier Jahren in Betrieb gehen. Eine Mehrheit aus Grünen, SPD und "
        "Freien Wählern stimmte für das Projekt, das rund neunzig Millionen Euro kosten "
        "wird. Zudem sollen zwei neue Haltestellen am Hauptbahnhof entstehen. Kritiker "
        "bemängeln, dass die Finanzierung durch Bund und Land noch nicht gesichert sei. "
        "Darin sieht der Oberbürgermeister kein Problem.",
    ),
]
GERMAN_SAME_EVENT = [
    (
        "Brücke über die Lahn bei Limburg eingestürzt",
        "Bei Limburg ist am Mittwochmorgen eine Fußgängerbrücke über die Lahn eingestürzt. "
        "Nach Angaben der Polizei befand sich zum Zeitpunkt des Einsturzes niemand auf der "
        "Brücke. Die marode Stahlkonstruktion war seit Monaten gesperrt gewesen. Taucher "
        "suchten den Fluss dennoch vorsorglich ab. Die Schifffahrt auf der Lahn ist bis auf "
        "Weiteres eingestellt. Die Stadt Limburg will prüfen lassen, warum die Brücke trotz "
        "der Sperrung nicht früher abgerissen wurde.",
    ),
    (
        "Limburg: Gesperrte Lahnbrücke stürzt in den Fluss",
        "Die seit Monaten gesperrte Fußgängerbrücke über die Lahn in Limburg ist am "
        "Mittwoch in den Fluss gestürzt. Verletzt wurde nach ersten Erkenntnissen niemand, "
        "teilte die Polizei mit. Taucher der Feuerwehr suchten die Unglücksstelle ab. Die "
        "Stahlkonstruktion galt als marode, ein Abriss war für den Sommer geplant. Die "
        "Schifffahrt auf der Lahn bleibt vorerst eingestellt, der Bürgermeister kündigte "
        "eine Untersuchung an.",
    ),
]
SPANISH = [
    (
        "Un incendio forestal obliga a evacuar tres pueblos en Teruel",
        "Un incendio forestal declarado el sábado en la sierra de Gúdar, en Teruel, ha "
        "obligado a evacuar a los vecinos de tres pueblos. Más de doscientos bomberos y "
        "cuatro hidroaviones trabajan en la extinción del fuego, que ya ha quemado unas "
        "mil hectáreas de pinar. Según el Gobierno de Aragón, el viento y las altas "
        "temperaturas dificultan las labores. No hay heridos.",
    ),
    (
        "Evacuados tres pueblos de Teruel por el fuego en la sierra de Gúdar",
        "Los vecinos de tres pueblos de la sierra de Gúdar, en Teruel, han sido evacuados "
        "por un incendio forestal que comenzó el sábado. El fuego ha arrasado cerca de mil "
        "hectáreas de pinar y los bomberos, apoyados por hidroaviones, luchan contra las "
        "llamas avivadas por el viento, informó el Gobierno de Aragón.",
    ),
    (
        "El Banco de España rebaja su previsión de crecimiento",
        "El Banco de España ha rebajado su previsión de crecimiento de la economía para "
        "este año. La institución espera que el producto interior bruto aumente un uno y "
        "medio por ciento, frente al dos por ciento que calculaba en primavera. El "
        "consumo de los hogares y la inversión de las empresas se han debilitado, según "
        "el informe trimestral publicado el martes.",
    ),
]
FRENCH = [
    (
        "Grève à la SNCF : le trafic très perturbé jeudi",
        "Le trafic ferroviaire sera très perturbé jeudi en raison d'une grève des "
        "contrôleurs de la SNCF. La direction prévoit un TGV sur deux et un TER sur trois. "
        "Les syndicats réclament une hausse des salaires et dénoncent le manque d'effectifs "
        "dans les trains. Les voyageurs sont invités à reporter leurs déplacements.",
    ),
    (
        "SNCF : un TGV sur deux jeudi à cause de la grève des contrôleurs",
        "La grève des contrôleurs de la SNCF prévue jeudi entraînera l'annulation d'un TGV "
        "sur deux, a annoncé la direction. Les syndicats exigent des hausses de salaires et "
        "davantage d'effectifs à bord des trains. Les voyageurs peuvent échanger leurs "
        "billets sans frais.",
    ),
    (
        "Lyon inaugure un nouveau musée consacré à la soie",
        "La ville de Lyon a inauguré samedi un musée consacré à l'histoire de la soie et "
        "des canuts. Installé dans un ancien atelier de la Croix-Rousse, il présente des "
        "métiers à tisser restaurés et des collections de tissus du dix-neuvième siècle. "
        "La mairie espère attirer cent mille visiteurs par an.",
    ),
]


def _in(language: str, texts: list[tuple[str, str]]) -> list[Article]:
    return [dataclasses.replace(_article(body, title), language=language) for title, body in texts]


def _stories(articles: list[Article]) -> list[list[str]]:
    """The stories, each as its members' titles (singletons left out)."""
    return [
        sorted(a.title or "" for a in articles if a.id in g)
        for g in group_articles(articles)
        if len(g) > 1
    ]


def test_unrelated_german_articles_are_not_grouped_on_function_words() -> None:
    articles = _in("de", GERMAN_UNRELATED + GERMAN_SAME_EVENT)
    assert _stories(articles) == [sorted(t for t, _ in GERMAN_SAME_EVENT)]
    assert _stories(_in("de", GERMAN_UNRELATED)) == []


@pytest.mark.parametrize(("language", "texts"), [("es", SPANISH), ("fr", FRENCH)])
def test_spanish_and_french_articles_group_by_event(
    language: str, texts: list[tuple[str, str]]
) -> None:
    assert _stories(_in(language, texts)) == [sorted(t for t, _ in texts[:2])]


def test_no_function_word_of_the_language_is_a_term() -> None:
    from spacy.lang.de.stop_words import STOP_WORDS

    from newsweave.group.stories import features

    for article in _in("de", GERMAN_UNRELATED + GERMAN_SAME_EVENT):
        terms = {t for t, _ in features(article).terms}
        assert terms and not terms & {w.lower() for w in STOP_WORDS}
        assert not terms & {"sie", "eine", "und", "der", "die", "zu", "den", "werden"}


def test_english_vectors_do_not_depend_on_how_english_is_tagged() -> None:
    from newsweave.group.stories import features

    for article in ARTICLES:
        untagged = features(dataclasses.replace(article, language=None))
        for tag in ("en", "en-GB", "EN_us"):
            assert features(dataclasses.replace(article, language=tag)) == untagged


def test_a_language_nothing_here_knows_gets_no_terms() -> None:
    from newsweave.group.stories import features

    (title, body), _ = SPANISH[:2]
    article = dataclasses.replace(_article(body, title), language="sw")
    assert features(article).terms == ()
