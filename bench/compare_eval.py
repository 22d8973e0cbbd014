"""Cross-source comparison on news nobody here tuned on: ``bench/compare/sets/*.jsonl``.

The set (``bench/compare/README.md``) is fictional clusters written by writers who never saw
newsweave's code, split **by cluster** into dev and test by a hash of the cluster id; the
older ``bench/conflicts/clusters.jsonl`` is dev data too. Each cluster's articles are written
to files in their own format (plain text with a small header, an HTML page, a JSON Lines
record) and digested as one story with newsweave's default settings. Reported, per split:

* **agreements**: a labelled agreement is found when one fact newsweave reports as stated
  by two or more sources cites, in two independent labelled articles, sentences holding
  the labelled evidence. Precision is judged on the facts that land on labelled pairs: a
  fact whose two cited sentences are a labelled agreement (or a planted non-conflict, which
  does agree) is right; one whose two cited sentences are the two sides of a labelled
  conflict is wrong. Facts on unlabelled pairs are counted apart (``unjudged``).
* the **anchor** for agreement: plain MiniLM sentence cosine, every sentence pair of two
  independent articles at or above a threshold chosen on dev (best F1), judged the same way.
* **conflicts**: a labelled conflict is found when a reported conflict pairs the two
  sentences holding its evidence; contradiction + update recall and precision (every
  reported pair not on a labelled conflict is a false one), recall by slot.
* **false contradictions**: planted non-conflicts reported as a contradiction or update.
* **entities**: pairs of a labelled entity's different written forms that one reported
  entity holds together.
* **quotes**: labelled quotes found with the right speaker.
* **boilerplate**: labelled boilerplate lines left in the cleaned text (and in facts).
* **copies**: facts whose support counts a copy or a translation as another source.

Usage: ``python bench/compare_eval.py [--split dev|test|both] [--sets DIR] [--errors N]``.
Nothing is read from ``--data`` (the set is in the repository); the option exists so every
bench takes it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shlex
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SETS = REPO / "bench" / "compare" / "sets"
OLD_SET = REPO / "bench" / "conflicts" / "clusters.jsonl"
DEFAULT_DATA = REPO.parent / "shared" / "data"
CONTRA = ("contradiction", "update")

Span = tuple[str, int, int]  # newsweave article id, start, end in the clean text


def split_of(cluster: str) -> str:
    """dev or test: a stable hash of the cluster id, so a cluster never changes sides."""
    return "test" if int(hashlib.sha256(cluster.encode()).hexdigest(), 16) % 2 else "dev"


def load(sets: Path, split: str) -> list[dict[str, Any]]:
    """The clusters of one split (the older conflict set joins dev)."""
    rows = []
    for path in sorted(sets.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if split_of(row["cluster"]) == split:
                    rows.append(row)
    if split == "dev" and OLD_SET.exists():
        for line in OLD_SET.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def norm(text: str) -> str:
    """Quotes and dashes folded, so evidence matches the cleaned text."""
    table = str.maketrans(
        {
            "\u2019": "'",
            "\u2018": "'",
            "\u201c": '"',
            "\u201d": '"',
            "\u201e": '"',
            "\u2013": "-",
            "\u2014": "-",
            "\u00a0": " ",
        }
    )
    return text.translate(table)


def write_inputs(row: dict[str, Any], folder: Path) -> dict[str, Path]:
    """Each article of a cluster as a file in its own format; label id -> path."""
    out = {}
    for art in row["articles"]:
        fmt = art.get("format", "text")
        if fmt == "html" and art.get("html"):
            path = folder / f"{art['id']}.html"
            path.write_text(art["html"], encoding="utf-8")
        elif fmt == "jsonl" and isinstance(art.get("record"), dict):
            path = folder / f"{art['id']}.jsonl"
            path.write_text(json.dumps(art["record"], ensure_ascii=False) + "\n", "utf-8")
        else:
            head = [f"title: {art.get('title') or art.get('outlet') or art['id']}"]
            if art.get("outlet"):
                head.append(f"source: {art['outlet']}")
            if art.get("published"):
                head.append(f"date: {art['published']}")
            path = folder / f"{art['id']}.txt"
            path.write_text("\n".join(head) + "\n\n" + art["text"], encoding="utf-8")
        out[art["id"]] = path
    return out


def roots(row: dict[str, Any]) -> dict[str, str]:
    """Each article's independent source: itself, or what it copies or translates."""
    parent = {a["id"]: a.get("copy_of") or a.get("translation_of") for a in row["articles"]}

    def root(x: str) -> str:
        seen = set()
        while parent.get(x) and x not in seen:
            seen.add(x)
            x = parent[x]  # type: ignore[assignment]
        return x

    return {x: root(x) for x in parent}


