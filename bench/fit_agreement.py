"""Fit the agreement model of ``newsweave.analyze.facts.align`` on judged dev pairs.

Reads ``bench/compare/pairs/dev-judged.jsonl``: sentence pairs of two independent articles
of the comparison set's **dev** clusters, each judged ``same`` / ``conflict`` / ``related``
/ ``unrelated`` by readers who never saw newsweave's code (one line per pair: ``cluster``,
``text_a``, ``text_b``, ``label``). Each dev cluster is digested as one story; the pairs
:func:`~newsweave.analyze.facts.align.candidates` proposes are matched to judged pairs by
their texts, and a logistic regression over the align features is fitted on them (``same``
is 1, anything else 0). Reported, for the pairs kept as the pipeline keeps them (a pair
whose figures or days disagree never joins a fact): precision and recall of ``same`` at several probability
cut-offs, by cross-validation over clusters (each fold's clusters are scored by a model
fitted on the other folds) and the weights fitted on all judged pairs, to paste into
``align.WEIGHTS``. The test split is never read.

Usage: ``python bench/fit_agreement.py [--pairs FILE] [--folds 5]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_eval import DEFAULT_DATA, SETS, load, norm, write_inputs

PAIRS = Path(__file__).resolve().parent / "compare" / "pairs" / "dev-judged.jsonl"
L2 = 0.01  # ridge penalty: keeps weights finite when a feature separates the classes


def key(text: str) -> str:
    """A sentence as the judged file and the pipeline both write it."""
    return " ".join(norm(text).split()).strip().lower()


def story_pairs(
    rows: list[dict[str, Any]], embedder: Any
) -> dict[str, tuple[Any, list[tuple[str, str, bool]]]]:
    """Per cluster: the candidates' features and their two texts."""
    from newsweave.analyze.facts.align import candidates
    from newsweave.analyze.facts.group import Slots
    from newsweave.analyze.statements import statements_of
    from newsweave.group.sources import source_groups
    from newsweave.pipeline import DigestOptions, digest
    from newsweave.text.similarity import Similarity
    from newsweave.text.tfidf import tfidf_of_terms

    out = {}
    for row in rows:
        with tempfile.TemporaryDirectory(prefix="newsweave-fit-") as tmp:
            paths = write_inputs(row, Path(tmp))
            report = digest(
                [str(p) for p in paths.values()],
                options=DigestOptions(one_story=True, analyze=False, semantic=False),
            )
        if not report.stories:
            continue
        story = report.stories[0]
        statements = statements_of(
            story.articles, story.sentences, None, source_groups(story.articles)
        )
        sim = Similarity(tfidf_of_terms([s.term_list for s in statements]))
        cand = candidates(statements, embedder, sim)
        texts = []
        for i, j in zip(cand.rows.tolist(), cand.cols.tolist(), strict=True):
            clash = Slots.of(statements[i]).disagree(Slots.of(statements[j]))
            texts.append((statements[i].text, statements[j].text, clash))
        out[row["cluster"]] = (cand.features, texts)
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Logistic regression with a ridge penalty ``l2`` on the weights (intercept first)."""
    from scipy.optimize import minimize

    xb = np.hstack([np.ones((len(x), 1)), x])

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xb @ w
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        value = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) + l2 * np.sum(
            w[1:] ** 2
        )
        grad = xb.T @ (p - y) + 2 * l2 * np.r_[0, w[1:]]
        return float(value), grad

    return np.asarray(minimize(loss, np.zeros(xb.shape[1]), jac=True, method="L-BFGS-B").x)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="unused; every bench takes it")
    ap.add_argument("--sets", type=Path, default=SETS)
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--dump", type=Path, help="write each pair's cross-validated probability")
    args = ap.parse_args(argv)
    from newsweave.analyze.embed import Embedder
    from newsweave.analyze.facts.align import FEATURES

    judged: dict[tuple[str, str, str], str] = {}
    for line in args.pairs.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        a, b = key(r["text_a"]), key(r["text_b"])
        judged[(r["cluster"], a, b)] = judged[(r["cluster"], b, a)] = r["label"]
    rows = load(args.sets, "dev")
    per = story_pairs(rows, Embedder())
    xs, ys, folds, pairs, clashes = [], [], [], [], []
    unmatched = 0
    for cluster, (feats, texts) in per.items():
        fold = int(hashlib.sha256(cluster.encode()).hexdigest(), 16) % args.folds
        for f, (ta, tb, clash) in zip(feats, texts, strict=True):
            label = judged.get((cluster, key(ta), key(tb)))
            if label is None:
                unmatched += 1
                continue
            xs.append(f)
            ys.append(float(label == "same"))
            folds.append(fold)
            pairs.append((ta, tb, label))
            clashes.append(clash)
    x, y, fo = np.array(xs), np.array(ys), np.array(folds)
    print(f"$ python bench/fit_agreement.py {' '.join(sys.argv[1:])}".rstrip())
    print(
        f"\n{len(y)} judged candidate pairs ({int(y.sum())} same), {unmatched} candidates not judged\n"
    )
    scores = np.zeros(len(y))
    for k in range(args.folds):
        w = fit(x[fo != k], y[fo != k])
        z = w[0] + x[fo == k] @ w[1:]
        scores[fo == k] = 1 / (1 + np.exp(-z))
    # A pair whose figures or days disagree never joins a fact (align.same_pairs' caller
    # checks the slots): it is scored as the pipeline would keep it.
    clash = np.array(clashes)
    print("| cut-off | precision | recall (of judged same) | pairs kept |")
    print("|---|---|---|---|")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        kept = (scores >= t) & ~clash
        tp = float((kept & (y == 1)).sum())
        p = tp / kept.sum() if kept.sum() else 0.0
        print(f"| {t:.1f} | {p:.3f} | {tp / y.sum():.3f} | {int(kept.sum())} |")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for sc, f, (ta, tb, label) in zip(scores, x, pairs, strict=True):
                fh.write(
                    json.dumps(
                        {
                            "p": round(float(sc), 3),
                            "label": label,
                            "a": ta,
                            "b": tb,
                            "f": [round(float(v), 3) for v in f],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    w = fit(x, y)
    print("\nweights on all judged pairs (intercept, then " + ", ".join(FEATURES) + "):")
    print("WEIGHTS = np.array([" + ", ".join(f"{v:.3f}" for v in w) + "])")
    return 0


if __name__ == "__main__":
    sys.exit(main())
