"""Conflicts about people: one person given different roles or parties by different
sources, or one surname given two first names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from newsweave.analyze.annotate import COMMON_TITLES
from newsweave.analyze.entities import EntityIndex
from newsweave.analyze.statements import Draft, Statement, span
from newsweave.model import Citation, Entity

ROLE_BEFORE = re.compile(r"((?:[A-Za-z][\w.'’-]*,?\s+){1,4})$")
ROLE_AFTER = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?((?:[\w'’-]+\s+){0,4}?[\w'’-]+),")
PARTY_AFTER = re.compile(r"^,\s+(?:of|from)\s+(?:the\s+)?((?:[A-Z][\w'-]+\s*){1,4})")
PARTY_BEFORE = re.compile(r"((?:[A-Z][\w'-]+\s+){0,3}[A-Z][\w'-]+)['’]s\s+$")
DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "his",
        "her",
        "their",
        "our",
        "city's",
        "city’s",
        "museum's",
        "museum’s",
    ]
)


def _roles_of(s: Statement, ps: int, pe: int, titles: frozenset[str]) -> tuple[str, str] | None:
    """The role written next to a name: "museum director Clara Vey", "chief curator, Clara
    Vey", "Clara Vey, the museum's director,", "Labour's Dev Castell", "of the Liberal Party"."""
    before, after = s.text[:ps], s.text[pe:]
    m = ROLE_BEFORE.search(before)
    if m:
        words = [w.strip(",") for w in m.group(1).split()]
        for i, w in enumerate(words):
            if w.lower().strip(".") in titles:
                role = [x.lower() for x in words[i:] if x.lower() not in DETERMINERS]
                # keep the adjectives right before the title ("deputy health minister")
                j = i
                while j > 0 and words[j - 1].lower() in RANKS | {
                    "health",
                    "finance",
                    "foreign",
                    "interior",
                    "education",
                    "justice",
                    "defence",
                    "defense",
                    "chief",
                }:
                    j -= 1
                role = [x.lower() for x in words[j:] if x.lower() not in DETERMINERS]
                return " ".join(role), "role"
    m2 = ROLE_AFTER.match(after)
    if m2:
        words = m2.group(1).split()
        if any(w.lower().strip(".") in titles for w in words):
            return " ".join(w.lower() for w in words if w.lower() not in DETERMINERS), "role"
    m3 = PARTY_AFTER.match(after)
    if m3 and re.search(
        r"\b(?:Party|Labour|Liberal|Green|Conservative|Democrat|Republican)", m3.group(1)
    ):
        return m3.group(1).strip().lower(), "party"
    m4 = PARTY_BEFORE.search(before)
    if m4 and re.search(
        r"\b(?:Party|Labour|Liberal|Green|Conservative|Democrat|Republican|Tory)\b", m4.group(1)
    ):
        return m4.group(1).strip().lower(), "party"
    return None


RANKS = frozenset(
    ["deputy", "assistant", "acting", "vice", "former", "interim", "senior", "junior"]
)


def role_conflicts(statements: Sequence[Statement], entities: EntityIndex) -> list[Draft]:
    """A person given different roles or parties by different sources."""
    titles = COMMON_TITLES | {"curator", "head", "leader", "candidate", "councillor", "mayor"}
    roles: dict[tuple[str, str], dict[str, tuple[Statement, str, Citation]]] = defaultdict(dict)
    for s in statements:
        for ps, pe, eid in s.people:
            found = _roles_of(s, ps, pe, titles)
            if found is None:
                continue
            role, kind = found
            roles[(eid, kind)].setdefault(s.article_id, (s, role, span(s, ps, pe)))
    out: list[Draft] = []
    for (eid, kind), by_article in roles.items():
        items = list(by_article.values())
        for x, a in enumerate(items):
            for b in items[x + 1 :]:
                ka, kb = a[1], b[1]
                if ka == kb or ka in kb or kb in ka:
                    if not _role_clash(ka, kb):
                        continue
                elif kind == "party" and (set(ka.split()) & set(kb.split())):
                    continue
                name = entities.by_id[eid].name
                out.append(Draft("contradiction", "role", f"{kind} of {name}", a, b))
    return out


def name_conflicts(statements: Sequence[Statement], entities: EntityIndex) -> list[Draft]:
    """Two first names for one surname in different sources, never side by side in one
    article: likely one person named differently ("Gerd" / "Geir Halvorsen")."""
    surnames = {e.name.split()[-1] for e in entities.entities if e.kind == "PER"}
    people = [
        e
        for e in entities.entities
        if len(e.name.split()) in (2, 3)
        and (e.kind == "PER" or (e.kind == "ORG" and e.name.split()[-1] in surnames))
    ]
    out: list[Draft] = []
    for x, a in enumerate(people):
        for b in people[x + 1 :]:
            if a.name.split()[-1] != b.name.split()[-1] or a.name.split()[0] == b.name.split()[0]:
                continue
            arts_a = {m.article_id for m in a.mentions}
            arts_b = {m.article_id for m in b.mentions}
            if arts_a & arts_b:
                continue  # named side by side somewhere: two people
            sa = _statement_naming(statements, a)
            sb = _statement_naming(statements, b)
            if sa and sb and _same_role(sa, sb):
                out.append(
                    Draft(
                        "contradiction", "name", f"name of {a.name.split()[-1]}",
                        (sa[0], a.name, sa[1]), (sb[0], b.name, sb[1]),
                    )
                )  # fmt: skip
    return out


def _same_role(sa: tuple[Statement, Citation], sb: tuple[Statement, Citation]) -> bool:
    """Whether two naming sentences give the named person the same role ("councillor Gerd
    Halvorsen" / "Ex-councillor Geir Halvorsen"): a mother and a son are two people."""

    def role(s: Statement, c: Citation) -> set[str]:
        start = c.start - s.citation.start
        words = re.findall(r"[A-Za-z]+", s.text[max(0, start - 40) : start].lower())[-4:]
        return {w for w in words if w in COMMON_TITLES}

    return bool(role(*sa) & role(*sb))


def _statement_naming(
    statements: Sequence[Statement], entity: Entity
) -> tuple[Statement, Citation] | None:
    """The first statement naming an entity, with the name's span."""
    for m in entity.mentions:
        for s in statements:
            c = s.citation
            if not c.caption and s.article_id == m.article_id and c.start <= m.start < c.end:
                return s, Citation(m.article_id, c.sentence, m.start, m.end)
    return None


def _role_clash(a: str, b: str) -> bool:
    """ "deputy chief" and "chief" name different ranks."""
    ranks = {"deputy", "assistant", "acting", "vice", "former", "interim", "senior", "junior"}
    return bool((set(a.split()) ^ set(b.split())) & ranks)
