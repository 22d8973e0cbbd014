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
