"""Stories analysed in forked workers: the same report as one process, in order, and the
work finished here when a worker dies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES
from newsweave.parallel import can_fork, forked_map
from newsweave.pipeline import DigestOptions, digest
from newsweave.render.json import render_json

PARENT = os.getpid()


def _square(shared: int, i: int) -> int:
    return shared + i * i


def _dies_in_a_worker(shared: int, i: int) -> int:
    if i == 3 and os.getpid() != PARENT:
        os._exit(1)  # a worker killed mid-run (out of memory, a crash in a library)
    return shared + i


def test_forked_map_keeps_the_order() -> None:
    assert list(forked_map(_square, 10, 7, 2)) == [10 + i * i for i in range(7)]
    assert list(forked_map(_square, 10, 7, 1)) == [10 + i * i for i in range(7)]
    assert list(forked_map(_square, 10, 0, 2)) == []


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked")
def test_when_a_worker_dies_the_rest_is_done_here() -> None:
    assert list(forked_map(_dies_in_a_worker, 100, 8, 2)) == [100 + i for i in range(8)]


STORIES = {  # two events, two outlets each, written for this test
    "pier-a.txt": "The harbour authority closed the northern pier on Tuesday after storm "
    "waves cracked its concrete deck. Engineers said repairs would take six weeks.",
    "pier-b.txt": "Storm waves cracked the concrete deck of the northern pier, and the "
    "harbour authority closed it on Tuesday. Repairs will take at least six weeks.",
    "library-a.txt": "The city library will open on Sundays from next month, the council "
    "announced. Librarians said 2,400 residents had asked for Sunday hours.",
    "library-b.txt": "From next month the city library opens on Sundays, the council said, "
    "after 2,400 residents asked for it in a survey.",
}


def test_a_run_without_the_model_passes_gives_the_same_report_in_workers(
    tmp_path: Path,
) -> None:
    for name, text in STORIES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [str(p) for p in sorted(tmp_path.iterdir())] + [str(EXAMPLES)]
    one = DigestOptions(analyze=False, semantic=False, jobs=1)
    two = DigestOptions(analyze=False, semantic=False, jobs=2)
    serial, forked = digest(paths, options=one), digest(paths, options=two)
    assert len(serial.stories) > 1
    assert render_json(forked) == render_json(serial)


def test_a_long_json_lines_file_is_read_alike_in_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from newsweave import ingest
    from newsweave.ingest import IngestOptions, Ingestor

    monkeypatch.setattr(ingest, "PARALLEL_RECORDS", 3)
    monkeypatch.setattr(ingest, "RECORD_WINDOW", 4)
    texts = [*STORIES.values()] * 4
    records = [{"title": f"n{i}", "text": f"Report {i}. {t}"} for i, t in enumerate(texts)]
    records[9] = {"title": "short", "text": "Too short."}
    path = tmp_path / "pile.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    serial = list(Ingestor(IngestOptions(jobs=1)).ingest([str(path)]))
    forked = list(Ingestor(IngestOptions(jobs=2)).ingest([str(path)]))
    assert forked == serial and len(serial) == len(records)
    assert [type(x).__name__ for x in serial].count("Skipped") == 1


def test_an_internal_error_in_one_record_skips_only_that_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from newsweave.ingest import IngestOptions, Ingestor
    from newsweave.model import Skipped

    real = Ingestor._record_article

    def fails_once(self: Ingestor, where: str, obj: dict[str, object]) -> object:
        if obj.get("title") == "bad":
            raise RuntimeError("a bug")
        return real(self, where, obj)

    monkeypatch.setattr(Ingestor, "_record_article", fails_once)
    rows = [{"title": "a", "text": STORIES["pier-a.txt"]}, {"title": "bad", "text": "x"}]
    rows.append({"title": "c", "text": STORIES["library-a.txt"]})
    path = tmp_path / "three.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = list(Ingestor(IngestOptions(jobs=1)).ingest([str(path)]))
    assert len(items) == 3
    assert isinstance(items[1], Skipped) and "internal error" in items[1].reason
    assert not isinstance(items[2], Skipped)
