"""HTML pages: main text and metadata through trafilatura."""

from __future__ import annotations

from typing import Any

from newsweave.errors import EmptyInput
from newsweave.ingest.text import Metadata


def parse_html(html: str, meta: Metadata, url: str | None = None) -> str:
    """Return the page's main text (paragraphs split by blank lines) and fill ``meta``.

    Raises ``EmptyInput`` when no main text can be found (an empty or truncated page).
    """
    import trafilatura  # imported here: lxml and friends are slow to load

    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken pages
        raise EmptyInput(f"HTML could not be parsed ({type(exc).__name__}: {exc})") from exc
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise EmptyInput("no main text found in the HTML page")
    meta.set("title", doc.title)
    meta.set("author", doc.author)
    meta.set("published", doc.date)
    meta.set("url", doc.url)
    meta.set("outlet", doc.sitename or _host_outlet(doc.hostname))
    meta.set("language", doc.language)
    paragraphs = [" ".join(p.split()) for p in text.splitlines()]
    return "\n\n".join(p for p in paragraphs if p)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed's ``content`` field), paragraphs kept."""
    import trafilatura

    text = trafilatura.extract(fragment, include_comments=False, include_tables=True)
    if text:
        return "\n\n".join(p.strip() for p in text.splitlines() if p.strip())
    import lxml.html

    try:
        return str(lxml.html.fromstring(fragment).text_content())
    except Exception:  # lxml raises ParserError and friends on junk
        return fragment


def _host_outlet(host: str | None) -> str | None:
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host
