"""Names the tagger does not find where they are: a name of the story wherever it is written,
a person's surname alone, and the story's people named in photo captions; and the key two
names are compared by (:func:`normalise`)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from newsweave.analyze.annotate import COMMON_TITLES
from newsweave.analyze.coreference import Mention, UnionFind, close_spelling
from newsweave.model import Article, Sentence
from newsweave.text.sentences import sentence_at

KINDS = ("PER", "ORG", "LOC")


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


CAPTION_NAME = re.compile(r"(?<![\w@])[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+)+")


def caption_mentions(
    articles: Sequence[Article], mentions: list[Mention], uf: UnionFind
) -> list[Mention]:
    """A person of the story named in a photo caption, spelt right or one letter off
    ("Chrissy Tiegen"), as a mention of that person cited as a caption.

    The caption's name must have the person's first name, a surname one letter apart, and
    the caption must name another person of the story too or share two words with the
    sentences that name this one: the same story's people, not a namesake."""
    people: dict[str, int] = {}  # full name key -> a mention index
    for i, m in enumerate(mentions):
        if m.kind == "PER" and len(m.key.split()) >= 2 and not m.caption:
            people.setdefault(m.key, i)
    if not people:
        return []
    words: dict[int, set[str]] = defaultdict(set)  # root -> words of sentences naming it
    texts = {a.id: a.clean_text for a in articles}
    for i, m in enumerate(mentions):
        text = texts.get(m.article_id, "")
        words[uf.find(i)].update(
            w.lower() for w in re.findall(r"[^\W\d_]{4,}", text[max(0, m.start - 80) : m.end + 80])
        )
    out: list[Mention] = []
    for article in articles:
        for n, removal in enumerate(article.removed):
            if "caption" not in removal.reason:
                continue
            found = []
            for match in CAPTION_NAME.finditer(removal.text):
                key = match.group().lower()
                tokens = key.split()
                target = people.get(key)
                if target is None:
                    close = [
                        j
                        for k, j in people.items()
                        if len(k.split()) == len(tokens)
                        and k.split()[0] == tokens[0]
                        and all(
                            close_spelling(x, y) for x, y in zip(k.split(), tokens, strict=True)
                        )
                    ]
                    target = close[0] if len(close) == 1 else None
                if target is not None:
                    found.append((match, target))
            roots = {uf.find(t) for _, t in found}
            caption_words = {w.lower() for w in re.findall(r"[^\W\d_]{4,}", removal.text)}
            for match, target in found:
                root = uf.find(target)
                if len(roots - {root}) == 0 and len(caption_words & words[root]) < 2:
                    continue  # nothing else ties this caption to the story's person
                i = uf.add()
                uf.union(root, i)
                out.append(
                    Mention(
                        article.id,
                        n,
                        removal.start + match.start(),
                        removal.start + match.end(),
                        match.group(),
                        "PER",
                        match.group().lower(),
                        mentions[target].position,
                        caption=True,
                    )
                )
    return out


def gazetteer(
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
    lowercase = lowercase_words(articles)
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


def lowercase_words(articles: Sequence[Article]) -> set[str]:
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