@dataclass
class Scores:
    """Counts over the clusters of one split."""

    n: Counter[str] = field(default_factory=Counter)
    slot_gold: Counter[str] = field(default_factory=Counter)
    slot_found: Counter[str] = field(default_factory=Counter)
    why_gold: Counter[str] = field(default_factory=Counter)
    why_hit: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    anchor: list[tuple[float, str]] = field(default_factory=list)  # (cosine, right|wrong)
    anchor_gold: list[list[float]] = field(default_factory=list)  # per agreement: best cos


class Cluster:
    """One digested cluster with the helpers that map labels onto the report."""

    def __init__(self, row: dict[str, Any], story: Any, paths: dict[str, Path]) -> None:
        self.row, self.story = row, story
        # A JSON Lines record's path ends in ":LINE" after the file name.
        by_path = {re.sub(r":\d+$", "", Path(a.path).name): a for a in story.articles}
        self.art = {k: by_path[p.name] for k, p in paths.items() if p.name in by_path}
        self.label = {a.id: k for k, a in self.art.items()}
        self.root = roots(row)

    def span(self, label: str, evidence: str) -> Span | None:
        """Where the evidence lies in the article's clean text."""
        a = self.art.get(label)
        if a is None:
            return None
        i = norm(a.clean_text).find(norm(evidence))
        return None if i < 0 else (a.id, i, i + len(evidence))

    def independent(self, labels: Iterable[str]) -> int:
        return len({self.root[x] for x in labels if x in self.root})


def hits(cite: Any, span: Span | None) -> bool:
    """Whether a cited sentence holds (overlaps) an evidence span."""
    if span is None or cite.article_id != span[0] or getattr(cite, "caption", False):
        return False
    return bool(cite.start < span[2] and span[1] < cite.end)


def pair_on(
    cites_a: Sequence[Any], cites_b: Sequence[Any], sa: Span | None, sb: Span | None
) -> bool:
    return (any(hits(c, sa) for c in cites_a) and any(hits(c, sb) for c in cites_b)) or (
        any(hits(c, sb) for c in cites_a) and any(hits(c, sa) for c in cites_b)
    )


def labelled_pairs(c: Cluster, key: str) -> list[tuple[dict[str, Any], Span | None, Span | None]]:
    out = []
    for item in c.row.get(key, []):
        (xa, xb), (ea, eb) = item["articles"][:2], item["evidence"][:2]
        out.append((item, c.span(xa, ea), c.span(xb, eb)))
    return out


def score_agreements(c: Cluster, s: Scores) -> None:
    agreements = []
    for g in c.row.get("agreements", []):
        spans = [c.span(x, e) for x, e in zip(g["articles"], g["evidence"], strict=False)]
        agreements.append((g, spans))
    conflicts = labelled_pairs(c, "conflicts")
    non = labelled_pairs(c, "non_conflicts")
    for g, spans in agreements:
        s.n["agree gold"] += 1
        s.n["agree gold paraphrase"] += bool(g.get("paraphrase"))
        found = False
        for f in c.story.facts:
            if f.support < 2:
                continue
            covered = {
                c.label.get(sp[0]) for sp in spans if sp and any(hits(x, sp) for x in f.citations)
            }
            if c.independent(x for x in covered if x) >= 2:
                found = True
                break
        s.n["agree found"] += found
        s.n["agree found paraphrase"] += found and bool(g.get("paraphrase"))
        if not found:
            s.errors.append(f"AGREE MISS {c.row['cluster']}: {g.get('what', '')!r}")
    for f in c.story.facts:
        if f.support < 2:
            continue
        right = any(
            pair_on(f.citations, f.citations, sp[i], sp[j])
            for _, sp in agreements
            for i in range(len(sp))
            for j in range(i + 1, len(sp))
        ) or any(pair_on(f.citations, f.citations, a, b) for _, a, b in non)
        wrong = any(pair_on(f.citations, f.citations, a, b) for _, a, b in conflicts)
        if right:
            s.n["agree judged right"] += 1
        elif wrong:
            s.n["agree judged wrong"] += 1
            s.errors.append(f"AGREE FALSE {c.row['cluster']}: {f.text[:100]!r}")
        else:
            s.n["agree unjudged"] += 1
        cited = {c.label.get(x.article_id) for x in f.citations}
        if f.support > c.independent(x for x in cited if x):
            s.n["facts inflated"] += 1
            s.errors.append(f"INFLATED {c.row['cluster']}: support {f.support}: {f.text[:80]!r}")
        s.n["facts multi"] += 1


