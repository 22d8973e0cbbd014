"""The digest pipeline: ingest, clean across articles, segment, summarise, analyse.

Each stage is a plain function over the records in :mod:`newsweave.model`; this module only
strings them together and reports progress through callbacks, so the CLI, tests and
benchmarks all run the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from newsweave.analyze.annotate import Annotator
from newsweave.analyze.attribution import collect_quotes
from newsweave.analyze.embed import CachedEncoder, Embedder, EmbeddingsUnavailable, Encoder
from newsweave.analyze.entities import EntityIndex, resolve_entities
from newsweave.analyze.facts import analyse
from newsweave.analyze.temporal import times_of
from newsweave.analyze.timeline import build_timeline
from newsweave.clean.repetition import remove_repeated_lines
from newsweave.group.duplicates import duplicates_of, fingerprints
from newsweave.group.stories import Group, GroupOptions, all_features, cluster, group, story_id
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
    group: GroupOptions = field(default_factory=GroupOptions)
    one_story: bool = False  # treat every input as one story instead of grouping them
    jobs: int | None = None  # worker processes for the spaCy pass (None: the cores, at most 4)


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
    embedder: Encoder | None = None,
    grouping: Group | None = None,
) -> Story:
    """One story from a set of articles: cross-article cleaning, sentences, summary, and the
    timeline; entities and quotes too when an ``annotator`` (the spaCy pipeline) is given."""
    ordered = sorted(remove_repeated_lines(articles), key=source_order)
    sentences = {a.id: segment(a) for a in ordered}
    groups = source_groups(ordered)
    summary = summarize(ordered, sentences, options, groups)
    sid = story_id(a.id for a in ordered)
    times = times_of(ordered, sentences)  # found once, for the timeline and the facts
    timeline, notes = build_timeline(ordered, sentences, groups, times)
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    index: EntityIndex | None = None
    if annotator is not None:
        annotations = annotator.annotate(ordered)
        index = resolve_entities(ordered, sentences, annotations, groups)
        entities = index.entities
        quotes = collect_quotes(ordered, sentences, annotations, index, groups)
    facts, conflicts = analyse(ordered, sentences, index, groups, embedder, times)
    return Story(
        id=sid,
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
        duplicates=grouping.duplicates if grouping else (),
        shared_terms=grouping.shared_terms if grouping else (),
        shared_names=grouping.shared_names if grouping else (),
    )


def ingest_into(
    paths: Iterable[str],
    ingestor: Ingestor,
    store: Store | None,
    *,
    stdin: BinaryIO | None,
    on_skip: Callable[[Skipped], None] | None,
    stats: RunStats,
) -> tuple[dict[str, Article], list[Skipped]]:
    """Read ``paths``, storing each article (in its own transaction) as it comes: the
    articles by id (the same one given twice counts once) and the skipped inputs."""
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
    return articles, skipped


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
    """Ingest ``paths``, group what went in into stories and digest each one."""
    opts = options or DigestOptions()
    stats = stats if stats is not None else RunStats()
    articles, skipped = ingest_into(
        paths, ingestor or Ingestor(opts.ingest), store, stdin=stdin, on_skip=on_skip, stats=stats
    )
    own_annotator = False
    if not opts.analyze:
        annotator = None
    elif articles and annotator is None:
        annotator = Annotator(jobs=opts.jobs)  # loads the spaCy model: once per run
        own_annotator = True
    notes: list[str] = []
    if not opts.semantic:
        embedder = None
    elif articles and embedder is None:
        try:
            embedder = Embedder()  # loads the MiniLM model: once per run
        except EmbeddingsUnavailable as e:
            notes.append(f"facts grouped by word overlap only: {e}")
    encoder: Encoder | None = embedder
    if embedder is not None and store is not None:
        encoder = CachedEncoder(embedder, store)  # each sentence embedded once, kept
    try:
        stories = tuple(
            build_story(members, opts.summary, annotator, encoder, grouping)
            for members, grouping in stories_of(list(articles.values()), opts)
        )
    finally:
        if own_annotator and annotator is not None:
            annotator.close()  # its worker processes, if it started any
    return Report(stories=stories, skipped=tuple(skipped), notes=tuple(notes))


def stories_of(
    articles: Sequence[Article], options: DigestOptions
) -> list[tuple[list[Article], Group | None]]:
    """The run's articles split into stories (largest first), or all as one story."""
    if not articles:
        return []
    if options.one_story:
        return [(list(articles), None)]
    cleaned = remove_repeated_lines(articles)  # site boilerplate recurs across stories too
    by_id = {a.id: a for a in cleaned}
    groups = group(cleaned, options.group)
    groups.sort(key=lambda g: -len(g.article_ids))  # stable: earlier stories first on ties
    return [([by_id[a] for a in g.article_ids], g) for g in groups]


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``newsweave add`` did to the store."""

    fingerprinted: int  # articles whose fingerprint was computed in this run
    stories: int
    changed: int  # stories that are new or gained articles
    duplicates: int


def add(
    paths: Iterable[str],
    store: Store,
    *,
    ingestor: Ingestor | None = None,
    options: DigestOptions | None = None,
    stdin: BinaryIO | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    stats: RunStats | None = None,
) -> AddResult:
    """Store new articles and regroup the store's stories.

    Only the new articles are read and fingerprinted; every stored article's fingerprint and
    term vector were kept when it was added, so regrouping reads those, not the texts. The
    grouping is a function of the set of articles alone, so adding files one run at a time
    gives the same stories as adding them all at once."""
    opts = options or DigestOptions()
    stats = stats if stats is not None else RunStats()
    ingest_into(
        paths, ingestor or Ingestor(opts.ingest), store, stdin=stdin, on_skip=on_skip, stats=stats
    )
    fresh = list(store.unfingerprinted())
    new = list(
        zip(fingerprints(fresh, opts.group.dedup), all_features(fresh, opts.group), strict=True)
    )
    store.add_fingerprints(new)
    fps, feats = store.fingerprints()
    groups = cluster(feats, duplicates_of(fps, opts.group.dedup), opts.group)
    changed, _ = store.replace_stories(groups)
    return AddResult(len(new), len(groups), changed, sum(len(g.duplicates) for g in groups))
