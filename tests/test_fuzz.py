"""Fuzzing the whole digest: whatever the texts, file names, JSON records and HTML, a run
ends with a valid report and exit code 0, 1 or 2, never a traceback."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsweave.analyze.annotate import Annotator
from newsweave.cli import main
from newsweave.pipeline import DigestOptions, digest
from newsweave.render import FORMATS, render
from newsweave.store import Store

# Words and pieces that reach the parsers' corners: dates, ages, numbers, quotes, names.
PIECES = [
    "The", "minister", "said", "on", "Monday", "that", "7000 years ago", "in 1999",
    "last week", "2 November 2020", "\u201cWe will rebuild,\u201d", "she said.", "Dr.",
    "O'Neil", "10,000", "-5", "1e309", "\u00e9t\u00e9", "Stra\u00dfe", "\u0645\u0631\u062d\u0628\u0627",
    "\U0001f600", "\n\n", "...", "(AP) \u2014", "\x00", "\ufeff", "http://x.test/a?b=1",
]
words = st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=12))
texts = st.lists(words, min_size=0, max_size=120).map(" ".join)
names = st.binary(min_size=1, max_size=40).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..") and b[:1] != b"."
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "title": json_values,
        "text": texts,
        "body": json_values,
        "published": st.one_of(texts, st.sampled_from(["2020-13-45", "0000-00-00", "99999"])),
        "source": json_values,
        "author": json_values,
        "url": texts,
        "language": st.sampled_from(["en", "de", "xx", ""]),
    },
)


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["text", "json", "jsonl", "html", "bytes"]))
    if kind == "text":
        return draw(texts).encode("utf-8", "surrogatepass")
    if kind == "json":
        return json.dumps(draw(st.lists(records, max_size=3))).encode()
    if kind == "jsonl":
        lines = [json.dumps(r) for r in draw(st.lists(records, min_size=1, max_size=3))]
        return ("\n".join(lines) + draw(st.sampled_from(["", "\n{bad", "\n"]))).encode()
    if kind == "html":
        title, body = draw(texts), draw(texts)
        tags = draw(st.sampled_from(["p", "div", "script", "article", "table"]))
        return (
            f"<html><head><title>{title}</title></head><body><{tags}>{body}</{tags}>"
            f"<p>{draw(texts)}</p></body></html>"
        ).encode("utf-8", "surrogatepass")
    return draw(st.binary(max_size=300))


piles = st.lists(st.tuples(names, documents()), min_size=1, max_size=4)


def write_pile(folder: Path, pile: list[tuple[bytes, bytes]]) -> None:
    for i, (name, data) in enumerate(pile):
        with open(os.fsencode(folder) + b"/" + str(i).encode() + name, "wb") as fh:
            fh.write(data)


def check_report(text: str, fmt: str) -> None:
    text.encode("utf-8")  # no lone surrogates: every output is valid UTF-8
    if fmt == "json":
        data = json.loads(text)
        assert "stories" in data and "skipped" in data


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(pile=piles, fmt=st.sampled_from(FORMATS))
def test_the_command_line_never_fails_on_any_input(pile: list[tuple[bytes, bytes]], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_pile(folder, pile)
        out = Path(tmp) / "report"
        args = ["digest", str(folder), "--db", f"{tmp}/n.db", "-f", fmt, "-o", str(out), "-q"]
        code = main([*args, "--no-analysis", "--no-semantic"])
        assert code in (0, 1, 2)
        if code != 2:
            check_report(out.read_text(encoding="utf-8"), fmt)


@pytest.fixture(scope="module")
def shared_annotator() -> Annotator:
    return Annotator(jobs=1)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(pile=piles)
def test_the_full_analysis_never_fails_on_any_input(
    shared_annotator: Annotator, pile: list[tuple[bytes, bytes]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_pile(folder, pile)
        with Store(Path(tmp) / "n.db") as store:
            report = digest(
                [str(folder)],
                options=DigestOptions(semantic=False),
                store=store,
                annotator=shared_annotator,
            )
        for fmt in FORMATS:
            check_report(render(report, fmt), fmt)
        for story in report.stories:
            assert not [n for n in story.notes if n.startswith("left out:")], story.notes
