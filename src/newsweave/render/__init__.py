"""Report renderers: JSON, Markdown and self-contained HTML."""

from __future__ import annotations

from newsweave.model import Report
from newsweave.render.html import render_html
from newsweave.render.json import render_json
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


__all__ = ["FORMATS", "render"]
