"""Fit the learned boilerplate-line model of ``newsweave.clean.learned`` on dev lines.

Each **dev** cluster of the comparison set (``bench/compare/sets``, split as
``bench/compare_eval.py`` splits it; the test split is never read) is read the way a digest
reads it: its files ingested and cleaned, lines repeated across articles removed. Every line
still left (:func:`~newsweave.clean.learned.candidate_lines`) is one example, labelled
boilerplate when its writers listed it in the article's ``boilerplate``. A logistic regression
over the line's features (:func:`~newsweave.clean.learned.line_features`) is fitted with a
ridge penalty; precision and recall are reported by 5-fold cross-validation over clusters,
the cut-off is the lowest at which that precision reaches 0.95, and the weights fitted on
all dev lines are written to ``src/newsweave/clean/boilerplate_model.json`` (``--write``).

Usage: ``python bench/fit_boilerplate.py [--write]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_eval import DEFAULT_DATA, SETS, load, norm, write_inputs
from fit_agreement import fit

MODEL = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "newsweave"
    / "clean"
    / "boilerplate_model.json"
)
L2 = 0.3  # ridge penalty, chosen by cross-validation on dev (0.3 / 1 / 3 tried)
# The cut-off is the lowest at which cross-validated precision reaches this. Not higher: the
# "news" lines scored highest on dev are section labels ("Science", "Phones"), a dateline and
# page headlines of the HTML pages, furniture their writers did not list.
PRECISION = 0.95
# ... and at least this: on the dev half of trafilatura's real pages (bench/boilerplate_pages.py
# --half dev), the lowest cut-off that removes at most 1% of their main-text snippets (with
# the nearness-to-the-end feature: 0.75: 1.4%, 0.8: 1.4%, 0.85: 0.8%, 0.9: 0.6%); lines of
# news wrongly removed cost more than promos left in.
REAL_PAGES_FLOOR = 0.85


def examples(
    sets: Path,
) -> tuple[list[str], list[tuple[int, int]], list[float], list[int]]:
    """Every candidate line of the dev clusters, the lines before and after it, its label
    and its fold."""
    from newsweave.clean.learned import candidate_lines
    from newsweave.clean.repetition import remove_repeated_lines
    from newsweave.ingest import Ingestor
    from newsweave.model import Article

    texts: list[str] = []
    edges: list[tuple[int, int]] = []
    labels: list[float] = []
    folds: list[int] = []
    for row in load(sets, "dev"):
        fold = int(hashlib.sha256(row["cluster"].encode()).hexdigest(), 16) % 5
        with tempfile.TemporaryDirectory(prefix="newsweave-fit-") as tmp:
            paths = write_inputs(row, Path(tmp))
            read = [
                a
                for a in Ingestor().ingest([str(p) for p in paths.values()])
                if isinstance(a, Article)
            ]
        label_of = {p.name: k for k, p in paths.items()}
        arts = {a["id"]: a for a in row["articles"]}
        for article in remove_repeated_lines(read):
            label = label_of.get(re.sub(r":\d+$", "", Path(article.path).name))
            if label is None:
                continue
            boiler = {" ".join(norm(b).split()) for b in arts[label].get("boilerplate", [])}
            for _, _, text, before, after in candidate_lines(article):
                texts.append(text)
                edges.append((before, after))
                labels.append(float(" ".join(norm(text).split()) in boiler))
                folds.append(fold)
    return texts, edges, labels, folds


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="unused; every bench takes it")
    ap.add_argument("--sets", type=Path, default=SETS)
    ap.add_argument("--write", action="store_true", help="write the fitted model into the package")
    ap.add_argument(
        "--floor",
        type=float,
        default=REAL_PAGES_FLOOR,
        help="the written cut-off is at least this (see REAL_PAGES_FLOOR)",
    )
    args = ap.parse_args(argv)
    from newsweave.analyze.embed import Embedder
    from newsweave.clean.learned import line_features

    texts, edges, labels, folds = examples(args.sets)
    x = line_features(texts, Embedder().encode(texts), edges)
    y, fo = np.array(labels), np.array(folds)
    scores = np.zeros(len(y))
    for k in range(5):
        w = fit(x[fo != k], y[fo != k], L2)
        scores[fo == k] = 1 / (1 + np.exp(-(w[0] + x[fo == k] @ w[1:])))
    print(f"$ python bench/fit_boilerplate.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"\n{len(y)} candidate lines of the dev clusters, {int(y.sum())} labelled boilerplate\n")
    print("| cut-off | precision | recall | lines removed |")
    print("|---|---|---|---|")
    cutoff = None
    for t in np.arange(0.5, 0.96, 0.05):
        kept = scores >= t
        tp = float((kept & (y == 1)).sum())
        p = tp / kept.sum() if kept.sum() else 1.0
        if cutoff is None and p >= PRECISION:
            cutoff = round(float(t), 2)
        print(f"| {t:.2f} | {p:.3f} | {tp / max(y.sum(), 1):.3f} | {int(kept.sum())} |")
    cutoff = max(cutoff if cutoff is not None else 0.95, args.floor)
    print(
        f"\ncut-off: {cutoff} (the lowest with cross-validated precision >= {PRECISION}, "
        f"at least {args.floor})"
    )
    wrong = [(round(float(scores[i]), 2), texts[i]) for i in np.argsort(-scores) if y[i] == 0][:8]
    print("highest-scored news lines:", wrong)
    if args.write:
        w = fit(x, y, L2)
        model = {
            "about": "newsweave.clean.learned: logistic regression over USE-multilingual-v3 line "
            "vectors, length/20, sentence ending and nearness to the end; fitted by bench/fit_boilerplate.py on the "
            f"comparison set's dev lines ({len(y)} lines, {int(y.sum())} boilerplate)",
            "cutoff": cutoff,
            "weights": [round(float(v), 5) for v in w],
        }
        MODEL.write_text(json.dumps(model) + "\n", encoding="utf-8")
        print(f"written: {MODEL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
