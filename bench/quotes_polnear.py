"""Quote attribution: newsweave's extractor on PolNeAR dev, beside textacy's direct quotations.

Why: newsweave compares what outlets report people as saying, so who said what (source, cue,
content) is what its quote views rest on. PolNeAR (Newell et al. 2018) annotates exactly that
on 2016-election news from seven US outlets, and textacy 0.13's rule-based
``textacy.extract.triples.direct_quotations`` run in the same process on the same spaCy docs
is the anchor: it shows that data and scorer behave, and gives a floor to beat.

Extractors, both on one ``Doc`` per distinct article, parsed once from the raw ``text`` with
``newsweave.analyze.nlp.load()`` (the pipeline newsweave analyses text with):

* ``system``: ``newsweave.analyze.quotes.find_attributions(doc)``; each ``Attribution`` gives
  ``kind`` ("direct"/"indirect") and character spans for content (one or more), cue and source.
  When the module is missing, the anchor runs alone.
* ``anchor``: textacy's ``direct_quotations(doc)``. textacy reads coarse POS and lemmas, which
  newsweave's pipeline leaves out, so the model's own ``attribute_ruler`` and ``lemmatizer``
  are run on the doc after the system has seen it (tokens, sentences and parse are unchanged)
  and their time is counted in the anchor's. A speaker or cue (a token list) becomes one span
  from its first token's start to its last token's end; content is the quote span, marks
  included. textacy gives up on a whole document with an odd number of quote tokens
  (``ValueError``; spaCy counts ' ’ ‘ tokens as quotes too): such documents get no anchor
  quotes, and their number is printed.

Gold: ``DIR/polnear/polnear.jsonl``, lines with ``split == "dev"`` (one per article and
annotator). Two dev articles were annotated by six annotators each, the rest by one: each
annotation file is scored on its own against the predictions for its article, and counts are
summed over files (micro-average), so those two articles weigh six times. Attributions without
a Content span (one in dev) are dropped; Source may be absent.

Gold direct quotes: PolNeAR marks direct, indirect and mixed attributions alike. Quoted text is
found per paragraph (a newline ends one): each of " “ ” toggles between outside and inside a
quotation (the data mixes straight and curly marks and sometimes opens with ”), and a quotation
still open at a paragraph's end runs to it (the convention for quotes spanning paragraphs). An
attribution is a direct quote when quoted characters, marks included, make up at least half
(``--direct-threshold``) of its Content's non-space characters.

Scoring, per role (source, cue, content), with each role an independent set of items per
annotation file: an item is one attribution's spans for that role (content may have several).
Every span is first stripped, at both ends, of whitespace, quotation marks " “ ” ' ‘ ’ « »
and the punctuation . , ; : ! ? … - – — (a span of nothing else, such as a cue ``:``, only of
whitespace); empty spans are dropped, and neighbouring spans with nothing but such characters
between them are merged: gold sometimes cuts one quotation at a sentence end ("A. | B."), or
gives ``“A,” “B.”`` as two spans, and a system may do either. Then duplicate items are dropped.

* exact: a predicted item is correct when its stripped spans equal a gold item's;
* overlap: a predicted item matches a gold item when they share a character; pairs are taken
  greedily by largest overlap, each gold and each predicted item used at most once.

Source (cue) given content: predicted attributions are paired one-to-one with gold ones by
content overlap (greedy, as above); the accuracy is the share of pairs whose predicted source
(cue) overlaps the gold one, both absent counting as agreement. The direct-quote tables use
the system's ``kind == "direct"`` attributions and gold direct quotes; the all-attributions
tables use everything (the anchor finds direct quotes only, so its recall there is low).

Usage: ``python bench/quotes_polnear.py [--data DIR] [--limit N] [--direct-threshold F]``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("../shared/data")
DATA_FILE = Path("polnear") / "polnear.jsonl"
README_FILE = Path("polnear") / "README.txt"
SPLIT = "dev"
ROLES = ("source", "cue", "content")
CRITERIA = ("exact", "overlap")
QUOTE_MARKS = '"“”'
STRIP = " \t\r\n\u00a0" + "\"“”'‘’«»" + ".,;:!?…-–—"
DIRECT_THRESHOLD = 0.5

Span = tuple[int, int]
Item = tuple[Span, ...]  # one role of one attribution; () when absent


@dataclass(frozen=True, slots=True)
class Attr:
    """One attribution, gold or predicted, as stripped character spans per role."""

    content: Item
    cue: Item
    source: Item
    direct: bool

    def role(self, name: str) -> Item:
        return getattr(self, name)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class AnnotationFile:
    """One annotator's attributions for one article."""

    article: str
    annotator: str
    attrs: tuple[Attr, ...]


