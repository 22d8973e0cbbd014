"""Entities of a story: every way the sources name a person, organisation or place, merged.

Outlets write "Nadia Kettleborne", "Kettleborne", "Kettleborne's", misspell her
"Kettlebrone", and link a post to "@rufus_tremayle". Merging follows evidence, mention by
mention: an exact name (possessive and leading "the" dropped); a surname or first name
alone resolves to the full name it shares a token with, preferring the nearest full name
before it in the same article, and stays apart when two different people share it and the
article never named one of them; a spelling one transposed, doubled or changed letter away
merges when the two spellings never name two people in one sentence and their sentences
share context; a handle joins the person whose name it spells or who it is written beside.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from newsweave.analyze.annotate import COMMON_TITLES, Annotation, NamedSpan
from newsweave.analyze.coreference import (
    Mention,
    UnionFind,
    merge_acronyms,
    merge_exact,
    merge_handles,
    merge_misspellings,
    merge_org_suffixes,
    merge_short_forms,
)
from newsweave.analyze.names import (
    KINDS,
    ORG_WORDS,
    caption_mentions,
    gazetteer,
    lowercase_words,
    normalise,
)
from newsweave.model import Article, Citation, Entity, Sentence
from newsweave.text.sentences import sentence_at

PLATFORMS = frozenset(
    [
        "twitter",
        "instagram",
        "facebook",
        "tiktok",
        "youtube",
        "snapchat",
        "reddit",
        "linkedin",
        "threads",
        "bluesky",
        "whatsapp",
        "telegram",
        "weibo",
        "google",
        "apple",
        "amazon",
        "microsoft",
        "netflix",
        "spotify",
        "reuters",
        "bloomberg",
    ]
)
# A name's last word often says what it names better than a small NER model does.
PLACE_WORDS = frozenset(
    [
        "street",
        "road",
        "row",
        "quay",
        "lane",
        "avenue",
        "boulevard",
        "square",
        "bridge",
        "hall",
        "harbour",
        "harbor",
        "park",
        "island",
        "river",
        "lake",
        "mountain",
        "valley",
        "county",
        "province",
        "district",
        "village",
        "hill",
        "beach",
        "bay",
        "airport",
        "station",
        "port",
        "coast",
    ]
)


class EntityIndex:
    """The resolved entities of a story, with a lookup from text spans to entity ids."""

    def __init__(self, entities: Sequence[Entity], spans: Mapping[str, list[tuple[int, int, str]]]):
        self.entities = tuple(entities)
        self.by_id = {e.id: e for e in entities}
        self._spans = {a: sorted(s) for a, s in spans.items()}
        self._starts = {a: [s[0] for s in v] for a, v in self._spans.items()}
        self._written: defaultdict[str, list[str]] | None = None

    def entity_in(
        self, article_id: str, start: int, end: int, kind: str | None = None
    ) -> str | None:
        """The first entity named inside ``[start, end)`` of an article (of ``kind`` if given)."""
        spans = self._spans.get(article_id, [])
        i = bisect_right(self._starts.get(article_id, []), start - 1)
        for s, e, eid in spans[i:]:
            if s >= end:
                break
            if e <= end and (kind is None or self.by_id[eid].kind == kind):
                return eid
        return None

    def spans_in(self, article_id: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """Every entity mention inside ``[start, end)`` of an article: (start, end, id)."""
        spans = self._spans.get(article_id, [])
        i = bisect_right(self._starts.get(article_id, []), start - 1)
        out = []
        for s, e, eid in spans[i:]:
            if s >= end:
                break
            if e <= end:
                out.append((s, e, eid))
        return out

    def person_before(
        self,
        article_id: str,
        offset: int,
        window: int = 600,
        subjects: Sequence[tuple[int, int]] = (),
    ) -> str | None:
        """The person a pronoun at ``offset`` most likely means: the last person before it
        (within ``window`` chars) who was the subject of a sentence, else the last person."""
        spans = self._spans.get(article_id, [])
        i = bisect_right(self._starts.get(article_id, []), offset) - 1
        heads = {s for s, _ in subjects}
        nearest: str | None = None
        while i >= 0:
            s, e, eid = spans[i]
            if offset - s > window:
                break
            if e <= offset and self.by_id[eid].kind == "PER":
                if any(s <= h < e for h in heads):
                    return eid
                nearest = nearest or eid
            i -= 1
        return nearest

    def named(self, text: str) -> str | None:
        """The entity a bare name refers to ("Chrissy"), when exactly one is written so."""
        if self._written is None:  # each spelling's entities, built on first use
            self._written = defaultdict(list)
            for e in self.entities:
                for form in dict.fromkeys((e.name.lower(), *(v.lower() for v in e.variants))):
                    self._written[form].append(e.id)
        hits = self._written.get(text.strip().lower(), [])
        return hits[0] if len(hits) == 1 else None


def resolve_entities(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    annotations: Mapping[str, Annotation],
    groups: Mapping[str, int] | None = None,
) -> EntityIndex:
    """Merge every name in a story's articles into ranked entities with cited mentions."""
    groups = groups or {a.id: i for i, a in enumerate(articles)}
    mentions = _collect(articles, sentences, annotations)
    kinds = _kind_votes(mentions)
    for m in mentions:
        if m.kind != "HANDLE":
            m.kind = kinds[m.key]
    uf = UnionFind(len(mentions))
    merge_exact(mentions, uf)
    notes: dict[int, list[str]] = defaultdict(list)
    merge_misspellings(mentions, sentences, uf)
    merge_short_forms(mentions, uf, notes)
    merge_org_suffixes(mentions, uf)
    merge_acronyms(mentions, uf, {a.id: a.clean_text for a in articles})
    merge_handles(mentions, uf)
    mentions = mentions + caption_mentions(articles, mentions, uf)
    return _build(mentions, uf, groups, notes)