def score_conflicts(c: Cluster, s: Scores) -> None:
    gold = labelled_pairs(c, "conflicts")
    reported = []
    for k in c.story.conflicts:
        if k.kind not in CONTRA:
            continue
        for i, a in enumerate(k.sides):
            for b in k.sides[i + 1 :]:
                reported.append((k, a.citations, b.citations))
    used = set()
    for g, sa, sb in gold:
        if g["kind"] not in CONTRA:
            continue
        s.n["conflict gold"] += 1
        s.slot_gold[g.get("slot", "?")] += 1
        ok = [n for n, (_, ca, cb) in enumerate(reported) if pair_on(ca, cb, sa, sb)]
        used.update(ok)
        s.n["conflict found"] += bool(ok)
        s.slot_found[g.get("slot", "?")] += bool(ok)
        if not ok:
            s.errors.append(f"CONFLICT MISS {c.row['cluster']}: {g.get('slot')} {g.get('values')}")
    s.n["conflict reported"] += len(reported)
    s.n["conflict right"] += len(used)
    for n, (k, _, _) in enumerate(reported):
        if n not in used:
            vals = [side.value for side in k.sides]
            s.errors.append(f"CONFLICT FALSE {c.row['cluster']}: {k.slot} {vals}")
    for g, sa, sb in labelled_pairs(c, "non_conflicts"):
        s.why_gold[g["why"]] += 1
        if any(pair_on(ca, cb, sa, sb) for _, ca, cb in reported):
            s.why_hit[g["why"]] += 1


def surfaces(c: Cluster) -> dict[str, set[str]]:
    """Each reported entity's id -> its name, variants and every mention as written."""
    text = {a.id: a.clean_text for a in c.story.articles}
    out = {}
    for e in c.story.entities:
        forms = {e.name.lower(), *(v.lower() for v in e.variants)}
        for m in e.mentions:
            if not m.caption and m.article_id in text:
                forms.add(text[m.article_id][m.start : m.end].lower())
        out[e.id] = {f for f in forms if f.strip()}
    return out


def holds(forms: set[str], written: str) -> bool:
    """Whether an entity's forms name ``written``: one of them is the written form or a
    whole-word part of it ("Callow" and "Idris Callow" both name "Mr Idris Callow")."""
    written = written.lower()
    return any(f == written or re.search(rf"(?<!\w){re.escape(f)}(?!\w)", written) for f in forms)


def score_entities(c: Cluster, s: Scores) -> None:
    groups = list(surfaces(c).values())
    for g in c.row.get("entities", []):
        forms = sorted({v["text"] for v in g.get("variants", [])}, key=str.lower)
        for i, a in enumerate(forms):
            for b in forms[i + 1 :]:
                s.n["entity pairs"] += 1
                if any(holds(grp, a) and holds(grp, b) for grp in groups):
                    s.n["entity pairs merged"] += 1


def score_quotes(c: Cluster, s: Scores) -> None:
    names = surfaces(c)
    found = [(norm(q.text).lower(), q) for q in c.story.quotes]
    for g in c.row.get("quotes", []):
        want = norm(g["text"]).lower().strip(" .,")
        s.n["quotes gold"] += 1
        match = next((q for t, q in found if want in t or (len(t) > 20 and t in want)), None)
        if match is None:
            continue
        s.n["quotes found"] += 1
        speaker = names.get(match.speaker or "", set()) | {(match.speaker_text or "").lower()}
        surname = g["speaker"].lower().split()[-1]
        if any(surname in f for f in speaker if f):
            s.n["quotes attributed"] += 1


def score_boilerplate(c: Cluster, s: Scores) -> None:
    facts = " ".join(norm(f.text) for f in c.story.facts)
    for art in c.row["articles"]:
        a = c.art.get(art["id"])
        for line in art.get("boilerplate", []):
            s.n["boilerplate gold"] += 1
            if a is not None and norm(line.strip()) in norm(a.clean_text):
                s.n["boilerplate leaked"] += 1
                if norm(line.strip()) in facts:
                    s.n["boilerplate in facts"] += 1


