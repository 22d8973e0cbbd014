"""Conflicts about people: one person given different roles or parties by different
sources, or one surname given two first names."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

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
                if len(role) == 1 and _honorific(words[i]):
                    return None  # "Dr Ana Lee": a form of address, not a job to clash with
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


def _honorific(word: str) -> bool:
    """A short capitalised title written before a name ("Dr", "Prof.", "Sen."): how a
    person is addressed, which any job they hold goes with, not a job itself."""
    core = word.strip(".,")
    return core[:1].isupper() and len(core) <= 4


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
        # Only items of two different roles can disagree: each item meets the later items
        # of the roles that clash with its own, not every other item.
        at: dict[str, list[int]] = defaultdict(list)
        for y, item in enumerate(items):
            at[item[1]].append(y)
        clash = {(ka, kb): _roles_disagree(ka, kb, kind) for ka in at for kb in at if ka != kb}
        name = entities.by_id[eid].name
        for x, a in enumerate(items):
            later = sorted(y for kb, ys in at.items() if clash.get((a[1], kb)) for y in ys if y > x)
            out += [Draft("contradiction", "role", f"{kind} of {name}", a, items[y]) for y in later]
    return out


def _roles_disagree(ka: str, kb: str, kind: str) -> bool:
    """Whether two different roles (or parties) given to one person disagree: "deputy chief"
    and "chief" do, "mayor" and "city mayor" do not."""
    if ka in kb or kb in ka:
        return _role_clash(ka, kb)
    return not (kind == "party" and set(ka.split()) & set(kb.split()))


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
    by_surname: dict[str, list[int]] = defaultdict(list)
    for y, e in enumerate(people):
        by_surname[e.name.split()[-1]].append(y)
    naming = _namer(statements)
    out: list[Draft] = []
    for x, a in enumerate(people):
        for y in by_surname[a.name.split()[-1]]:
            b = people[y]
            if y <= x or a.name.split()[0] == b.name.split()[0]:
                continue
            arts_a = {m.article_id for m in a.mentions}
            arts_b = {m.article_id for m in b.mentions}
            if arts_a & arts_b:
                continue  # named side by side somewhere: two people
            sa = naming(a)
            sb = naming(b)
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


def _namer(
    statements: Sequence[Statement],
) -> Callable[[Entity], tuple[Statement, Citation] | None]:
    """A function giving the first statement naming an entity, with the name's span."""
    by_article: dict[str, list[Statement]] = defaultdict(list)
    for s in statements:
        if not s.citation.caption:
            by_article[s.article_id].append(s)

    def naming(entity: Entity) -> tuple[Statement, Citation] | None:
        for m in entity.mentions:
            for s in by_article.get(m.article_id, ()):
                c = s.citation
                if c.start <= m.start < c.end:
                    return s, Citation(m.article_id, c.sentence, m.start, m.end)
        return None

    return naming


def _role_clash(a: str, b: str) -> bool:
    """ "deputy chief" and "chief" name different ranks."""
    ranks = {"deputy", "assistant", "acting", "vice", "former", "interim", "senior", "junior"}
    return bool((set(a.split()) ^ set(b.split())) & ranks)
