"""Quality gate: ROUGE of the default summarizer on a fixed DUC 2003 subset.

The floors are pinned a little under what the summarizer scores today; raise them when it
improves, and never lower them without saying why in the commit and bench/RESULTS.md.
The full comparison with the classic systems is bench/summary_quality.py.
"""

from __future__ import annotations

import json
import re
import statistics
from datetime import date
from pathlib import Path

import pytest

from newsweave.ingest import Ingestor
from newsweave.model import Article
from newsweave.pipeline import remove_repeated_lines, source_order
from newsweave.summarize.extractive import SummaryOptions, summarize
from newsweave.text.sentences import segment

CLUSTERS = 12  # the first clusters of duc2003/clusters.jsonl
BUDGET = 100  # words, as in DUC 2003 task 2
# Scores of the concept-coverage summarizer on these clusters (recall, %): 34.66 / 8.01.
FLOOR = {"rouge1": 34.3, "rouge2": 7.8}
DOC_DATE = re.compile(r"^[A-Z_]+(\d{4})(\d{2})(\d{2})")


def _published(doc_id: str) -> str | None:
    m = DOC_DATE.match(doc_id)
    return date(int(m[1]), int(m[2]), int(m[3])).isoformat() if m else None


@pytest.mark.shared
def test_rouge_on_a_fixed_duc_subset_stays_above_the_floor(
    shared_data: Path, ingestor: Ingestor, tmp_path: Path
) -> None:
    rouge_scorer = pytest.importorskip(
        "rouge_score.rouge_scorer", reason="rouge-score comes with newsweave[bench]"
    )
    scorer = rouge_scorer.RougeScorer(list(FLOOR), use_stemmer=True)
    scores: dict[str, list[float]] = {m: [] for m in FLOOR}
    with (shared_data / "duc2003" / "clusters.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(CLUSTERS), fh, strict=False)]
    for row in rows:
        path = tmp_path / f"{row['cluster_id']}.jsonl"
        path.write_text(
            "".join(
                json.dumps({"text": d["text"], "published": _published(d["doc_id"])}) + "\n"
                for d in row["documents"]
            ),
            encoding="utf-8",
        )
        found = {a.id: a for a in ingestor.ingest([str(path)]) if isinstance(a, Article)}
        articles = sorted(remove_repeated_lines(list(found.values())), key=source_order)
        sentences = {a.id: segment(a) for a in articles}
        summary = summarize(articles, sentences, SummaryOptions(max_sentences=20, max_words=BUDGET))
        text = " ".join(s.text for s in summary)
        assert len(text.split()) <= BUDGET
        refs = [r["text"] for r in row["reference_summaries"]]
        for metric in FLOOR:
            scores[metric].append(
                statistics.mean(scorer.score(ref, text)[metric].recall for ref in refs)
            )
    means = {m: 100 * statistics.mean(v) for m, v in scores.items()}
    for metric, floor in FLOOR.items():
        print(f"{metric} recall {means[metric]:.2f} (floor {floor})")
        assert means[metric] >= floor, f"{metric} recall {means[metric]:.2f} < floor {floor}"
