"""The command line: formats, exit codes, schema, escaping, help text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT
from newsweave.cli import build_parser, main

SCHEMA = json.loads((ROOT / "src" / "newsweave" / "schema" / "report.schema.json").read_text())
BODY = (
    "The lantern festival returned to the Lockton canal on Saturday evening. Organisers said "
    "more than 9,000 people lined the towpath to watch the boats pass the old lock gates."
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_validates_against_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        [
            "digest",
            str(EXAMPLES),
            "--format",
            "json",
            "--db",
            str(tmp_path / "n.db"),
            "--show-removed",
        ],
        capsys,
    )
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "newsweave.report/1"
    (story,) = data["stories"]
    ids = {s["id"]: s for s in story["sources"]}
    for item in story["summary"]:
        for c in item["citations"]:
            sentence = ids[c["source"]]["sentences"][c["sentence"]]
            assert c["span"] == [sentence["start"], sentence["end"]]
    assert any(r["reason"] == "advertisement" for s in story["sources"] for r in s["removed"])


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text(f"Lanterns Return\n\n{BODY}\n")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    db = str(tmp_path / "n.db")
    assert run(["digest", str(good), "--db", db], capsys)[0] == 0
    code, _, err = run(["digest", str(good), str(bad), "--db", db], capsys)
    assert code == 1
    assert f"skipped {bad}: binary" in err
    code, out, err = run(["digest", str(bad), "--db", db, "--format", "json"], capsys)
    assert code == 2
    assert json.loads(out)["skipped"][0]["path"] == str(bad)
    assert "Traceback" not in err


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in (
        ["digest"],
        ["digest", "x", "--format", "pdf"],
        ["digest", "x", "--sentences", "0"],
        ["digest", "x", "--jobs", "0"],
        ["frobnicate"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "newsweave.cli", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr


def test_out_file_and_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "reports" / "r.html"
    code, out, err = run(
        ["digest", str(EXAMPLES), "--format", "html", "--out", str(out_file), "--no-store"], capsys
    )
    assert code == 0 and out == ""
    assert str(out_file) in err
    html = out_file.read_text()
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert "<script" not in html and "http://" not in html.replace("example.org", "")
    code, _, err = run(
        ["digest", str(EXAMPLES), "--quiet", "--no-store", "--out", str(tmp_path / "r.md")], capsys
    )
    assert code == 0 and err == ""


def test_html_and_markdown_escape_article_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = tmp_path / "evil.jsonl"
    evil.write_text(
        json.dumps(
            {
                "title": "<script>alert(1)</script> Lanterns",
                "source": "<b>Outlet</b>",
                "text": BODY
                + ' The sign read "<img src=x onerror=alert(1)>" in red letters today.',
            }
        )
        + "\n"
    )
    _, html, _ = run(["digest", str(evil), "--format", "html", "--no-store"], capsys)
    assert "<script>" not in html and "<img" not in html and "<b>Outlet" not in html
    assert "&lt;script&gt;" in html
    _, md, _ = run(["digest", str(evil), "--format", "md", "--no-store"], capsys)
    assert "<script>" not in md


def test_stdin(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsweave.cli", "digest", "-", "--no-store", "--format", "json"],
        input=f"Lanterns Return\n\n{BODY}\n".encode(),
        capture_output=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["stories"][0]["sources"][0]["path"] == "<stdin>"


def test_every_command_and_option_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, subparser in sub.choices.items():  # type: ignore[union-attr]
        assert subparser.description, name
        for action in subparser._actions:
            assert action.help, (name, action.dest)
