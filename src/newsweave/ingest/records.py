"""JSON and JSON Lines inputs: one article per object."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from newsweave.errors import EmptyInput, InputError

TEXT_FIELDS = ("text", "body", "content", "article", "maintext", "story")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link", "source_url")
DATE_FIELDS = ("published", "date", "published_at", "publish_date", "pubdate", "date_publish")
OUTLET_FIELDS = ("source", "outlet", "site", "site_name", "sitename", "publisher", "domain")
AUTHOR_FIELDS = ("author", "authors", "byline")
LANG_FIELDS = ("language", "lang")
LOOKS_HTML = re.compile(r"<(?:p|div|br|span|article|html|body)\b[^>]*>", re.I)
# JSON may spell a lone surrogate ("\\ud800"), which no UTF-8 output, SQLite included, takes.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_text(value: Any) -> Any:
    """A decoded JSON value with every lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value) if not value.isascii() else value
    if isinstance(value, dict):
        return {valid_text(k): valid_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [valid_text(v) for v in value]
    return value


def first(obj: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first present, non-empty field among ``names``; lists become joined text."""
    for name in names:
        value = obj.get(name)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title")
        if isinstance(value, list):
            value = ", ".join(str(v.get("name", v) if isinstance(v, dict) else v) for v in value)
        if value not in (None, "", []):
            return value
    return None


def record_text(obj: dict[str, Any]) -> tuple[str, bool]:
    """The article text of a record and whether it is HTML; raises when there is none."""
    text = first(obj, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        raise EmptyInput(f"no text field (one of: {', '.join(TEXT_FIELDS)})")
    return text, bool(LOOKS_HTML.search(text[:5000]))


def iter_json(text: str) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """Records of a JSON document: an object, a list of objects, or ``{"articles": [...]}``."""
    try:
        value = valid_text(json.loads(text))
    except json.JSONDecodeError as exc:
        # Maybe JSON Lines after all.
        if "\n" in text.strip():
            yield from iter_jsonl(text.splitlines())
            return
        yield 1, EmptyInput(f"invalid JSON ({exc.msg} at line {exc.lineno})")
        return
    if isinstance(value, dict):
        for key in ("articles", "items", "documents", "data"):
            if isinstance(value.get(key), list):
                value = value[key]
                break
    items = value if isinstance(value, list) else [value]
    for n, item in enumerate(items, 1):
        if isinstance(item, dict):
            yield n, item
        else:
            yield n, EmptyInput(f"item {n} is not a JSON object")


def iter_jsonl(
    lines: Iterable[str | InputError],
) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """Records of JSON Lines, numbered by line; a bad line is an error, not the end.

    ``lines`` may hold an ``InputError`` in place of a line the reader refused."""
    for n, line in enumerate(lines, 1):
        if isinstance(line, InputError):
            yield n, type(line)(f"line {n}: {line}")
            continue
        if not line.strip():
            continue
        try:
            item = valid_text(json.loads(line))
        except json.JSONDecodeError as exc:
            yield n, EmptyInput(f"line {n}: invalid JSON ({exc.msg})")
            continue
        if isinstance(item, dict):
            yield n, item
        else:
            yield n, EmptyInput(f"line {n}: not a JSON object")
