"""The HTML report with many stories: unique ids, links that land, a contents list, safe URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser

import pytest

from conftest import make_article
from newsweave.model import (
    Article,
    Citation,
    Conflict,
    ConflictSide,
    DatedClaim,
    Duplicate,
    Entity,
    Fact,
    Quote,
    QuoteVariant,
    Report,
    Sentence,
    Skipped,
    Story,
    SummarySentence,
    TimelineEntry,
)
from newsweave.pipeline import build_story
from newsweave.render.html import _where, render_html, safe_url

VOID = {"meta", "br", "img", "hr", "input", "link", "wbr", "col", "area", "base", "source"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self, skip_class: str = "") -> str:
        """The text inside, leaving out elements of class ``skip_class``."""
        out = []
        for c in self.children:
            if isinstance(c, str):
                out.append(c)
            elif not skip_class or skip_class not in c.attrs.get("class", "").split():
                out.append(c.text(skip_class))
        return "".join(out)

    def walk(self) -> list[Node]:
        out = [self]
        for c in self.children:
            if isinstance(c, Node):
                out += c.walk()
        return out

    def ancestor(self, tag: str) -> Node | None:
        node = self.parent
        while node is not None and node.tag != tag:
            node = node.parent
        return node


class TreeBuilder(HTMLParser):
    """A small element tree from the stdlib parser; fails on a close tag that closes nothing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


# --- a report built by hand: every section cites, and every story uses the labels S1.0 ... ---


def _article(k: int, j: int, url: str | None = None) -> Article:
    text = " ".join(f"Story {k} source {j} sentence {n}." for n in range(4))
    return Article(
        id=f"a{k}{j}", original_text=text, clean_text=text, outlet=f"Outlet {j}", url=url
    )


