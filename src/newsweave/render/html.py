"""The report as one self-contained HTML file: no scripts, no external resources.

All article text is escaped. Each citation links to the cited sentence inside the source's
text further down the page, and the sentence is highlighted when the link is followed.
Every id is prefixed by the story's number on the page (``story-3-S2-5``: story 3, source S2,
sentence 5), so a page of many stories never repeats an id and a citation never lands in
another story. Only http and https source URLs become links; anything else is shown as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

from newsweave.model import Article, Citation, Report, Story
from newsweave.render.markdown import (
    KIND_LABEL,
    MAX_CONSENSUS,
    MAX_ENTITIES,
    MAX_SINGLE,
    labels,
    outlet_name,
)

CSS = """
body{font:16px/1.55 system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.3rem;margin-top:2.5rem;border-bottom:1px solid #ddd}
.meta{color:#666}.summary li{margin:.5rem 0}
a.cite,span.cite{font-size:.75rem;text-decoration:none;background:#eef;border-radius:3px;padding:0 3px;
margin-left:2px}
.toc ol{padding-left:1.6rem}.toc li{margin:.3rem 0}.back{font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #ddd;padding:4px 6px;
text-align:left;vertical-align:top}th{background:#f6f6f6}.where{overflow-wrap:anywhere}
details{margin:.5rem 0}summary{cursor:pointer}
.sent:target{background:#ffef9f}.sent .n{color:#999;font-size:.7rem;margin-right:2px}
.removed{color:#8a4b00;font-size:.9rem}.skipped{color:#a00}
.conflict{border-left:4px solid #c0392b;padding:.2rem .8rem;margin:.8rem 0;background:#fdf3f2}
.conflict.update{border-color:#2874a6;background:#f1f6fb}.conflict.possible{border-color:#b7950b;background:#fcf8ec}
.side{margin:.2rem 0}.value{font-weight:700}
.when{font-weight:600;white-space:nowrap}.dispute{color:#a34700}.variant{color:#555;font-size:.9rem}
blockquote{margin:.6rem 0;padding-left:.8rem;border-left:3px solid #ccd}
@media (prefers-color-scheme: dark){body{background:#161616;color:#ddd}th{background:#222}
a{color:#8ab4f8}a.cite,span.cite{background:#223}.sent:target{background:#554400}
.conflict,.conflict.update,.conflict.possible{background:#1f1f1f}}
"""


def _e(text: object) -> str:
    return escape("" if text is None else str(text), quote=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def safe_url(url: str | None) -> str | None:
    """``url`` without surrounding whitespace if it is an http(s) URL safe to link, else None."""
    url = url.strip() if isinstance(url, str) else ""
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


@dataclass(frozen=True, slots=True)
class _Ctx:
    """One story's labels and anchors: what every section needs to write its citations."""

    prefix: str  # "story-3": unique on the page, prefixes every id of the story
    names: dict[str, str]  # article id -> S1, S2, ...
    outlets: dict[str, str]
    anchors: frozenset[tuple[str, int]]  # (article id, sentence index) written as anchors

    def anchor(self, article_id: str, sentence: int) -> str:
        """The id of a sentence of a source in the source texts."""
        return f"{self.prefix}-{self.names[article_id]}-{sentence}"


def _context(story: Story, number: int) -> _Ctx:
    names = labels(story)
    return _Ctx(
        prefix=f"story-{number}",
        names=names,
        outlets={a.id: outlet_name(a) for a in story.articles},
        anchors=frozenset(
            (a.id, s.index) for a in story.articles for s in story.sentences.get(a.id, ())
        ),
    )


def _source_text(article: Article, story: Story, ctx: _Ctx) -> str:
    paragraphs: dict[int, list[str]] = {}
    seen: set[int] = set()
    for s in story.sentences.get(article.id, ()):
        ident = "" if s.index in seen else f' id="{ctx.anchor(article.id, s.index)}"'
        seen.add(s.index)
        paragraphs.setdefault(s.paragraph, []).append(
            f'<span class="sent"{ident}><span class="n">{s.index}</span>{_e(s.text)}</span>'
        )
    return "".join(f"<p>{' '.join(p)}</p>" for _, p in sorted(paragraphs.items()))


def _cites(citations: Sequence[Citation], ctx: _Ctx) -> str:
    """Links to each cited sentence, once each, in order; a citation with no anchor is text."""
    out = []
    for a, n in dict.fromkeys((c.article_id, c.sentence) for c in citations):
        if a not in ctx.names:
            continue
        label = f"{ctx.names[a]}.{n}"
        if (a, n) in ctx.anchors:
            out.append(
                f'<a class="cite" href="#{ctx.anchor(a, n)}" '
                f'title="{_e(ctx.outlets[a])}, sentence {n}">{label}</a>'
            )
        else:
            out.append(f'<span class="cite" title="sentence not in the source text">{label}</span>')
    return "".join(out)


def _cites_any(citations: Sequence[Citation], ctx: _Ctx) -> str:
    """Links for sentences; a photo caption (not in the sentence list) is labelled, not linked."""
    body = [c for c in citations if not c.caption]
    captions = "".join(
        f'<span class="cite" title="photo caption">{ctx.names.get(c.article_id, "?")}'
        f".caption{c.sentence}</span>"
        for c in citations
        if c.caption
    )
    return _cites(body, ctx) + captions


def _conflicts(story: Story, ctx: _Ctx) -> str:
    if not story.conflicts:
        return "<p class='meta'>No disagreement found between the sources.</p>"
    blocks = []
    for c in story.conflicts:
        sides = "".join(
            f"<div class='side'><span class='value'>{_e(side.value)}</span> "
            f"{_cites_any(side.citations, ctx)}"
            + (f" <span class='meta'>{_e(side.published)}</span>" if side.published else "")
            + f": “{_e(side.text)}”</div>"
            for side in c.sides
        )
        note = f" <span class='meta'>{_e(c.note)}</span>" if c.note else ""
        blocks.append(
            f"<div class='conflict {_e(c.kind)}'><strong>{_e(KIND_LABEL.get(c.kind, c.kind))}</strong>"
            f" <span class='meta'>({_e(c.slot)}: {_e(c.what)})</span>{note}{sides}</div>"
        )
    return "".join(blocks)


def _facts(story: Story, ctx: _Ctx) -> str:
    agreed = [f for f in story.facts if f.support >= 2][:MAX_CONSENSUS]
    items = (
        "".join(
            f"<li>{_e(f.text)} {_cites(f.citations, ctx)} "
            f"<span class='meta'>({f.support} sources)</span></li>"
            for f in agreed
        )
        or "<li><em>No statement is made by two independent sources.</em></li>"
    )
    single = []
    for a in story.articles:
        only = [
            f
            for f in story.facts
            if f.support == 1 and f.citations and f.citations[0].article_id == a.id
        ]
        if only:
            li = "".join(
                f"<li>{_e(f.text)} {_cites(f.citations, ctx)}</li>" for f in only[:MAX_SINGLE]
            )
            more = f" (+{len(only) - MAX_SINGLE} more)" if len(only) > MAX_SINGLE else ""
            single.append(
                f"<li><strong>{ctx.names[a.id]}</strong> {_e(ctx.outlets[a.id])}{more}"
                f"<ul>{li}</ul></li>"
            )
    return (
        f"<h3>Agreed by several sources</h3><ul>{items}</ul>"
        f"<h3>Only one source says</h3><ul>{''.join(single)}</ul>"
    )


def _timeline(story: Story, ctx: _Ctx) -> str:
    if not story.timeline:
        return "<p class='meta'>No dated event found.</p>"
    rows = []
    for t in story.timeline:
        said = "; ".join(
            f"{ctx.names.get(c.citation.article_id, '?')}: “{_e(c.expression)}”" for c in t.claims
        )
        dispute = ""
        if t.disputed:
            other = "; ".join(
                f"{ctx.names.get(c.citation.article_id, '?')}: “{_e(c.expression)}” = {c.value}"
                for c in t.disputed
            )
            dispute = (
                f"<div class='dispute'>⚠ dated differently by other sources: {other} "
                f"{_cites([c.citation for c in t.disputed], ctx)}</div>"
            )
        rows.append(
            f"<tr><td class='when'>{_e(t.label)}</td><td>{_e(t.text)} "
            f"{_cites([c.citation for c in t.claims], ctx)}"
            f"<div class='meta'>{said}</div>{dispute}</td></tr>"
        )
    return f"<table>{''.join(rows)}</table>"


def _entities(story: Story, ctx: _Ctx) -> str:
    if not story.entities:
        return "<p class='meta'>No named entity found (or analysis was switched off).</p>"
    rows = "".join(
        f"<tr><td>{_e(e.id)}</td><td>{_e(e.name)}</td><td>{_e(e.kind)}</td>"
        f"<td>{_e(', '.join(e.variants) or '—')}</td><td>{e.sources}</td>"
        f"<td>{len(e.mentions)} {_cites(e.mentions[:8], ctx)}</td></tr>"
        for e in story.entities[:MAX_ENTITIES]
    )
    return (
        "<table><tr><th></th><th>Name</th><th>Kind</th><th>Also written</th><th>Sources</th>"
        f"<th>Mentions</th></tr>{rows}</table>"
    )


def _quotes(story: Story, ctx: _Ctx) -> str:
    if not story.quotes:
        return "<p class='meta'>No quote found (or analysis was switched off).</p>"
    who = {e.id: e.name for e in story.entities}
    items = []
    for q in story.quotes:
        speaker = who.get(q.speaker or "", q.speaker_text or "unattributed")
        variants = "".join(
            f"<div class='variant'>worded differently in "
            f"{_cites(v.citations, ctx)}: “{_e(v.text)}”</div>"
            for v in q.variants[1:]
        )
        body = f"“{_e(q.text)}”" if q.kind == "direct" else _e(q.text)
        items.append(
            f"<blockquote><strong>{_e(speaker)}</strong> <span class='meta'>({_e(q.kind)}, "
            f"{_e(q.cue or 'no cue')})</span>: {body} {_cites(q.citations, ctx)}"
            f"{variants}</blockquote>"
        )
    return "".join(items)


def _where(article: Article) -> str:
    """Where a source came from: a link for an http(s) URL, escaped text for anything else."""
    url = safe_url(article.url)
    if url is None:
        return _e(article.url or article.path or "—")
    return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'


def _independent(story: Story) -> int:
    """Sources counted once each: the articles less the copies of another article."""
    ids = {a.id for a in story.articles}
    return len(ids - {d.article_id for d in story.duplicates})


def _span(story: Story) -> str:
    dates = sorted(a.published for a in story.articles if a.published)
    if not dates:
        return ""
    return f" · {dates[0]}" + (f" to {dates[-1]}" if dates[-1] != dates[0] else "")


def _counts(story: Story) -> str:
    """'5 sources' or '4 independent sources (5 articles)'."""
    independent = _independent(story)
    if independent == len(story.articles):
        return _plural(independent, "source")
    return (
        f"{_plural(independent, 'independent source')} ({_plural(len(story.articles), 'article')})"
    )


def _toc(report: Report) -> str:
    """The table of contents: one entry per story, with its sources, dates and conflicts."""
    items = []
    for number, story in enumerate(report.stories, 1):
        conflicts = len(story.conflicts)
        disagree = (
            f"<a href='#story-{number}-conflicts'>{_plural(conflicts, 'conflict')}</a>"
            if conflicts
            else "no conflict"
        )
        items.append(
            f"<li><a href='#story-{number}'>{_e(story.title)}</a> <span class='meta'>· "
            f"{_counts(story)}{_e(_span(story))} · {disagree}</span></li>"
        )
    skipped = (
        f"<p class='meta'><a href='#skipped'>{_plural(len(report.skipped), 'input')} skipped</a></p>"
        if report.skipped
        else ""
    )
    return (
        f"<nav id='contents' class='toc'><h2>{len(report.stories)} stories</h2>"
        f"<ol>{''.join(items)}</ol>{skipped}</nav>"
    )


def render_story(
    story: Story, *, show_removed: bool = False, number: int = 1, many: bool = False
) -> str:
    """One story as an HTML section; ``number`` (its place on the page) prefixes its ids."""
    ctx = _context(story, number)
    names, outlets = ctx.names, ctx.outlets
    items = []
    for s in story.summary:
        items.append(f"<li>{_e(s.text)} {_cites(s.citations, ctx)}</li>")
    summary = "".join(items) or "<li><em>No sentence could be selected.</em></li>"
    rewritten = ""
    if story.rewritten:
        generated = "".join(
            f"<li>{_e(s.text)} {_cites(s.citations, ctx)}"
            + (f" <strong>unsupported: {_e('; '.join(s.problems))}</strong>" if s.problems else "")
            + "</li>"
            for s in story.rewritten
        )
        rewritten = (
            "<h3>Rewritten summary</h3><p class='meta'>Generated by a language model; each "
            f"sentence was checked against the sentences it cites.</p><ol>{generated}</ol>"
        )
    rows = "".join(
        f"<tr><td><a href='#{ctx.prefix}-{names[a.id]}'>{names[a.id]}</a></td>"
        f"<td>{_e(a.outlet or '—')}</td><td>{_e(a.title or '—')}</td>"
        f"<td>{_e(a.author or '—')}</td><td>{_e(a.published or '—')}</td>"
        f"<td class='where'>{_where(a)}</td><td>{_e(a.language or '')}</td></tr>"
        for a in story.articles
    )
    texts = []
    for a in story.articles:
        removed = ""
        if show_removed and a.removed:
            removed = (
                '<ul class="removed">'
                + "".join(f"<li>{_e(r.reason)}: “{_e(r.text.strip())}”</li>" for r in a.removed)
                + "</ul>"
            )
        texts.append(
            f"<details id='{ctx.prefix}-{names[a.id]}'><summary>{names[a.id]} · "
            f"{_e(outlets[a.id])} · {_e(a.title or a.source)}</summary>"
            f"{_source_text(a, story, ctx)}{removed}</details>"
        )
    grouping = ""
    if story.shared_names or story.shared_terms:
        why = ", ".join([*story.shared_names, *story.shared_terms])
        grouping = f"<p class='meta'>Grouped because the sources share: {_e(why)}</p>"
    copies = "".join(
        f"<li>{names[d.article_id]} is "
        + ("an exact copy" if d.exact else f"a near copy ({d.similarity:.0%} shared)")
        + f" of {names[d.original_id]}; counted once</li>"
        for d in story.duplicates
        if d.article_id in names and d.original_id in names
    )
    if copies:
        grouping += f"<ul class='meta'>{copies}</ul>"
    heading = f"{number}. {_e(story.title)}" if many else _e(story.title)
    back = " · <a class='back' href='#contents'>↑ contents</a>" if many else ""
    return (
        f"<section id='{ctx.prefix}'><h2>{heading}</h2>"
        f"<p class='meta'>{_counts(story)}{_e(_span(story))}{back}</p>{grouping}"
        f"<h3 id='{ctx.prefix}-conflicts'>Where sources disagree</h3>{_conflicts(story, ctx)}"
        f"<h3>Summary</h3><ol class='summary'>{summary}</ol>{rewritten}"
        f"{_facts(story, ctx)}"
        f"<h3>Timeline</h3>{_timeline(story, ctx)}"
        f"<h3>Who and where</h3>{_entities(story, ctx)}"
        f"<h3>Quotes</h3>{_quotes(story, ctx)}"
        + "".join(f"<p class='meta'>{_e(n)}</p>" for n in story.notes)
        + "<h3>Sources</h3><table><tr><th></th><th>Outlet</th><th>Title</th><th>Author</th>"
        f"<th>Published</th><th>Where</th><th>Lang</th></tr>{rows}</table>"
        f"<h3>Source texts</h3><p class='meta'>Citations such as S2.5 link to sentence 5 of "
        f"source S2.</p>{''.join(texts)}</section>"
    )


def render_html(report: Report, *, show_removed: bool = False) -> str:
    """A complete HTML document for the report."""
    many = len(report.stories) > 1
    title = report.stories[0].title if len(report.stories) == 1 else "newsweave digest"
    body = "".join(f"<p class='meta'>Note: {_e(n)}</p>" for n in report.notes)
    if many:
        body += _toc(report)
    body += "".join(
        render_story(s, show_removed=show_removed, number=i, many=many)
        for i, s in enumerate(report.stories, 1)
    )
    if not report.stories:
        body += "<p><em>No article could be read.</em></p>"
    if report.skipped:
        body += (
            "<h2 id='skipped'>Skipped inputs</h2><ul class='skipped'>"
            + "".join(f"<li><code>{_e(s.path)}</code>: {_e(s.reason)}</li>" for s in report.skipped)
            + "</ul>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>newsweave digest</h1>{body}</body></html>\n"
    )
