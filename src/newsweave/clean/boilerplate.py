"""Rules that find boilerplate in an article's lines: credits, captions, prompts, promos.

The rules are general patterns of web and print news furniture, not lists of lines seen in
any particular file. Each finding is a :class:`~newsweave.model.Removal` with a reason, so a
user can see what was taken out (``--show-removed``). Cross-article repetition is handled
separately in :mod:`newsweave.clean.repetition`.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from newsweave.clean.normalize import normalize
from newsweave.model import Article, Removal

_I = re.IGNORECASE

# Agencies and platforms that appear in photo credits; never an article's outlet.
PHOTO_SOURCES = frozenset(
    {
        "getty",
        "getty images",
        "instagram",
        "twitter",
        "x",
        "facebook",
        "tiktok",
        "youtube",
        "shutterstock",
        "alamy",
        "rex",
        "rex features",
        "rex/shutterstock",
        "splash news",
        "backgrid",
        "wireimage",
        "filmmagic",
        "epa",
        "afp/getty",
        "pa images",
        "pa wire",
        "ap photo",
        "reuters pictures",
        "istock",
        "istockphoto",
        "unsplash",
        "handout",
        "supplied",
        "file photo",
        "pexels",
    }
)

_CREDIT_WORD = r"(?:photo(?:graph)?s?|pictures?|pics?|images?|credits?|photo credits?|image credits?|picture credits?|video)"
# A line that ends with a credit ("... Picture: Getty / X/Instagram") is a caption.
CAPTION_WITH_CREDIT = re.compile(
    rf"(?:^|[.!?\"')\s])\s*{_CREDIT_WORD}\s*:\s*[^.!?\n]{{1,100}}$", _I
)
CREDIT_LINE = re.compile(rf"^\s*(?:\(?\s*{_CREDIT_WORD}\s*(?:by|:)|©|\(c\)\s)", _I)
# A credit glued to the front of a long paragraph: "Photograph: Ana Mol/Agency The mayor ...".
CREDIT_PREFIX = re.compile(rf"^\s*{_CREDIT_WORD}\s*:\s*[^/\n]{{1,40}}/\s*\S+\s*", _I)
# A credit at the end of a long paragraph: "... the mayor said. Picture: Ana Mol/Agency".
CREDIT_TAIL = re.compile(rf"(?<=[.!?\"'])\s*{_CREDIT_WORD}\s*:\s*[^.!?\n]{{1,60}}$", _I)
INLINE_CREDIT = re.compile(rf"\s*[(\[]\s*{_CREDIT_WORD}\s*(?::|by)\s*[^)\]\n]{{1,80}}[)\]]", _I)
AGENCY_ONLY = re.compile(
    r"^[\w .,'&/-]{0,60}\b(getty images|shutterstock|afp via getty images|ap photo|"
    r"reuters/[\w ]+|epa-efe|alamy|rex features|pa wire|pa images)\s*$",
    _I,
)
READ_TIME = re.compile(
    r"^\s*(?:[·•|–—-]\s*)?(?:\d+|one|two|three|four|five|ten)\s*[- ]?\s*min(?:ute)?s?\.?\s+read\s*$",
    _I,
)
ADVERT = re.compile(
    r"^\s*(?:advertisement|advertising|sponsored(?: content)?|ad|paid content|"
    r"story continues below(?: advertisement)?|continue reading(?: below)?(?: the main story)?|"
    r"scroll (?:down )?to continue(?: with content)?|article continues below)\s*[.:]?\s*$",
    _I,
)
NEWSLETTER = re.compile(
    r"(?:\bsubscribe\s+(?:here|now|today|to (?:our|the)\b|for (?:free|just|only|unlimited))"
    r"|^\s*subscribe\b"
    r"|\bsign[- ]?up (?:to|for) (?:our|the|my)\b[^.]{0,40}\b(?:newsletter|e-?mails?|bulletin|updates|alerts)"
    r"|\bsign[- ]?up\b[^.]{0,60}\bnewsletter"
    r"|\bnewsletter\b[^.]{0,60}\b(?:sign[- ]?up|subscribe|delivered|inbox)"
    r"|delivered (?:straight |directly )?(?:to|into) your inbox"
    r"|\bis out now\b[^.]{0,60}\b(?:subscribe|buy|on sale|order)"
    r"|^\s*(?:get|download) (?:the|our) [\w ]{0,20}app\b"
    r"|\bbecome a (?:member|subscriber)\b[^.]{0,40}\b(?:today|now|here)"
    r"|^\s*already a subscriber\b"
    r"|^\s*like this article\?)",
    _I,
)
FOLLOW = re.compile(
    r"(?:^\s*(?:follow|like|join|find) us on\b|\bfollow us on (?:facebook|twitter|x|instagram|tiktok|"
    r"youtube|linkedin|threads|bluesky)\b|^\s*follow @\w+\s*$)",
    _I,
)
SHARE = re.compile(
    r"^\s*(?:share (?:this|the) (?:article|story|page|post|video)|share on (?:facebook|twitter|x|"
    r"whatsapp|linkedin|email|reddit)|click to share|share|shares?|tweet(?: this)?|email(?: this)?|"
    r"print(?: this)?|copy link|save(?: article)?|comments?|\d+\s+comments?)\s*[.:!]?\s*$",
    _I,
)
SOCIAL_ROW = re.compile(
    r"^\s*(?:(?:facebook|twitter|x|email|whatsapp|linkedin|pinterest|reddit|print|share|copy link|"
    r"messenger|telegram)\s*[|·•,/]?\s*){2,}$",
    _I,
)
RELATED_HEADER = re.compile(
    r"^\s*(?:you (?:might|may) (?:also )?like|related(?: (?:stories|articles|content|coverage|news|"
    r"reading|links|topics))?|read more|more from [\w ]{1,30}|recommended(?: for you| stories)?|"
    r"most (?:popular|read|viewed)|trending(?: now| stories)?|also read|see also|more stories|"
    r"don'?t miss|what to read next|read next|more on this story|top stories|latest news|"
    r"(?:more|other) news)\s*[:.!]?\s*$",
    _I,
)
FEEDBACK = re.compile(
    r"(?:\bspotted (?:a|an) (?:error|mistake|typo)|\b(?:got|have) a (?:news )?(?:story|tip)\b[^.]{0,40}"
    r"(?:contact|email|tell|get in touch)|\btell our newsdesk|\bcontact (?:our|the) newsdesk|"
    r"^\s*(?:report|suggest) a correction\b|^\s*comments? (?:are|have been) (?:closed|disabled))",
    _I,
)
RELATED_INLINE = re.compile(
    r"^\s*(?:read more|related|also read|see also|read next|recommended|more|watch|listen)\s*:\s*\S",
    _I,
)
COPYRIGHT = re.compile(r"(?:^\s*(?:©|\(c\)\s*\d{4}|copyright\b)|\ball rights reserved\b)", _I)
DATE_LINE = re.compile(
    r"^\s*(?:published|posted|updated|last updated|first published)(?: on| at)?\s*:?\s+(.{6,60}?)\s*$",
    _I,
)
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|da|del|la|le|bin|al)){1,3}"
BYLINE = re.compile(
    rf"^\s*(?:[Bb]y|BY)\s+(?P<author>{_NAME}(?:\s*(?:\band\b|&)\s*{_NAME})*)"
    r"(?:\s*(?:,|\||–|—|-|for|of)\s*(?P<outlet>[A-Z][\w&'’. -]{1,50}?))?"
    r"(?:\s*[·•|–—-]\s*\d+\s*[- ]?\s*min(?:ute)?s?\.?\s+read)?\s*$"
)
ROLE_WORDS = re.compile(
    r"\b(?:reporter|correspondent|editor|writer|staff|contributor|journalist|columnist|producer|"
    r"chief|senior|associate|freelance|analyst|intern)\b",
    _I,
)
NAME_ONLY = re.compile(rf"^\s*(?P<author>{_NAME})\s*$")
NAME_WITH_READ_TIME = re.compile(
    rf"^\s*(?P<author>{_NAME})\s*[·•|–—-]\s*\d+\s*[- ]?\s*min(?:ute)?s?\.?\s+read\s*$"
)
SOURCE_LINE = re.compile(
    r"^\s*(?:[Ff]rom|[Vv]ia|[Ss]ource:)\s+(?P<outlet>[A-Z][\w&'’.-]*(?:\s+[A-Z0-9][\w&'’.-]*){0,4})\s*\.?\s*$"
)
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z .'’-]{1,40}?(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?)*)\s*"
    r"\((?P<agency>[A-Z][\w&'’. -]{0,40}?)\)\s*(?:[-–—]{1,2}|:)\s*"
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a text with its offsets (newline excluded)."""

    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Split text into lines, keeping each line's offsets."""
    lines: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\u2028\u2029\x85")
        lines.append(Line(pos, pos + len(body), body))
        pos += len(raw)
    return lines


