"""The report as Markdown: summary with citations, sources table, skipped inputs."""

from __future__ import annotations

import re

from newsweave.model import Article, Citation, Report, Story


def _md(text: str | None) -> str:
    """Escape Markdown control characters in article text."""
    if not text:
        return ""
    text = " ".join(text.split())
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


def labels(story: Story) -> dict[str, str]:
    """Short labels S1, S2, ... for a story's sources, in source order."""
    return {a.id: f"S{i}" for i, a in enumerate(story.articles, 1)}


def cite_label(citation: Citation, names: dict[str, str]) -> str:
    return f"{names.get(citation.article_id, '?')}.{citation.sentence}"


def outlet_name(article: Article) -> str:
    """The outlet, or where the article came from when no outlet is known."""
    if article.outlet:
        return article.outlet
    where = article.url or article.path or "unknown source"
    return where.rstrip("/").rsplit("/", 1)[-1] or where


def render_story(story: Story, *, show_removed: bool = False) -> list[str]:
    names = labels(story)
    dates = sorted(a.published for a in story.articles if a.published)
    span = ""
    if dates:
        span = f" · {dates[0].isoformat()}" + (
            f" to {dates[-1].isoformat()}" if dates[-1] != dates[0] else ""
        )
    out = [
        f"## {_md(story.title)}",
        "",
        f"_{len(story.articles)} sources{span}_",
        "",
        "### Summary",
        "",
    ]
    if not story.summary:
        out.append("_No sentence could be selected for a summary._")
    for s in story.summary:
        cites = ", ".join(cite_label(c, names) for c in s.citations)
        outlets = sorted(
            {outlet_name(a) for a in story.articles if a.id in {c.article_id for c in s.citations}}
        )
        out.append(f"- {_md(s.text)} [{cites}] ({_md(', '.join(outlets))})")
    out += [
        "",
        "### Sources",
        "",
        "| | Outlet | Title | Author | Published | Where |",
        "|---|---|---|---|---|---|",
    ]
    for a in story.articles:
        out.append(
            f"| {names[a.id]} | {_md(a.outlet) or '—'} | {_md(a.title) or '—'} | {_md(a.author) or '—'} "
            f"| {a.published.isoformat() if a.published else '—'} | {_md(a.url or a.path)} |"
        )
    out += ["", "Citations read `S2.5`: sentence 5 (counted from 0) of source S2."]
    if show_removed:
        out += ["", "### Removed as boilerplate", ""]
        for a in story.articles:
            if not a.removed:
                continue
            out.append(f"- **{names[a.id]}** ({_md(outlet_name(a))})")
            for r in a.removed:
                out.append(f"  - {_md(r.reason)}: “{_md(r.text.strip())}”")
    return out


def render_markdown(report: Report, *, show_removed: bool = False) -> str:
    out = ["# newsweave digest", ""]
    if not report.stories:
        out.append("_No article could be read._")
    for story in report.stories:
        out += [*render_story(story, show_removed=show_removed), ""]
    if report.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- `{s.path.replace('`', '')}`: {_md(s.reason)}" for s in report.skipped]
    return "\n".join(out).rstrip() + "\n"
