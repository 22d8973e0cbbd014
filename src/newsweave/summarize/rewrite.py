"""An optional abstractive rewrite of the extractive summary, checked against its sources.

Nothing here runs unless a user asks for it. The selected summary sentences and the source
sentences that back them are numbered and sent to any OpenAI-compatible chat endpoint
(``/chat/completions``), which is told to write a short summary and to end each sentence
with the numbers of the sources it rests on. Every generated sentence is then checked
against the sentences it cites: its figures, names and dates must all appear there and most
of its content words too. A sentence that fails is dropped (or, if asked, kept and marked
with its problems); it is never shown as fact. The extractive summary stays as it was.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from newsweave.errors import NewsweaveError
from newsweave.model import Citation, Story, SummarySentence
from newsweave.summarize.extractive import STOPWORDS, TOKEN, stem
from newsweave.text.sentences import split_spans

URL_VARS = ("NEWSWEAVE_LLM_URL", "OPENAI_BASE_URL")
MODEL_VARS = ("NEWSWEAVE_LLM_MODEL", "OPENAI_MODEL")
KEY_VARS = ("NEWSWEAVE_LLM_KEY", "OPENAI_API_KEY")
MAX_SOURCES = 30  # numbered source sentences sent to the model
MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
LEADING_MARKERS = re.compile(r"^(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+", re.M)
FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
NAME = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z]")
SYSTEM_PROMPT = (
    "You summarise news for a careful reader. Use only facts stated in the numbered source "
    "sentences; add nothing. Write at most {n} short sentences of plain prose. End every "
    "sentence with the numbers of the source sentences it is based on, in square brackets, "
    "for example [1] or [2][5]."
)


class RewriteError(NewsweaveError):
    """The rewrite could not be made: no endpoint, an unreachable one, or a bad answer."""


@dataclass(frozen=True, slots=True)
class LLMOptions:
    """Where the chat endpoint is and how to call it."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 120.0  # seconds for one answer; small local models on a CPU are slow
    max_tokens: int = 400
    temperature: float = 0.0
    keep_unsupported: bool = False  # keep failing sentences, marked, instead of dropping them
    min_supported: float = 0.75  # share of content words the cited sentences must contain

    @classmethod
    def resolve(
        cls,
        base_url: str | None = None,
        model: str | None = None,
        api_key: str | None = None,
        environ: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> LLMOptions:
        """Options from arguments, else from the environment; a clear error if incomplete."""
        env = os.environ if environ is None else environ

        def first(value: str | None, names: Sequence[str]) -> str | None:
            return value or next((env[n] for n in names if env.get(n)), None)

        url = first(base_url, URL_VARS)
        if not url:
            raise RewriteError(
                "no chat endpoint given: pass --llm-url (for example "
                "http://127.0.0.1:8080/v1) or set NEWSWEAVE_LLM_URL"
            )
        name = first(model, MODEL_VARS)
        if not name:
            raise RewriteError("no model name given: pass --llm-model or set NEWSWEAVE_LLM_MODEL")
        return cls(url.rstrip("/"), name, first(api_key, KEY_VARS), **kwargs)


class ChatClient:
    """A minimal OpenAI-compatible chat client on the standard library (no SDK needed)."""

    def __init__(self, options: LLMOptions) -> None:
        self.options = options

    def complete(self, messages: Sequence[Mapping[str, str]]) -> str:
        """The assistant's reply to ``messages``; :class:`RewriteError` on any failure."""
        opts = self.options
        url = f"{opts.base_url}/chat/completions"
        body = json.dumps(
            {
                "model": opts.model,
                "messages": list(messages),
                "temperature": opts.temperature,
                "max_tokens": opts.max_tokens,
            }
        ).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if opts.api_key:
            headers["Authorization"] = f"Bearer {opts.api_key}"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=opts.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as e:
            detail = e.read()[:300].decode("utf-8", "replace").strip()
            raise RewriteError(f"{url} answered HTTP {e.code} {e.reason}: {detail}") from e
        except urllib.error.URLError as e:
            raise RewriteError(f"cannot reach {url}: {e.reason}") from e
        except TimeoutError as e:
            raise RewriteError(f"{url} did not answer within {opts.timeout:g} s") from e
        except OSError as e:
            raise RewriteError(f"cannot reach {url}: {e}") from e
        try:
            data = json.loads(raw)
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as e:
            snippet = raw[:200].decode("utf-8", "replace").strip()
            raise RewriteError(
                f"{url} did not answer like an OpenAI-compatible chat API: {snippet!r}"
            ) from e
        if not isinstance(content, str) or not content.strip():
            raise RewriteError(f"{url} returned an empty answer")
        return content


@dataclass(frozen=True, slots=True)
class Source:
    """One numbered source sentence shown to the model."""

    number: int
    citation: Citation
    text: str


def sources_of(story: Story) -> list[Source]:
    """The summary's sentences and their supporting sentences, numbered from 1."""
    seen: set[tuple[str, int]] = set()
    sources: list[Source] = []
    for summary_sentence in story.summary:
        for c in summary_sentence.citations:
            if c.caption or (c.article_id, c.sentence) in seen or len(sources) >= MAX_SOURCES:
                continue
            seen.add((c.article_id, c.sentence))
            text = story.sentences[c.article_id][c.sentence].text
            sources.append(Source(len(sources) + 1, c, text))
    return sources


def prompt(sources: Sequence[Source], max_sentences: int) -> list[dict[str, str]]:
    """Chat messages asking for a cited summary of the numbered sources."""
    listing = "\n".join(f"[{s.number}] {' '.join(s.text.split())}" for s in sources)
    return [
        {"role": "system", "content": SYSTEM_PROMPT.format(n=max_sentences)},
        {"role": "user", "content": f"Source sentences:\n{listing}\n\nCited summary:"},
    ]


def parse(answer: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer's sentences, each with the source numbers it cites (markers removed).

    Markers standing at the start of a sentence belong to the one before it."""
    text = BULLET.sub("", answer.replace("**", ""))
    out: list[tuple[str, list[int]]] = []
    for start, end, _, _ in split_spans(text):
        sentence = text[start:end]
        lead = LEADING_MARKERS.match(sentence)
        if lead and out:
            out[-1][1].extend(_numbers(lead.group(0)))
            sentence = sentence[lead.end() :]
        numbers = _numbers(sentence)
        plain = " ".join(MARKERS.sub("", sentence).split())
        plain = re.sub(r"\s+([.,;:!?])", r"\1", plain)
        if len(TOKEN.findall(plain.lower())) >= 3:
            out.append((plain, numbers))
        elif out:
            out[-1][1].extend(numbers)
    return [(text, tuple(dict.fromkeys(numbers))) for text, numbers in out]


def _numbers(text: str) -> list[int]:
    return [int(n) for m in MARKERS.finditer(text) for n in re.split(r"[,;]", m.group(1))]


def check(sentence: str, cited: Sequence[str], min_supported: float = 0.75) -> tuple[str, ...]:
    """Why ``sentence`` is not supported by the ``cited`` source sentences (empty if it is).

    Every figure, every capitalised word past the first (names, places, months, weekdays)
    and at least ``min_supported`` of the content words must appear in the cited text."""
    if not cited:
        return ("cites no source sentence",)
    source = " ".join(cited)
    problems: list[str] = []
    source_figures = {_plain_figure(f) for f in FIGURE.findall(source)}
    missing = [f for f in FIGURE.findall(sentence) if _plain_figure(f) not in source_figures]
    if missing:
        problems.append("figures not in the cited sources: " + ", ".join(dict.fromkeys(missing)))
    source_words = {w.lower() for w in re.findall(r"[\w'’-]+", source)}
    names = [m.group(0) for m in NAME.finditer(sentence) if m.start() > 0]
    unnamed = [n for n in names if n.lower() not in source_words and n.lower() not in STOPWORDS]
    if unnamed:
        problems.append("names not in the cited sources: " + ", ".join(dict.fromkeys(unnamed)))
    words = [t for t in TOKEN.findall(sentence.lower()) if t not in STOPWORDS and not t.isdigit()]
    stems = {stem(t) for t in TOKEN.findall(source.lower())}
    unsupported = [w for w in words if stem(w) not in stems]
    if words and len(unsupported) > (1 - min_supported) * len(words):
        problems.append("words not in the cited sources: " + ", ".join(dict.fromkeys(unsupported)))
    return tuple(problems)


def _plain_figure(figure: str) -> str:
    """``1,000`` and ``1000`` are the same figure; ``3.0`` is not ``30``."""
    return figure.replace(",", "")


@dataclass(frozen=True, slots=True)
class Rewrite:
    """The checked rewrite of one story's summary."""

    sentences: tuple[SummarySentence, ...]
    dropped: tuple[tuple[str, tuple[str, ...]], ...]  # failing sentences and why
    model: str


def rewrite_summary(story: Story, client: ChatClient, max_sentences: int = 5) -> Rewrite:
    """Ask the model for a cited rewrite of ``story``'s summary and check each sentence."""
    sources = sources_of(story)
    if not sources:
        return Rewrite((), (), client.options.model)
    answer = client.complete(prompt(sources, max_sentences))
    by_number = {s.number: s for s in sources}
    kept: list[SummarySentence] = []
    dropped: list[tuple[str, tuple[str, ...]]] = []
    for text, numbers in parse(answer):
        cited = [by_number[n] for n in numbers if n in by_number]
        problems = check(text, [s.text for s in cited], client.options.min_supported)
        unknown = [n for n in numbers if n not in by_number]
        if unknown:
            problems = (
                *problems,
                "cites sources that do not exist: " + ", ".join(map(str, unknown)),
            )
        citations = tuple(s.citation for s in cited)
        if not problems:
            kept.append(SummarySentence(text, citations, generated=True))
        elif client.options.keep_unsupported:
            kept.append(SummarySentence(text, citations, generated=True, problems=problems))
            dropped.append((text, problems))
        else:
            dropped.append((text, problems))
        if len(kept) >= max_sentences:
            break
    return Rewrite(tuple(kept), tuple(dropped), client.options.model)


def apply_rewrite(story: Story, result: Rewrite, keep_unsupported: bool = False) -> Story:
    """``story`` with the rewrite attached and a note on what the check refused."""
    notes = list(story.notes)
    if result.dropped:
        verb = "marked as unsupported" if keep_unsupported else "dropped"
        notes.append(
            f"rewrite by {result.model}: {len(result.dropped)} generated sentence(s) {verb}, "
            "because their cited sources do not support them"
        )
    if not result.sentences:
        notes.append(f"rewrite by {result.model}: no generated sentence passed the citation check")
    return replace(story, rewritten=result.sentences, notes=tuple(notes))
