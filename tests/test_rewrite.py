"""The optional rewrite: parsing cited answers, the citation check, options and error paths.

The end-to-end run against a real model is in ``test_rewrite_llm.py`` (slow)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from conftest import EXAMPLES
from newsweave.cli import main
from newsweave.summarize.rewrite import (
    ChatClient,
    LLMOptions,
    RewriteError,
    check,
    parse,
)

SOURCE = [
    "Fire crews evacuated 120 residents from Quay Row in Port Alder on Tuesday night.",
    "The blaze started in a boat shed, the harbour master said.",
]


def test_parse_takes_markers_off_and_keeps_their_numbers() -> None:
    answer = (
        "- Crews evacuated 120 residents from Quay Row [1].\n"
        "- The blaze began in a boat shed. [2][1]\n"
        "Thanks!"
    )
    assert parse(answer) == [
        ("Crews evacuated 120 residents from Quay Row.", (1,)),
        ("The blaze began in a boat shed.", (2, 1)),
    ]


def test_parse_reads_comma_lists_and_markers_that_open_the_next_line() -> None:
    answer = "Residents left Quay Row on Tuesday night.\n[1, 2] Crews worked until dawn [2; 3]."
    assert parse(answer) == [
        ("Residents left Quay Row on Tuesday night.", (1, 2)),
        ("Crews worked until dawn.", (2, 3)),
    ]


def test_a_faithful_paraphrase_passes() -> None:
    assert check("Fire crews evacuated 120 residents from Quay Row on Tuesday.", SOURCE) == ()


def test_a_wrong_figure_fails() -> None:
    problems = check("Fire crews evacuated 150 residents from Quay Row.", SOURCE)
    assert any("figures" in p and "150" in p for p in problems)


def test_a_name_no_cited_source_gives_fails() -> None:
    problems = check("Fire crews evacuated residents from Quay Row, Mayor Lin said.", SOURCE)
    assert any("names" in p and "Lin" in p for p in problems)


def test_a_date_no_cited_source_gives_fails() -> None:
    problems = check("Fire crews evacuated 120 residents from Quay Row on Friday.", SOURCE)
    assert any("Friday" in p for p in problems)


def test_invented_content_fails_and_no_citation_fails() -> None:
    problems = check("Arson investigators suspect insurance fraud by the shed owner.", SOURCE)
    assert any("words" in p for p in problems)
    assert check("Fire crews evacuated 120 residents.", []) == ("cites no source sentence",)


def test_options_come_from_arguments_then_environment() -> None:
    env = {"NEWSWEAVE_LLM_URL": "http://h:1/v1/", "OPENAI_MODEL": "m", "OPENAI_API_KEY": "k"}
    opts = LLMOptions.resolve(environ=env)
    assert (opts.base_url, opts.model, opts.api_key) == ("http://h:1/v1", "m", "k")
    assert LLMOptions.resolve("http://x/v1", "n", environ=env).model == "n"
    with pytest.raises(RewriteError, match="--llm-url"):
        LLMOptions.resolve(environ={})
    with pytest.raises(RewriteError, match="--llm-model"):
        LLMOptions.resolve("http://x/v1", environ={})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    client = ChatClient(LLMOptions(f"http://127.0.0.1:{_free_port()}/v1", "m", timeout=5))
    with pytest.raises(RewriteError, match=r"cannot reach http://127\.0\.0\.1:"):
        client.complete([{"role": "user", "content": "hi"}])


class _Broken(http.server.BaseHTTPRequestHandler):
    """An HTTP server that answers a chat request badly, in the way its path says."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/missing"):
            self.send_error(404, "Not Found")
            return
        body = {
            "/html/chat/completions": b"<html>captive portal</html>",
            "/empty/chat/completions": json.dumps(
                {"choices": [{"message": {"role": "assistant", "content": ""}}]}
            ).encode(),
        }.get(self.path, json.dumps({"error": "no choices"}).encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def broken_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered HTTP 404"),
        ("/html", "did not answer like an OpenAI-compatible chat API"),
        ("/other", "did not answer like an OpenAI-compatible chat API"),
        ("/empty", "empty answer"),
    ],
)
def test_a_bad_answer_is_a_clear_error(broken_server: str, path: str, message: str) -> None:
    client = ChatClient(LLMOptions(broken_server + path, "m", timeout=5))
    with pytest.raises(RewriteError, match=message):
        client.complete([{"role": "user", "content": "hi"}])


def test_cli_keeps_the_extractive_summary_when_the_rewrite_fails(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    code = main(
        [
            "digest",
            str(EXAMPLES),
            "--no-store",
            "--no-analysis",
            "--format",
            "json",
            "--rewrite",
            "--llm-url",
            url,
            "--llm-model",
            "m",
            "--llm-timeout",
            "5",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert "rewrite failed, the extractive summary is kept: cannot reach" in err
    report = json.loads(out)
    story = report["stories"][0]
    assert story["summary"] and story["rewritten"] == []
    assert any("rewrite failed" in n for n in report["notes"])


def test_cli_without_an_endpoint_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("NEWSWEAVE_LLM_URL", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    assert main(["digest", str(EXAMPLES), "--no-store", "--rewrite"]) == 2
    assert "--llm-url" in capsys.readouterr().err
