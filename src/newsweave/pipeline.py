"""The digest pipeline: ingest, clean across articles, segment, summarise, analyse.

Each stage is a plain function over the records in :mod:`newsweave.model`; this module only
strings them together and reports progress through callbacks, so the CLI, tests and
benchmarks all run the same code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from newsweave.analyze.annotate import Annotator
from newsweave.analyze.attribution import collect_quotes
from newsweave.analyze.embed import Embedder, EmbeddingsUnavailable
from newsweave.analyze.entities import EntityIndex, resolve_entities
from newsweave.analyze.facts import analyse
from newsweave.analyze.timeline import build_timeline
from newsweave.clean.repetition import remove_repeated_lines
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Entity, Quote, Report, Skipped, Story
from newsweave.store import Store
from newsweave.summarize.extractive import (
    SummaryOptions,
    source_groups,
    story_title,
    summarize,
)
from newsweave.text.sentences import segment


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """Options of every stage of a digest, in one place."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    summary: SummaryOptions = field(default_factory=SummaryOptions)
    analyze: bool = True  # entities and quotes (needs the spaCy model); timeline always
    semantic: bool = True  # sentence embeddings for facts, when newsweave[semantic] is installed


@dataclass
class RunStats:
    """Counts a run reports at its end."""

    articles: int = 0
    stored: int = 0
    already_stored: int = 0
    skipped: int = 0


def source_order(article: Article) -> tuple[date, str, str]:
    """Oldest first, undated last; ties broken by path and id, so input order never matters."""
    return (article.published or date.max, article.source, article.id)


def build_story(
    articles: Sequence[Article],
    options: SummaryOptions | None = None,
    annotator: Annotator | None = None,
    embedder: Embedder | None = None,
) -> Story:
    """One story from a set of articles: cross-article cleaning, sentences, summary, and the
    timeline; entities and quotes too when an ``annotator`` (the spaCy pipeline) is given."""
    ordered = sorted(remove_repeated_lines(articles), key=source_order)
    sentences = {a.id: segment(a) for a in ordered}
    summary = summarize(ordered, sentences, options)
    story_id = hashlib.sha256("".join(sorted(a.id for a in ordered)).encode()).hexdigest()[:12]
    groups = source_groups(ordered)
    timeline, notes = build_timeline(ordered, sentences, groups)
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    index: EntityIndex | None = None
    if annotator is not None:
        annotations = annotator.annotate(ordered)
        index = resolve_entities(ordered, sentences, annotations, groups)
        entities = index.entities
        quotes = collect_quotes(ordered, sentences, annotations, index, groups)
    facts, conflicts = analyse(ordered, sentences, index, groups, embedder)
    return Story(
        id=story_id,
        title=story_title(ordered, summary),
        articles=tuple(ordered),
        sentences=sentences,
        summary=summary,
        entities=entities,
        quotes=quotes,
        timeline=timeline,
        facts=facts,
        conflicts=conflicts,
        notes=notes,
    )


def digest(
    paths: Iterable[str],
    *,
    ingestor: Ingestor | None = None,
    options: DigestOptions | None = None,
    store: Store | None = None,
    stdin: BinaryIO | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    stats: RunStats | None = None,
    annotator: Annotator | None = None,
    embedder: Embedder | None = None,
) -> Report:
    """Ingest ``paths`` and digest everything that went in as one story."""
    opts = options or DigestOptions()
    ingestor = ingestor or Ingestor(opts.ingest)
    stats = stats if stats is not None else RunStats()
    articles: dict[str, Article] = {}
    skipped: list[Skipped] = []
    for item in ingestor.ingest(paths, stdin=stdin):
        if isinstance(item, Skipped):
            skipped.append(item)
            stats.skipped += 1
            if store is not None:
                store.add_skipped(item)
            if on_skip is not None:
                on_skip(item)
            continue
        if item.id in articles:
            continue  # the same article given twice
        articles[item.id] = item
        stats.articles += 1
        if store is not None:
            if store.add_article(item):
                stats.stored += 1
            else:
                stats.already_stored += 1
    if not opts.analyze:
        annotator = None
    elif articles and annotator is None:
        annotator = Annotator()  # loads the spaCy model: once per run
    notes: list[str] = []
    if not opts.semantic:
        embedder = None
    elif articles and embedder is None:
        try:
            embedder = Embedder()  # loads the MiniLM model: once per run
        except EmbeddingsUnavailable as e:
            notes.append(f"facts grouped by word overlap only: {e}")
    stories = (
        (build_story(list(articles.values()), opts.summary, annotator, embedder),)
        if articles
        else ()
    )
    return Report(stories=stories, skipped=tuple(skipped), notes=tuple(notes))
