"""Real pages through the whole digest: does anything end the run, and what is skipped?

Reads a folder of saved web pages (``--pages DIR``; for instance the HTML files of
trafilatura's ``tests/cache`` and ``tests/eval``, fetched from its public repository; their
text is never committed here) and digests them with the default settings, store on, the
way a new user would: ``newsweave digest PAGES --db ... -f json``. Then digests them again
into the same store (everything read back: nothing stored twice, every story's analysis
kept). Prints one table: exit codes, articles read, inputs skipped by reason, stories,
stories with a stage left out after an internal error, languages, time and peak memory.

    python bench/real_pages.py --pages /tmp/realpages [--limit 300]

``--data`` is accepted like every bench script's, but this one reads only ``--pages``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SKIP_LINE = re.compile(r"^newsweave: skipped (.*?): (.*)$")


def run_digest(pages: Path, db: Path, out: Path, extra: list[str]) -> dict[str, object]:
    """One CLI digest in a child process: exit code, wall time, stderr lines."""
    command = [sys.executable, "-m", "newsweave", "digest", str(pages), "--db", str(db)]
    command += ["-f", "json", "-o", str(out), *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return {
        "code": done.returncode,
        "seconds": time.perf_counter() - started,
        "stderr": done.stderr.splitlines(),
    }


def summarise(report: dict[str, object], stderr: list[str]) -> dict[str, object]:
    """Counts of one run's report and its stderr."""
    stories = report["stories"]
    assert isinstance(stories, list)
    reasons: collections.Counter[str] = collections.Counter()
    for line in stderr:
        m = SKIP_LINE.match(line)
        if m:
            reasons[re.sub(r"\d+", "N", m.group(2))[:70]] += 1
    languages = collections.Counter(
        str(src["language"]) for s in stories for src in s["sources"]
    )
    left_out = [n for s in stories for n in s["notes"] if n.startswith("left out:")]
    return {
        "articles": sum(len(s["sources"]) for s in stories),
        "stories": len(stories),
        "skipped": dict(reasons.most_common()),
        "left_out": left_out,
        "languages": dict(languages.most_common(8)),
        "resumed_line": next((ln for ln in stderr if "read back" in ln), ""),
        "traceback": any("Traceback" in ln for ln in stderr),
    }


def main() -> None:
    """Digest the pages twice into one store and print what happened."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True, help="folder of saved pages")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="unused")
    parser.add_argument("--limit", type=int, default=0, help="first N files only (0: all)")
    parser.add_argument("--no-analysis", action="store_true", help="pass --no-analysis")
    args = parser.parse_args()
    files = sorted(p for p in args.pages.iterdir() if p.is_file())
    if args.limit:
        files = files[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        pile = Path(tmp) / "pages"
        pile.mkdir()
        for f in files:
            os.symlink(f.resolve(), pile / f.name)
        extra = ["--no-analysis"] if args.no_analysis else []
        db, out = Path(tmp) / "n.db", Path(tmp) / "report.json"
        rows = []
        for label in ("first run", "again, same store"):
            run = run_digest(pile, db, out, extra)
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            stderr = run["stderr"]
            assert isinstance(stderr, list)
            report = json.loads(out.read_text()) if out.exists() else {"stories": []}
            rows.append((label, run, peak, summarise(report, stderr)))
            shutil.copy(out, Path(tmp) / f"{label.split()[0]}.json")
    print(f"pages: {len(files)} files from {args.pages}; options: {extra or 'defaults'}")
    print("| run | exit | articles | stories | skipped | stages left out | s | peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, run, peak, s in rows:
        skipped = sum(s["skipped"].values())  # type: ignore[attr-defined]
        print(
            f"| {label} | {run['code']} | {s['articles']} | {s['stories']} | {skipped} | "
            f"{len(s['left_out'])} | {run['seconds']:.1f} | {peak:.0f} |"  # type: ignore[arg-type]
        )
    first = rows[0][3]
    print(f"\nskipped, by reason: {first['skipped']}")
    print(f"languages: {first['languages']}")
    print(f"second run: {rows[1][3]['resumed_line'] or '(no stories read back)'}")
    for note in first["left_out"][:10]:  # type: ignore[index]
        print(f"left out: {note}")
    if any(r[3]["traceback"] or r[1]["code"] not in (0, 1, 2) for r in rows):
        print("A RUN ENDED IN AN INTERNAL ERROR (exit 3 or a traceback)")


if __name__ == "__main__":
    main()
