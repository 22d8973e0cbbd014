"""The digest pipeline: ingest, clean across articles, segment, summarise, analyse.

Each stage is a plain function over the records in :mod:`newsweave.model`; this module only
strings them together and reports progress through callbacks, so the CLI, tests and
benchmarks all run the same code.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import partial
from typing import BinaryIO, TypeVar

from newsweave import __version__
from newsweave.analyze.annotate import Annotation, Annotator
from newsweave.analyze.attribution import collect_quotes
from newsweave.analyze.embed import (
    CachedEncoder,
    Embedder,
    EmbeddingsUnavailable,
    Encoder,
    MemoEncoder,
    reads,
)
from newsweave.analyze.entities import EntityIndex, resolve_entities
from newsweave.analyze.facts import analyse
from newsweave.analyze.temporal import times_of
from newsweave.analyze.timeline import build_timeline
from newsweave.clean.language import language_name, language_notes
from newsweave.clean.learned import remove_learned_boilerplate
from newsweave.clean.repetition import remove_repeated_lines
from newsweave.errors import describe
from newsweave.group.duplicates import duplicates_of, fingerprints
from newsweave.group.stories import Group, GroupOptions, all_features, cluster, group, story_id
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article, Entity, Quote, Report, Skipped, Story
from newsweave.parallel import default_jobs, forked_map
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
    copies: int = 0  # inputs identical to one read earlier, kept as exact copies
    failed: int = 0  # stories or stages of a story left out after an internal error
    resumed: int = 0  # stories whose finished analysis was read back from the store


Progress = Callable[[str, int, "int | None"], None]
"""A progress callback: ``(stage, done, total)``; stages are ``read`` (articles, no total),
``group`` (stories found) and ``analyse`` (stories analysed of ``total``)."""

T = TypeVar("T")


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
    timeline; entities and quotes too when an ``annotator`` (the spaCy pipeline) is given.

    Each stage after the sentences is guarded: an internal error in one leaves that part
    out with a note saying why (``Story.notes`` starts with ``left out:``), never the story."""
    ordered = sorted(remove_repeated_lines(articles), key=source_order)
    if embedder is not None:
        embedder = MemoEncoder(embedder)  # sentences are embedded once per story
        ordered = remove_learned_boilerplate(ordered, embedder)
    sentences = {a.id: segment(a) for a in ordered}
    groups = source_groups(ordered, encoder=embedder)
    notes: list[str] = []
    guard = _Guard(notes)
    summary = guard("the summary", lambda: summarize(ordered, sentences, options, groups)) or ()
    sid = story_id(a.id for a in ordered)
    times = guard("dates", lambda: times_of(ordered, sentences)) or {}
    timeline, timeline_notes = guard(
        "the timeline", lambda: build_timeline(ordered, sentences, groups, times)
    ) or ((), ())
    notes.extend(timeline_notes)
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    index: EntityIndex | None = None
    if embedder is not None:
        unread = sorted(
            {language_name(a.language or "") for a in ordered if not reads(embedder, a)}
        )
        if unread:
            notes.append(
                f"facts in {', '.join(unread)} matched by word overlap only: "
                "the sentence model does not read it"
            )
    if annotator is not None:
        notes.extend(language_notes(ordered))  # articles the English models leave out
        annotations = _annotations(annotator, ordered, guard)
        index = guard("entities", lambda: resolve_entities(ordered, sentences, annotations, groups))
        if index is not None:
            found = index
            entities = index.entities
            quotes = (
                guard(
                    "quotes", lambda: collect_quotes(ordered, sentences, annotations, found, groups)
                )
                or ()
            )
    facts, conflicts = guard(
        "facts and conflicts", lambda: analyse(ordered, sentences, index, groups, embedder, times)
    ) or ((), ())
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
        notes=tuple(notes),
        duplicates=grouping.duplicates if grouping else (),
        shared_terms=grouping.shared_terms if grouping else (),
        shared_names=grouping.shared_names if grouping else (),
    )


LEFT_OUT = "left out:"


class _Guard:
    """Runs one stage of a story, turning an internal error into a note."""

    def __init__(self, notes: list[str]) -> None:
        self.notes = notes

    def __call__(self, what: str, stage: Callable[[], T]) -> T | None:
        """``stage()``, or None after noting why it failed."""
        try:
            return stage()
        except Exception as exc:  # one stage must not end the run
            self.notes.append(f"{LEFT_OUT} {what}, after an internal error ({describe(exc)})")
            return None


def _annotations(
    annotator: Annotator, articles: Sequence[Article], guard: _Guard
) -> dict[str, Annotation]:
    """The spaCy pass over a story; when it fails as a whole, each article is tried alone so
    that one bad article loses only its own entities and quotes."""
    try:
        return annotator.annotate(articles)
    except Exception:  # find the article at fault below
        pass
    found: dict[str, Annotation] = {}
    for article in articles:
        what = f"entities and quotes of {article.source}"
        found.update(guard(what, partial(annotator.annotate, [article])) or {})
    return found


