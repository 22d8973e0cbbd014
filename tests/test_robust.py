"""No input ends a run: crashes found on real input, boundaries around each article and
story, exit codes, and the command-line conventions of issue 13."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from newsweave import pipeline
from newsweave.cli import main
from newsweave.pipeline import LEFT_OUT, DigestOptions, RunStats, digest
from newsweave.progress import PlainProgress
from newsweave.store import Store

FAST = ["--no-analysis", "--no-semantic"]
BODY = (
    "The harbour authority closed the northern pier on Tuesday after storm waves cracked "
    "its concrete deck. Engineers from the port said repairs would take at least six weeks."
)
OTHER = (
    "The city library will open on Sundays from next month, the council announced. "
    "Librarians said the change follows a survey in which 2,400 residents asked for it."
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_file_name_that_is_not_utf8_is_kept_escaped_in_store_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/caf\xff.txt"
    with open(raw, "wb") as fh:
        fh.write(f"Pier Closed\n\n{BODY}\n".encode())
    db = tmp_path / "n.db"
    code, out, err = run(["digest", str(folder), "-f", "json", "--db", str(db), *FAST], capsys)
    assert code == 0, err
    data = json.loads(out.encode("utf-8"))  # valid UTF-8 and valid JSON
    (source,) = data["stories"][0]["sources"]
    assert source["path"].endswith("caf\\xff.txt")
    with Store(db) as store:
        (article,) = store.articles()
    assert article.path == source["path"]


def test_json_record_with_a_lone_surrogate_gives_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wire.jsonl"
    record = {"title": "Pier closed \\ud800", "text": BODY + " \\udcff"}
    path.write_text(json.dumps(record).replace("\\\\u", "\\u") + "\n")
    code, out, err = run(
        ["digest", str(path), "-f", "json", "--db", str(tmp_path / "n.db"), *FAST], capsys
    )
    assert code == 0, err
    data = json.loads(out.encode("utf-8"))
    assert "\ufffd" in data["stories"][0]["sources"][0]["title"]


def test_identical_inputs_are_listed_as_exact_copies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Pier Closed\n\n{BODY}\n")
    code, out, err = run(["digest", str(tmp_path), "-f", "json", "--no-store", *FAST], capsys)
    assert code == 0, err
    (story,) = json.loads(out)["stories"]
    paths = {s["id"]: s["path"] for s in story["sources"]}
    assert sorted(Path(p).name for p in paths.values()) == ["a.txt", "b.txt"]
    (dup,) = story["duplicates"]
    assert dup["exact"] is True
    assert {dup["original"], dup["source"]} == set(paths)
    assert "2 articles read (1 identical to another input)" in err


def test_a_story_whose_stage_fails_keeps_the_rest_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom in facts")

    monkeypatch.setattr(pipeline, "analyse", broken)
    (tmp_path / "a.txt").write_text(f"Pier Closed\n\n{BODY}\n")
    code, out, err = run(["digest", str(tmp_path), "-f", "json", "--no-store", *FAST], capsys)
    assert code == 1, err
    (story,) = json.loads(out)["stories"]
    assert story["summary"], "the summary survives a failure in the facts stage"
    assert any(n.startswith(LEFT_OUT) and "boom in facts" in n for n in story["notes"])


def test_a_story_that_cannot_be_built_is_skipped_and_others_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.segment

    def segment(article: pipeline.Article) -> tuple[pipeline.Sentence, ...]:
        if "harbour" in article.clean_text:
            raise ValueError("cannot split this one")
        return real(article)

    monkeypatch.setattr(pipeline, "segment", segment)
    (tmp_path / "pier.txt").write_text(f"Pier Closed\n\n{BODY}\n")
    (tmp_path / "library.txt").write_text(f"Library Opens Sundays\n\n{OTHER}\n")
    code, out, err = run(["digest", str(tmp_path), "-f", "json", "--no-store", *FAST], capsys)
    assert code == 1, err
    data = json.loads(out)
    assert [len(s["sources"]) for s in data["stories"]] == [1]
    (skip,) = data["skipped"]
    assert skip["path"].endswith("pier.txt") and "cannot split this one" in skip["reason"]


def test_an_annotation_failure_loses_only_that_articles_entities(
    annotator: pipeline.Annotator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import make_article

    good = make_article(
        BODY + " Mayor Jane Porter visited Aberdeen on Wednesday.",
        published="2024-03-05",
        outlet="Gazette",
    )
    bad = make_article(BODY + " Harbour master Ann Lee agreed.", published=None, outlet="Wire")
    real = annotator.annotate

    def annotate(articles: list[pipeline.Article]) -> dict[str, object]:
        if any(a.id == bad.id for a in articles):
            raise RuntimeError("model failed")
        return real(articles)

    monkeypatch.setattr(annotator, "annotate", annotate)
    story = pipeline.build_story([good, bad], annotator=annotator)
    assert story.entities, "the good article's names are still found"
    assert any(bad.source in n and "model failed" in n for n in story.notes)


def test_internal_error_exits_3_with_a_message_and_debug_shows_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave import cli

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(cli, "render_chunks", broken)
    (tmp_path / "a.txt").write_text(f"Pier Closed\n\n{BODY}\n")
    args = ["digest", str(tmp_path), "--no-store", *FAST]
    code, _, err = run(args, capsys)
    assert code == 3
    assert "internal error: RuntimeError: renderer exploded" in err and "--debug" in err
    assert "Traceback" not in err
    code, _, err = run([*args, "--debug"], capsys)
    assert code == 3 and "Traceback" in err


def test_out_dash_means_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(f"Pier Closed\n\n{BODY}\n")
    os.chdir(tmp_path)
    code, out, err = run(["digest", "a.txt", "-o", "-", "-f", "json", "--no-store", *FAST], capsys)
    assert code == 0, err
    assert json.loads(out)["stories"]
    assert not (tmp_path / "-").exists()


def test_python_dash_m_newsweave_works() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsweave", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("newsweave "), done.stderr


@pytest.mark.parametrize("command", ["digest", "add", "stories", "check"])
def test_help_ends_with_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out.rstrip()
    tail = text[text.rindex("examples:") :].splitlines()
    assert 3 <= len(tail) <= 4 and all(
        line.startswith("  newsweave ") or "newsweave" in line for line in tail[1:]
    )


def test_digest_saves_its_stories_for_the_stories_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "n.db")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "pier.txt").write_text(f"Pier Closed\n\n{BODY}\n")
    (folder / "library.txt").write_text(f"Library Opens Sundays\n\n{OTHER}\n")
    code, _, err = run(["digest", str(folder), "--db", db, "-q", *FAST], capsys)
    assert code == 0, err
    code, out, err = run(["stories", "--db", db, "--format", "json"], capsys)
    assert code == 0, err
    titles = sorted(s["title"] for s in json.loads(out)["stories"])
    assert titles == ["Library Opens Sundays", "Pier Closed"]


def test_an_interrupted_digest_resumes_its_analysis(tmp_path: Path) -> None:
    options = DigestOptions(analyze=False, semantic=False)
    with Store(tmp_path / "n.db") as store:
        first = digest([str(EXAMPLES)], options=options, store=store)
    calls: list[int] = []
    real = pipeline.build_story

    def counting(*args: object, **kwargs: object) -> pipeline.Story:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    stats = RunStats()
    pipeline.build_story = counting  # type: ignore[assignment]
    try:
        with Store(tmp_path / "n.db") as store:
            again = digest([str(EXAMPLES)], options=options, store=store, stats=stats)
    finally:
        pipeline.build_story = real  # type: ignore[assignment]
    assert calls == [] and stats.resumed == len(first.stories) >= 1
    assert again.stories == first.stories


def test_plain_progress_lines_when_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text(f"Pier Closed\n\n{BODY}\n")
    code, _, err = run(["digest", str(tmp_path), "--no-store", *FAST], capsys)
    assert code == 0
    assert "newsweave: analysing stories: 1/1 stories" in err
    code, _, err = run(["digest", str(tmp_path), "--no-store", "--quiet", *FAST], capsys)
    assert code == 0 and err == ""


def test_plain_progress_prints_rate_and_eta_at_most_every_interval() -> None:
    now = [0.0]
    out = io.StringIO()
    progress = PlainProgress(out, interval=10, clock=lambda: now[0])
    progress("analyse", 0, 100)
    for done in range(1, 101):
        now[0] += 1.0
        progress("analyse", done, 100)
    lines = out.getvalue().splitlines()
    assert 10 <= len(lines) <= 11
    assert lines[0].endswith("10/100 stories, 1.0/s, about 2m left")
    assert lines[-1].endswith("100/100 stories, 1.0/s")


def test_python_api_takes_one_path_as_a_string() -> None:
    import newsweave

    report = newsweave.digest(str(EXAMPLES), newsweave.DigestOptions(analyze=False))
    assert len(report.stories) == 1 and len(report.stories[0].articles) >= 4
    assert report.to_dict()["stories"][0]["summary"]
    assert report.render("md").startswith("#")


def test_readme_python_example_runs() -> None:
    text = (ROOT / "README.md").read_text()
    start = text.index("## From Python")
    block = text[start:].split("```python\n", 1)[1].split("```", 1)[0]
    done = subprocess.run(
        [sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr


def test_a_story_in_another_language_gets_no_english_model_and_says_so(
    annotator: pipeline.Annotator,
) -> None:
    from newsweave.ingest import IngestOptions, Ingestor

    text = (
        "Hochwasser in Passau\n\nDie Stadt Passau hat am Dienstag den Katastrophenfall "
        "ausgerufen, nachdem die Donau auf über zehn Meter gestiegen war. Zudem wurden mehr "
        "als zweitausend Bewohner der Altstadt in Sicherheit gebracht. Darin sehen die Behörden "
        "die einzige Möglichkeit, weitere Schäden zu vermeiden, sagte der Oberbürgermeister.\n"
    )
    (article,) = Ingestor(IngestOptions()).ingest(["-"], stdin=io.BytesIO(text.encode()))
    assert isinstance(article, pipeline.Article) and article.language == "de"

    class Refuses:
        languages = frozenset({"en"})  # an English-only sentence model

        def encode(self, texts: object) -> object:
            raise AssertionError("the English sentence model must not see German text")

    story = pipeline.build_story([article], annotator=annotator, embedder=Refuses())
    assert story.entities == () and story.summary
    assert any("not in English" in n for n in story.notes)
    assert any("German matched by word overlap only" in n for n in story.notes)


def test_a_kept_story_that_cannot_be_read_back_is_analysed_again(tmp_path: Path) -> None:
    options = DigestOptions(analyze=False, semantic=False)
    with Store(tmp_path / "n.db") as store:
        first = digest(str(EXAMPLES), options=options, store=store)
        store.db.execute("UPDATE story_results SET data = x'00'")
        store.db.commit()
        stats = RunStats()
        again = digest(str(EXAMPLES), options=options, store=store, stats=stats)
    assert stats.resumed == 0 and again.stories == first.stories


def test_json_report_written_in_pieces_is_the_report_data(tmp_path: Path) -> None:
    from newsweave.render.json import json_chunks, render_json, report_dict

    report = digest([str(EXAMPLES)], options=DigestOptions(analyze=False, semantic=False))
    text = render_json(report)
    assert json.loads(text) == report_dict(report)
    assert "".join(json_chunks(report)) == text
    assert len(list(json_chunks(report))) == len(report.stories) + 1  # one piece a story
    assert text.startswith('{\n  "schema": ') and text.endswith("\n}\n")


def test_no_analysis_skips_the_sentence_model_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the sentence model was loaded")

    monkeypatch.setattr(pipeline, "Embedder", no_model)
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    code, out, _ = run(
        ["digest", str(tmp_path), "--no-analysis", "--no-store", "-f", "json"], capsys
    )
    assert code == 0 and json.loads(out)["stories"]
