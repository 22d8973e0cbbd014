"""The report as JSON data, in the versioned ``newsweave.report/1`` shape.

The shape is documented by ``newsweave/schema/report.schema.json``; later sections
(entities, quotes, timeline, facts, conflicts, duplicates) are added as new keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newsweave import __version__
from newsweave.model import Article, Report, Story

SCHEMA_ID = "newsweave.report/1"


def source_dict(article: Article, story: Story, *, show_removed: bool) -> dict[str, Any]:
    """One row of a story's sources table, with its sentences so citations can be checked."""
    d: dict[str, Any] = {
        "id": article.id,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "path": article.path,
        "url": article.url,
        "language": article.language,
        "words": len(article.clean_text.split()),
        "notes": list(article.notes),
        "sentences": [s.to_dict() for s in story.sentences.get(article.id, ())],
    }
    if show_removed:
        d["removed"] = [r.to_dict() for r in article.removed]
    return d


def story_dict(story: Story, *, show_removed: bool = False) -> dict[str, Any]:
    dates = sorted(a.published for a in story.articles if a.published)
    return {
        "id": story.id,
        "title": story.title,
        "first_published": dates[0].isoformat() if dates else None,
        "last_published": dates[-1].isoformat() if dates else None,
        "sources": [source_dict(a, story, show_removed=show_removed) for a in story.articles],
        "summary": [s.to_dict() for s in story.summary],
        "rewritten": [s.to_dict() for s in story.rewritten],
        "entities": [e.to_dict() for e in story.entities],
        "quotes": [q.to_dict() for q in story.quotes],
        "timeline": [t.to_dict() for t in story.timeline],
        "conflicts": [c.to_dict() for c in story.conflicts],
        "facts": [f.to_dict() for f in story.facts],
        "notes": list(story.notes),
        "duplicates": [d.to_dict() for d in story.duplicates],
        "grouping": {
            "shared_names": list(story.shared_names),
            "shared_terms": list(story.shared_terms),
        },
    }


def report_dict(report: Report, *, show_removed: bool = False) -> dict[str, Any]:
    """The whole report as plain data."""
    return {
        "schema": SCHEMA_ID,
        "generator": {"name": "newsweave", "version": __version__},
        "stories": [story_dict(s, show_removed=show_removed) for s in report.stories],
        "skipped": [s.to_dict() for s in report.skipped],
        "notes": list(report.notes),
    }


# Containers this deep or deeper (a sentence, a citation, a fact's support) are written on
# one line by the C encoder; the levels above are indented. ``json.dumps`` with ``indent``
# runs the pure-Python encoder, ten times slower on a report of a few thousand articles.
ONE_LINE_DEPTH = 6
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def json_chunks(report: Report, *, show_removed: bool = False) -> Iterator[str]:
    """The report as JSON text in pieces, one story built at a time (so a pile's report is
    never held whole as data); joined, the pieces are :func:`render_json`'s text."""
    out = ["{"]
    head: dict[str, Any] = {"schema": SCHEMA_ID, "generator": _GENERATOR}
    for key, value in head.items():
        out.append(f"\n  {_ENCODER.encode(key)}: ")
        _write(value, 1, out)
        out.append(",")
    out.append('\n  "stories": [')
    for i, story in enumerate(report.stories):
        out.append(("," if i else "") + "\n    ")
        _write(story_dict(story, show_removed=show_removed), 2, out)
        yield "".join(out)
        out = []
    out.append("\n  ]" if report.stories else "]")
    tail: dict[str, Any] = {
        "skipped": [s.to_dict() for s in report.skipped],
        "notes": list(report.notes),
    }
    for key, item in tail.items():
        out.append(f",\n  {_ENCODER.encode(key)}: ")
        _write(item, 1, out)
    out.append("\n}\n")
    yield "".join(out)


_GENERATOR = {"name": "newsweave", "version": __version__}


def _write(value: Any, depth: int, out: list[str]) -> None:
    """Append ``value`` as JSON to ``out``: indented two spaces a level, the containers at
    ONE_LINE_DEPTH and deeper on one line."""
    if depth >= ONE_LINE_DEPTH or not isinstance(value, dict | list) or not value:
        out.append(_ENCODER.encode(value))
        return
    pad = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(f"{',' if i else ''}{pad}{_ENCODER.encode(key)}: ")
            _write(item, depth + 1, out)
        out.append("\n" + "  " * depth + "}")
    else:
        out.append("[")
        for i, item in enumerate(value):
            out.append(("," if i else "") + pad)
            _write(item, depth + 1, out)
        out.append("\n" + "  " * depth + "]")


def render_json(report: Report, *, show_removed: bool = False) -> str:
    """The report as JSON text (see :func:`json_chunks`)."""
    return "".join(json_chunks(report, show_removed=show_removed))
