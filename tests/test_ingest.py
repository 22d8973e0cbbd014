"""Ingestion of files, folders, JSON (Lines) and stdin, including bad inputs."""

from __future__ import annotations

import codecs
import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Skipped

BODY = (
    "The lantern festival returned to the Lockton canal on Saturday evening. Organisers said "
    "more than 9,000 people lined the towpath to watch the boats pass the old lock gates."
)


def _split(items: list[Article | Skipped]) -> tuple[list[Article], dict[str, str]]:
    arts = [i for i in items if isinstance(i, Article)]
    skipped = {Path(i.path).name: i.reason for i in items if isinstance(i, Skipped)}
    return arts, skipped


def test_bad_files_are_skipped_by_name_and_the_rest_goes_in(
    tmp_path: Path, ingestor: Ingestor
) -> None:
    (tmp_path / "good.txt").write_text(f"Lanterns Return\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(f"Le café rouvre\n\n{BODY} Café.\n".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("   \n\n  ")
    (tmp_path / "image.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(2000))
    (tmp_path / "noise.bin").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "truncated.html").write_text(
        "<!DOCTYPE html><html><head><title>Lanterns</title></head><body><nav>Home"
    )
    (tmp_path / "partial.html").write_text(
        f"<!DOCTYPE html><html><body><article><p>{BODY}</p><p>{BODY}"
    )
    (tmp_path / "dangling").symlink_to(tmp_path / "missing-target")
    _write_huge(tmp_path / "huge.txt")
    (tmp_path / ".hidden.txt").write_text(BODY)

    items = list(ingestor.ingest([str(tmp_path)]))
    arts, skipped = _split(items)

    assert sorted(Path(a.path or "").name for a in arts) == [
        "good.txt",
        "latin1.txt",
        "partial.html",
        "utf16.txt",
    ]
    assert "Café" in next(a for a in arts if a.path and a.path.endswith("latin1.txt")).clean_text
    assert set(skipped) == {
        "empty.txt",
        "blank.txt",
        "image.jpg",
        "noise.bin",
        "truncated.html",
        "dangling",
        "huge.txt",
    }
    assert "too large" in skipped["huge.txt"]
    assert "binary" in skipped["image.jpg"]
    assert "empty" in skipped["empty.txt"]


def _write_huge(path: Path) -> None:
    with path.open("wb") as fh:
        chunk = (BODY + "\n").encode() * 1000
        for _ in range(100 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)  # over 100 MB of text


def test_huge_file_is_refused_without_reading_it(tmp_path: Path, ingestor: Ingestor) -> None:
    (tmp_path / "small.txt").write_text(f"Lanterns Return\n\n{BODY}\n")
    list(ingestor.ingest([str(tmp_path / "small.txt")]))  # warm up: imports and the model
    _write_huge(tmp_path / "huge.txt")
    tracemalloc.start()
    (item,) = ingestor.ingest([str(tmp_path / "huge.txt")])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(item, Skipped) and "too large" in item.reason
    assert peak < 2 * 1024 * 1024, "a huge file must not be read into memory"


def test_unreadable_file_is_reported(
    tmp_path: Path, ingestor: Ingestor, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "locked.txt"
    target.write_text(BODY)
    real_open = Path.open

    def fake_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", fake_open)
    (item,) = ingestor.ingest([str(target)])
    assert isinstance(item, Skipped)
    assert item.reason == "permission denied"


def test_missing_path_and_empty_folder(tmp_path: Path, ingestor: Ingestor) -> None:
    (tmp_path / "empty-dir").mkdir()
    items = list(ingestor.ingest([str(tmp_path / "nope.txt"), str(tmp_path / "empty-dir")]))
    assert [i.reason for i in items if isinstance(i, Skipped)] == [
        "no such file or folder",
        "folder holds no files",
    ]


def test_jsonl_records_and_bad_lines(tmp_path: Path, ingestor: Ingestor) -> None:
    lines = [
        json.dumps(
            {
                "title": "Lanterns",
                "text": BODY,
                "url": "https://example.org/a",
                "published": "2031-04-02T10:00:00Z",
                "source": "Towpath Times",
                "author": "Ida Brenn",
            }
        ),
        "{not json",
        json.dumps({"headline": "No body"}),
        json.dumps(
            {
                "body": "<p>"
                + BODY
                + "</p><p>Second paragraph of the story, also long enough.</p>",
                "site": "Lock News",
                "date": "2 April 2031",
            }
        ),
        json.dumps([1, 2]),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    items = list(ingestor.ingest([str(path)]))
    arts = [i for i in items if isinstance(i, Article)]
    bad = [i for i in items if isinstance(i, Skipped)]
    assert [a.path for a in arts] == [f"{path}:1", f"{path}:4"]
    first, fourth = arts
    assert (first.title, first.outlet, first.author, first.url) == (
        "Lanterns",
        "Towpath Times",
        "Ida Brenn",
        "https://example.org/a",
    )
    assert first.published is not None and first.published.isoformat() == "2031-04-02"
    assert fourth.outlet == "Lock News" and fourth.published is not None
    assert "<p>" not in fourth.clean_text
    assert [b.path for b in bad] == [f"{path}:2", f"{path}:3", f"{path}:5"]


def test_json_file_with_a_list_and_extension_is_only_a_hint(
    tmp_path: Path, ingestor: Ingestor
) -> None:
    path = tmp_path / "articles.txt"  # JSON content behind a .txt name
    path.write_text(
        json.dumps([{"text": BODY, "title": "One"}, {"content": BODY + " Again.", "title": "Two"}])
    )
    arts, skipped = _split(list(ingestor.ingest([str(path)])))
    assert [a.title for a in arts] == ["One", "Two"] and not skipped


def test_jsonl_streams_and_skips_an_overlong_record(tmp_path: Path) -> None:
    ingestor = Ingestor(IngestOptions(max_bytes=5000, detect_language=False))
    path = tmp_path / "big.jsonl"
    with path.open("w") as fh:
        for n in range(200):
            fh.write(json.dumps({"text": f"{BODY} Record {n}."}) + "\n")
        fh.write(json.dumps({"text": "x " * 10000}) + "\n")
    arts, _ = _split(list(ingestor.ingest([str(path)])))
    skipped = [i for i in ingestor.ingest([str(path)]) if isinstance(i, Skipped)]
    assert len(arts) == 200
    assert len(skipped) == 1 and "over 5,000 bytes" in skipped[0].reason


def test_stdin(ingestor: Ingestor) -> None:
    stream = io.BytesIO(f"Lanterns Return\n\n{BODY}\n".encode())
    (item,) = ingestor.ingest(["-"], stdin=stream)
    assert isinstance(item, Article)
    assert item.title == "Lanterns Return" and item.path == "<stdin>"


def test_same_text_gives_same_id(tmp_path: Path, ingestor: Ingestor) -> None:
    (tmp_path / "a.txt").write_text(f"Lanterns Return\n\n{BODY}\n")
    (tmp_path / "b.txt").write_text(f"Lanterns Return\r\n\r\n{BODY}\r\n")
    a, b = ingestor.ingest([str(tmp_path)])
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.id == b.id


def test_removals_point_into_the_original_text(ingestor: Ingestor) -> None:
    from conftest import EXAMPLES

    for item in ingestor.ingest([str(EXAMPLES)]):
        assert isinstance(item, Article)
        for r in item.removed:
            assert item.original_text[r.start : r.end] == r.text


def test_unlistable_subfolder_is_reported(
    tmp_path: Path, ingestor: Ingestor, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.txt").write_text(f"Lanterns Return\n\n{BODY}\n")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def fake_scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", fake_scandir)
    items = list(ingestor.ingest([str(tmp_path)]))
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(items) == 2 and len(skipped) == 1
    assert skipped[0].path.endswith("locked") and "permission denied" in skipped[0].reason