def copy_id(article: Article) -> str:
    """A distinct id for an input identical to one read earlier from another place."""
    key = f"{article.id}\x1f{article.path or ''}\x1f{article.url or ''}"
    return hashlib.sha256(key.encode("utf-8", "backslashreplace")).hexdigest()[:16]


def ingest_into(
    paths: Iterable[str],
    ingestor: Ingestor,
    store: Store | None,
    *,
    stdin: BinaryIO | None,
    on_skip: Callable[[Skipped], None] | None,
    stats: RunStats,
    progress: Progress | None = None,
) -> tuple[dict[str, Article], list[Skipped]]:
    """Read ``paths``, storing each article (in its own transaction) as it comes: the
    articles by id and the skipped inputs.

    An input identical to one read from another place gets an id of its own, so grouping
    lists it as an exact copy of the first rather than losing it; the same place given
    twice counts once."""
    articles: dict[str, Article] = {}
    skipped: list[Skipped] = []
    if progress is not None:
        progress("read", 0, None)
    for item in ingestor.ingest(paths, stdin=stdin):
        if isinstance(item, Skipped):
            skipped.append(item)
            stats.skipped += 1
            if store is not None:
                store.add_skipped(item)
            if on_skip is not None:
                on_skip(item)
            continue
        first = articles.get(item.id)
        if first is not None:
            if first.source == item.source:
                continue  # the same input given twice
            item = replace(item, id=copy_id(item))
            if item.id in articles:
                continue
            stats.copies += 1
        articles[item.id] = item
        stats.articles += 1
        if progress is not None:
            progress("read", stats.articles, None)
        if store is not None:
            if store.add_article(item):
                stats.stored += 1
            else:
                stats.already_stored += 1
    return articles, skipped