def lines_left(article: Article) -> list[Line]:
    """The lines of an article's original text not inside a span already removed."""
    taken = sorted((r.start, r.end) for r in article.removed)
    starts = [s for s, _ in taken]
    reach = list(accumulate((e for _, e in taken), max))  # furthest end so far
    out = []
    for line in split_lines(article.original_text):
        k = bisect.bisect_right(starts, line.start)
        if not (k and reach[k - 1] >= line.end):
            out.append(line)
    return out


def with_removals(article: Article, found: Sequence[Removal]) -> Article:
    """The article with more spans removed and its clean text made again; unchanged when
    nothing is found or the removals would leave it empty."""
    if not found:
        return article
    removed = tuple(sorted((*article.removed, *found), key=lambda r: r.start))
    clean, offsets = normalize(article.original_text, ((r.start, r.end) for r in removed))
    if not clean.strip():
        return article
    return dataclasses.replace(article, clean_text=clean, offsets=offsets, removed=removed)


def is_photo_source(name: str) -> bool:
    """Whether a name is a photo agency or platform rather than a news outlet."""
    key = re.sub(r"\s+", " ", name.strip(" .,-–—/").lower())
    return key in PHOTO_SOURCES or "getty" in key or key.endswith(" photo")


def _words(text: str) -> int:
    return len(text.split())


