"""A story's quotes: each attribution tied to its speaker entity and merged across sources.

The same sentence, quoted by four outlets with "said", "told reporters" or a word changed,
is one quote that cites all four, with each differing wording kept as a variant. A speaker
written as a pronoun resolves to the person named last before the quote in that article
(gender is not used: machine translations get pronouns wrong).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from newsweave.analyze.annotate import PRONOUNS, Annotation
from newsweave.analyze.entities import EntityIndex
from newsweave.analyze.quotes import Attribution
from newsweave.model import Article, Citation, Quote, QuoteVariant, Sentence
from newsweave.text.sentences import sentence_at

SAME_WORDING = 88.0  # rapidfuzz ratio at which two wordings are the same quote
PART_OF = 95.0  # partial ratio at which a shorter quote is an excerpt of a longer one
MIN_PART_WORDS = 5
COMMON_WORD = 64  # a word in more attributions than this (of one kind and figures) is too common


@dataclass(slots=True)
class _Said:
    article_id: str
    kind: str
    text: str
    norm: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    citations: tuple[Citation, ...]
    order: int


@dataclass(slots=True)
class _Group:
    kind: str
    items: list[_Said] = field(default_factory=list)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def norm_text(text: str) -> str:
    """Wording compared without case, punctuation or spacing."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def collect_quotes(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    annotations: Mapping[str, Annotation],
    entities: EntityIndex,
    groups: Mapping[str, int] | None = None,
) -> tuple[Quote, ...]:
    """All quotes of a story, one per statement, citing every source that reports it."""
    groups = groups or {a.id: i for i, a in enumerate(articles)}
    said: list[_Said] = []
    for article in articles:
        ann = annotations.get(article.id)
        sents = sentences.get(article.id, ())
        if ann is None or not sents:
            continue
        starts = [s.start for s in sents]
        previous: tuple[int, str] | None = None  # where the last person quoted stopped, who
        for a in sorted(ann.attributions, key=lambda a: a.content[0][0]):
            item = _said(article, a, sents, starts, entities, len(said), ann.subjects, previous)
            if item is None:
                continue
            said.append(item)
            if item.speaker is not None and entities.by_id[item.speaker].kind == "PER":
                previous = (max(e for _, e in (*a.content, a.source or (0, 0))), item.speaker)
    quotes = [_quote(g, groups) for g in merge_said(said)]
    order = {id(q): i for i, q in enumerate(quotes)}
    quotes.sort(
        key=lambda q: (
            q.kind != "direct",
            -len({groups.get(c.article_id, -1) for c in q.citations}),
            order[id(q)],
        )
    )
    return tuple(
        Quote(f"Q{i}", q.kind, q.text, q.speaker, q.speaker_text, q.cue, q.variants)
        for i, q in enumerate(quotes, 1)
    )


def _said(
    article: Article,
    a: Attribution,
    sents: Sequence[Sentence],
    starts: list[int],
    entities: EntityIndex,
    order: int,
    subjects: Sequence[tuple[int, int]] = (),
    previous: tuple[int, str] | None = None,
) -> _Said | None:
    text = article.clean_text
    parts = [text[s:e].strip().rstrip(",").strip() for s, e in a.content]
    parts = [p for p in parts if p]
    if not parts:
        return None
    speaker: str | None = None
    speaker_text: str | None = None
    if a.source is not None:
        s, e = a.source
        speaker_text = text[s:e]
        speaker = (
            entities.entity_in(article.id, s, e, "PER")
            or _named_by(entities, article.id, a)
            or entities.named(speaker_text)
        )
        if speaker is None and speaker_text.lower() in PRONOUNS:
            at = min(s, a.content[0][0])
            speaker = _same_speaker(text, previous, at) or entities.person_before(
                article.id, at, subjects=subjects
            )
    elif a.cue is not None:
        # A cue with no subject ("..., wrote on Instagram"): the person last spoken of.
        speaker = _same_speaker(text, previous, a.content[0][0]) or entities.person_before(
            article.id, a.content[0][0], subjects=subjects
        )
    if (
        a.kind == "indirect"
        and speaker is None
        and (speaker_text is None or speaker_text.lower() in PRONOUNS | {"it", "this", "that"})
    ):
        return None  # "it said that ..." with nobody to attribute it to is not a quote
    cites = []
    for s, e in a.content:
        cites.append(Citation(article.id, sentence_at(sents, starts, s).index, s, e))
    joined = " … ".join(parts)
    return _Said(
        article.id, a.kind, joined, norm_text(joined), speaker, speaker_text, a.cue_lemma,
        tuple(cites), order,
    )  # fmt: skip


