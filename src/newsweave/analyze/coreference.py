"""Coreference of a story's names: which mentions name the same person, organisation or place.

The steps :func:`newsweave.analyze.entities.resolve_entities` runs over the story's mentions,
each joining mentions in a union-find: the same name, spellings one letter apart in the same
context, a first name or surname alone, a shorter form of an organisation's name, a social
handle. Each step looks names up by index (a spelling's one-letter-shorter variants, a name's
words, an article's or sentence's mentions), so none compares every pair of names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from newsweave.model import Sentence
from newsweave.text.tfidf import content_terms


@dataclass(slots=True)
class Mention:
    """One name as written in one article, with its kind and comparison key."""

    article_id: str
    sentence: int
    start: int
    end: int
    text: str  # as written, possessive and titles dropped
    kind: str
    key: str  # normalised
    position: int  # sentence index, for salience
    caption: bool = False  # in a photo caption: ``sentence`` indexes the removed lines


class UnionFind:
    """Groups of mentions; a group's root is its lowest index, whatever the order of joins."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        """The root of ``i``'s group."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def add(self) -> int:
        """A new group of one; its index."""
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def union(self, a: int, b: int) -> None:
        """Join the groups of ``a`` and ``b``."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_exact(mentions: Sequence[Mention], uf: UnionFind) -> None:
    """Mentions of one kind with the same key are one entity."""
    first: dict[tuple[str, str], int] = {}
    for i, m in enumerate(mentions):
        k = (m.kind, m.key)
        if k in first:
            uf.union(first[k], i)
        else:
            first[k] = i


def close_spelling(a: str, b: str) -> bool:
    """Two spellings one transposition, doubling or changed letter apart (or the same)."""
    return _close(a, b)


def _close(a: str, b: str) -> bool:
    """Two spellings one transposition, doubling or changed letter apart."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return DamerauLevenshtein.distance(a, b) <= 1


def _context(
    mentions: Sequence[Mention], idx: list[int], sentences: Mapping[str, Sequence[Sentence]]
) -> set[str]:
    words: set[str] = set()
    for i in idx:
        m = mentions[i]
        sents = sentences.get(m.article_id, ())
        if m.sentence < len(sents):
            words.update(content_terms(sents[m.sentence].text))
    return words


def _variants(word: str) -> set[str]:
    """The word and every string one letter shorter: two words one edit (or transposition)
    apart share one of these, so a lookup by them finds every close spelling."""
    return {word} | {word[:k] + word[k + 1 :] for k in range(len(word))}


def _spellings(key: str) -> set[tuple[int, str, str]]:
    """Lookup keys of a name: its number of words and variants of its first and last words
    (two names whose words are all close share one)."""
    tokens = key.split()
    if not tokens:
        return set()
    return {(len(tokens), a, b) for a in _variants(tokens[0]) for b in _variants(tokens[-1])}


def merge_misspellings(
    mentions: Sequence[Mention], sentences: Mapping[str, Sequence[Sentence]], uf: UnionFind
) -> None:
    """Person names a letter apart (token by token) that the context says are one person.

    Only names whose first and last words are close (found by their one-letter-shorter
    variants, :func:`_spellings`) are compared, not every pair of names."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if m.kind == "PER":
            by_key[m.key].append(i)
    keys = sorted(by_key)
    together: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for m in mentions:
        together[m.key].add((m.article_id, m.sentence))
    lookup: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for x, key in enumerate(keys):
        for found in _spellings(key):
            lookup[found].append(x)
    for x, ka in enumerate(keys):
        ta = ka.split()
        near = sorted({y for found in _spellings(ka) for y in lookup[found] if y > x})
        for y in near:
            kb = keys[y]
            tb = kb.split()
            if not all(_close(a, b) for a, b in zip(ta, tb, strict=True)):
                continue
            # Never when both spellings name someone in the same sentence.
            if together[ka] & together[kb]:
                continue
            ctx_a = _context(mentions, by_key[ka], sentences) - set(ta) - set(tb)
            ctx_b = _context(mentions, by_key[kb], sentences) - set(ta) - set(tb)
            if len(ctx_a & ctx_b) >= 2:
                uf.union(by_key[ka][0], by_key[kb][0])


def merge_short_forms(
    mentions: Sequence[Mention], uf: UnionFind, notes: dict[int, list[str]]
) -> None:
    """A surname or first name alone joins the full name it belongs to, in context."""
    full: dict[str, set[int]] = defaultdict(set)  # token -> cluster roots of full names
    named: dict[str, list[int]] = defaultdict(list)  # article -> its mentions of full names
    for i, m in enumerate(mentions):
        if m.kind == "PER" and " " in m.key:
            for tok in m.key.split():
                full[tok].add(uf.find(i))
        if " " in m.key:
            named[m.article_id].append(i)
    spellings: dict[str, list[str]] = defaultdict(list)  # variant -> tokens (see _variants)
    for tok in full:
        for v in _variants(tok):
            spellings[v].append(tok)
    for i, m in enumerate(mentions):
        if m.kind != "PER" or " " in m.key:
            continue
        roots = {uf.find(r) for r in full.get(m.key, set())}
        if not roots:
            close = {t for v in _variants(m.key) for t in spellings.get(v, ()) if _close(t, m.key)}
            roots = {uf.find(r) for tok in close for r in full[tok]}
        if not roots:
            continue
        if len(roots) == 1:
            uf.union(next(iter(roots)), i)
            continue
        # Several people share this name: take the one this article named last before it.
        best: tuple[int, int] | None = None
        for j in named[m.article_id]:
            other = mentions[j]
            if (
                other.start < m.start
                and uf.find(j) in roots
                and (best is None or other.start > best[0])
            ):
                best = (other.start, j)
        if best is not None:
            uf.union(best[1], i)
        else:
            names = sorted({mentions[r].text for r in roots})
            notes[i].append(f"'{m.text}' alone could be {' or '.join(names)}; kept apart")


def merge_org_suffixes(mentions: Sequence[Mention], uf: UnionFind) -> None:
    """ "Fire Service" joins "Port Alder Fire Service" when it is the only longer name ending so."""
    keys: dict[tuple[str, str], int] = {}
    for i, m in enumerate(mentions):
        if m.kind in ("ORG", "LOC"):
            keys.setdefault((m.kind, m.key), i)
    ending: dict[tuple[str, str], list[int]] = defaultdict(list)  # (kind, tail) -> longer names
    owned: dict[str, list[int]] = defaultdict(list)  # "st brannoc" -> "st brannoc's hall"
    for (kind, key), j in keys.items():
        words = key.split(" ")
        for k in range(1, len(words)):
            ending[(kind, " ".join(words[k:]))].append(j)
        at = key.find("'s ")
        while at >= 0:
            owned[key[:at]].append(j)
            at = key.find("'s ", at + 1)
    for (kind, key), i in keys.items():
        if " " not in key:
            continue
        longer = ending.get((kind, key), [])
        if len(longer) == 1:
            uf.union(longer[0], i)
    # "Challenger Tomas Reyk": a capitalised title the tagger kept in front of a full name.
    people: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.kind == "PER":
            people.setdefault(m.key, i)
    for key, i in people.items():
        toks = key.split()
        if len(toks) >= 3:
            tail = " ".join(toks[-2:])
            if tail in people:
                uf.union(people[tail], i)
    # "St Brannoc" cut short of "St Brannoc's Hall" by the tagger.
    for (_, key), i in keys.items():
        owners = owned.get(key, [])
        if len(owners) == 1:
            uf.union(owners[0], i)


ACRONYM = re.compile(r"[A-Z][A-Z&]{1,5}")
BRACKETED = re.compile(r"\s*\((?P<short>[A-Z][A-Z&]{1,5})\)")


def _initials(text: str) -> set[str]:
    """The acronyms a multi-word name makes: the initials of its capitalised words
    ("Veyran Institute of Public Health" -> VIPH), and of all its words."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if len(words) < 2:
        return set()
    upper = "".join(w[0] for w in words if w[0].isupper())
    every = "".join(w[0] for w in words).upper()
    return {x for x in (upper, every) if len(x) >= 2}