def _collect(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    annotations: Mapping[str, Annotation],
) -> list[Mention]:
    out: list[Mention] = []
    lowercase = lowercase_words(articles)
    for article in articles:
        ann = annotations.get(article.id)
        sents = sentences.get(article.id, ())
        if ann is None or not sents:
            continue
        starts = [s.start for s in sents]
        for found in ann.names:
            if found.kind not in KINDS and found.kind != "HANDLE":
                continue
            for name in _lines_of(found):
                m = _mention(article.id, name, sents, starts)
                if m is not None and not (" " not in m.key and m.key in lowercase):
                    out.append(m)
    return gazetteer(articles, sentences, out)


def _lines_of(name: NamedSpan) -> list[NamedSpan]:
    """A name as the tagger found it, cut at line breaks: no name runs across two lines
    ("Radio Calder | News\n\nPolice Scotland" is two)."""
    if "\n" not in name.text:
        return [name]
    out = []
    for m in re.finditer(r"[^\n]+", name.text):
        piece = m.group().strip()
        if piece:
            at = name.start + m.start() + m.group().index(piece)
            out.append(NamedSpan(at, at + len(piece), name.kind, piece))
    return out


def _mention(
    article_id: str, name: NamedSpan, sents: Sequence[Sentence], starts: list[int]
) -> Mention | None:
    kind = name.kind
    first = name.text.split()[0].lower().strip(".") if name.text.split() else ""
    if kind in ("ORG", "LOC") and first in COMMON_TITLES and len(name.text.split()) >= 3:
        kind = "PER"  # "Councillor Gerd Halvard" tagged as an organisation
    if kind == "HANDLE":
        key, lead, trail = name.text.lower(), 0, 0
    else:
        key, lead, trail = normalise(name.text, kind)
    if len(key) < 2 or not any(c.isalpha() for c in key):
        return None
    start, end = name.start + lead, name.end - trail
    sent = sentence_at(sents, starts, start)
    return Mention(
        article_id,
        sent.index,
        start,
        end,
        name.text[lead : len(name.text) - trail].strip(),
        kind,
        key,
        sent.index,
    )


