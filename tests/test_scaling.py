"""Per-story analysis grows linearly with the story: counted comparisons, never timings.

Each test runs one stage on a synthetic story and on one four times its size, counts the
comparisons the stage makes (pairs whose similarity was computed, pairs checked for a
conflict, wordings compared), and checks that four times the story costs about four times the
comparisons, where comparing every pair would cost sixteen times. The exactness tests check
that the indexes which avoid the pairs find the same thing as comparing every pair.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

import numpy as np
import pytest
from scipy import sparse

from conftest import make_article
from newsweave.analyze import attribution, conflicts, coreference, facts
from newsweave.analyze.temporal import Times, times_of
from newsweave.analyze.timeline import build_timeline
from newsweave.clean import repetition
from newsweave.model import Article, Sentence
from newsweave.summarize.extractive import source_groups, tfidf_vectors
from newsweave.text.sentences import segment
from newsweave.text.similarity import Similarity

LINEAR = 5.0  # 4x the story may cost at most 5x the comparisons (all pairs: 16x)
SYLLABLES = ("ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "pa", "ni", "qui", "zo")
# Words every statement of the synthetic story uses: a story's own stop words.
SHARED = "Officials said rescue crews in the flooded county reached stranded residents"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(4))


def _sentences(n: int, seed: int = 7) -> list[str]:
    """``n`` sentences: the shared words, and a figure and three rarer words from pools that
    grow with ``n`` (each rare word is written about four times in all, each figure about
    twice), as in a story that goes on: more articles, more names and figures."""
    rng = random.Random(seed)
    pool = [_word(rng) for _ in range(max(8, n * 3 // 4))]
    out = []
    for _ in range(n):
        a, b, c = rng.sample(pool, 3)
        out.append(
            f"{SHARED} near {a.title()} on Monday after {rng.randrange(2, 2 + n // 2)} people "
            f"left the {b} valley and the {c} bridge closed."
        )
    return out


def _articles(n: int) -> list[Article]:
    """``n`` articles of eight sentences each, one outlet each, published a day apart."""
    lines = _sentences(8 * n)
    start = date(2024, 3, 1)
    return [
        make_article(
            " ".join(lines[8 * k : 8 * k + 8]),
            published=(start + timedelta(days=k % 20)).isoformat(),
            outlet=f"Outlet {k}",
        )
        for k in range(n)
    ]


class Counter:
    """Counts the pairs whose cosine :class:`Similarity` computes, across instances."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pairs = 0
        original = Similarity.of

        def of(sim: Similarity, i: np.ndarray, j: np.ndarray) -> np.ndarray:
            self.pairs += int(np.asarray(i).size)
            return original(sim, i, j)

        monkeypatch.setattr(Similarity, "of", of)


def _ratio(small: int, large: int) -> float:
    assert small > 0
    return large / small


def test_similar_pairs_are_found_with_linearly_many_comparisons() -> None:
    counts = []
    for n in (1000, 4000):
        sim = Similarity(tfidf_vectors(_sentences(n)))
        found = sim.pairs(0.3)
        assert len(found) > 0
        counts.append(sim.compared)
    assert _ratio(*counts) <= LINEAR, counts


@pytest.mark.parametrize("common", [10**9, 4])
def test_similar_pairs_match_every_pair_compared(common: int) -> None:
    """Exact when no term is too common; with a low cap, never a pair below the threshold."""
    rng = np.random.default_rng(3)
    dense = (rng.random((120, 40)) < 0.1) * rng.random((120, 40))
    norms = np.linalg.norm(dense, axis=1)
    norms[norms == 0] = 1
    vecs = sparse.csr_array((dense / norms[:, None]).astype(np.float32))
    full = (vecs @ vecs.T).toarray()
    for threshold in (0.1, 0.4, 0.8):
        found = Similarity(vecs, common=common).pairs(threshold)
        got = set(zip(found.i.tolist(), found.j.tolist(), strict=True))
        want = {(i, j) for i in range(120) for j in range(i + 1, 120) if full[i, j] >= threshold}
        assert got <= want
        if common > 120:
            assert got == want


@pytest.fixture(scope="module")
def stories() -> tuple[list[Article], list[Article]]:
    """A 30-article and a 120-article story."""
    return _articles(30), _articles(120)


def _analysis(articles: list[Article]) -> tuple[dict[str, list[Sentence]], Times]:
    sentences = {a.id: list(segment(a)) for a in articles}
    return sentences, times_of(articles, sentences)


