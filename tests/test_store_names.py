"""File names that are not valid UTF-8 (a Linux name holding byte 0xFF) are stored as
readable escapes, wherever the store writes text: article paths, skipped inputs, runs."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from newsweave.group.stories import Group
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Skipped, printable_path
from newsweave.store import Store

BODY = (
    "The ferry to Lockton Island ran late on Monday after fog closed the harbour for three "
    "hours, the operator said, and the evening crossing was cancelled.\n"
)


def test_printable_path_escapes_only_what_is_not_utf8() -> None:
    assert printable_path("caf\udcff.txt") == "caf\\xff.txt"
    assert printable_path("caf\udcff.txt") == os.fsencode("caf\udcff.txt").decode(
        "utf-8", "backslashreplace"
    )
    assert printable_path("café, Zürich.txt") == "café, Zürich.txt"
    assert printable_path("x\ud800y") == "x\\ud800y"  # not from a file name: still printable


def test_store_keeps_names_that_are_not_utf8(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(folder + b"/caf\xff.txt", "wb") as f:
        f.write(BODY.encode())
    with open(folder + b"/vide\xfe.txt", "wb"):
        pass  # empty: skipped
    name = os.fsdecode(folder + b"/caf\xff.txt")
    assert "\udcff" in name
    found = list(Ingestor(IngestOptions(detect_language=False)).ingest([os.fsdecode(folder)]))
    articles = [a for a in found if isinstance(a, Article)]
    skipped = [s for s in found if isinstance(s, Skipped)]
    assert len(articles) == 1 and len(skipped) == 1
    # the store escapes whatever it is given, escaped by the ingester or not
    raw = dataclasses.replace(articles[0], path=name, title="Caf\udcff ferry")
    gone = Skipped(os.fsdecode(folder + b"/vide\xfe.txt"), "empty file vide\udcfe.txt")
    with Store(tmp_path / "n.db") as store:
        store.start_run("digest " + name)
        assert store.add_article(raw)
        store.add_skipped(gone)
        store.add_skipped(skipped[0])
        store.save_stories(
            [Group((raw.id,), (), (), ("Caf\udcff",), "Caf\udcff ferry", None, None)]
        )
        store.finish_run(1, 1)
        (back,) = store.articles()
        assert back.path == printable_path(name) and back.path.endswith("/caf\\xff.txt")
        assert back.title == "Caf\\xff ferry"
        paths = [r[0] for r in store.db.execute("SELECT path FROM skipped ORDER BY path")]
        assert all(p.endswith("/vide\\xfe.txt") for p in paths)
        reasons = {r[0] for r in store.db.execute("SELECT reason FROM skipped")}
        assert "empty file vide\\xfe.txt" in reasons
        (command,) = store.db.execute("SELECT command FROM runs").fetchone()
        assert command.endswith("/caf\\xff.txt")
        (story,) = store.stories()
        assert story["title"] == "Caf\\xff ferry" and story["shared_names"] == ["Caf\\xff"]
        assert store.check() == []