def score_anchor(c: Cluster, s: Scores, encoder: Any) -> None:
    """MiniLM cosine of every sentence pair of two independent articles."""

    sents = [(x, sent) for x in c.story.articles for sent in c.story.sentences.get(x.id, ())]
    if len(sents) < 2:
        return
    vecs = encoder.encode([sent.text for _, sent in sents])
    sims = vecs @ vecs.T
    agreements = [
        [c.span(x, e) for x, e in zip(g["articles"], g["evidence"], strict=False)]
        for g in c.row.get("agreements", [])
    ]
    conflicts = [(a, b) for _, a, b in labelled_pairs(c, "conflicts")]
    non = [(a, b) for _, a, b in labelled_pairs(c, "non_conflicts")]
    best = [0.0] * len(agreements)
    for i, (xa, sa) in enumerate(sents):
        for j in range(i + 1, len(sents)):
            xb, sb = sents[j]
            la, lb = c.label.get(xa.id), c.label.get(xb.id)
            if la is None or lb is None or c.root[la] == c.root[lb]:
                continue
            cos = float(sims[i, j])
            ca, cb = [_Cite(xa.id, sa.start, sa.end)], [_Cite(xb.id, sb.start, sb.end)]
            right = False
            for k, sp in enumerate(agreements):
                if any(
                    pair_on(ca, cb, sp[m], sp[n])
                    for m in range(len(sp))
                    for n in range(m + 1, len(sp))
                ):
                    best[k] = max(best[k], cos)
                    right = True
            right = right or any(pair_on(ca, cb, a, b) for a, b in non)
            if right:
                s.anchor.append((cos, "right"))
            elif any(pair_on(ca, cb, a, b) for a, b in conflicts):
                s.anchor.append((cos, "wrong"))
            else:
                s.anchor.append((cos, "unjudged"))
    s.anchor_gold.append(best)


@dataclass(frozen=True)
class _Cite:
    article_id: str
    start: int
    end: int
    caption: bool = False


def anchor_at(s: Scores, t: float) -> tuple[float, float, float]:
    """The anchor's judged precision, agreement recall and F1 at threshold t."""
    right = sum(1 for cos, k in s.anchor if cos >= t and k == "right")
    wrong = sum(1 for cos, k in s.anchor if cos >= t and k == "wrong")
    gold = [b for cl in s.anchor_gold for b in cl]
    rec = sum(b >= t for b in gold) / len(gold) if gold else 0.0
    prec = right / (right + wrong) if right + wrong else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def run(rows: list[dict[str, Any]], embedder: Any, anchor: Any) -> Scores:
    from newsweave.analyze.annotate import Annotator
    from newsweave.pipeline import DigestOptions, digest

    annotator = Annotator()
    s = Scores()
    try:
        for row in rows:
            with tempfile.TemporaryDirectory(prefix="newsweave-compare-") as tmp:
                paths = write_inputs(row, Path(tmp))
                report = digest(
                    [str(p) for p in paths.values()],
                    options=DigestOptions(one_story=True),
                    annotator=annotator,
                    embedder=embedder,
                )
            if not report.stories:
                s.errors.append(f"NO STORY {row['cluster']}")
                continue
            c = Cluster(row, report.stories[0], paths)
            s.n["clusters"] += 1
            s.n["articles"] += len(row["articles"])
            s.n["articles read"] += len(c.art)
            score_agreements(c, s)
            score_conflicts(c, s)
            score_entities(c, s)
            score_quotes(c, s)
            score_boilerplate(c, s)
            if anchor is not None:
                score_anchor(c, s, anchor)
    finally:
        annotator.close()
    return s


def ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "-"


