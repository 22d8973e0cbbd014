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
import unicodedata
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
from newsweave.model import Article, Citation, Entity, Sentence
from newsweave.text.sentences import sentence_at

KINDS = ("PER", "ORG", "LOC")
TITLES = re.compile(
    r"^(?:(?:"
    + "|".join(
        sorted(
            COMMON_TITLES | {"gen", "col", "capt", "sgt", "lt", "gov", "sen", "rep", "fr"},
            key=len,
            reverse=True,
        )
    )
    + r")\.?\s+)+",
    re.IGNORECASE,
)
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# Names a small NER model often calls people: they are organisations (platforms, agencies).
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
ORG_WORDS = frozenset(
    [
        "council",
        "service",
        "services",
        "constabulary",
        "police",
        "ltd",
        "inc",
        "corp",
        "plc",
        "llc",
        "company",
        "supplies",
        "university",
        "college",
        "school",
        "hospital",
        "party",
        "agency",
        "ministry",
        "department",
        "committee",
        "commission",
        "association",
        "union",
        "bank",
        "group",
        "news",
        "times",
        "gazette",
        "post",
        "press",
        "wire",
        "daily",
        "foundation",
        "institute",
        "court",
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


def normalise(text: str, kind: str) -> tuple[str, int, int]:
    """A name's comparison key, and how many characters to drop at its start and end."""
    lead = 0
    if kind == "PER":
        m = TITLES.match(text)
        if m and m.end() < len(text):
            lead = m.end()
        # "harbour master Idris Callow": a name starts at its first capitalised word.
        lower = re.match(r"(?:[a-z][\w'-]*\s+)+(?=[A-Z])", text[lead:])
        if lower:
            lead += lower.end()
    elif text.lower().startswith("the "):
        lead = 4
    trail = 0
    m = POSSESSIVE.search(text)
    if m and len(text) - lead > 3:
        trail = len(m.group(0))
    core = text[lead : len(text) - trail].strip()
    key = re.sub(r"[.\s]+", " ", core.replace("’", "'")).strip().lower()
    # Accents are compared without their marks: "Hélène" and "Helene", "Håland" and
    # "Haland" are one key; "Oberländer" and "Oberlaender" are one letter apart.
    key = "".join(ch for ch in unicodedata.normalize("NFKD", key) if not unicodedata.combining(ch))
    return key, lead, trail


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
    return _build(mentions, uf, groups, notes)


def _collect(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    annotations: Mapping[str, Annotation],
) -> list[Mention]:
    out: list[Mention] = []
    lowercase = _lowercase_words(articles)
    for article in articles:
        ann = annotations.get(article.id)
        sents = sentences.get(article.id, ())
        if ann is None or not sents:
            continue
        starts = [s.start for s in sents]
        for name in ann.names:
            if name.kind not in KINDS and name.kind != "HANDLE":
                continue
            m = _mention(article.id, name, sents, starts)
            if m is not None and not (" " not in m.key and m.key in lowercase):
                out.append(m)
    return _gazetteer(articles, sentences, out)


def _gazetteer(
    articles: Sequence[Article],
    sentences: Mapping[str, Sequence[Sentence]],
    mentions: list[Mention],
) -> list[Mention]:
    """Find every occurrence of the story's multi-word names, including those NER missed.

    A full person name found anywhere in the story is a person wherever it is written; it
    replaces a wrong label over the same words ("Model Chrissy Teigen" as an organisation).
    Organisation and place names only fill gaps where nothing was found.
    """
    forms: dict[str, str] = {}
    for m in mentions:
        if (
            m.kind in KINDS
            and " " in m.key
            and m.text[:1].isupper()
            and (m.kind == "PER" or forms.get(m.text) != "PER")
        ):
            forms.setdefault(m.text, m.kind)
    # A person's surname alone ("Mr Amory", "DI Tremayne") is that person wherever it is
    # written, when one person of the story bears it and the story never writes it in
    # lower case (a surname that is also a word).
    surnames: dict[str, set[str]] = defaultdict(set)
    for text, kind in forms.items():
        *first, last = text.split()
        if all(_title_like(w) for w in first):
            continue  # "DI Tremayne": a form of address, not a second person
        if kind == "PER" and len(last) >= 3 and last[0].isupper() and last[1:].islower():
            surnames[last].add(text)
    lowercase = _lowercase_words(articles)
    for last, owners in surnames.items():
        if len(owners) == 1 and last not in forms and last.lower() not in lowercase:
            forms[last] = "PER"
    for text in [t for t, k in forms.items() if k == "PER" and " " in t]:
        *first, last = text.split()
        if all(_title_like(w) for w in first) and forms.get(last) == "PER":
            del forms[text]  # "DI Tremayne" is found as "Tremayne", that person's surname
    if not forms:
        return mentions
    pattern = re.compile(
        r"(?<![\w@])("
        + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        + r")(?!\w)"
    )
    by_article: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append(m)
    out: list[Mention] = []
    for article in articles:
        current = by_article.get(article.id, [])
        sents = sentences.get(article.id, ())
        starts = [s.start for s in sents]
        for match in pattern.finditer(article.clean_text):
            text, kind = match.group(1), forms[match.group(1)]
            start, end = match.start(1), match.end(1)
            overlapping = [m for m in current if m.start < end and start < m.end]
            if any(m.start == start and m.end == end and m.kind == kind for m in overlapping):
                continue
            if kind != "PER":
                if overlapping:
                    continue
            elif any(_keeps_org(m, start, end) or m.kind == "HANDLE" for m in overlapping):
                continue
            current = [m for m in current if m not in overlapping]
            if not sents:
                continue
            index = sentence_at(sents, starts, start).index
            key, _, _ = normalise(text, kind)
            current.append(Mention(article.id, index, start, end, text, kind, key, index))
        out.extend(sorted(current, key=lambda m: m.start))
    return out


def _title_like(word: str) -> bool:
    """A written-short title before a surname: all capitals ("DI", "PC"), a full stop
    ("Insp."), or no vowel ("Dr", "Mrs", "Sgt"); names have vowels."""
    core = word.strip(",")
    return (
        (core.isupper() and len(core) >= 2)
        or core.endswith(".")
        or not re.search(r"[aeiouy]", core.lower())
    )


def _keeps_org(m: Mention, start: int, end: int) -> bool:
    """An organisation named after a person ("John Legend Foundation") keeps its name."""
    return m.kind == "ORG" and (m.end - m.start) > (end - start) and m.key.split()[-1] in ORG_WORDS


def _lowercase_words(articles: Sequence[Article]) -> set[str]:
    """Words the story writes in lower case at least as often as capitalised mid-sentence.

    "Fertiliser" tagged as a person at the start of a sentence is not a name when the story
    says "fertiliser" everywhere else; "Jack" stays a name though one tweet writes "baby jack".
    """
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for a in articles:
        lower.update(re.findall(r"\b[a-z][a-z'-]{2,}\b", a.clean_text))
        upper.update(
            w.lower() for w in re.findall(r"(?<=[a-z,;] )[A-Z][a-z'-]{2,}\b", a.clean_text)
        )
    return {w for w, n in lower.items() if n >= upper[w]}


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
            Citation(m.article_id, m.sentence, m.start, m.end)
            for m in sorted(ms, key=lambda m: (m.article_id, m.start))
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
