"""Who said what: direct quotations and indirect attributions found in one parsed article.

A direct quote is text inside quotation marks (straight, curly or PTB ````...''``) that reads
as speech: it opens a sentence or follows a cue (``said:``, ``told reporters,``) and is more
than a scare-quoted phrase. It may run over several sentences and paragraphs (a paragraph
that ends inside a quote and a next one that reopens it) and may be split by its attribution
(``"...," she said. "..."``): the parts become one quote with several content spans. The
speaker is the subject of the cue verb, found with the dependency parse, in the quote's own
sentence, the sentence before it (``Smith said:``) or, for a bare continuation paragraph, the
previous quote's speaker. An indirect attribution is a cue verb with a clausal complement
(``X said that ...``) or an ``according to X`` phrase. Spans are character offsets into the
parsed text, so they map onto sentences and citations exactly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Offsets = tuple[int, int]

# Speech and report verbs, by lemma, with their irregular forms; regular forms are derived.
CUE_LEMMAS = [
    "say",
    "tell",
    "add",
    "write",
    "ask",
    "state",
    "explain",
    "note",
    "declare",
    "insist",
    "claim",
    "argue",
    "announce",
    "warn",
    "report",
    "tweet",
    "post",
    "recall",
    "continue",
    "reply",
    "respond",
    "acknowledge",
    "admit",
    "suggest",
    "testify",
    "conclude",
    "emphasize",
    "emphasise",
    "stress",
    "confirm",
    "deny",
    "predict",
    "promise",
    "vow",
    "complain",
    "joke",
    "quip",
    "remark",
    "observe",
    "contend",
    "maintain",
    "allege",
    "assert",
    "caution",
    "concede",
    "counter",
    "estimate",
    "reiterate",
    "scream",
    "shout",
    "whisper",
    "yell",
    "cry",
    "urge",
    "boast",
    "lament",
    "muse",
    "wonder",
    "question",
    "describe",
    "disclose",
    "reveal",
    "indicate",
    "mention",
    "comment",
    "retort",
    "laugh",
    "sigh",
    "agree",
    "call",
    "brand",
    "label",
    "dub",
    "term",
    "urge",
    "denounce",
    "chant",
    "characterize",
    "characterise",
]
# Verbs whose object, not a clause, carries the words: "called him \"a disgrace\"".
NAMING = frozenset(
    [
        "call",
        "brand",
        "label",
        "dub",
        "term",
        "urge",
        "describe",
        "denounce",
        "characterize",
        "characterise",
        "vow",
        "promise",
    ]
)
IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "writing": "write",
    "writes": "write",
}  # fmt: skip
# Verbs that take a clause but usually report belief rather than speech: indirect only.
BELIEF_LEMMAS = frozenset(["believe", "think", "feel", "fear", "hope", "expect", "know"])
PRONOUNS = frozenset(["he", "she", "they", "i", "we", "it", "you", "him", "her", "them"])
OPENING = frozenset(['"', "\u201c", "``", "\u00ab", "\u201e"])
CLOSING = frozenset(['"', "\u201d", "''", "\u00bb"])
MIN_QUOTE_WORDS = 4


def _forms(lemma: str) -> Iterator[str]:
    yield lemma
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    yield lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x")) else "s")
    yield stem + "ed"
    yield stem + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        yield lemma[:-1] + "ies"
        yield lemma[:-1] + "ied"


CUE_FORMS: dict[str, str] = {form: lemma for lemma in CUE_LEMMAS for form in _forms(lemma)}
CUE_FORMS.update(IRREGULAR)
CUE_FORMS.update({"thought": "think", "felt": "feel", "knew": "know"})
CUE_FORMS.update({f: lem for lem in BELIEF_LEMMAS for f in _forms(lem) if f not in CUE_FORMS})


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement: what was said (one or more spans), the cue and the source.

    ``kind`` is ``"direct"`` for a quotation, ``"indirect"`` for reported speech. ``cue`` and
    ``source`` are None when the text does not say (an unattributed quotation).
    """

    kind: str
    content: tuple[Offsets, ...]
    cue: Offsets | None
    source: Offsets | None
    cue_lemma: str | None = None
    source_head: Offsets | None = None  # the head word of the source phrase ("residents")


