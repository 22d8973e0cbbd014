"""The report as Markdown: summary with citations, sources table, skipped inputs."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsweave.model import Article, Citation, Quote, Report, Story, TimelineEntry

MAX_ENTITIES = 15
MAX_INDIRECT = 10


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
    out += timeline_section(story, names)
    out += entities_section(story, names)
    out += quotes_section(story, names)
    if story.notes:
        out += ["", "### Notes", ""] + [f"- {_md(n)}" for n in story.notes]
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


def cites(citations: Sequence[Citation], names: dict[str, str]) -> str:
    """``[S1.3, S2.4]``: each cited sentence once, in order."""
    seen = dict.fromkeys(cite_label(c, names) for c in citations)
    return "[" + ", ".join(seen) + "]"


def _claims(entry: TimelineEntry, names: dict[str, str], disputed: bool = False) -> str:
    claims = entry.disputed if disputed else entry.claims
    return "; ".join(
        f"{names.get(c.citation.article_id, '?')}: “{_md(c.expression)}”"
        + (f" = {c.value.isoformat()}" if disputed else "")
        for c in claims
    )


def timeline_section(story: Story, names: dict[str, str]) -> list[str]:
    out = ["", "### Timeline", ""]
    if not story.timeline:
        return [*out, "_No dated event found._"]
    for t in story.timeline:
        out.append(
            f"- **{t.label}** {_md(t.text)} {cites([c.citation for c in t.claims], names)} "
            f"({_claims(t, names)})"
        )
        if t.disputed:
            out.append(
                f"  - ⚠ dated differently by other sources: {_claims(t, names, disputed=True)} "
                f"{cites([c.citation for c in t.disputed], names)}"
            )
    return out


def entities_section(story: Story, names: dict[str, str]) -> list[str]:
    out = ["", "### Who and where", ""]
    if not story.entities:
        return [*out, "_No named entity found (or analysis was switched off)._"]
    out += ["| | Name | Kind | Also written | Sources | Mentions |", "|---|---|---|---|---|---|"]
    for e in story.entities[:MAX_ENTITIES]:
        variants = ", ".join(e.variants) or "—"
        out.append(
            f"| {e.id} | {_md(e.name)} | {e.kind} | {_md(variants)} | {e.sources} | {len(e.mentions)} |"
        )
    if len(story.entities) > MAX_ENTITIES:
        out.append(f"\n_{len(story.entities) - MAX_ENTITIES} more in the JSON report._")
    notes = [n for e in story.entities[:MAX_ENTITIES] for n in e.notes if "kept apart" in n]
    out += [f"- {_md(n)}" for n in notes]
    return out


def _speaker(q: Quote, story: Story) -> str:
    names = {e.id: e.name for e in story.entities}
    if q.speaker in names:
        return names[q.speaker]
    return q.speaker_text or "unattributed"


def quotes_section(story: Story, names: dict[str, str]) -> list[str]:
    out = ["", "### Quotes", ""]
    direct = [q for q in story.quotes if q.kind == "direct"]
    indirect = [q for q in story.quotes if q.kind != "direct"]
    if not direct and not indirect:
        return [*out, "_No quote found (or analysis was switched off)._"]
    for q in direct:
        cue = f" ({q.cue})" if q.cue else " (no cue)"
        out.append(
            f"- **{_md(_speaker(q, story))}**{cue}: “{_md(q.text)}” {cites(q.citations, names)}"
        )
        for v in q.variants[1:]:
            out.append(f"  - worded differently in {cites(v.citations, names)}: “{_md(v.text)}”")
    if indirect:
        out += ["", "Reported speech:", ""]
        for q in indirect[:MAX_INDIRECT]:
            who = _md(_speaker(q, story))
            lead = f"according to **{who}**" if q.cue == "according to" else f"**{who}** ({q.cue})"
            out.append(f"- {lead}: {_md(q.text)} {cites(q.citations, names)}")
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
