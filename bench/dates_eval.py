"""Dates on real news text: do yearless and relative dates land where the events are?

Timeline17's articles are real agency and newspaper text, each with its publication date,
and each topic has editors' timelines of the dates that matter. Every yearless or relative
date newsweave resolves in an article ("on March 3", "Tuesday", "in December", "Friday 19
September") is checked against the timelines of the article's topic:

* in span: it falls within the first and last date of a timeline of the topic (a wrong year
  or a week off usually falls out);
* on a gold date: it is one of the timelines' dates (a day-precision date only).

Also counted: expressions newsweave now reads as part of a name ("Super Tuesday", "CBS This
Morning", "the Sunday Times"), with a sample printed to check by hand (``--show N``).

    python bench/dates_eval.py [--data ../shared/data] [--show 30]

Reads ``timeline17/articles.jsonl`` (``topic``, ``date``, ``text``) and
``timeline17/timelines.jsonl`` (``topic``, ``entries`` of ``date``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"

WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


def group_of(text: str) -> str:
    """What kind of expression this is, read from its words (so that any version of the
    date code is scored the same way)."""
    if MONTH.search(text) and re.search(r"\d", text):
        return "month and day" + (" and weekday" if WEEKDAY.search(text) else "")
    if WEEKDAY.search(text):
        return "weekday"
    if MONTH.search(text):
        return "month"
    return "other relative (yesterday, ago, last week)"


def main(argv: Sequence[str] | None = None) -> int:
    """Score the resolved dates and print one table."""
    from newsweave.analyze import temporal

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--show", type=int, default=20, help="expressions read as names to print")
    args = ap.parse_args(argv)
    folder = args.data / "timeline17"
    gold: dict[str, set[date]] = defaultdict(set)
    for line in (folder / "timelines.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        for entry in row["entries"]:
            try:
                gold[row["topic"]].add(date.fromisoformat(entry["date"]))
            except ValueError:
                continue  # a malformed date in the data ("2011-04-0")
    spans = {t: (min(d), max(d)) for t, d in gold.items()}
    n: Counter[str] = Counter()
    in_span: Counter[str] = Counter()
    on_gold: Counter[str] = Counter()
    names: list[str] = []
    for line in (folder / "articles.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["topic"] not in gold:
            continue
        anchor = date.fromisoformat(row["date"])
        lo, hi = spans[row["topic"]]
        for sentence in row["text"].split("\n"):
            for t in temporal.find_times(sentence, anchor, "en"):
                if not t.relative or t.value is None:
                    continue
                group = group_of(t.text)
                n[group] += 1
                in_span[group] += lo <= t.value <= hi
                on_gold[group] += (
                    t.precision is temporal.Precision.DAY and t.value in gold[row["topic"]]
                )
            names += [f"{m} | {sentence.strip()[:160]}" for m in temporal.names_in(sentence)]
    print(f"$ python bench/dates_eval.py {' '.join(sys.argv[1:])}".rstrip())
    print("\n| expression | resolved | in a timeline's span | on a gold date |")
    print("| --- | ---: | ---: | ---: |")
    for group in sorted(n, key=lambda g: -n[g]):
        k = n[group]
        print(f"| {group} | {k} | {in_span[group] / k:.3f} | {on_gold[group] / k:.3f} |")
    total = sum(n.values())
    print(
        f"| all | {total} | {sum(in_span.values()) / total:.3f} | "
        f"{sum(on_gold.values()) / total:.3f} |"
    )
    print(f"\nexpressions read as part of a name: {len(names)}")
    for s in random.Random(0).sample(names, min(args.show, len(names))):
        print("  " + re.sub(r"\s+", " ", s))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