def digest(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    ingestor: Ingestor | None = None,
    options: DigestOptions | None = None,
    store: Store | None = None,
    stdin: BinaryIO | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    stats: RunStats | None = None,
    annotator: Annotator | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> Report:
    """Ingest ``paths`` (one path or several), group what went in into stories and digest
    each one.

    With a ``store``, each finished story is kept, so an interrupted run resumes its
    analysis as well as its reading, and the run's stories are saved for ``stories``. A
    story whose analysis fails altogether is reported under ``skipped`` (one entry per
    article, with the reason) and the others go on."""
    opts = options or DigestOptions()
    stats = stats if stats is not None else RunStats()
    articles, skipped = ingest_into(
        _path_list(paths),
        ingestor or Ingestor(opts.ingest),
        store,
        stdin=stdin,
        on_skip=on_skip,
        stats=stats,
        progress=progress,
    )
    parts = stories_of(list(articles.values()), opts)
    if progress is not None:
        progress("group", len(parts), len(parts))
    if store is not None and parts:
        store.save_stories([g or _one_group(m) for m, g in parts])
    fingerprint = _options_key(opts)
    keys = [f"{story_id(a.id for a in members)}:{fingerprint}" for members, _ in parts]
    kept = store.story_result_keys(keys) if store is not None else set()
    models = _Models(opts, store, annotator, embedder)
    stories: list[Story] = []
    if progress is not None:
        progress("analyse", 0, len(parts))
    try:
        results = _analysed(parts, keys, kept, store, opts, models, stats)
        for done, story in enumerate(results, 1):
            if isinstance(story, Story):
                stats.failed += _partial(story)
                stories.append(story)
            else:
                stats.failed += 1
                skipped.extend(story)
                if on_skip is not None:
                    for item in story:
                        on_skip(item)
            if progress is not None:
                progress("analyse", done, len(parts))
    finally:
        models.close()
    if store is not None and stories:
        store.save_stories(stories)  # the analysed stories' titles replace the grouping's
    return Report(stories=tuple(stories), skipped=tuple(skipped), notes=tuple(models.notes))


def _analysed(
    parts: Sequence[tuple[list[Article], Group | None]],
    keys: Sequence[str],
    kept: set[str],
    store: Store | None,
    opts: DigestOptions,
    models: _Models,
    stats: RunStats,
) -> Iterator[Story | list[Skipped]]:
    """Each part's story, in order: read back from the store when it was finished before,
    else analysed (and kept). Without the model passes, which have worker processes or
    threads of their own, stories are analysed in forked workers, largest first."""
    ready: dict[int, Story] = {}
    for k, key in enumerate(keys):
        story = store.story_result(key) if store is not None and key in kept else None
        if story is not None:  # None too when it cannot be read back: made again
            ready[k] = story
            stats.resumed += 1
    todo = [k for k in range(len(parts)) if k not in ready]
    annotator, encoder = models.load() if todo else (None, None)
    if annotator is None and encoder is None:
        task = (parts, todo, opts.summary)
        made: Iterator[Story | list[Skipped]] = forked_map(
            _part_story, task, len(todo), default_jobs(opts.jobs)
        )
    else:
        made = (_story(*parts[k], opts.summary, annotator, encoder) for k in todo)
    for k in range(len(parts)):
        if k in ready:
            yield ready[k]
            continue
        result = next(made)
        if isinstance(result, Story) and models.keep is not None and not _partial(result):
            models.keep.add_story_result(keys[k], result)
        yield result


def _part_story(
    task: tuple[Sequence[tuple[list[Article], Group | None]], Sequence[int], SummaryOptions],
    i: int,
) -> Story | list[Skipped]:
    """The ``i``-th story still to analyse, without the model passes (a worker's task)."""
    parts, todo, summary = task
    members, grouping = parts[todo[i]]
    return _story(members, grouping, summary, None, None)


class _Models:
    """The spaCy pipeline and the sentence model of one run, loaded on first need (a run
    whose stories were all analysed before loads neither) and closed at its end."""

    def __init__(
        self,
        options: DigestOptions,
        store: Store | None,
        annotator: Annotator | None,
        embedder: Embedder | None,
    ) -> None:
        self.options = options
        self.store = store
        self.annotator = annotator if options.analyze else None
        self.embedder = embedder if options.semantic else None
        self.loaded = False
        self.own_annotator = False
        self.notes: list[str] = []
        self.keep: Store | None = None  # where finished stories are kept

    def load(self) -> tuple[Annotator | None, Encoder | None]:
        """The annotator and the encoder the options ask for, loading them the first time."""
        if not self.loaded:
            self.loaded = True
            if self.options.analyze and self.annotator is None:
                self.annotator = Annotator(jobs=self.options.jobs)  # the spaCy model, once
                self.own_annotator = True
            if self.options.semantic and self.embedder is None:
                try:
                    self.embedder = Embedder()  # the sentence model, once per run
                except EmbeddingsUnavailable as e:
                    self.notes.append(f"facts grouped by word overlap only: {e}")
            # A result made without the asked-for embeddings is not kept under the options'
            # key, so that it is made again once they are installed.
            if self.embedder is not None or not self.options.semantic:
                self.keep = self.store
        encoder: Encoder | None = self.embedder
        if self.embedder is not None and self.store is not None:
            encoder = CachedEncoder(self.embedder, self.store)  # each sentence embedded once
        return self.annotator, encoder

    def close(self) -> None:
        """Stop the annotator's worker processes, if this run started it."""
        if self.own_annotator and self.annotator is not None:
            self.annotator.close()


def _partial(story: Story) -> bool:
    """Whether a stage of the story was left out after an internal error."""
    return any(n.startswith(LEFT_OUT) for n in story.notes)


def _path_list(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[str]:
    """One path or several, as a list of strings (a string is one path, not its letters)."""
    if isinstance(paths, str | os.PathLike):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _one_group(members: Sequence[Article]) -> Group:
    """The whole input as one story's group, for ``one_story`` runs."""
    dates = sorted(a.published for a in members if a.published)
    return Group(
        article_ids=tuple(a.id for a in sorted(members, key=source_order)),
        duplicates=(),
        shared_terms=(),
        shared_names=(),
        title=next((a.title for a in members if a.title), ""),
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
    )


SENTENCE_MODEL = Embedder.model_id


def _options_key(options: DigestOptions) -> str:
    """What a kept story result depends on besides its articles: the version and options."""
    parts = [
        __version__,
        repr(asdict(options.summary)),
        str(options.analyze),
        str(options.semantic),
        SENTENCE_MODEL,  # results made with another sentence model are made again
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _story(
    members: list[Article],
    grouping: Group | None,
    options: SummaryOptions,
    annotator: Annotator | None,
    encoder: Encoder | None,
) -> Story | list[Skipped]:
    """One story; a story that cannot be built at all becomes one ``Skipped`` per article."""
    try:
        return build_story(members, options, annotator, encoder, grouping)
    except Exception as exc:  # one story must not end the run
        reason = f"its story could not be analysed after an internal error ({describe(exc)})"
        return [Skipped(a.source, reason) for a in sorted(members, key=source_order)]


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
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    ingestor: Ingestor | None = None,
    options: DigestOptions | None = None,
    stdin: BinaryIO | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    stats: RunStats | None = None,
    progress: Progress | None = None,
) -> AddResult:
    """Store new articles and regroup the store's stories.

    Only the new articles are read and fingerprinted; every stored article's fingerprint and
    term vector were kept when it was added, so regrouping reads those, not the texts. The
    grouping is a function of the set of articles alone, so adding files one run at a time
    gives the same stories as adding them all at once."""
    opts = options or DigestOptions()
    stats = stats if stats is not None else RunStats()
    ingest_into(
        _path_list(paths),
        ingestor or Ingestor(opts.ingest),
        store,
        stdin=stdin,
        on_skip=on_skip,
        stats=stats,
        progress=progress,
    )
    fresh = list(store.unfingerprinted())
    new = list(
        zip(fingerprints(fresh, opts.group.dedup), all_features(fresh, opts.group), strict=True)
    )
    store.add_fingerprints(new)
    fps, feats = store.fingerprints()
    groups = cluster(feats, duplicates_of(fps, opts.group.dedup), opts.group)
    changed, _ = store.replace_stories(groups)
    if progress is not None:
        progress("group", len(groups), len(groups))
    return AddResult(len(new), len(groups), changed, sum(len(g.duplicates) for g in groups))
