"""Boilerplate lines found by a learned model, in any language the sentence model reads.

Share bars, follow / subscribe / listen-live prompts, "Reporting by ...; editing by ...",
correction notes, station and app promos look alike in every outlet and language, but no
list of phrases covers them. Each line still left in an article (of at most MAX_WORDS
words) is embedded with the multilingual sentence model, and a logistic regression over
its vector, its length, whether it ends like a sentence and how near the end of the
article it is gives the chance that it is furniture, not news. The weights
(``boilerplate_model.json``, shipped in the package) are fitted by
``bench/fit_boilerplate.py`` on the lines of the comparison set's dev clusters (labelled
by their writers, who never saw this code). The cut-off (0.85) is the lowest that
removes at most 1% of the main text of real pages: the dev half of trafilatura's
evaluation pages (``bench/boilerplate_pages.py``), where 0.8 would remove 1.4%.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

from newsweave.analyze.embed import Encoder, reads
from newsweave.clean.boilerplate import lines_left, with_removals
from newsweave.model import Article, Removal

MAX_WORDS = 40  # longer lines are paragraphs of text: never furniture on their own
REASON = "boilerplate line (learned)"
ENDINGS = ".!?\"'\u201d\u00bb\u2019)"


def line_features(
    lines: Sequence[str], vectors: np.ndarray, edges: Sequence[tuple[int, int]]
) -> np.ndarray:
    """The model's input for each line: its sentence vector, its length in words (over 20),
    whether it ends as a sentence does, and how near it is to the article's end (1 / (1 +
    lines after it)): sign-offs, promos and correction notes gather there. (Nearness to the
    top is left out: the top holds the headline, news, as well as outlet lines.)"""
    extra = np.array(
        [
            [len(t.split()) / 20, float(t.rstrip()[-1:] in ENDINGS), 1 / (1 + after)]
            for t, (_, after) in zip(lines, edges, strict=True)
        ],
        dtype=np.float64,
    ).reshape(len(lines), 3)
    return np.hstack([vectors.astype(np.float64), extra])


@lru_cache(maxsize=1)
def model() -> tuple[np.ndarray, float]:
    """The fitted weights (intercept first) and the cut-off, read once from the package."""
    raw = resources.files("newsweave.clean").joinpath("boilerplate_model.json").read_text()
    data = json.loads(raw)
    return np.array(data["weights"], dtype=np.float64), float(data["cutoff"])


def candidate_lines(article: Article) -> list[tuple[int, int, str, int, int]]:
    """The lines of an article a reader still sees: not inside a span already removed,
    not blank, at most MAX_WORDS words; (start, end, text) in its original text, and how
    many lines a reader sees before and after it."""
    seen = [line for line in lines_left(article) if line.text.strip()]
    out = []
    for k, line in enumerate(seen):
        text = line.text.strip()
        if len(text.split()) <= MAX_WORDS:
            out.append((line.start, line.end, text, k, len(seen) - 1 - k))
    return out


def probabilities(
    texts: Sequence[str], encoder: Encoder, edges: Sequence[tuple[int, int]]
) -> np.ndarray:
    """The model's chance that each line is boilerplate; ``edges`` gives how many lines
    come before and after each."""
    if not texts:
        return np.zeros(0)
    weights, _ = model()
    z = weights[0] + line_features(texts, encoder.encode(list(texts)), edges) @ weights[1:]
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def remove_learned_boilerplate(
    articles: Sequence[Article], encoder: Encoder, cutoff: float | None = None
) -> list[Article]:
    """The articles with the lines the model takes for boilerplate removed (each as a
    :class:`Removal` with its reason); an article is never emptied this way. ``cutoff``
    replaces the model's own (for measuring)."""
    cutoff = model()[1] if cutoff is None else cutoff
    out = []
    for article in articles:
        lines = candidate_lines(article) if reads(encoder, article) else []
        p = probabilities([x[2] for x in lines], encoder, [(x[3], x[4]) for x in lines])
        found = [
            Removal(s, e, REASON, t)
            for (s, e, t, _, _), x in zip(lines, p.tolist(), strict=True)
            if x >= cutoff
        ]
        cleaned = with_removals(article, found)
        outlet = outlet_line(found[0].text) if found and found[0].start == lines[0][0] else None
        if outlet and not cleaned.outlet and cleaned is not article:
            cleaned = dataclasses.replace(cleaned, outlet=outlet)
        out.append(cleaned)
    return out


def outlet_line(line: str) -> str | None:
    """The outlet a furniture line at the top of an article names ("Radio Calder | News",
    "The Daily Ledger"): a few capitalised words before any separator, no sentence."""
    name = re.split(r"\s+[|\u2013\u2014-]\s+|\s*\|\s*", line.strip())[0].strip()
    words = name.split()
    if not 1 <= len(words) <= 5 or name[-1:] in ENDINGS or ":" in name or "@" in name:
        return None
    if len(words) > 1 and name.isupper():
        return None  # "BREAKING NEWS": a banner, not a name
    if not all(
        w[:1].isupper() or w.lower() in ("of", "the", "and", "de", "du", "la", "le") for w in words
    ):
        return None
    return name
