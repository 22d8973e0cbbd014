"""Metadata from plain-text articles: headers, headline, bylines, source lines, datelines."""

from datetime import date

from newsweave.ingest.text import Metadata, parse_text


def _parse(text: str) -> tuple[Metadata, list[str]]:
    meta = Metadata()
    removals = parse_text(text, meta)
    for r in removals:
        assert text[r.start : r.end] == r.text
    return meta, [r.reason for r in removals]


def test_header_lines() -> None:
    meta, reasons = _parse(
        "title: Lanterns Return to the Canal\nsource: The Towpath Times\nauthor: Ida Brenn\n"
        "date 2031-04-02\n\nThe lantern festival returned to the canal on Saturday evening.\n"
    )
    assert meta.title == "Lanterns Return to the Canal"
    assert meta.outlet == "The Towpath Times"
    assert meta.author == "Ida Brenn"
    assert meta.published == date(2031, 4, 2)
    assert reasons == ["header"] * 4


def test_date_header_with_headline_on_the_same_line() -> None:
    meta, reasons = _parse(
        " date 2031-04-02 Lanterns Return To The Canal\n\nBody text follows here.\n"
    )
    assert meta.published == date(2031, 4, 2)
    assert meta.title == "Lanterns Return To The Canal"
    assert reasons == ["header", "title"]


def test_first_line_headline_then_byline_with_read_time_and_source_line() -> None:
    meta, reasons = _parse(
        "Canal Festival Draws Record Crowd\n\nIda Brenn\n·4-min read\n\nFrom The Towpath Times\n\n"
        "More than 9,000 people lined the canal banks on Saturday, organisers said.\n"
    )
    assert meta.title == "Canal Festival Draws Record Crowd"
    assert meta.author == "Ida Brenn"
    assert meta.outlet == "The Towpath Times"
    assert reasons == ["title", "byline", "source line"]


def test_by_line_with_outlet_and_role() -> None:
    meta, _ = _parse(
        "By Ida Brenn, The Towpath Times\n\nThe festival returned on Saturday night.\n"
    )
    assert (meta.author, meta.outlet) == ("Ida Brenn", "The Towpath Times")
    meta, _ = _parse("By Ida Brenn, Chief Reporter\n\nThe festival returned on Saturday night.\n")
    assert (meta.author, meta.outlet) == ("Ida Brenn", None)


def test_photo_agency_is_not_the_outlet() -> None:
    meta, _ = _parse("From Getty Images\n\nThe festival returned to the canal on Saturday night.\n")
    assert meta.outlet is None


def test_dateline_agency_is_the_outlet_and_the_prefix_is_removed() -> None:
    meta, reasons = _parse("LOCKTON (Canal Wire) -- The festival returned on Saturday night.\n")
    assert meta.outlet == "Canal Wire"
    assert reasons == ["dateline"]


def test_a_prose_first_line_is_not_a_headline() -> None:
    meta, reasons = _parse(
        "The festival returned to the canal on Saturday, and organisers said it was the best "
        "attended in its history.\n\nMore text.\n"
    )
    assert meta.title is None
    assert reasons == []


def test_date_line_in_words() -> None:
    meta, reasons = _parse(
        "Published 3 May 2031\n\nThe festival returned to the canal on Saturday.\n"
    )
    assert meta.published == date(2031, 5, 3)
    assert reasons == ["date line"]
