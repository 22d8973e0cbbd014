"""Conflict detection quality: newsweave's facts/conflicts stage on two kinds of data.

1. ``bench/conflicts/clusters.jsonl``: our own labelled set of small fictional clusters (see
   ``bench/conflicts/README.md``) with planted contradictions, updates and possible conflicts,
   and tempting non-conflicts. Each cluster is digested as one story (spaCy analysis on);
   every predicted conflict is expanded into pairs of (source, sentence) across its sides, and
   a pair matches a gold conflict when it names the same two articles, the same kind, and its
   cited sentences contain the gold evidence. Precision and recall per kind, and for
   contradiction + update together (the target: precision >= 0.9, recall >= 0.8).
2. ClaimDiff train (``DIR/claimdiff/claimdiff.jsonl``): pairs of claims from two outlets,
   labelled whether claim_b weakens or strengthens claim_a (``relation`` = 1 in the
   ``weaken`` or ``strengthen`` variant). The task here: among related pairs, tell "weakens"
   from "strengthens". newsweave's score is its statement comparison (figures, dates,
   negation and hedging disagreements from :mod:`newsweave.analyze.facts`, then low lexical
   overlap); the anchor is a TF-IDF cosine threshold. Both thresholds are tuned on one half
   of the topics and reported on the other half.

Usage: ``python bench/conflicts_eval.py [--data DIR] [--set FILE]``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shlex
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_SET = REPO / "bench" / "conflicts" / "clusters.jsonl"
KINDS = ("contradiction", "update", "possible")


@dataclass(frozen=True, slots=True)
class Pair:
    kind: str
    a: tuple[str, int, int]  # article, start, end of the cited sentence in the clean text
    b: tuple[str, int, int]


def _norm(text: str) -> str:
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
        .replace("\u2014", "-")
    )


def load_cluster(row: dict[str, object], ingestor: object) -> dict[str, object]:
    """Articles of one cluster, keyed by their id in the set."""
    from newsweave.model import Article

    out: dict[str, object] = {}
    for art in row["articles"]:  # type: ignore[attr-defined]
        head = (
            f"title: {art['outlet']} report\nsource: {art['outlet']}\ndate {art['published']}\n\n"
        )
        data = (head + art["text"]).encode()
        items = list(ingestor.ingest(["-"], stdin=io.BytesIO(data)))  # type: ignore[attr-defined]
        article = next(i for i in items if isinstance(i, Article))
        out[art["id"]] = article
    return out


def sentence_range(story: object, cite: object) -> tuple[int, int]:
    """The cited sentence's span (a caption's own span)."""
    if cite.caption:  # type: ignore[attr-defined]
        return cite.start, cite.end  # type: ignore[attr-defined]
    sents = story.sentences[cite.article_id]  # type: ignore[attr-defined]
    s = sents[cite.sentence]  # type: ignore[attr-defined]
    return s.start, s.end


def predicted_pairs(story: object) -> set[Pair]:
    out: set[Pair] = set()
    for c in story.conflicts:  # type: ignore[attr-defined]
        for i, side_a in enumerate(c.sides):
            # An update is a chain in time: each figure is compared with the one before it.
            later = c.sides[i + 1 : i + 2] if c.kind == "update" else c.sides[i + 1 :]
            for side_b in later:
                for ca in side_a.citations:
                    for cb in side_b.citations:
                        if ca.article_id == cb.article_id:
                            continue
                        ra, rb = sentence_range(story, ca), sentence_range(story, cb)
                        a, b = (ca.article_id, *ra), (cb.article_id, *rb)
                        out.add(Pair(c.kind, *sorted([a, b])))  # type: ignore[arg-type]
    return out


def evidence_range(article: object, evidence: str) -> tuple[int, int] | None:
    text = _norm(article.clean_text)  # type: ignore[attr-defined]
    i = text.find(_norm(evidence))
    if i < 0:
        orig = _norm(article.original_text)  # type: ignore[attr-defined]
        j = orig.find(_norm(evidence))
        return None if j < 0 else (-1 - j, -1 - j - len(evidence))
    return i, i + len(evidence)


def covers(side: tuple[str, int, int], article_id: str, rng: tuple[int, int] | None) -> bool:
    if rng is None or side[0] != article_id:
        return False
    return side[1] < rng[1] and rng[0] < side[2]


@dataclass
class Tally:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    found: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.found / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def eval_set(path: Path) -> tuple[dict[str, Tally], list[str], int, float]:
    from newsweave.analyze.annotate import Annotator
    from newsweave.ingest import IngestOptions, Ingestor
    from newsweave.pipeline import build_story

    ingestor = Ingestor(IngestOptions(detect_language=False, min_words=3))
    annotator = Annotator()
    tallies = {k: Tally() for k in (*KINDS, "contradiction+update")}
    tempting: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    for row in rows:
        arts = load_cluster(row, ingestor)
        story = build_story(list(arts.values()), annotator=annotator)
        by_id = {a.id: key for key, a in arts.items()}  # type: ignore[attr-defined]
        pairs = predicted_pairs(story)
        gold = row["conflicts"]
        matched_pred: set[Pair] = set()
        for g in gold:
            (xa, xb), (ea, eb) = g["articles"], g["evidence"]
            ra, rb = evidence_range(arts[xa], ea), evidence_range(arts[xb], eb)
            ida, idb = arts[xa].id, arts[xb].id  # type: ignore[attr-defined]
            hits = [
                p
                for p in pairs
                if (covers(p.a, ida, ra) and covers(p.b, idb, rb))
                or (covers(p.a, idb, rb) and covers(p.b, ida, ra))
            ]
            same_kind = [p for p in hits if p.kind == g["kind"]]
            for key in (g["kind"], "contradiction+update"):
                if key == "contradiction+update" and g["kind"] == "possible":
                    continue
                tallies[key].n_gold += 1
                ok = same_kind or (
                    key == "contradiction+update" and any(p.kind != "possible" for p in hits)
                )
                tallies[key].found += bool(ok)
            matched_pred.update(hits)
            if not same_kind:
                got = ", ".join(sorted({p.kind for p in hits})) or "nothing"
                errors.append(
                    f"MISS {row['cluster']}: {g['kind']}/{g['slot']} {g['values']} -> {got}"
                )
        for nc in row.get("non_conflicts", []):
            (xa, xb), (ea, eb) = nc["articles"], nc["evidence"]
            ra, rb = evidence_range(arts[xa], ea), evidence_range(arts[xb], eb)
            ida, idb = arts[xa].id, arts[xb].id  # type: ignore[attr-defined]
            hit = [
                p
                for p in pairs
                if p.kind != "possible"
                and (
                    (covers(p.a, ida, ra) and covers(p.b, idb, rb))
                    or (covers(p.a, idb, rb) and covers(p.b, ida, ra))
                )
            ]
            tempting[nc["why"]][0] += 1
            tempting[nc["why"]][1] += bool(hit)
        for p in pairs:
            keys = [p.kind] + (["contradiction+update"] if p.kind != "possible" else [])
            good = p in matched_pred
            kind_ok = good and any(
                g["kind"] == p.kind or (k == "contradiction+update" and g["kind"] != "possible")
                for g in gold
                for k in keys
            )
            for key in keys:
                tallies[key].n_pred += 1
                tallies[key].tp += bool(kind_ok)
            if not good:
                a = by_id.get(p.a[0], "?")
                b = by_id.get(p.b[0], "?")
                text_a = _sentence_text(story, p.a)
                text_b = _sentence_text(story, p.b)
                errors.append(f"FALSE {row['cluster']} {p.kind} {a}/{b}: {text_a!r} <> {text_b!r}")
    for why, (n, bad) in sorted(tempting.items()):
        errors.append(f"TEMPTING {why}: {bad} of {n} reported as a contradiction or update")
    return tallies, errors, len(rows), time.perf_counter() - started


def _sentence_text(story: object, side: tuple[str, int, int]) -> str:
    for a in story.articles:  # type: ignore[attr-defined]
        if a.id == side[0]:
            text = a.clean_text if side[1] >= 0 else a.original_text
            return str(text[side[1] : side[2]])[:90]
    return "?"


# --- ClaimDiff ---------------------------------------------------------------------------------


def claimdiff_pairs(path: Path) -> list[tuple[str, str, str, int]]:
    """(topic, claim_a, claim_b, 1 if weakens else 0) for related train pairs."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["split"] != "train" or r["relation"] != 1:
                continue
            out.append((r["topic"], r["claim_a"], r["claim_b"], int(r["variant"] == "weaken")))
    return out