def merge_acronyms(mentions: Sequence[Mention], uf: UnionFind, texts: Mapping[str, str]) -> None:
    """An acronym or ticker joins the one name it stands for in the story: a name written
    with it in brackets right after ("Meridane Therapeutics SA (MRDN)"), or else the one
    multi-word name whose initials spell it ("UDHW": United Dock and Harbour Workers)."""
    stands: dict[str, set[int]] = defaultdict(set)  # acronym -> roots it is bracketed after
    spelled: dict[str, set[int]] = defaultdict(set)  # acronym -> roots whose initials spell it
    for i, m in enumerate(mentions):
        if m.kind == "HANDLE":
            continue
        after = BRACKETED.match(texts.get(m.article_id, ""), m.end)
        if after and not ACRONYM.fullmatch(m.text):
            stands[after.group("short")].add(uf.find(i))
        if " " in m.text.strip():
            for short in _initials(m.text):
                spelled[short].add(uf.find(i))
    for i, m in enumerate(mentions):
        if m.kind == "HANDLE" or not ACRONYM.fullmatch(m.text):
            continue
        roots = {uf.find(r) for r in stands.get(m.text, set())}
        if not roots:
            roots = {uf.find(r) for r in spelled.get(m.text, set())}
        roots.discard(uf.find(i))
        if len(roots) == 1:
            uf.union(next(iter(roots)), i)


def _handle_tokens(handle: str) -> str:
    body = handle.lstrip("@")
    body = re.sub(r"([a-z])([A-Z])", r"\1 \2", body)
    return re.sub(r"[_\d]+", " ", body).lower().strip()


def merge_handles(mentions: Sequence[Mention], uf: UnionFind) -> None:
    """A handle joins the person whose name it spells, or the one person written beside it."""
    people: dict[int, str] = {}
    for i, m in enumerate(mentions):
        if m.kind == "PER" and " " in m.key:
            people.setdefault(uf.find(i), m.key)
    in_sentence: dict[tuple[str, int], list[int]] = defaultdict(list)
    for j, o in enumerate(mentions):
        if o.kind == "PER":
            in_sentence[(o.article_id, o.sentence)].append(j)
    for i, m in enumerate(mentions):
        if m.kind != "HANDLE":
            continue
        spelled = _handle_tokens(m.text)
        scores = {
            root: fuzz.ratio(spelled.replace(" ", ""), name.replace(" ", ""))
            for root, name in people.items()
        }
        best = max(scores.items(), key=lambda kv: kv[1], default=None)
        if best is not None and best[1] >= 85:
            uf.union(best[0], i)
            continue
        by_surname = [
            r
            for r, name in people.items()
            if name.split()[-1] in spelled.split() or name.split()[-1] == spelled.replace(" ", "")
        ]
        if len(by_surname) == 1:
            uf.union(by_surname[0], i)
            continue
        beside = {uf.find(j) for j in in_sentence[(m.article_id, m.sentence)]}
        if len(beside) == 1:
            uf.union(next(iter(beside)), i)
