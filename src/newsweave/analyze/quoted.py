"""Quotations in a language the parser does not read, attributed by punctuation and case.

The spaCy pipeline reads English only, so an article in German or Spanish had no quotes.
Yet a quotation is marked the same way in every language ("...", « ... », „ ... "), and its
speaker is named right after it in the same sentence ('", sagte Geschäftsführer Anton
Brennholt.', '", a déclaré la présidente de Morvan, Hélène Dufresnay.') or right before a
colon that opens it. A speaker is a run of at least two capitalised words there (a name with
its title), so no word list of any language is needed; a quotation followed by a verb and a
pronoun only ('", sagte sie.') keeps its cue, and the person last named before it speaks.
"""

from __future__ import annotations

import re

from newsweave.analyze.quotes import MIN_QUOTE_WORDS, Attribution, find_quotations

Offsets = tuple[int, int]

# A capitalised word of a Latin script, with a title's full stop ("Dr.") or a hyphen
# ("Okafor-Lyle").
CAPITALISED = r"[A-Z\u00c0-\u00d6\u00d8-\u00de][\w'\u2019-]*\.?"
# Short lower-case words inside names ("van", "de la", "von der").
JOINER = r"(?:[a-z]{1,3}\s+){0,2}"
NAME_RUN = re.compile(rf"{CAPITALISED}(?:\s+{JOINER}{CAPITALISED})+")
WORD = re.compile(r"[^\W\d_]+")
# The end of a sentence: a full stop after a lower-case word, or ! and ?.
SENTENCE_END = re.compile(r"(?<=[a-z\u00df-\u00ff]{2})\.(?=\s|$)|[!?](?=\s|$)|\n")
REACH = 160  # characters after a quotation (or before it) in which its speaker is named


def marked_quotations(text: str, names_by_case: bool = False) -> list[Attribution]:
    """The quotations of a text in any language, each with the speaker named next to it
    (or None), and the first word after it as the cue when it is followed by one.

    ``names_by_case``: the language capitalises names only (English, not German, which
    capitalises every noun), so a quotation standing alone may take the one name of the
    sentence after it ("Those were the words of Oliver Grange")."""
    out: list[Attribution] = []
    last: tuple[int, Offsets] | None = None  # where the last speaker's paragraph starts
    for q in find_quotations(text):
        if len(WORD.findall(text[q.start : q.end])) < MIN_QUOTE_WORDS:
            continue
        cue, source = _after(text, q.mark_end)
        if source is None:
            source = _before(text, q.mark_start)
        paragraph = text.rfind("\n", 0, q.mark_start) + 1
        if cue is None and source is None and last is not None and last[0] == paragraph:
            source = last[1]  # a second quotation of the same speaker, attributed once
        if cue is None and source is None and names_by_case:
            source = _next_sentence(text, q.mark_end)
        if source is not None:
            last = (paragraph, source)
        out.append(Attribution("direct", ((q.start, q.end),), cue, source))
    return out


def _after(text: str, at: int) -> tuple[Offsets | None, Offsets | None]:
    """The cue and the speaker after a quotation, up to its sentence's end."""
    rest = text[at : at + REACH]
    lead = re.match(r"\s*[,\u2013\u2014-]?\s*", rest)
    begin = lead.end() if lead else 0
    if begin == len(rest) or not rest[begin].isalpha():
        return None, None
    end = SENTENCE_END.search(rest, begin)
    clause = rest[: end.start() if end else len(rest)]
    first = WORD.match(clause, begin)
    cue = (at + first.start(), at + first.end()) if first and first.group().islower() else None
    if cue is None:
        return None, None  # a new sentence, not an attribution
    run = NAME_RUN.search(clause, begin)
    return cue, ((at + run.start(), at + run.end()) if run else None)


def _next_sentence(text: str, at: int) -> Offsets | None:
    """The one name of the sentence right after a quotation that stands alone, in its
    paragraph ('"We should have caught this sooner." Those were the words of Oliver
    Grange.'); None when that sentence names nobody, or more than one."""
    rest = text[at : at + REACH]
    if not rest.strip() or "\n" in rest[: len(rest) - len(rest.lstrip())]:
        return None  # the paragraph ends with the quotation
    end = SENTENCE_END.search(rest)
    sentence = rest[: end.start() if end else len(rest)]
    if "\n" in sentence or any(mark in sentence for mark in ('"', "\u201c", "\u00ab", "\u201e")):
        return None  # another paragraph, or another quotation
    runs = list(NAME_RUN.finditer(sentence))
    if len(runs) != 1:
        return None
    return at + runs[0].start(), at + runs[0].end()


def _before(text: str, at: int) -> Offsets | None:
    """The speaker before a colon that opens a quotation, in the same sentence."""
    head = text[max(0, at - REACH) : at]
    if not head.rstrip().endswith(":"):
        return None
    start = max((m.end() for m in SENTENCE_END.finditer(head)), default=0)
    runs = list(NAME_RUN.finditer(head, start))
    if not runs:
        return None
    base = at - len(head)
    return base + runs[-1].start(), base + runs[-1].end()