def _kind_votes(mentions: Sequence[Mention]) -> dict[str, str]:
    """One kind per name: spaCy may call the same name a person here and a place there."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        if m.kind != "HANDLE":
            votes[m.key][m.kind] += 1
            if m.key in PLATFORMS:
                votes[m.key]["ORG"] += 100
    # A single token that is part of a multi-token person name is a person (surname).
    person_tokens = {
        t
        for k, v in votes.items()
        if v.most_common(1)[0][0] == "PER" and " " in k
        for t in k.split()
    }
    out: dict[str, str] = {}
    for key, counter in votes.items():
        kind = max(KINDS, key=lambda k: (counter[k], k == "PER"))
        last = key.split()[-1]
        if " " in key and last in PLACE_WORDS:
            kind = "LOC"
        elif " " in key and last in ORG_WORDS:
            kind = "ORG"
        elif " " not in key and key in person_tokens:
            kind = "PER"
        out[key] = kind
    return out


def _build(
    mentions: Sequence[Mention],
    uf: UnionFind,
    groups: Mapping[str, int],
    notes: Mapping[int, list[str]],
) -> EntityIndex:
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        clusters[uf.find(i)].append(i)
    drafts = []
    for members in clusters.values():
        ms = [mentions[i] for i in members]
        kinds = Counter(m.kind for m in ms if m.kind != "HANDLE")
        kind = kinds.most_common(1)[0][0] if kinds else "HANDLE"
        if kind == "HANDLE":
            kind = "PER"
        name = _canonical(ms, groups)
        sources = len({groups.get(m.article_id, -1) for m in ms})
        first = min(m.position for m in ms)
        salience = 2.0 * sources + math.log2(1 + len(ms)) + 1.0 / (1 + first)
        variants = sorted({m.text for m in ms if m.text != name}, key=lambda t: (t.lower(), t))
        entity_notes = [n for i in members for n in notes.get(i, [])]
        if any(m.kind == "HANDLE" for m in ms) and any(m.kind != "HANDLE" for m in ms):
            entity_notes.append("social handle linked to this person by the text")
        cites = tuple(
            Citation(m.article_id, m.sentence, m.start, m.end, caption=m.caption)
            for m in sorted(ms, key=lambda m: (m.article_id, m.caption, m.start))
        )
        drafts.append((salience, name, kind, variants, cites, sources, entity_notes, ms))
    drafts.sort(key=lambda d: (-d[0], d[1]))
    entities = []
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for n, (salience, name, kind, variants, cites, sources, entity_notes, ms) in enumerate(
        drafts, 1
    ):
        eid = f"E{n}"
        entities.append(
            Entity(
                eid,
                name,
                kind,
                tuple(variants),
                cites,
                sources,
                salience,
                tuple(dict.fromkeys(entity_notes)),
            )
        )
        for m in ms:
            if not m.caption:  # caption spans are in the original text, not the clean one
                spans[m.article_id].append((m.start, m.end, eid))
    return EntityIndex(entities, spans)


def _canonical(ms: Sequence[Mention], groups: Mapping[str, int]) -> str:
    """The spelling most independent sources use, preferring full names over short forms."""
    names = [m for m in ms if m.kind != "HANDLE"] or list(ms)
    support: dict[str, set[int]] = defaultdict(set)
    count: Counter[str] = Counter()
    for m in names:
        support[m.text].add(groups.get(m.article_id, -1))
        count[m.text] += 1
    lowered = {t: t.lower() for t in support}

    def contains_others(t: str) -> int:
        # "Westmarrow Fire and Rescue Service" over its tail "Rescue Service".
        return sum(
            1
            for o in lowered.values()
            if o != lowered[t] and (lowered[t].endswith(o) or lowered[t].startswith(o + "'s "))
        )

    return max(
        support,
        key=lambda t: (
            len(t.split()) > 1,
            contains_others(t),
            len(support[t]),
            count[t],
            len(t),
            t,
        ),
    )