@dataclass(slots=True)
class _Quote:
    start: int  # first character inside the marks
    end: int  # last character inside the marks, exclusive
    mark_start: int
    mark_end: int
    paragraph_start: bool  # the opening mark begins a paragraph


def cue_lemma(word: str) -> str | None:
    """The cue verb lemma of a word form ("told" -> "tell"), or None."""
    return CUE_FORMS.get(word.lower())


def find_quotations(text: str) -> list[_Quote]:
    """Pair quotation marks into quotations, paragraph by paragraph.

    Curly marks say which way they face; straight ones alternate. A quotation still open at
    the end of a paragraph is closed there (news style reopens it in the next paragraph).
    """
    quotes: list[_Quote] = []
    pos = 0
    for para in text.split("\n"):
        open_at: int | None = None
        i = 0
        while i < len(para):
            two = para[i : i + 2]
            ch = para[i]
            width = 2 if two in ("``", "''") else 1
            mark = two if width == 2 else ch
            if mark in OPENING or mark in CLOSING:
                # Double marks toggle whichever way they face: copy often gets them wrong.
                is_open = open_at is None and mark not in ("''", "\u00bb")
                if is_open:
                    open_at = i
                elif open_at is not None:
                    _add_quote(quotes, para, pos, open_at, i, i + width)
                    open_at = None
            i += width
        if open_at is not None:
            _add_quote(quotes, para, pos, open_at, len(para.rstrip()), len(para.rstrip()))
        pos += len(para) + 1
    return quotes


