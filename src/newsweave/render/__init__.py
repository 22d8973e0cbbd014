"""Report renderers: JSON, Markdown and self-contained HTML."""

from __future__ import annotations

from collections.abc import Iterable

from newsweave.model import Report
from newsweave.render.html import render_html
from newsweave.render.json import json_chunks, render_json
from newsweave.render.markdown import render_markdown

FORMATS = ("json", "md", "html")


def render(report: Report, fmt: str, *, show_removed: bool = False) -> str:
    """Render a report in one of ``FORMATS``."""
    if fmt == "json":
        return render_json(report, show_removed=show_removed)
    if fmt == "md":
        return render_markdown(report, show_removed=show_removed)
    if fmt == "html":
        return render_html(report, show_removed=show_removed)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render_chunks(report: Report, fmt: str, *, show_removed: bool = False) -> Iterable[str]:
    """:func:`render` in pieces to write one after another: JSON a story at a time, so a
    pile's report is never held whole; the other formats in one piece."""
    if fmt == "json":
        return json_chunks(report, show_removed=show_removed)
    return (render(report, fmt, show_removed=show_removed),)


__all__ = ["FORMATS", "render", "render_chunks"]