def _same_speaker(text: str, previous: tuple[int, str] | None, at: int) -> str | None:
    """The person quoted just before, in the same paragraph: the one a pronoun there
    most likely means ("Ms Halloway said the man was recovering. 'He was talking to us,'
    she said"), rather than the last subject of a sentence further back."""
    if previous is None or previous[0] > at or "\n" in text[previous[0] : at]:
        return None
    return previous[1]


def _named_by(entities: EntityIndex, article_id: str, a: Attribution) -> str | None:
    """The entity that is the speaker phrase's head ("the fire service said"), not a place
    inside a longer phrase ("a Quay Row resident", "residents of Quay Row")."""
    if a.source is None:
        return None
    head = a.source_head or a.source
    return (
        entities.entity_in(article_id, *a.source) if _covers(entities, article_id, head) else None
    )


def _covers(entities: EntityIndex, article_id: str, head: tuple[int, int]) -> bool:
    eid = entities.entity_in(article_id, head[0] - 60, head[1] + 60)
    if eid is None:
        return False
    return any(
        m.article_id == article_id and m.start <= head[0] and head[1] <= m.end
        for m in entities.by_id[eid].mentions
    )


def merge_said(said: Sequence[_Said]) -> list[_Group]:
    """Each attribution in turn joins the first group holding one that reports the same
    statement (:func:`_same`), else starts a group.

    Only attributions of the same kind and figures that share a word are compared, and a
    word held by more than COMMON_WORD of them proposes none (it is too common to tell
    quotes apart: two wordings of one quote share their rarer words too), so the work grows
    linearly with the story rather than with the square of its attributions."""
    merged: list[_Group] = []
    postings: dict[tuple[str, tuple[str, ...], str], list[tuple[int, _Said]]] = defaultdict(list)
    for item in said:
        block = (item.kind, tuple(_numbers(item.norm)))
        keys = [(*block, w) for w in dict.fromkeys(item.norm.split() or [""])]
        near: dict[int, list[_Said]] = defaultdict(list)
        for key in keys:
            posting = postings.get(key, ())
            if len(posting) <= COMMON_WORD:
                for g, other in posting:
                    near[g].append(other)
        target = next(
            (g for g in sorted(near) if any(_same(other, item) for other in near[g])), None
        )
        if target is None:
            target = len(merged)
            merged.append(_Group(item.kind, [item]))
        else:
            merged[target].items.append(item)
        for key in keys:
            postings[key].append((target, item))
    return merged


def _same(other: _Said, item: _Said) -> bool:
    """Whether two attributions of one kind and the same figures report the same statement."""
    if other.speaker and item.speaker and other.speaker != item.speaker:
        return False
    if other.article_id == item.article_id and other.norm != item.norm:
        return False  # one article quoting two different things
    if fuzz.ratio(other.norm, item.norm, score_cutoff=SAME_WORDING) >= SAME_WORDING:
        return True
    short, long_ = sorted((other.norm, item.norm), key=len)
    return (
        len(short.split()) >= MIN_PART_WORDS
        and fuzz.partial_ratio(short, long_, score_cutoff=PART_OF) >= PART_OF
    )


def _quote(group: _Group, groups: Mapping[str, int]) -> Quote:
    by_wording: dict[str, list[_Said]] = defaultdict(list)
    for item in group.items:
        by_wording[item.norm].append(item)
    wordings = sorted(
        by_wording.values(),
        key=lambda items: (-len({groups.get(i.article_id, -1) for i in items}), items[0].order),
    )
    variants = tuple(
        QuoteVariant(items[0].text, tuple(c for i in items for c in i.citations))
        for items in wordings
    )
    speakers = Counter(i.speaker for i in group.items if i.speaker)
    speaker = speakers.most_common(1)[0][0] if speakers else None
    written = [i.speaker_text for i in group.items if i.speaker_text and i.speaker == speaker]
    written = [w for w in written if w.lower() not in PRONOUNS] or written
    cues = Counter(i.cue for i in group.items if i.cue)
    return Quote(
        "",
        group.kind,
        variants[0].text,
        speaker,
        written[0] if written else None,
        cues.most_common(1)[0][0] if cues else None,
        variants,
    )
