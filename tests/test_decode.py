import codecs

import pytest

from newsweave.errors import BinaryInput, EmptyInput, UnsupportedFormat
from newsweave.ingest.decode import Format, decode, sniff

TEXT = "Café owners in Lockton said the festival brought “record” trade."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_unicode_encodings(data: bytes, encoding: str) -> None:
    assert decode(data) == (TEXT, encoding)


def test_latin1_text_is_decoded_not_dropped() -> None:
    text = "Le café de la gare a rouvert ses portes après les travaux de l'été dernier."
    decoded, encoding = decode(text.encode("latin-1"))
    assert decoded == text
    assert encoding != "utf-8"


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n" + bytes(200), b"abc\x00def" * 10, bytes(range(0, 32)) * 40]
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInput):
        decode(data)


def test_empty_is_refused() -> None:
    with pytest.raises(EmptyInput):
        decode(b"  \n\t ")


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        ("<!DOCTYPE html><html><body><p>x</p>", Format.HTML),
        ("  <html lang='en'>", Format.HTML),
        ('{"text": "a"}\n{"text": "b"}\n', Format.JSONL),
        ('{\n  "text": "a"\n}', Format.JSON),
        ('[{"text": "a"}]', Format.JSON),
        ("Headline\n\nBody text.", Format.TEXT),
    ],
)
def test_sniff_by_content(head: str, fmt: Format) -> None:
    assert sniff(head) is fmt


def test_sniff_refuses_warc_and_feeds_with_a_reason() -> None:
    with pytest.raises(UnsupportedFormat, match="WARC"):
        sniff("WARC/1.0\r\nWARC-Type: response")
    with pytest.raises(UnsupportedFormat, match="feed"):
        sniff('<?xml version="1.0"?><rss version="2.0">')
