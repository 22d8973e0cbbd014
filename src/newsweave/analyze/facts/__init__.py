"""Facts: what several sources of a story state alike, and where they disagree.

Every sentence (and every photo caption) becomes a statement with typed slots
(:mod:`newsweave.analyze.statements`). Which statements of two sources say the same thing
is decided in :mod:`.align` (word overlap, or sentence meaning across paraphrase and
language); they are joined into facts supported by the independent sources that state them
in :mod:`.group`, as long as no slot is in disagreement. Where the sources disagree is found
by :mod:`newsweave.analyze.conflicts`; :func:`analyse` returns both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from newsweave.analyze.across import language_conflicts
from newsweave.analyze.conflicts import find_conflicts
from newsweave.analyze.embed import Encoder, reads
from newsweave.analyze.entities import EntityIndex
from newsweave.analyze.facts.align import SAME_FACT, same_pairs, statement_vectors
from newsweave.analyze.facts.group import group_facts, single_source
from newsweave.analyze.statements import (
    HEDGE,
    NEGATION,
    Draft,
    Statement,
    make_statement,
    statements_of,
)
from newsweave.analyze.temporal import Times
from newsweave.model import Article, Citation, Conflict, Fact, Sentence
from newsweave.text.similarity import Similarity
from newsweave.text.tfidf import tfidf_of_terms

__all__ = [
    "HEDGE",
    "NEGATION",
    "SAME_FACT",
    "Statement",
    "analyse",
    "compare_claims",
    "find_conflicts",
    "group_facts",
    "same_pairs",
    "single_source",
    "statements_of",
]


def compare_claims(a: str, b: str, published: date | None = None) -> tuple[Conflict, ...]:
    """How two claims from two sources disagree, by the same rules as a story's statements
    (figures, dates, places, opposite states); for checking two sentences on their own."""
    sa = make_statement(0, Citation("a", 0, 0, len(a)), a, ("a", published), 0, None, "")
    sb = make_statement(1, Citation("b", 0, 0, len(b)), b, ("b", published), 1, None, "")
    about = Similarity(tfidf_of_terms([sa.topic_list, sb.topic_list]))
    return find_conflicts([sa, sb], about, None)


def analyse(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    entities: EntityIndex | None = None,
    groups: Mapping[str, int] | None = None,
    embedder: Encoder | None = None,
    times: Times | None = None,
) -> tuple[tuple[Fact, ...], tuple[Conflict, ...]]:
    """The story's facts (most supported first) and conflicts (contradictions first).

    With an ``embedder`` (the multilingual sentence model), two statements also say the same
    thing when their meanings align (:mod:`.align`), which catches paraphrases and
    translations that share few words; without it, word overlap (TF-IDF) alone decides.
    """
    groups = groups or {a.id: i for i, a in enumerate(articles)}
    statements = statements_of(articles, sentences, entities, groups, times)
    if not statements:
        return (), ()
    readable = None
    vectors = None
    if embedder is not None:
        readable = {a.id for a in articles if reads(embedder, a)}
        vectors = statement_vectors(statements, embedder, readable)
    same = same_pairs(
        statements,
        Similarity(tfidf_of_terms([s.term_list for s in statements])),
        embedder,
        readable,
        vectors,
    )
    about = Similarity(tfidf_of_terms([s.topic_list for s in statements]))
    across: list[Draft] = []
    languages = {a.id: a.language for a in articles}
    if embedder is not None and vectors is not None:
        across = language_conflicts(statements, vectors, languages, embedder)
    conflicts = find_conflicts(statements, about, entities, across)
    facts = group_facts(statements, same, conflicts)
    return facts, conflicts
