"""Per-article linguistic annotation: named entities, social handles and attributions.

spaCy parses each article's clean text once; what later stages need is copied out into
plain dataclasses (character spans into the clean text), so the entity, quote and timeline
stages never touch spaCy objects and can be tested on hand-made annotations.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsweave.analyze.nlp import ENTITY_KINDS, load
from newsweave.analyze.quoted import marked_quotations
from newsweave.analyze.quotes import Attribution, find_attributions
from newsweave.clean.language import in_model_language
from newsweave.model import Article
from newsweave.parallel import can_fork, default_jobs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,30}\b")
PRONOUNS = frozenset(["he", "she", "him", "her", "his", "hers", "they", "them"])
# Capitalised words before a name that are roles, not part of the name.
COMMON_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "president",
        "mayor",
        "chief",
        "minister",
        "judge",
        "officer",
        "inspector",
        "detective",
        "councillor",
        "senator",
        "governor",
        "director",
        "model",
        "singer",
        "actor",
        "actress",
        "star",
        "captain",
        "coach",
        "manager",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "bishop",
        "general",
        "colonel",
        "sergeant",
        "lieutenant",
        "superintendent",
        "constable",
        "professor",
        "doctor",
        "author",
        "writer",
        "presenter",
        "host",
        "chef",
        "firefighter",
        "paramedic",
        "nurse",
        "teacher",
        "headteacher",
        "principal",
        "dean",
        "chancellor",
        "rector",
        "vicar",
        "priest",
        "imam",
        "rabbi",
        "reverend",
        "pastor",
        "commissioner",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "founder",
        "owner",
        "farmer",
        "fisherman",
        "sheriff",
        "deputy",
        "marshal",
        "trooper",
        "agent",
        "ambassador",
        "envoy",
        "consul",
        "attorney",
        "lawyer",
        "barrister",
        "solicitor",
        "councilwoman",
        "councilman",
        "alderman",
        "mp",
        "mep",
        "premier",
        "head",
        "harbourmaster",
        "harbormaster",
        "skipper",
        "pilot",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "player",
        "referee",
        "umpire",
        "rapper",
        "comedian",
        "musician",
        "artist",
        "designer",
        "photographer",
        "journalist",
        "reporter",
        "editor",
        "columnist",
        "broadcaster",
        "economist",
        "analyst",
        "scientist",
        "researcher",
        "engineer",
        "architect",
    ]
)


@dataclass(frozen=True, slots=True)
class NamedSpan:
    """A name in the text: PER, ORG, LOC, MISC from NER, or HANDLE for ``@someone``."""

    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Annotation:
    """What the parser found in one article; every span indexes its clean text."""

    article_id: str
    names: tuple[NamedSpan, ...]
    attributions: tuple[Attribution, ...]
    subjects: tuple[tuple[int, int], ...] = ()  # spans of person subjects, for pronouns


# Below this many characters one process parses faster than starting workers.
PARALLEL_CHARS = 20_000
# A longer text is parsed in pieces of at most this many characters, cut at paragraph or
# sentence ends: spaCy refuses texts over ``nlp.max_length`` (E088), the parser and NER
# need about 1 GB of working memory per 100,000 characters parsed at once, and quote
# attribution takes time that grows faster than the length of the text it searches.
PIECE_CHARS = 100_000
# Where a piece may end, best first: a paragraph, a line, a sentence, a word.
_PIECE_ENDS = (
    re.compile(r"\n\s*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),
    re.compile(r"\s+"),
)


class Annotator:
    """Runs the spaCy pipeline over articles; construct once and reuse (loading is slow).

    ``jobs`` worker processes (default: the available cores, at most 4) share large batches
    of articles. They are forked from this process the first time they are needed, so the
    loaded model is neither copied nor reloaded, and kept until :meth:`close`: forking per
    batch would pay again for every model page a worker touches. ``jobs=1`` keeps
    everything in this process."""

    def __init__(self, nlp: Language | None = None, jobs: int | None = None) -> None:
        self.nlp = nlp if nlp is not None else load()
        self.jobs = default_jobs(jobs)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Annotator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def annotate(self, articles: Sequence[Article]) -> dict[str, Annotation]:
        """Annotate each article's clean text: one batched pass, shared among the workers
        when the batch is large enough to pay for them. An article known to be in another
        language than the model's gets no names, and its quotations attributed by punctuation
        alone (see ``language_notes`` and :mod:`newsweave.analyze.quoted`)."""
        lang = self.nlp.lang
        empty = {
            a.id: Annotation(a.id, (), tuple(marked_quotations(a.clean_text)))
            for a in articles
            if not in_model_language(a, lang)
        }
        items = [(a.id, a.clean_text) for a in articles if a.id not in empty]
        found = self._annotate_items(items) if items else {}
        return {a.id: empty[a.id] if a.id in empty else found[a.id] for a in articles}

    def _annotate_items(self, items: list[tuple[str, str]]) -> dict[str, Annotation]:
        chars = sum(len(text) for _, text in items)
        if self.jobs < 2 or len(items) < 2 or chars < PARALLEL_CHARS or not can_fork():
            return _annotate(self.nlp, items)
        # Longest first, in small shares taken as workers free up: even loads.
        ordered = sorted(items, key=lambda item: (-len(item[1]), item[0]))
        size = max(1, len(ordered) // (8 * self.jobs))
        shares = [ordered[k : k + size] for k in range(0, len(ordered), size)]
        try:
            parts = list(self._workers().map(_annotate_in_worker, shares))
        except (OSError, BrokenProcessPool):  # no processes to be had here: do it in this one
            self.close()
            return _annotate(self.nlp, items)
        return {k: v for part in parts for k, v in part.items()}

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.jobs,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_set_worker_nlp,
                initargs=(self.nlp,),
            )
        return self._pool


_worker_nlp: Language | None = None  # set in each forked worker process, never in the parent


def _set_worker_nlp(nlp: Language) -> None:
    global _worker_nlp
    _worker_nlp = nlp


def _annotate_in_worker(items: Sequence[tuple[str, str]]) -> dict[str, Annotation]:
    assert _worker_nlp is not None
    return _annotate(_worker_nlp, items)


def _annotate(nlp: Language, items: Sequence[tuple[str, str]]) -> dict[str, Annotation]:
    """Parse ``(article id, clean text)`` pairs and copy out what later stages need; a long
    text is parsed in pieces (see ``pieces``), each annotated on its own and its spans moved
    to index the whole text."""
    limit = min(PIECE_CHARS, nlp.max_length)
    spans = [pieces(text, limit) for _, text in items]
    texts = [text[a:b] for (_, text), cuts in zip(items, spans, strict=True) for a, b in cuts]
    docs = iter(nlp.pipe(texts, batch_size=16))
    out: dict[str, Annotation] = {}
    for (aid, _), cuts in zip(items, spans, strict=True):
        parts = [_moved(annotation_of(aid, next(docs)), a) for a, _ in cuts]
        out[aid] = parts[0] if len(parts) == 1 else _joined(aid, parts)
    return out


def _moved(annotation: Annotation, by: int) -> Annotation:
    """The annotation of a piece of text with every span moved ``by`` characters on."""
    if by == 0:
        return annotation

    def span(s: tuple[int, int]) -> tuple[int, int]:
        return (s[0] + by, s[1] + by)

    def maybe(s: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if s is None else span(s)

    return Annotation(
        annotation.article_id,
        tuple(replace(n, start=n.start + by, end=n.end + by) for n in annotation.names),
        tuple(
            replace(
                a,
                content=tuple(span(c) for c in a.content),
                cue=maybe(a.cue),
                source=maybe(a.source),
                source_head=maybe(a.source_head),
            )
            for a in annotation.attributions
        ),
        tuple(span(s) for s in annotation.subjects),
    )


def _joined(article_id: str, parts: Sequence[Annotation]) -> Annotation:
    """One annotation from those of consecutive pieces."""
    return Annotation(
        article_id,
        tuple(n for p in parts for n in p.names),
        tuple(a for p in parts for a in p.attributions),
        tuple(s for p in parts for s in p.subjects),
    )


def pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """``text`` cut into consecutive spans of at most ``limit`` characters that together
    cover it, each ending after a paragraph break where one falls in the second half of
    the span, else after a line break, a sentence end, a space (a hard cut if none)."""
    if limit < 2:
        raise ValueError("pieces need a limit of at least 2 characters")
    cuts: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for ends in _PIECE_ENDS:
            found = [m.end() for m in ends.finditer(text, start + limit // 2, end)]
            if found and found[-1] <= end:
                end = found[-1]
                break
        cuts.append((start, end))
        start = end
    cuts.append((start, len(text)))
    return cuts


def annotation_of(article_id: str, doc: Doc) -> Annotation:
    """Copy the names and attributions out of a parsed document."""
    text = doc.text
    names = [
        _extend_person(doc, e.start, e.end)
        if e.label_ == "PERSON"
        else NamedSpan(e.start_char, e.end_char, ENTITY_KINDS[e.label_], e.text)
        for e in doc.ents
        if e.label_ in ENTITY_KINDS and not _in_handle(text, e.start_char)
    ]
    names += [NamedSpan(m.start(), m.end(), "HANDLE", m.group(0)) for m in HANDLE.finditer(text)]
    names.sort(key=lambda n: (n.start, n.end))
    subjects = tuple(
        (t.idx, t.idx + len(t.text))
        for t in doc
        if t.dep_ in ("nsubj", "nsubjpass") and t.tag_ in ("NNP", "NNPS")
    )
    attributions = find_attributions(doc)
    # A quotation the parse attributes to nobody may still name its speaker where any
    # language does: "Wife Sandra, 61, sobbed: ..." (see :mod:`newsweave.analyze.quoted`).
    said = [c for a in attributions for c in a.content]
    attributions += [
        m
        for m in marked_quotations(text, names_by_case=True)
        if m.source is not None
        and not any(s < m.content[0][1] and m.content[0][0] < e for s, e in said)
    ]
    return Annotation(article_id, tuple(names), tuple(attributions), subjects)


def _extend_person(doc: Doc, start: int, end: int) -> NamedSpan:
    """Grow a person's name over capitalised proper nouns beside it ("Chrissy" + "Teigen").

    The small model often tags only the surname; a first name it left out, or one it called
    an organisation, sits right next to it as a proper noun. A name it tagged whole (two
    words or more) is not grown to the left: the proper noun before it is a title ("Chief
    Executive Margit Oberländer").
    """
    while (
        start > 0
        and end - start < 2
        and _name_token(doc[start - 1])
        and doc[start - 1].ent_type_ in ("", "PERSON", "ORG")
    ):
        start -= 1
    while end < len(doc) and _name_token(doc[end]) and doc[end].ent_type_ in ("", "PERSON"):
        end += 1
    span = doc[start:end]
    return NamedSpan(span.start_char, span.end_char, "PER", span.text)


def _name_token(tok: Token) -> bool:
    text = tok.text
    return (
        tok.tag_ in ("NNP", "NNPS")
        and text[:1].isupper()
        and text.replace("-", "").replace("'", "").isalpha()
        and tok.lower_ not in COMMON_TITLES
    )


def _in_handle(text: str, start: int) -> bool:
    return text[start : start + 1] == "@" or (start > 0 and text[start - 1] == "@")