def test_facts_and_conflicts_compare_linearly_many_pairs(
    stories: tuple[list[Article], list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counter(monkeypatch)
    checked: list[int] = []
    original = conflicts.candidate_pairs

    def candidates(*args: object) -> set[tuple[int, int]]:
        found = original(*args)  # type: ignore[arg-type]
        checked.append(len(found))
        return found

    monkeypatch.setattr(conflicts, "candidate_pairs", candidates)
    compared = []
    for articles in stories:
        sentences, times = _analysis(articles)
        counter.pairs = 0
        found, _ = facts.analyse(articles, sentences, times=times)
        assert found
        compared.append(counter.pairs)
    assert _ratio(*compared) <= LINEAR, compared
    assert _ratio(*checked) <= LINEAR, checked


def test_the_timeline_compares_linearly_many_pairs(
    stories: tuple[list[Article], list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counter(monkeypatch)
    compared = []
    for articles in stories:
        sentences, times = _analysis(articles)
        counter.pairs = 0
        timeline, _ = build_timeline(articles, sentences, None, times)
        assert timeline
        compared.append(counter.pairs)
    assert _ratio(*compared) <= LINEAR, compared


def test_source_groups_compare_linearly_many_pairs(
    stories: tuple[list[Article], list[Article]], monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = Counter(monkeypatch)
    compared = []
    for articles in stories:
        counter.pairs = 0
        assert len(set(source_groups(articles).values())) == len(articles)
        compared.append(counter.pairs)
    assert _ratio(max(compared[0], 1), compared[1]) <= LINEAR, compared


def _said(n: int) -> list[attribution._Said]:
    """``n`` attributions: a quarter of them reworded copies of others."""
    lines = _sentences(n)
    out = []
    for k, text in enumerate(lines):
        if k % 4 == 3:
            text = lines[k - 1].replace("Officials", "Officers")
        norm = attribution.norm_text(text)
        out.append(attribution._Said(f"a{k}", "direct", text, norm, None, None, "say", (), k))
    return out


def test_quotes_compare_linearly_many_wordings(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    original = attribution._same

    def same(other: attribution._Said, item: attribution._Said) -> bool:
        calls[0] += 1
        return original(other, item)

    monkeypatch.setattr(attribution, "_same", same)
    compared = []
    for n in (400, 1600):
        calls[0] = 0
        groups = attribution.merge_said(_said(n))
        assert len(groups) < n  # the reworded copies joined their originals
        compared.append(calls[0])
    assert _ratio(*compared) <= LINEAR, compared


def _mentions(n: int) -> Iterator[coreference.Mention]:
    """``n`` person names; every fourth one the name before it with a letter doubled."""
    rng = random.Random(5)
    name = ""
    for k in range(n):
        fresh = f"{_word(rng).title()} {_word(rng).title()}"
        name = name[:3] + name[2:] if k % 4 == 3 else fresh
        key = name.lower()
        yield coreference.Mention(f"a{k}", 0, 0, len(key), name, "PER", key, 0)


def test_close_spellings_are_looked_up_not_paired(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    original = coreference._close

    def close(a: str, b: str) -> bool:
        calls[0] += 1
        return original(a, b)

    monkeypatch.setattr(coreference, "_close", close)
    compared = []
    for n in (500, 2000):
        calls[0] = 0
        mentions = list(_mentions(n))
        coreference.merge_misspellings(mentions, {}, coreference.UnionFind(len(mentions)))
        compared.append(calls[0])
    assert _ratio(*compared) <= LINEAR, compared


def test_near_copies_match_every_pair_compared() -> None:
    """Prefix filtering finds exactly the near copies that comparing every pair finds."""
    rng = random.Random(11)
    footers = [f"footer line number {k} of the site" for k in range(6)]
    line_sets: list[dict[str, tuple[int, int, str]]] = []
    for k in range(150):
        own = [f"news line {k} {j} of its own" for j in range(rng.randrange(0, 6))]
        if line_sets and rng.random() < 0.3:  # a copy of an earlier article, a line changed
            own = list(rng.choice(line_sets))[: rng.randrange(1, 6)] + own[:1]
        chosen = own + rng.sample(footers, rng.randrange(0, 4))
        line_sets.append({line: (0, 0, line) for line in chosen})
    holders: dict[str, list[int]] = {}
    for i, lines in enumerate(line_sets):
        for key in lines:
            holders.setdefault(key, []).append(i)
    found = repetition._near_copies(line_sets, holders)
    for a in range(len(line_sets)):
        for b in range(a + 1, len(line_sets)):
            sa, sb = line_sets[a].keys(), line_sets[b].keys()
            near = len(sa & sb) / max(len(sa | sb), 1) >= repetition.NEAR_COPY
            assert (b in found.get(a, set())) == near, (a, b)