def table(results: dict[str, Scores], threshold: float | None) -> str:
    rows = [
        (
            "clusters (articles read / written)",
            lambda s: f"{s.n['clusters']} ({s.n['articles read']}/{s.n['articles']})",
        ),
        ("agreements found (recall)", lambda s: ratio(s.n["agree found"], s.n["agree gold"])),
        (
            "paraphrased agreements found",
            lambda s: ratio(s.n["agree found paraphrase"], s.n["agree gold paraphrase"]),
        ),
        (
            "agreed facts judged right (precision)",
            lambda s: ratio(
                s.n["agree judged right"], s.n["agree judged right"] + s.n["agree judged wrong"]
            ),
        ),
        ("agreed facts on unlabelled pairs", lambda s: str(s.n["agree unjudged"])),
        (
            "conflicts found (contradiction + update recall)",
            lambda s: ratio(s.n["conflict found"], s.n["conflict gold"]),
        ),
        (
            "reported conflict pairs on a labelled conflict (precision)",
            lambda s: ratio(s.n["conflict right"], s.n["conflict reported"]),
        ),
        (
            "planted non-conflicts reported as contradictions",
            lambda s: ratio(sum(s.why_hit.values()), sum(s.why_gold.values())),
        ),
        (
            "entity variant pairs merged",
            lambda s: ratio(s.n["entity pairs merged"], s.n["entity pairs"]),
        ),
        ("quotes found", lambda s: ratio(s.n["quotes found"], s.n["quotes gold"])),
        (
            "quotes attributed to the right speaker",
            lambda s: ratio(s.n["quotes attributed"], s.n["quotes gold"]),
        ),
        (
            "boilerplate lines leaked into the clean text",
            lambda s: ratio(s.n["boilerplate leaked"], s.n["boilerplate gold"]),
        ),
        (
            "boilerplate lines in facts",
            lambda s: ratio(s.n["boilerplate in facts"], s.n["boilerplate gold"]),
        ),
        (
            "agreed facts inflated by a copy or translation",
            lambda s: ratio(s.n["facts inflated"], s.n["facts multi"]),
        ),
    ]
    names = list(results)
    out = ["| measure | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for label, fn in rows:
        out.append(f"| {label} | " + " | ".join(fn(results[n]) for n in names) + " |")
    if threshold is not None:
        for n in names:
            p, r, f = anchor_at(results[n], threshold)
            out.append(
                f"| anchor (MiniLM cosine >= {threshold:.2f}) on {n}: precision / recall / F1 | {p:.2f} / {r:.2f} / {f:.2f} |"
                + " |" * (len(names) - 1)
            )
    out += breakdown(results, "Conflicts found by slot", "slot", "slot_found", "slot_gold")
    out += breakdown(
        results,
        "Planted non-conflicts reported as a contradiction or update, by reason",
        "reason",
        "why_hit",
        "why_gold",
    )
    return "\n".join(out)


def breakdown(results: dict[str, Scores], title: str, head: str, hit: str, gold: str) -> list[str]:
    """A table of one count per key (slot, reason) in each split: ``hit`` of ``gold``."""
    names = list(results)
    keys = sorted({k for s in results.values() for k in getattr(s, gold)})
    out = ["", f"{title}:", "", f"| {head} | " + " | ".join(names) + " |"]
    out.append("| --- |" + " ---: |" * len(names))
    for key in keys:
        cells = [
            ratio(getattr(results[n], hit)[key], getattr(results[n], gold)[key]) for n in names
        ]
        out.append(f"| {key} | " + " | ".join(cells) + " |")
    return out


def best_anchor_threshold(s: Scores) -> float:
    grid = [x / 100 for x in range(30, 96)]
    return max(grid, key=lambda t: (anchor_at(s, t)[2], -t))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="unused; every bench takes it")
    ap.add_argument("--sets", type=Path, default=SETS)
    ap.add_argument("--split", choices=("dev", "test", "both"), default="dev")
    ap.add_argument("--errors", type=int, default=0, help="print this many errors of dev")
    args = ap.parse_args(argv)
    from newsweave.analyze.embed import Embedder

    embedder = Embedder()  # newsweave's own sentence model, as a default digest loads it
    try:
        from newsweave.analyze.embed import MiniLM

        anchor: Any = MiniLM()
    except Exception:
        anchor = None
    splits = ("dev", "test") if args.split == "both" else (args.split,)
    results: dict[str, Scores] = {}
    started = time.perf_counter()
    for split in splits:
        results[split] = run(load(args.sets, split), embedder, anchor)
    threshold = None
    if anchor is not None and "dev" in results:
        threshold = best_anchor_threshold(results["dev"])
    print(f"$ python bench/compare_eval.py {shlex.join(sys.argv[1:])}".rstrip())
    print(f"({time.perf_counter() - started:.0f} s)\n")
    print(table(results, threshold))
    if args.errors and "dev" in results:
        kinds = Counter(e.split(":")[0].rsplit(" ", 1)[0] for e in results["dev"].errors)
        print("\nerrors on dev:", dict(kinds))
        by_kind: dict[str, list[str]] = defaultdict(list)
        for e in results["dev"].errors:
            by_kind[e.split(" ")[0] + " " + e.split(" ")[1]].append(e)
        for lines in by_kind.values():
            print("\n".join(lines[: args.errors]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