def _add_quote(
    quotes: list[_Quote], para: str, pos: int, open_at: int, close: int, after: int
) -> None:
    width = 2 if para[open_at : open_at + 2] == "``" else 1
    start, end = open_at + width, close
    while start < end and para[start].isspace():
        start += 1
    while end > start and para[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    quotes.append(
        _Quote(pos + start, pos + end, pos + open_at, pos + after, not para[:open_at].strip())
    )


def find_attributions(doc: Doc) -> list[Attribution]:
    """Direct quotes and indirect attributions in a parsed document, in text order."""
    text = _index(doc).text
    quotes = find_quotations(text)
    direct: list[Attribution] = []
    used_cues: set[int] = set()
    inside: list[Offsets] = []
    previous: Attribution | None = None
    previous_end = -1
    i = 0
    while i < len(quotes):
        q = quotes[i]
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            i += 1
            continue
        group = [q]
        # Multi-paragraph quotes: each reopened paragraph is a part of the same quote.
        while (
            i + 1 < len(quotes)
            and quotes[i + 1].paragraph_start
            and _closes_at_paragraph_end(text, group[-1])
        ):
            group.append(quotes[i + 1])
            i += 1
        cue_tok, source = _attribution_after(doc, group[-1])
        if cue_tok is None:
            cue_tok, source = _attribution_before(doc, q)
        if cue_tok is not None and not _adjacent(doc, group, cue_tok):
            i += 1
            continue  # a phrase quoted inside reported speech: the indirect pass takes it
        if cue_tok is not None:
            # "...," she said. "...": later quotes of the paragraph with no cue of their own
            # are the same statement.
            while i + 1 < len(quotes) and _continues(doc, group[-1], quotes[i + 1], cue_tok):
                group.append(quotes[i + 1])
                i += 1
        if not _is_speech(doc, group, cue_tok):
            i += 1
            continue
        content = tuple((g.start, g.end) for g in group)
        cue: Offsets | None = None
        lemma: str | None = None
        if cue_tok is not None:
            used_cues.add(cue_tok.i)
            cue = (cue_tok.idx, cue_tok.idx + len(cue_tok.text))
            lemma = cue_lemma(cue_tok.text) or cue_tok.text
        elif (
            previous is not None
            and q.paragraph_start
            and _only_quote_in_paragraph(text, q)
            and _paragraph_gap(text, previous_end, q.mark_start) <= 1
        ):
            # A bare quoted paragraph right after an attributed quote continues that speaker.
            source, cue, lemma = previous.source, previous.cue, previous.cue_lemma
        else:
            i += 1
            continue  # nobody is said to have said it: not an attribution
        attribution = Attribution("direct", content, cue, source, lemma)
        direct.append(attribution)
        inside.extend((g.mark_start, g.mark_end) for g in group)
        previous, previous_end = attribution, group[-1].mark_end
        i += 1
    quoted = [(q.start, q.end) for q in quotes]
    indirect = [_mixed(a, quoted) for a in _indirect(doc, used_cues, inside, quoted)]
    return [_with_head(doc, a) for a in sorted(direct + indirect, key=lambda a: a.content[0])]


def _with_head(doc: Doc, a: Attribution) -> Attribution:
    if a.source is None:
        return a
    span = doc.char_span(a.source[0], a.source[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return a
    root = span.root
    return replace(a, source_head=(root.idx, root.idx + len(root.text)))


def _mixed(a: Attribution, quoted: list[Offsets]) -> Attribution:
    """Reported speech that is mostly quotation ("called him \"a disgrace\"") is ``mixed``."""
    s, e = a.content[0]
    inside = sum(max(0, min(e, qe + 1) - max(s, qs - 1)) for qs, qe in quoted)
    return replace(a, kind="mixed") if inside >= 0.5 * (e - s) else a


def _adjacent(doc: Doc, group: list[_Quote], cue: Token) -> bool:
    """A quotation set off as speech around its cue, not a phrase quoted mid-clause.

    Speech is closed by punctuation (``"...," she said``, ``"...?" he asked``), followed by a
    comma or dash before the cue, or introduced by a colon or comma after it (``said: "..."``),
    or it makes up its whole sentence.
    """
    text = _index(doc).text
    first, last = group[0], group[-1]
    if cue.idx >= last.mark_end:
        inner = text[last.start : last.end].rstrip()
        after = text[last.mark_end : cue.idx].lstrip()
        return bool(inner) and (inner[-1] in ",.?!…-—" or after[:1] in (",", "—", "–", "―", "-"))
    before = text[: first.mark_start].rstrip()
    if before.endswith((":", ",")):
        return True
    if cue_lemma(cue.text) in NAMING:
        return False  # "what it calls \"...\"": the quotation is the verb's object
    tail = text[cue.idx + len(cue.text) : first.mark_start]
    return not tail.strip(" ,:") and len(text[first.start : first.end].split()) >= MIN_QUOTE_WORDS


def _is_speech(doc: Doc, group: list[_Quote], cue: Token | None) -> bool:
    """A quotation reads as speech, not a scare-quoted phrase or a title."""
    words = sum(len(_index(doc).text[g.start : g.end].split()) for g in group)
    if cue is not None:
        return words >= 2
    if words < MIN_QUOTE_WORDS:
        return False
    first = group[0]
    before = _index(doc).text[: first.mark_start].rstrip()
    # Speech opens a paragraph or sentence, or follows a colon or comma.
    return first.paragraph_start or not before or before[-1] in ".:,;!?"


def _continues(doc: Doc, current: _Quote, nxt: _Quote, cue: Token) -> bool:
    """Whether ``nxt`` goes on with the statement of ``current`` (same paragraph, no new cue)."""
    between = _index(doc).text[current.mark_end : nxt.mark_start]
    if "\n" in between or len(between) > 300:
        return False
    if len(between.strip(" .,;")) <= 2:
        return True  # one statement cut at a sentence end
    if not (current.mark_end <= cue.idx < nxt.mark_start):
        return False
    own, _ = _attribution_after(doc, nxt)
    return own is None or own.i == cue.i


def _closes_at_paragraph_end(text: str, q: _Quote) -> bool:
    """The quote ran to the end of its paragraph without a closing mark."""
    rest = text[
        q.mark_end : text.find("\n", q.mark_end) if "\n" in text[q.mark_end :] else len(text)
    ]
    return q.mark_end == q.end and not rest.strip()


def _only_quote_in_paragraph(text: str, q: _Quote) -> bool:
    end = text.find("\n", q.mark_end)
    rest = text[q.mark_end : end if end >= 0 else len(text)]
    return not rest.strip(" .,")


def _paragraph_gap(text: str, previous_end: int, start: int) -> int:
    """How many paragraphs lie between the end of one quote and the start of the next."""
    between = text[previous_end:start]
    lines = [line for line in between.split("\n")[1:-1] if line.strip()]
    return len(lines)


def _cue_verb(tok: Token) -> bool:
    lemma = cue_lemma(tok.text)
    return lemma is not None and lemma not in BELIEF_LEMMAS and tok.tag_.startswith("VB")


DASHES = frozenset(["\u2015", "\u2014", "\u2013", "-", "--"])


class _Index:
    """Token offsets and sentence bounds of a doc, computed once: spaCy's ``token.sent`` and
    ``is_sent_start`` scan the whole document on every call."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text  # spaCy rebuilds ``doc.text`` from the tokens on every access
        self.starts = [t.idx for t in doc]
        self.sent_start = [0] * len(doc)
        self.sent_end = [0] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                self.sent_start[i] = sent.start
                self.sent_end[i] = sent.end


def _index(doc: Doc) -> _Index:
    """The doc's :class:`_Index`, kept in its ``user_data`` so it is built once per doc."""
    ix = doc.user_data.get("newsweave.quotes.index")
    if not isinstance(ix, _Index):
        ix = _Index(doc)
        doc.user_data["newsweave.quotes.index"] = ix
    return ix


def _token_from(doc: Doc, offset: int) -> int:
    """Index of the first token starting at or after ``offset``."""
    return bisect_left(_index(doc).starts, offset)


def _attribution_after(doc: Doc, q: _Quote) -> tuple[Token | None, Offsets | None]:
    """``"...," Smith said`` / ``"...," said Smith`` / ``"...," he told reporters`` /
    ``"..." ― Jane Doe`` (a reader's comment signed with a dash)."""
    first = _token_from(doc, q.mark_end)
    ix = _index(doc)
    window: list[Token] = []
    for tok in doc[first : first + 12]:
        if tok.text in OPENING or tok.text in CLOSING or (tok.is_space and "\n" in tok.text):
            break
        if window and ix.sent_start[tok.i] == tok.i and tok.idx > q.mark_end + 2:
            break
        window.append(tok)
    if window and window[0].text in DASHES:
        name = [t for t in window[1:6] if t.text[:1].isupper() or t.text == "."]
        if name and name[0].i == window[0].i + 1:
            end = name[0].i
            while end + 1 < len(doc) and doc[end + 1] in name:
                end += 1
            return window[0], (name[0].idx, doc[end].idx + len(doc[end].text))
    return _first_cue(doc, window)


def _first_cue(doc: Doc, tokens: Iterable[Token]) -> tuple[Token | None, Offsets | None]:
    """The first speech verb or ``according to`` among ``tokens``, with its source."""
    for tok in tokens:
        if tok.text in CLOSING:
            break  # another quotation begins: its cue is not this one's
        if _cue_verb(tok):
            return tok, _source_of(doc, tok)
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            return tok, _according_source(doc, tok)
    return None, None


def _attribution_before(doc: Doc, q: _Quote) -> tuple[Token | None, Offsets | None]:
    """``Smith said: "..."`` / ``Smith told reporters, "..."`` / ``Smith said "..."``."""
    start_tok = doc.char_span(q.mark_start, q.mark_end, alignment_mode="expand")
    if start_tok is None:
        return None, None
    first = start_tok[0]
    ix = _index(doc)
    sent_start = ix.sent_start[first.i]
    window = list(doc[max(sent_start, first.i - 25) : first.i])
    if not window:
        # The quote opens its sentence: look at the end of the previous sentence for "said:".
        if first.i == 0:
            return None, None
        prev = doc[ix.sent_start[first.i - 1] : ix.sent_end[first.i - 1]]
        if not prev.text.rstrip().endswith(":"):
            return None, None
        window = list(prev)
    return _first_cue(doc, reversed(window))


def _source_of(doc: Doc, verb: Token) -> Offsets | None:
    """The speaker of a cue verb: its subject noun phrase, or the agent of a passive."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return _phrase(doc, child)
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return _phrase(doc, grand)
    # Conjoined and participle verbs share a subject: "Smith smiled and said", "Smith said
    # she was overwhelmed, writing on Instagram: ...".
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.tag_.startswith("VB"):
        return _source_of(doc, verb.head)
    # "said Smith" parsed with Smith as object or attribute.
    for child in verb.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod") and child.tag_ in (
            "NNP",
            "NNPS",
            "PRP",
            "NN",
        ):
            return _phrase(doc, child)
    return None


def _according_source(doc: Doc, according: Token) -> Offsets | None:
    to = doc[according.i + 1]
    for child in to.children:
        if child.dep_ == "pobj":
            return _phrase(doc, child)
    if according.i + 2 < len(doc):
        return _phrase(doc, doc[according.i + 2])
    return None


def _phrase(doc: Doc, head: Token) -> Offsets:
    """The whole noun phrase of a speaker, titles, appositives and relative clauses included
    ("Kenneth Baer, a former official who runs Crosscut Strategies"), but never running
    into a quotation."""
    lo = hi = head.i
    sub = {t.i for t in head.subtree}
    while lo - 1 in sub and doc[lo - 1].text not in OPENING | CLOSING:
        lo -= 1
    while hi + 1 in sub and doc[hi + 1].text not in OPENING | CLOSING:
        hi += 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space) and doc[hi].text != ")":
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _indirect(
    doc: Doc, used: set[int], quoted: list[Offsets], quotations: list[Offsets]
) -> Iterable[Attribution]:
    """Reported speech: a cue verb with a clausal complement, or ``according to X``."""
    for tok in doc:
        if tok.i in used or _in_any(tok.idx, quoted) or _in_any(tok.idx, quotations):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            content = _according_content(doc, tok)
            if content is not None:
                cue = (tok.idx, doc[tok.i + 1].idx + 2)
                yield Attribution(
                    "indirect", (content,), cue, _according_source(doc, tok), "according to"
                )
            continue
        if not _cue_verb(tok):
            continue
        comp = [c for c in tok.children if c.dep_ == "ccomp"]
        if comp:
            lo = min(t.i for t in comp[0].subtree)
            hi = max(t.i for t in comp[0].subtree)
        else:
            # "called the senator \"a nasty guy\"", "urged Republicans to \"vote ...\"":
            # the object and complement, kept only when they carry a quotation.
            right = [
                c
                for c in tok.rights
                if c.dep_ in ("dobj", "xcomp", "oprd", "prep", "attr", "dative")
            ]
            if not right or cue_lemma(tok.text) not in NAMING:
                continue
            lo = min(t.i for c in right for t in c.subtree)
            hi = max(t.i for c in right for t in c.subtree)
            span = (doc[lo].idx, doc[hi].idx + len(doc[hi].text))
            if not any(_overlaps(span, q) for q in quotations):
                continue
        while lo < hi and doc[lo].is_punct:
            lo += 1
        while hi > lo and doc[hi].is_punct:
            hi -= 1
        if hi - lo < 2:
            continue
        content = _in_paragraph(
            _index(doc).text, tok.idx, (doc[lo].idx, doc[hi].idx + len(doc[hi].text))
        )
        if any(_overlaps(content, q) for q in quoted):
            continue
        yield Attribution(
            "indirect",
            (content,),
            (tok.idx, tok.idx + len(tok.text)),
            _source_of(doc, tok),
            cue_lemma(tok.text),
        )


def _according_content(doc: Doc, according: Token) -> Offsets | None:
    """The clause an ``according to X`` phrase attributes: the rest of its sentence."""
    ix = _index(doc)
    sent: Span = doc[ix.sent_start[according.i] : ix.sent_end[according.i]]
    phrase = list(according.subtree)
    lo, hi = min(t.i for t in phrase), max(t.i for t in phrase)
    rest = [t for t in sent if (t.i < lo or t.i > hi) and not t.is_space]
    while rest and rest[0].is_punct:
        rest.pop(0)
    while rest and rest[-1].is_punct:
        rest.pop()
    if len(rest) < 3:
        return None
    span = (rest[0].idx, rest[-1].idx + len(rest[-1].text))
    return _in_paragraph(_index(doc).text, according.idx, span)


def _in_paragraph(text: str, anchor: int, span: Offsets) -> Offsets:
    """``span`` cut to the paragraph holding ``anchor``: the parser's sentences may run over
    a paragraph break, reported speech does not."""
    lo = text.rfind("\n", 0, anchor) + 1
    hi = text.find("\n", anchor)
    hi = len(text) if hi < 0 else hi
    start, end = max(span[0], lo), min(span[1], hi)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else span


def _in_any(pos: int, spans: list[Offsets]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _overlaps(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]
