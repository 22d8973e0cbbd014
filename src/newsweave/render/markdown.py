"""The report as Markdown: summary with citations, sources table, skipped inputs."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsweave.model import Article, Citation, Quote, Report, Story, TimelineEntry

MAX_ENTITIES = 15
MAX_INDIRECT = 10
MAX_CONSENSUS = 10
MAX_SINGLE = 3  # single-source facts shown per source
KIND_LABEL = {"contradiction": "Contradiction", "update": "Update", "possible": "Possible conflict"}


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
    ]
    if story.shared_names or story.shared_terms:
        why = ", ".join([*story.shared_names, *story.shared_terms])
        out += [f"_Grouped because the sources share: {_md(why)}_", ""]
    for d in story.duplicates:
        kind = "an exact copy" if d.exact else f"a near copy ({d.similarity:.0%} shared)"
        out.append(f"- {names[d.article_id]} is {kind} of {names[d.original_id]}; counted once")
    if story.duplicates:
        out.append("")
    out += conflicts_section(story, names)
    out += ["", "### Summary", ""]
    if not story.summary:
        out.append("_No sentence could be selected for a summary._")
    for s in story.summary:
        cites = ", ".join(cite_label(c, names) for c in s.citations)
        outlets = sorted(
            {outlet_name(a) for a in story.articles if a.id in {c.article_id for c in s.citations}}
        )
        out.append(f"- {_md(s.text)} [{cites}] ({_md(', '.join(outlets))})")
    if story.rewritten:
        out += ["", "### Rewritten summary (generated, checked against its citations)", ""]
        for s in story.rewritten:
            cites = ", ".join(cite_label(c, names) for c in s.citations)
            flag = f" **unsupported: {_md('; '.join(s.problems))}**" if s.problems else ""
            out.append(f"- {_md(s.text)} [{cites}]{flag}")
    out += facts_section(story, names)
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


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _cite_any(c: Citation, names: dict[str, str]) -> str:
    """``S2.5``, or ``S2.caption1`` for a photo caption."""
    label = names.get(c.article_id, "?")
    return f"{label}.caption{c.sentence}" if c.caption else f"{label}.{c.sentence}"


def conflicts_section(story: Story, names: dict[str, str]) -> list[str]:
    """Where sources disagree: first in the report, because a reader most needs it."""
    out = ["### Where sources disagree", ""]
    if not story.conflicts:
        return [*out, "_No disagreement found between the sources._"]
    for c in story.conflicts:
        sides = " vs ".join(
            f"**{_md(side.value)}** [{', '.join(dict.fromkeys(_cite_any(x, names) for x in side.citations))}]"
            for side in c.sides
        )
        note = f" — {_md(c.note)}" if c.note else ""
        out.append(f"- {KIND_LABEL.get(c.kind, c.kind)} ({c.slot}: {_md(c.what)}): {sides}{note}")
        for side in c.sides:
            first = side.citations[0]
            when = f", {side.published.isoformat()}" if side.published else ""
            out.append(f"  - {_cite_any(first, names)}{when}: “{_md(_short(side.text))}”")
    return out


def facts_section(story: Story, names: dict[str, str]) -> list[str]:
    """What several independent sources state, and what only one source says."""
    out = ["", "### Agreed by several sources", ""]
    agreed = [f for f in story.facts if f.support >= 2]
    if not agreed:
        out.append("_No statement is made by two independent sources._")
    for f in agreed[:MAX_CONSENSUS]:
        out.append(f"- {_md(_short(f.text))} {cites(f.citations, names)} ({f.support} sources)")
    if len(agreed) > MAX_CONSENSUS:
        out.append(f"- _{len(agreed) - MAX_CONSENSUS} more in the JSON report._")
    single: dict[str, list[str]] = {}
    for f in story.facts:
        if f.support == 1:
            single.setdefault(f.citations[0].article_id, []).append(
                f"{_md(_short(f.text, 160))} {cites(f.citations, names)}"
            )
    if single:
        out += ["", "### Only one source says", ""]
        for a in story.articles:
            items = single.get(a.id, [])
            if items:
                more = f" (+{len(items) - MAX_SINGLE} more)" if len(items) > MAX_SINGLE else ""
                out.append(f"- **{names[a.id]}** ({_md(outlet_name(a))}){more}:")
                out += [f"  - {item}" for item in items[:MAX_SINGLE]]
    return out


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
    out += [f"_Note: {_md(n)}_" for n in report.notes] + ([""] if report.notes else [])
    if not report.stories:
        out.append("_No article could be read._")
    for story in report.stories:
        out += [*render_story(story, show_removed=show_removed), ""]
    if report.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- `{s.path.replace('`', '')}`: {_md(s.reason)}" for s in report.skipped]
    return "\n".join(out).rstrip() + "\n"