def _removal(line: Line, reason: str) -> Removal:
    return Removal(line.start, line.end, reason, line.text)


def line_reason(text: str) -> str | None:
    """Why a whole line is boilerplate, or None when it is body text."""
    s = text.strip()
    if not s:
        return None
    n = _words(s)
    if ADVERT.match(s):
        return "advertisement"
    if READ_TIME.match(s):
        return "read-time badge"
    if SOCIAL_ROW.match(s) or (n <= 6 and SHARE.match(s)):
        return "share prompt"
    if n <= 40 and NEWSLETTER.search(s):
        return "newsletter prompt"
    if n <= 25 and FEEDBACK.search(s):
        return "feedback prompt"
    if n <= 25 and FOLLOW.search(s):
        return "follow-us prompt"
    if n <= 25 and COPYRIGHT.search(s):
        return "copyright notice"
    if n <= 20 and CREDIT_LINE.match(s):
        return "photo credit"
    if n <= 30 and CAPTION_WITH_CREDIT.search(s):
        return "caption with photo credit"
    if n <= 10 and AGENCY_ONLY.match(s):
        return "photo credit"
    if n <= 25 and RELATED_INLINE.match(s) and not s.rstrip().endswith((".", '"', "”")):
        return "related link"
    return None


def find_inline_credits(text: str, offset: int) -> list[Removal]:
    """Credits inside a body line: in parentheses (``(Photo: Jane Roe/Agency)``), or glued
    to the start or end of a long paragraph. Only the credit goes; the prose stays."""
    found = [*INLINE_CREDIT.finditer(text)]
    for pattern in (CREDIT_PREFIX, CREDIT_TAIL):
        m = pattern.search(text)
        if m and len(text) - (m.end() - m.start()) > 40:
            found.append(m)
    return [
        Removal(offset + m.start(), offset + m.end(), "photo credit", m.group(0))
        for m in sorted(found, key=lambda m: m.start())
    ]


def looks_like_teaser(text: str) -> bool:
    """A short headline-like line, as in a list of related-story links."""
    s = text.strip()
    return bool(s) and _words(s) <= 22 and not s.endswith((".", ":", ";", ","))


def find_boilerplate(lines: list[Line]) -> list[Removal]:
    """Boilerplate found by general rules in the body lines of one article."""
    removals: list[Removal] = []
    seen_body: set[str] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        s = line.text.strip()
        if not s:
            i += 1
            continue
        if RELATED_HEADER.match(s):
            # The header and the teaser lines after it, up to the next line of real prose.
            removals.append(_removal(line, "related-stories block"))
            j = i + 1
            while j < len(lines) and (
                not lines[j].text.strip() or looks_like_teaser(lines[j].text)
            ):
                if lines[j].text.strip():
                    removals.append(_removal(lines[j], "related-stories block"))
                j += 1
            i = j
            continue
        reason = line_reason(s)
        if reason:
            removals.append(_removal(line, reason))
        else:
            key = " ".join(s.lower().split())
            if key in seen_body and _words(s) >= 3:
                removals.append(_removal(line, "repeated line"))
            else:
                seen_body.add(key)
                removals.extend(find_inline_credits(line.text, line.start))
        i += 1
    return removals
