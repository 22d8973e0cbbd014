"""Text normalisation that keeps exact offsets back into the original text.

Typographic quotes become straight ones, runs of spaces become one space, blank-line runs
become one paragraph break, zero-width characters go, and the spans that cleaning removed
are left out. The returned :class:`~newsweave.model.OffsetMap` maps every clean offset back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsweave.model import OffsetMap

DOUBLE_QUOTES = frozenset("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02")
SINGLE_QUOTES = frozenset("\u2018\u2019\u201a\u201b\u2032\u2039\u203a")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
SPACES = frozenset(
    " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\x0b\x0c"
)
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x85")
# A run of characters copied as they are: words of no whitespace, quote or zero-width mark,
# with single spaces between them.
_SPECIAL = "".join(re.escape(c) for c in sorted(DOUBLE_QUOTES | SINGLE_QUOTES | ZERO_WIDTH))
_WORD = f"[^\\s`'{_SPECIAL}]+"
PLAIN = re.compile(f"{_WORD}(?: {_WORD})*")


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge the ones that overlap or touch."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def normalize(original: str, drop: Iterable[tuple[int, int]] = ()) -> tuple[str, OffsetMap]:
    """Return the normalised text without the ``drop`` spans, and its offset map."""
    spans = merge_spans(drop)
    out: list[str] = []
    size = 0  # characters in ``out``
    anchors: list[tuple[int, int]] = []
    diag: int | None = None  # original - clean offset of the current run
    pending_newlines = 0
    pending_space = False
    ws_start = 0  # original offset of the first pending whitespace character

    def emit(text: str, orig: int) -> None:
        """Append ``text``, which stands for the original characters from ``orig`` on."""
        nonlocal diag, size
        if orig - size != diag:
            anchors.append((size, orig))
            diag = orig - size
        out.append(text)
        size += len(text)

    def flush() -> None:
        """The whitespace pending before the next character: a paragraph break, a line
        break or one space (none at the very start)."""
        nonlocal pending_newlines, pending_space
        if size:
            if pending_newlines >= 2:
                emit("\n", ws_start)
                emit("\n", ws_start)
            elif pending_newlines == 1:
                emit("\n", ws_start)
            elif pending_space:
                emit(" ", ws_start)
        pending_newlines = 0
        pending_space = False

    n = len(original)
    i = 0
    si = 0
    while i < n:
        if si < len(spans) and i >= spans[si][0]:
            if i < spans[si][1]:
                i = spans[si][1]
            si += 1
            continue
        plain = PLAIN.match(original, i)
        if plain:  # copied as one piece, up to the next dropped span
            end = plain.end()
            if si < len(spans) and spans[si][0] < end:
                end = spans[si][0]
                while original[end - 1] == " ":  # a space before a cut is whitespace as usual
                    end -= 1
            flush()
            emit(original[i:end], i)
            i = end
            continue
        ch = original[i]
        if ch in ZERO_WIDTH:
            i += 1
            continue
        if ch in LINE_BREAKS:
            if not pending_newlines and not pending_space:
                ws_start = i
            if not (ch == "\n" and i > 0 and original[i - 1] == "\r"):
                pending_newlines += 1
            i += 1
            continue
        if ch in SPACES or (ch.isspace()):
            if not pending_newlines and not pending_space:
                ws_start = i
            pending_space = True
            i += 1
            continue
        width = 1
        rep = ch
        if ch in "`'" and i + 1 < n and original[i + 1] == ch:
            rep, width = '"', 2
        elif ch in DOUBLE_QUOTES:
            rep = '"'
        elif ch in SINGLE_QUOTES:
            rep = "'"
        flush()
        emit(rep, i)
        i += width
        if width > 1:
            diag = None  # force an anchor on the next character
    # A closing anchor so the end offset of the text maps exactly too.
    end_orig = i if not out else _end_of_last(original, anchors, size, spans)
    anchors.append((size, end_orig))
    return "".join(out), OffsetMap(tuple(_dedupe(anchors)))


def _end_of_last(
    original: str, anchors: list[tuple[int, int]], clean_len: int, spans: list[tuple[int, int]]
) -> int:
    """Original offset just after the last emitted character."""
    clean0, orig0 = anchors[-1]
    last = orig0 + (clean_len - 1 - clean0)
    # A two-character quote (`` or '') counts two original characters.
    if original[last : last + 2] in ("``", "''"):
        return last + 2
    return last + 1


def _dedupe(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the last anchor for each clean offset, in order."""
    result: list[tuple[int, int]] = []
    for a in anchors:
        if result and result[-1][0] == a[0]:
            result[-1] = a
        else:
            result.append(a)
    return result