# --- spans ---------------------------------------------------------------------------------


def strip_span(text: str, start: int, end: int) -> Span | None:
    """The span without STRIP characters at either end; None when it is all whitespace.

    A span of punctuation only (a cue ``:`` in an interview transcript) is kept whole, less
    surrounding whitespace.
    """
    s, e = start, end
    while s < e and text[s] in STRIP:
        s += 1
    while e > s and text[e - 1] in STRIP:
        e -= 1
    if s < e:
        return s, e
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def make_item(text: str, spans: Iterable[Sequence[int]]) -> Item:
    """Stripped, sorted, non-empty spans; neighbours with only STRIP characters between merged."""
    out = sorted(sp for s, e in spans if (sp := strip_span(text, s, e)) is not None)
    merged: list[Span] = []
    for start, end in out:
        if merged and all(ch in STRIP for ch in text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def overlap(a: Item, b: Item) -> int:
    """Characters shared by two items."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def greedy_pairs(pred: Sequence[Item], gold: Sequence[Item]) -> list[tuple[int, int]]:
    """One-to-one (pred, gold) index pairs that overlap, largest overlap first."""
    cands = sorted(
        (-n, i, j)
        for i, p in enumerate(pred)
        for j, g in enumerate(gold)
        if (n := overlap(p, g)) > 0
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


# --- gold ----------------------------------------------------------------------------------


def quoted_mask(text: str) -> bytearray:
    """1 for each character inside a quotation (marks included), per the module's rule."""
    mask = bytearray(len(text))
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n":
            if open_at is not None:  # unclosed at paragraph end: runs to it
                mask[open_at:i] = b"\x01" * (i - open_at)
                open_at = None
        elif ch in QUOTE_MARKS:
            if open_at is None:
                open_at = i
            else:
                mask[open_at : i + 1] = b"\x01" * (i + 1 - open_at)
                open_at = None
    if open_at is not None:
        mask[open_at:] = b"\x01" * (len(text) - open_at)
    return mask


def quoted_share(text: str, mask: bytearray, spans: Iterable[Sequence[int]]) -> float:
    """Share of the spans' non-space characters that lie inside quotations."""
    chars = [i for s, e in spans for i in range(s, e) if not text[i].isspace()]
    return sum(mask[i] for i in chars) / len(chars) if chars else 0.0


def read_gold(
    path: Path, limit: int | None, threshold: float
) -> tuple[dict[str, str], list[AnnotationFile], int]:
    """Dev texts by article id, annotation files, and the number of dropped attributions."""
    texts: dict[str, str] = {}
    files: list[AnnotationFile] = []
    dropped = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["split"] != SPLIT:
                continue
            article, text = row["article"], row["text"]
            if article not in texts:
                if limit is not None and len(texts) >= limit:
                    continue
                texts[article] = text
            mask = quoted_mask(text)
            attrs = []
            for a in row["attributions"]:
                content = a.get("Content")
                if not content:
                    dropped += 1
                    continue
                share = quoted_share(text, mask, content["spans"])
                attrs.append(
                    Attr(
                        content=make_item(text, content["spans"]),
                        cue=make_item(text, a["Cue"]["spans"] if a.get("Cue") else []),
                        source=make_item(text, a["Source"]["spans"] if a.get("Source") else []),
                        direct=share >= threshold,
                    )
                )
            files.append(AnnotationFile(article, row["annotator"], tuple(attrs)))
    return texts, files, dropped


# --- extractors ----------------------------------------------------------------------------


def system_extractor() -> Callable[[Doc], list[Attr]] | None:
    """newsweave's extractor as a function of a doc, or None when not written yet."""
    try:
        from newsweave.analyze.quotes import find_attributions
    except ImportError:
        return None

    def run(doc: Doc) -> list[Attr]:
        text = doc.text
        return [
            Attr(
                content=make_item(text, a.content),
                cue=make_item(text, [a.cue] if a.cue else []),
                source=make_item(text, [a.source] if a.source else []),
                direct=a.kind in ("direct", "mixed"),
            )
            for a in find_attributions(doc)
        ]

    return run


class Anchor:
    """textacy's direct quotations, after the POS and lemma components textacy needs."""

    def __init__(self) -> None:
        import spacy
        import textacy.extract.triples  # noqa: F401  (imported before timing)

        from newsweave.analyze.nlp import EXCLUDE, MODEL

        full = spacy.load(MODEL)  # the components newsweave's pipeline leaves out
        self.enrich: list[Callable[[Doc], Doc]] = [p for n, p in full.pipeline if n in EXCLUDE]
        self.bailed = 0  # documents textacy gave up on (odd number of quote tokens)

    def __call__(self, doc: Doc) -> list[Attr]:
        from textacy.extract.triples import direct_quotations

        for pipe in self.enrich:
            doc = pipe(doc)
        try:
            triples = list(direct_quotations(doc))
        except ValueError:
            self.bailed += 1
            return []
        text = doc.text
        out = []
        for speaker, cue, content in triples:
            out.append(
                Attr(
                    content=make_item(text, [(content.start_char, content.end_char)]),
                    cue=make_item(text, [token_range(cue)]),
                    source=make_item(text, [token_range(speaker)]),
                    direct=True,
                )
            )
        return out


def token_range(tokens: Sequence[object]) -> Span:
    """From the first token's start to the last token's end."""
    starts = [t.idx for t in tokens]  # type: ignore[attr-defined]
    ends = [t.idx + len(t) for t in tokens]  # type: ignore[attr-defined, arg-type]
    return min(starts), max(ends)


# --- scoring -------------------------------------------------------------------------------


@dataclass(slots=True)
class PRF:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def f(self) -> tuple[float, float, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(slots=True)
class Scores:
    """Counts for one extractor on one subset (direct quotes or all attributions)."""

    prf: dict[tuple[str, str], PRF] = field(
        default_factory=lambda: {(c, r): PRF() for c in CRITERIA for r in ROLES}
    )
    pairs: int = 0  # predicted-gold attribution pairs by content overlap
    source_ok: int = 0
    cue_ok: int = 0

    def add(self, pred: Sequence[Attr], gold: Sequence[Attr]) -> None:
        for role in ROLES:
            p_items = list(dict.fromkeys(a.role(role) for a in pred if a.role(role)))
            g_items = list(dict.fromkeys(a.role(role) for a in gold if a.role(role)))
            hits = {
                "exact": len(set(p_items) & set(g_items)),
                "overlap": len(greedy_pairs(p_items, g_items)),
            }
            for crit, tp in hits.items():
                s = self.prf[crit, role]
                s.tp += tp
                s.n_pred += len(p_items)
                s.n_gold += len(g_items)
        for i, j in greedy_pairs([a.content for a in pred], [a.content for a in gold]):
            self.pairs += 1
            self.source_ok += agree(pred[i].source, gold[j].source)
            self.cue_ok += agree(pred[i].cue, gold[j].cue)


def agree(pred: Item, gold: Item) -> bool:
    """Both absent, or overlapping."""
    return (not pred and not gold) or overlap(pred, gold) > 0


# --- report --------------------------------------------------------------------------------


def prf_table(rows: dict[str, Scores], crit: str) -> str:
    head = ["extractor"] + [f"{r} {m}" for r in ROLES for m in ("P", "R", "F1")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, sc in rows.items():
        cells = [f"{v:.3f}" for r in ROLES for v in sc.prf[crit, r].f()]
        lines.append("| " + " | ".join([name, *cells]) + " |")
    return "\n".join(lines)


def given_table(rows: dict[str, Scores]) -> str:
    lines = [
        "| extractor | content pairs | source given content | cue given content |",
        "|---|---|---|---|",
    ]
    for name, sc in rows.items():
        acc_s = sc.source_ok / sc.pairs if sc.pairs else 0.0
        acc_c = sc.cue_ok / sc.pairs if sc.pairs else 0.0
        lines.append(f"| {name} | {sc.pairs:,} | {acc_s:.3f} | {acc_c:.3f} |")
    return "\n".join(lines)


def counts_line(rows: dict[str, Scores]) -> str:
    any_sc = next(iter(rows.values()))
    gold = ", ".join(f"{r} {any_sc.prf['exact', r].n_gold:,}" for r in ROLES)
    pred = "; ".join(
        f"{name}: " + ", ".join(f"{r} {sc.prf['exact', r].n_pred:,}" for r in ROLES)
        for name, sc in rows.items()
    )
    return f"Distinct items: gold {gold}. Predicted {pred}."


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with polnear/")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    ap.add_argument(
        "--direct-threshold",
        type=float,
        default=DIRECT_THRESHOLD,
        help="least quoted share of a gold Content for a direct quote (default 0.5)",
    )
    args = ap.parse_args(argv)
    data = args.data if args.data.is_absolute() else (REPO / args.data).resolve()
    if not (data / DATA_FILE).is_file():
        print(f"error: {data / DATA_FILE} not found", file=sys.stderr)
        return 2
    readme = (data / README_FILE).read_text(encoding="utf-8").splitlines()
    texts, files, dropped = read_gold(data / DATA_FILE, args.limit, args.direct_threshold)

    from newsweave.analyze.nlp import load

    wall = time.perf_counter()
    nlp = load()
    t0 = time.perf_counter()
    docs = dict(zip(texts, nlp.pipe(texts.values()), strict=True))
    parse_s = time.perf_counter() - t0

    extractors: dict[str, Callable[[Doc], list[Attr]]] = {}
    system = system_extractor()
    if system is None:
        print("newsweave.analyze.quotes not available yet")
    else:
        extractors["system"] = system
    anchor = Anchor()
    extractors["anchor"] = anchor  # after the system: it adds POS and lemmas to the docs

    preds: dict[str, dict[str, list[Attr]]] = {}
    seconds: dict[str, float] = {}
    for name, extract in extractors.items():
        t0 = time.perf_counter()
        preds[name] = {art: extract(doc) for art, doc in docs.items()}
        seconds[name] = time.perf_counter() - t0

    subsets = {"Direct quotes": True, "All attributions": False}
    results: dict[str, dict[str, Scores]] = {}
    for subset, direct_only in subsets.items():
        results[subset] = {}
        for name in extractors:
            sc = Scores()
            for f in files:
                pred = [a for a in preds[name][f.article] if a.direct or not direct_only]
                gold = [a for a in f.attrs if a.direct or not direct_only]
                sc.add(pred, gold)
            results[subset][name] = sc
    wall = time.perf_counter() - wall

    n_all = sum(len(f.attrs) for f in files)
    n_direct = sum(a.direct for f in files for a in f.attrs)
    cmd = shlex.join([".venv/bin/python", *sys.argv] if argv is None else [__file__, *argv])
    print(f"# Quote attribution on PolNeAR {SPLIT}: {readme[0]}")
    print(f"`{cmd}`\n")
    print(
        f"{len(texts)} articles, {len(files)} annotation files (scored one by one, counts "
        f"summed); {n_all:,} gold attributions ({dropped} without content dropped), of them "
        f"{n_direct:,} direct quotes (quoted share of content >= {args.direct_threshold:g})."
    )
    for subset, rows in results.items():
        print(f"\n## {subset}\n\n{counts_line(rows)}\n")
        for crit in CRITERIA:
            print(f"{subset}, {crit} spans:\n\n{prf_table(rows, crit)}\n")
        print(f"{subset}, attributions paired by content overlap:\n\n{given_table(rows)}")

    print("\n## Speed\n\n| step | docs | seconds | docs/s |\n|---|---|---|---|")
    n = len(docs)
    steps = {"spaCy parse (newsweave pipeline)": parse_s} | {
        ("anchor (incl. attribute_ruler + lemmatizer)" if k == "anchor" else k): v
        for k, v in seconds.items()
    }
    for step, s in steps.items():
        print(f"| {step} | {n} | {s:.2f} | {n / s if s else 0.0:.1f} |")
    print(f"\ntextacy gave up on {anchor.bailed} of {n} documents (odd number of quote tokens).")
    print(f"Wall time (model load, parse, extraction, scoring): {wall:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
