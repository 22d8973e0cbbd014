"""Bytes to text, and what kind of document the text is, judged from its content."""

from __future__ import annotations

import codecs
import re
from enum import Enum

from newsweave.errors import BinaryInput, EmptyInput, UnsupportedFormat

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Magic numbers of common binary formats that may sit in a folder of articles.
BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\x7fELF",
    b"RIFF",
    b"OggS",
    b"\x00\x00\x01\x00",
    b"SQLite format 3",
    b"\xfd7zXZ",
)
HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<meta\b"
    r"|<article\b|<div\b|<p\b|<title\b|<section\b|<main\b|<h1\b)",
    re.I | re.S,
)
HTML_ANYWHERE = re.compile(r"<(?:html|body|article|p|div)\b[^>]*>", re.I)
FEED_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b", re.I)


WESTERN = frozenset({"cp1252", "latin_1", "iso8859_15"})


class Format(Enum):
    """Document kinds newsweave tells apart."""

    TEXT = "text"
    HTML = "html"
    JSON = "json"  # one JSON value: an object or a list of objects
    JSONL = "jsonl"  # one JSON object per line


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text; returns ``(text, encoding)``.

    A byte-order mark wins; then strict UTF-8; then charset detection (Latin-1 and
    Windows-1252 files are common in news archives). Binary data raises ``BinaryInput``.
    """
    if not data.strip():
        raise EmptyInput("the file is empty")
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(enc)), enc
            except UnicodeDecodeError as exc:
                raise BinaryInput(
                    f"starts with a {enc} byte-order mark but does not decode"
                ) from exc
    if data.startswith(BINARY_MAGIC):
        raise BinaryInput("binary file (not text)")
    sample = data[:8192]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM: every other byte is zero for Latin-script text.
        enc = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return _check_text(data.decode(enc)), enc
        except UnicodeDecodeError as exc:
            raise BinaryInput("binary file (not text)") from exc
    if b"\x00" in sample:
        raise BinaryInput("binary file (contains NUL bytes)")
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:200_000])
    best = matches.best()
    enc = best.encoding if best is not None else "cp1252"
    if best is not None and any(
        m.encoding in WESTERN and m.chaos <= best.chaos + 0.01 for m in matches
    ):
        enc = "cp1252"  # ties go to the most common legacy encoding of news archives
    try:
        return _check_text(data.decode(enc)), enc
    except (UnicodeDecodeError, LookupError):
        return _check_text(data.decode("latin-1")), "latin-1"


def _check_text(text: str) -> str:
    """Reject decoded text that is mostly control characters (binary in disguise)."""
    sample = text[:8192]
    if not sample.strip():
        raise EmptyInput("the file holds only whitespace")
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if bad > max(4, len(sample) // 50):
        raise BinaryInput("binary file (control characters, not text)")
    return text


def sniff(head: str) -> Format:
    """Tell the document kind from the start of its text; the extension is only a hint."""
    start = head.lstrip("\ufeff \t\r\n")
    if start.startswith("WARC/"):
        raise UnsupportedFormat("WARC archives are not read yet")
    if FEED_START.match(start):
        raise UnsupportedFormat("RSS/Atom feeds are not read yet")
    if HTML_START.match(start):
        return Format.HTML
    if start.startswith("["):
        return Format.JSON
    if start.startswith("{"):
        first_line = start.split("\n", 1)[0].strip()
        return Format.JSONL if first_line.endswith("}") else Format.JSON
    if len(HTML_ANYWHERE.findall(start[:4096])) >= 3:
        return Format.HTML
    return Format.TEXT
