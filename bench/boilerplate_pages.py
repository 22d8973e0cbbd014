"""The learned boilerplate-line model on real pages it never saw: trafilatura's evaluation set.

trafilatura's repository (adbar/trafilatura) keeps about 990 real web pages in
``tests/eval/`` with ``tests/evaldata.json``: for each page, snippets that belong to its main
text (``with``) and snippets that do not (``without``). Fetch the repository and pass the
folder holding ``evaldata.json`` as ``--pages``; nothing of it is copied here. Each page is
read by newsweave's HTML ingester (which keeps trafilatura's main text and applies
newsweave's rule-based cleaning), then the learned model
(:func:`newsweave.clean.learned.remove_learned_boilerplate`) runs over its lines. Reported:

* **news lines removed**: ``with`` snippets present in the cleaned text before the model
  and gone after it (the model's false removals; the lower the better);
* **furniture removed**: ``without`` snippets that survived the ingester and the model
  removes (its true removals).

Only pages in a language the sentence model reads count. Usage:
``python bench/boilerplate_pages.py --pages DIR [--limit N] [--show N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def norm(text: str) -> str:
    """Whitespace folded, so snippets match the cleaned text."""
    return re.sub(r"\s+", " ", text).strip()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, required=True, help="folder with evaldata.json and eval/")
    ap.add_argument("--data", type=Path, default=Path("../shared/data"), help="unused")
    ap.add_argument("--limit", type=int, default=0, help="first N pages only (0: all)")
    ap.add_argument("--show", type=int, default=10, help="print this many false removals")
    ap.add_argument(
        "--cutoffs", default="", help="comma-separated cut-offs to try (default: the model's)"
    )
    ap.add_argument(
        "--half",
        choices=("dev", "test", "all"),
        default="all",
        help="pages by a hash of the file name: dev to choose settings, test to score once",
    )
    args = ap.parse_args(argv)
    data = json.loads((args.pages / "evaldata.json").read_text(encoding="utf-8"))
    items = [
        v
        for v in data.values()
        if args.half == "all"
        or (int(hashlib.sha256(v["file"].encode()).hexdigest(), 16) % 2 == 0)
        == (args.half == "dev")
    ][: args.limit or None]
    cutoffs: list[float | None] = [float(c) for c in args.cutoffs.split(",") if c] or [None]
    print(f"$ python bench/boilerplate_pages.py {' '.join(sys.argv[1:])}".rstrip())
    for cutoff, result in zip(cutoffs, score(args.pages, items, cutoffs), strict=True):
        report(args, cutoff, *result)
    return 0


Counts = dict[str, int]


def score(
    pages: Path, items: list[dict[str, Any]], cutoffs: list[float | None]
) -> list[tuple[Counts, int, list[str]]]:
    """Each cut-off's counts, lines removed and false removals over the pages (each page
    read and its lines embedded once)."""
    from newsweave.analyze.embed import Embedder, MemoEncoder, reads
    from newsweave.clean.learned import REASON, remove_learned_boilerplate
    from newsweave.ingest import Ingestor
    from newsweave.model import Article

    keys = ("pages", "with kept", "with removed", "without left", "without removed")
    out: list[tuple[Counts, int, list[str]]] = [(dict.fromkeys(keys, 0), 0, []) for _ in cutoffs]

    encoder = Embedder()
    ingestor = Ingestor()
    for item in items:
        path = pages / "eval" / item["file"]
        if not path.is_file():
            continue
        read = [a for a in ingestor.ingest([str(path)]) if isinstance(a, Article)]
        if len(read) != 1 or not reads(encoder, read[0]) or not read[0].language:
            continue
        before = read[0]
        memo = MemoEncoder(encoder)
        for k, cutoff in enumerate(cutoffs):
            n, removed, false = out[k]
            (after,) = remove_learned_boilerplate([before], memo, cutoff)
            n["pages"] += 1
            out[k] = (n, removed + sum(r.reason == REASON for r in after.removed), false)
            b, a = norm(before.clean_text), norm(after.clean_text)
            for snippet in item.get("with", []):
                s = norm(snippet)
                if s and s in b:
                    if s in a:
                        n["with kept"] += 1
                    else:
                        n["with removed"] += 1
                        false.append(f"{item['file']}: {s[:100]!r}")
            for snippet in item.get("without", []):
                s = norm(snippet)
                if s and s in b:
                    n["without left"] += 1
                    n["without removed"] += s not in a
    return out


def report(
    args: argparse.Namespace, cutoff: float | None, n: Counts, lines_removed: int, false: list[str]
) -> None:
    """One cut-off's table."""
    print(
        f"\ncut-off {cutoff if cutoff is not None else 'of the model'}: {n['pages']} pages in a "
        f"language the sentence model reads; {lines_removed} lines removed\n"
    )
    seen_with = n["with kept"] + n["with removed"]
    print("| measure | count | share |")
    print("|---|---:|---:|")
    print(
        f"| main-text snippets removed (false removals) | {n['with removed']} of {seen_with} "
        f"| {n['with removed'] / max(seen_with, 1):.3f} |"
    )
    print(
        f"| furniture snippets removed (of those the ingester left) | {n['without removed']} of "
        f"{n['without left']} | {n['without removed'] / max(n['without left'], 1):.3f} |"
    )
    if false and args.show:
        print("\nfalse removals:")
        print("\n".join(false[: args.show]))


if __name__ == "__main__":
    sys.exit(main())
