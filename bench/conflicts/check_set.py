"""Validate bench/conflicts/clusters.jsonl and print label counts.

Usage: python bench/conflicts/check_set.py [path/to/clusters.jsonl]
Exits 1 and lists every problem when the file does not follow the schema in README.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

KINDS = {"contradiction", "update", "possible"}
SLOTS = {"number", "date", "name", "role", "place", "age", "negation"}
WHYS = {
    "rounding",
    "spelled-out number",
    "different measure",
    "different entity",
    "different event",
    "different time of measurement",
    "paraphrase",
    "hedged vs plain",
}
CLUSTER_KEYS = {"cluster", "topic", "articles", "conflicts", "non_conflicts"}
ARTICLE_KEYS = {"id", "outlet", "published", "text"}
CONFLICT_KEYS = {"kind", "slot", "what", "values", "articles", "evidence"}
NON_CONFLICT_KEYS = {"why", "articles", "evidence"}
MAX_EVIDENCE = 120
# Sentence end: . ! or ? (optionally closed by a quote) followed by space and a capital/quote.
SENTENCE_END = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"])")
MINIMUMS = {"clusters": 30, "contradiction": 15, "update": 8, "possible": 8, "non_conflicts": 25}


def sentence_count(text: str) -> int:
    return len(SENTENCE_END.split(text.strip()))


def check_pair(
    where: str,
    item: dict[str, Any],
    texts: dict[str, str],
    errors: list[str],
) -> list[str]:
    """Check the `articles`/`evidence` pair shared by conflicts and non-conflicts."""
    arts = item.get("articles")
    evidence = item.get("evidence")
    if not (isinstance(arts, list) and len(arts) == 2 and all(isinstance(a, str) for a in arts)):
        errors.append(f"{where}: articles must be a list of two ids")
        return []
    if arts[0] == arts[1]:
        errors.append(f"{where}: articles must be two different ids")
    for art in arts:
        if art not in texts:
            errors.append(f"{where}: unknown article {art!r}")
    if not (isinstance(evidence, list) and len(evidence) == 2):
        errors.append(f"{where}: evidence must be a list of two strings")
        return arts
    for art, ev in zip(arts, evidence, strict=True):
        if not isinstance(ev, str) or not ev:
            errors.append(f"{where}: evidence must be non-empty strings")
        elif len(ev) > MAX_EVIDENCE:
            errors.append(f"{where}: evidence longer than {MAX_EVIDENCE} chars: {ev!r}")
        elif art in texts and ev not in texts[art]:
            errors.append(f"{where}: evidence {ev!r} not in article {art!r}")
    return arts


def check_cluster(obj: Any, lineno: int, errors: list[str], counts: Counter[str]) -> None:
    if not isinstance(obj, dict):
        errors.append(f"line {lineno}: not a JSON object")
        return
    name = str(obj.get("cluster", f"line {lineno}"))
    if set(obj) != CLUSTER_KEYS:
        errors.append(f"{name}: keys {sorted(obj)} != {sorted(CLUSTER_KEYS)}")
        return
    if not isinstance(obj["topic"], str) or not obj["topic"].strip():
        errors.append(f"{name}: empty topic")

    articles = obj["articles"]
    if not isinstance(articles, list) or not 2 <= len(articles) <= 5:
        errors.append(f"{name}: needs 2 to 5 articles")
        return
    texts: dict[str, str] = {}
    dates: dict[str, dt.date] = {}
    for art in articles:
        if not isinstance(art, dict) or set(art) != ARTICLE_KEYS:
            errors.append(f"{name}: article keys must be {sorted(ARTICLE_KEYS)}")
            continue
        aid = art["id"]
        if aid in texts:
            errors.append(f"{name}: duplicate article id {aid!r}")
        texts[aid] = art["text"]
        try:
            dates[aid] = dt.date.fromisoformat(art["published"])
        except (TypeError, ValueError):
            errors.append(f"{name}/{aid}: published {art['published']!r} is not YYYY-MM-DD")
        n_sent = sentence_count(art["text"])
        if not 2 <= n_sent <= 6:
            errors.append(f"{name}/{aid}: {n_sent} sentences, expected 2 to 6")
    counts["articles"] += len(articles)

    conflicts = obj["conflicts"]
    non_conflicts = obj["non_conflicts"]
    if not isinstance(conflicts, list) or not isinstance(non_conflicts, list):
        errors.append(f"{name}: conflicts and non_conflicts must be lists")
        return
    if not conflicts:
        counts["clusters without conflicts"] += 1

    for i, conf in enumerate(conflicts):
        where = f"{name}/conflicts[{i}]"
        if not isinstance(conf, dict) or set(conf) != CONFLICT_KEYS:
            errors.append(f"{where}: keys must be {sorted(CONFLICT_KEYS)}")
            continue
        kind, slot = conf["kind"], conf["slot"]
        if kind not in KINDS:
            errors.append(f"{where}: bad kind {kind!r}")
        if slot not in SLOTS:
            errors.append(f"{where}: bad slot {slot!r}")
        if not isinstance(conf["what"], str) or not conf["what"]:
            errors.append(f"{where}: empty 'what'")
        values = conf["values"]
        if not (
            isinstance(values, list)
            and len(values) == 2
            and all(isinstance(v, str) for v in values)
        ):
            errors.append(f"{where}: values must be two strings")
        elif kind != "possible" and values[0] == values[1]:
            errors.append(f"{where}: a {kind} needs two different values")
        arts = check_pair(where, conf, texts, errors)
        dated = len(arts) == 2 and all(a in dates for a in arts)
        if kind == "update" and dated and dates[arts[0]] == dates[arts[1]]:
            errors.append(f"{where}: update between articles published the same day")
        counts[kind] += 1
        counts[f"{kind}/{slot}"] += 1

    for i, non in enumerate(non_conflicts):
        where = f"{name}/non_conflicts[{i}]"
        if not isinstance(non, dict) or set(non) != NON_CONFLICT_KEYS:
            errors.append(f"{where}: keys must be {sorted(NON_CONFLICT_KEYS)}")
            continue
        if non["why"] not in WHYS:
            errors.append(f"{where}: bad why {non['why']!r}")
        check_pair(where, non, texts, errors)
        counts["non_conflicts"] += 1
        counts[f"non_conflict/{non['why']}"] += 1


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("clusters.jsonl")
    errors: list[str] = []
    counts: Counter[str] = Counter()
    names: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {lineno}: invalid JSON ({exc})")
                continue
            name = obj.get("cluster") if isinstance(obj, dict) else None
            if name in names:
                errors.append(f"line {lineno}: duplicate cluster {name!r}")
            names.add(str(name))
            counts["clusters"] += 1
            check_cluster(obj, lineno, errors, counts)

    for key, minimum in MINIMUMS.items():
        if counts[key] < minimum:
            errors.append(f"only {counts[key]} {key}, expected at least {minimum}")
    for slot in sorted(SLOTS):
        if counts[f"contradiction/{slot}"] == 0:
            errors.append(f"no contradiction with slot {slot!r}")

    for key in sorted(counts):
        print(f"{key:40s} {counts[key]}")
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for err in errors:
            print(f"  {err}", file=sys.stderr)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