def newsweave_score(a: str, b: str) -> float:
    """How strongly claim b pushes against claim a: a conflict newsweave's statement
    comparison finds (figures, dates, places, opposite states), hedging that b adds, then
    low lexical overlap."""
    from newsweave.analyze.facts import HEDGE, compare_claims
    from newsweave.summarize.extractive import tfidf_matrix

    vec = tfidf_matrix([a, b])
    score = 1.0 - float(vec[0] @ vec[1])
    conflicts = compare_claims(a, b)
    if any(c.kind != "possible" for c in conflicts):
        score += 1.0
    elif conflicts:
        score += 0.5
    if HEDGE.search(b) and not HEDGE.search(a):
        score += 0.2
    return score


def tfidf_score(a: str, b: str) -> float:
    """Anchor: 1 - TF-IDF cosine of the two claims (less overlap = weakens)."""
    from newsweave.summarize.extractive import tfidf_matrix

    vec = tfidf_matrix([a, b])
    return 1.0 - float(vec[0] @ vec[1])


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The threshold (score >= t means weakens) with the best F1 for weakens."""
    best = (-1.0, 0.0)
    for t in sorted(set(scores)):
        f1 = binary_f1([int(s >= t) for s in scores], labels)
        if f1 > best[0]:
            best = (f1, t)
    return best[1]


def auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve (ties count half): the chance a weakens pair scores higher
    than a strengthens pair, threshold-free."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return 0.5
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def binary_f1(pred: Sequence[int], gold: Sequence[int]) -> float:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def eval_claimdiff(path: Path, seed: int = 0) -> dict[str, dict[str, float]]:
    pairs = claimdiff_pairs(path)
    topics = sorted({p[0] for p in pairs})
    random.Random(seed).shuffle(topics)
    tune_topics = set(topics[: len(topics) // 2])
    systems: dict[str, Callable[[str, str], float]] = {
        "newsweave": newsweave_score,
        "TF-IDF cosine anchor": tfidf_score,
    }
    out: dict[str, dict[str, float]] = {}
    for name, fn in systems.items():
        scored = [(p[0] in tune_topics, fn(p[1], p[2]), p[3]) for p in pairs]
        tune = [(s, y) for t, s, y in scored if t]
        test = [(s, y) for t, s, y in scored if not t]
        thr = best_threshold([s for s, _ in tune], [y for _, y in tune])
        pred = [int(s >= thr) for s, _ in test]
        gold = [y for _, y in test]
        acc = sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)
        f1w = binary_f1(pred, gold)
        f1s = binary_f1([1 - p for p in pred], [1 - g for g in gold])
        out[name] = {
            "threshold": thr,
            "accuracy": acc,
            "f1_weakens": f1w,
            "f1_strengthens": f1s,
            "macro_f1": (f1w + f1s) / 2,
            "auc": auc([s for s, _ in test], gold),
            "n_test": len(gold),
            "weakens_share": sum(gold) / len(gold),
        }
    return out


def eval_support(path: Path) -> dict[str, float] | None:
    """ClaimDiff-S: does claim B back claim A (relation 1) or not (0)? Threshold-free AUC of
    the similarity newsweave groups facts by: TF-IDF alone, and with sentence embeddings."""
    try:
        from newsweave.analyze.embed import Embedder, EmbeddingsUnavailable
        from newsweave.summarize.extractive import tfidf_matrix

        embedder = Embedder()
    except EmbeddingsUnavailable:
        return None
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["split"] == "train" and r["variant"] == "strengthen":
                rows.append(r)
    labels = [int(r["relation"]) for r in rows]
    lexical = []
    for r in rows:
        vec = tfidf_matrix([r["claim_a"], r["claim_b"]])
        lexical.append(float(vec[0] @ vec[1]))
    va = embedder.encode([r["claim_a"] for r in rows])
    vb = embedder.encode([r["claim_b"] for r in rows])
    semantic = [float(x) for x in (va * vb).sum(axis=1)]
    combined = [max(t, s) for t, s in zip(lexical, semantic, strict=True)]
    return {
        "pairs": len(rows),
        "related": sum(labels),
        "tfidf": auc(lexical, labels),
        "embedding": auc(semantic, labels),
        "combined": auc(combined, labels),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with claimdiff/")
    ap.add_argument("--set", type=Path, default=DEFAULT_SET, help="our labelled clusters")
    ap.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    args = ap.parse_args(argv)
    cmd = shlex.join([".venv/bin/python", *sys.argv] if argv is None else [__file__, *argv])
    print(f"`{cmd}`\n")

    tallies, errors, n_clusters, seconds = eval_set(args.set)
    print(f"## Own labelled set: {n_clusters} clusters ({seconds:.1f} s)\n")
    print("| kind | gold | predicted pairs | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, t in tallies.items():
        p, r, f = t.prf()
        print(f"| {kind} | {t.n_gold} | {t.n_pred} | {p:.3f} | {r:.3f} | {f:.3f} |")
    kinds = Counter(e.split()[0] for e in errors)
    print(
        f"\nMisses (gold not found with its kind): {kinds['MISS']}; false alarms: {kinds['FALSE']}"
    )
    print("\nPlanted non-conflicts (tempting pairs) reported as a contradiction or update:\n")
    print("| why it is not a conflict | planted | reported |\n|---|---:|---:|")
    for e in errors:
        if e.startswith("TEMPTING "):
            why, rest = e[len("TEMPTING ") :].split(": ", 1)
            bad, n = rest.split(" of ")[0], rest.split(" of ")[1].split()[0]
            print(f"| {why} | {n} | {bad} |")
    if args.errors:
        print("\n" + "\n".join(e for e in errors if not e.startswith("TEMPTING")))

    data = args.data if args.data.is_absolute() else (REPO / args.data).resolve()
    cd = data / "claimdiff" / "claimdiff.jsonl"
    if cd.is_file():
        res = eval_claimdiff(cd)
        n = next(iter(res.values()))
        print(
            f"\n## ClaimDiff train, related pairs: weakens vs strengthens "
            f"(tuned on half the topics, {n['n_test']:.0f} test pairs, "
            f"{n['weakens_share']:.0%} weakens)\n"
        )
        print(
            "| system | threshold | accuracy | F1 weakens | F1 strengthens | macro F1 | ROC AUC |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, r in res.items():
            print(
                f"| {name} | {r['threshold']:.3f} | {r['accuracy']:.3f} | {r['f1_weakens']:.3f} "
                f"| {r['f1_strengthens']:.3f} | {r['macro_f1']:.3f} | {r['auc']:.3f} |"
            )
        share = next(iter(res.values()))["weakens_share"]
        print(
            f"\nAlways answering 'strengthens' would score accuracy {1 - share:.3f}, F1 weakens 0."
        )
        sup = eval_support(cd)
        if sup is None:
            print("\nnewsweave[semantic] not installed: the similarity table is skipped")
        else:
            print(
                f"\n## ClaimDiff-S train: does claim B back claim A? ({sup['pairs']:.0f} pairs, "
                f"{sup['related']:.0f} related) ROC AUC of the similarity facts are grouped by\n"
            )
            print("| similarity | ROC AUC |\n|---|---:|")
            print(f"| TF-IDF cosine (word overlap) | {sup['tfidf']:.3f} |")
            print(f"| MiniLM embedding cosine | {sup['embedding']:.3f} |")
            print(f"| newsweave: the larger of the two, on one scale | {sup['combined']:.3f} |")
    else:
        print(f"\n{cd} not found: ClaimDiff part skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