def _sentences(a: Article) -> tuple[Sentence, ...]:
    parts = a.clean_text.split(". ")
    out, start = [], 0
    for n, part in enumerate(parts):
        t = part if part.endswith(".") else part + "."
        out.append(Sentence(a.id, n, start, start + len(t), t, paragraph=n // 2))
        start += len(t) + 1
    return tuple(out)


def _cite(a: Article, n: int) -> Citation:
    return Citation(a.id, n, 0, 10)


def hand_story(k: int, urls: tuple[str | None, ...] = (None, None, None)) -> Story:
    """A story whose sources all say "Story k source j sentence n."; every section cites."""
    arts = tuple(_article(k, j, url) for j, url in enumerate(urls, 1))
    a, b, c = arts
    claim = DatedClaim(date(2024, 1, k), "day", "on Monday", True, _cite(a, 1))
    return Story(
        id=f"story{k}",
        title=f"Story <{k}> & friends",
        articles=arts,
        sentences={x.id: _sentences(x) for x in arts},
        summary=(
            SummarySentence("first", (_cite(a, 0), _cite(b, 2))),
            SummarySentence("second", (_cite(c, 3),)),
        ),
        rewritten=(SummarySentence("new", (_cite(b, 1),), generated=True),),
        entities=(Entity("E1", "Ana", "PER", ("Anna",), (_cite(a, 2), _cite(c, 0)), 2, 1.0),),
        quotes=(
            Quote(
                "Q1",
                "direct",
                "we will rebuild",
                "E1",
                None,
                "said",
                (
                    QuoteVariant("we will rebuild", (_cite(a, 3),)),
                    QuoteVariant("we shall rebuild", (_cite(b, 3),)),
                ),
            ),
        ),
        timeline=(
            TimelineEntry(
                date(2024, 1, k),
                "day",
                "it began",
                (claim,),
                (replace(claim, citation=_cite(c, 1)),),
            ),
        ),
        facts=(
            Fact("F1", "agreed", 2, (_cite(a, 0), _cite(b, 0))),
            Fact("F2", "one", 1, (_cite(c, 2),)),
        ),
        conflicts=tuple(
            Conflict(
                f"C{i}",
                "contradiction",
                "number",
                "people",
                (
                    ConflictSide("12", "twelve", (_cite(a, 1),)),
                    ConflictSide(
                        "14", "fourteen", (_cite(b, 1), Citation(b.id, 0, 0, 5, caption=True))
                    ),
                ),
            )
            for i in range(k % 3)
        ),
        duplicates=(Duplicate(c.id, a.id, 0.95, False),) if k == 2 else (),
    )


def hand_report(n: int = 6) -> Report:
    return Report(tuple(hand_story(k) for k in range(1, n + 1)), (Skipped("x.bin", "binary"),))


def check_links(root: Node) -> dict[str, Node]:
    """Every id is unique and every in-page link has its target; the id -> element map."""
    nodes = root.walk()
    ids = [n.attrs["id"] for n in nodes if "id" in n.attrs]
    assert len(ids) == len(set(ids)), [i for i in set(ids) if ids.count(i) > 1][:10]
    by_id = {n.attrs["id"]: n for n in nodes if "id" in n.attrs}
    hrefs = [n.attrs["href"] for n in nodes if n.tag == "a" and "href" in n.attrs]
    missing = [h for h in hrefs if h.startswith("#") and h[1:] not in by_id]
    assert not missing, missing[:10]
    return by_id


def check_citations(root: Node, report: Report) -> int:
    """Each citation link in story k lands, inside story k, on the sentence it names."""
    by_id = check_links(root)
    sections = [n for n in root.walk() if n.tag == "section"]
    assert len(sections) == len(report.stories)
    count = 0
    for section, story in zip(sections, report.stories, strict=True):
        by_label = {f"S{j}": a.id for j, a in enumerate(story.articles, 1)}
        for link in section.walk():
            if link.tag != "a" or link.attrs.get("class") != "cite":
                continue
            match = re.fullmatch(r"(S\d+)\.(\d+)", link.text())
            assert match, link.text()
            label, n = match.groups()
            target = by_id[link.attrs["href"][1:]]
            assert target.ancestor("section") is section, (link.attrs, story.title)
            want = {s.index: s.text for s in story.sentences[by_label[label]]}[int(n)]
            assert target.text(skip_class="n") == want
            count += 1
    return count


def test_ids_are_unique_and_citations_land_in_their_own_story() -> None:
    report = hand_report()
    root = parse(render_html(report))
    # summary 3 + rewritten 1 + entity 2 + quote 2 + timeline 2 + facts 3 + conflicts 2 per side
    assert check_citations(root, report) >= 6 * 13


def test_every_section_links_every_citation_of_its_story() -> None:
    report = hand_report(3)
    story = report.stories[1]
    root = parse(render_html(report))
    section = [n for n in root.walk() if n.tag == "section"][1]
    cites = [n for n in section.walk() if "cite" in n.attrs.get("class", "").split()]
    names = {a.id: f"S{j}" for j, a in enumerate(story.articles, 1)}
    every = [
        *(c for s in (*story.summary, *story.rewritten) for c in s.citations),
        *(c for f in story.facts for c in f.citations),
        *(c for e in story.entities for c in e.mentions),
        *(c for q in story.quotes for c in q.citations),
        *(c.citation for t in story.timeline for c in (*t.claims, *t.disputed)),
        *(c for x in story.conflicts for side in x.sides for c in side.citations),
    ]
    want = {f"#story-2-{names[c.article_id]}-{c.sentence}" for c in every if not c.caption}
    assert {n.attrs["href"] for n in cites if n.tag == "a"} == want
    captions = [n for n in cites if n.tag == "span"]
    assert captions and all(".caption" in n.text() for n in captions)


def test_a_citation_of_a_missing_sentence_is_not_a_link() -> None:
    story = hand_story(1)
    a = story.articles[0]
    story = replace(story, summary=(SummarySentence("x", (Citation(a.id, 99, 0, 1),)),))
    html = render_html(Report((story, hand_story(2)), ()))
    check_links(parse(html))
    assert "S1.99" in html and "-S1-99" not in html


def test_contents_has_one_entry_per_story() -> None:
    report = hand_report(5)
    root = parse(render_html(report))
    navs = [n for n in root.walk() if n.tag == "nav"]
    assert len(navs) == 1
    entries = [n for n in navs[0].walk() if n.tag == "li"]
    assert len(entries) == len(report.stories)
    sections = [n for n in root.walk() if n.tag == "section"]
    for entry, section, story in zip(entries, sections, report.stories, strict=True):
        first = next(n for n in entry.walk() if n.tag == "a")
        assert first.attrs["href"] == "#" + section.attrs["id"]
        assert first.text() == story.title  # escaped in the HTML, the same text once parsed
        conflicts = len(story.conflicts)
        assert (f"{conflicts} conflict" if conflicts else "no conflict") in entry.text()
    assert "3 sources" in entries[0].text()
    assert "2 independent sources (3 articles)" in entries[1].text()
    assert "&lt;1&gt; &amp; friends" in render_html(report)
    check_links(root)


def test_one_story_has_no_contents() -> None:
    html = render_html(Report((hand_story(1),), ()))
    root = parse(html)
    assert not [n for n in root.walk() if n.tag == "nav"]
    check_citations(root, Report((hand_story(1),), ()))


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
        ("  HTTP://Example.org/x \n", "HTTP://Example.org/x"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(document.cookie)", None),
        ("java\tscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("//evil.example/x", None),
        ("../relative/junk", None),
        ("https:no-host", None),
        ("https://ok.example/\x00x", None),
        ("", None),
        (None, None),
        (True, None),  # JSON input can hold anything
    ],
)
def test_safe_url(url: str | None, link: str | None) -> None:
    assert safe_url(url) == link
    assert _where(replace(_article(1, 1), url=url)).startswith('<a href="') == bool(link)


def test_only_http_and_https_urls_are_links() -> None:
    bad = 'javascript:alert("x")'
    story = hand_story(1, urls=("https://example.org/news?id=1&p=2", bad, "data:text/html,hi"))
    html = render_html(Report((story, hand_story(2)), ()))
    root = parse(html)
    external = [n.attrs["href"] for n in root.walk() if n.tag == "a" and "href" in n.attrs]
    external = [h for h in external if not h.startswith("#")]
    assert external == ["https://example.org/news?id=1&p=2"]
    assert "https://example.org/news?id=1&amp;p=2" in html
    cells = [n.text() for n in root.walk() if n.attrs.get("class") == "where"]
    assert bad in cells and "data:text/html,hi" in cells  # shown, as text
    assert "javascript:alert(&quot;x&quot;)" in html


def test_a_pile_digested_into_several_stories() -> None:
    """Real stories (timeline, facts, conflicts from the pipeline) on one page."""
    texts = {
        "fire": [
            "A fire broke out at the Harlow paper mill on Monday night. Twelve workers were "
            "treated for smoke. The mill will stay closed until Friday, the owner said.",
            "Fourteen workers were treated for smoke after a fire at the Harlow paper mill on "
            "Monday. Firefighters needed four hours to put it out. The mill stays closed.",
        ],
        "vote": [
            "The Denbury council voted 7 to 2 on Tuesday to build a new library. Work starts in "
            "May and will cost 3 million pounds. The old library closes in April.",
            "Denbury councillors approved a new library by 7 votes to 2 on Tuesday. The building "
            "will cost 4 million pounds, officials said. Work starts in May.",
        ],
        "storm": [
            "Storm Ilse cut power to 20,000 homes in the Mirren valley on Sunday. Trees blocked "
            "two roads. Crews expect to restore power by Wednesday.",
            "About 20,000 homes in the Mirren valley lost power when Storm Ilse hit on Sunday. "
            "Engineers said power would be back by Wednesday. Two roads were blocked by trees.",
        ],
    }
    stories = []
    for name, bodies in texts.items():
        arts = [
            make_article(b, published=f"2024-03-0{i}", outlet=f"{name} outlet {i}")
            for i, b in enumerate(bodies, 1)
        ]
        stories.append(build_story(arts))
    report = Report(tuple(stories), ())
    root = parse(render_html(report))
    assert check_citations(root, report) >= 6
    entries = [n for n in root.walk() if n.tag == "li" and n.ancestor("nav")]
    assert len(entries) == 3
