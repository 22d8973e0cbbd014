"""Numbers as another language writes them, rewritten the English way in place: its
decimal and group symbols ("4,5", "2 300") and its scale words ("Milliarden", "Mrd.",
"mil millones"), both from CLDR through babel, and its small numbers in words ("fünf",
"nueve", "sept"), from num2words, so one figure reader serves every language and every
offset still points into the original text."""

from __future__ import annotations

import re
from functools import lru_cache

DIGIT = re.compile(r"\d")


@lru_cache(maxsize=64)
def _separators(language: str | None) -> tuple[str, str] | None:
    """The decimal and group symbols of a language's numbers (CLDR, through babel), when
    they differ from English's "." and ","; None for English or an unknown language."""
    if not language or language == "en":
        return None
    try:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        decimal, group = get_decimal_symbol(language), get_group_symbol(language)
    except Exception:  # babel missing, or a code it does not know
        return None
    if decimal == "." or len(decimal) != 1 or len(group) != 1:
        return None
    return decimal, group


# The English words a scale word of another language is rewritten as, longest first: the
# first that fits in the other's characters.
ENGLISH_SCALES = {
    1_000: ("thousand",),
    1_000_000: ("million", "mn"),
    1_000_000_000: ("billion", "bn"),
    1_000_000_000_000: ("trillion", "tn"),
}


@lru_cache(maxsize=64)
def _scale_words(language: str | None) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """A pattern for the words a language writes after a number for thousand, million,
    billion and trillion ("Milliarden", "Mrd.", "milliards", "mil millones"), from CLDR's
    compact number formats through babel, and each word's English replacement of the same
    length; None for English or a language babel does not know."""
    if not language or language == "en":
        return None
    try:
        from babel import Locale

        formats = Locale.parse(language)._data["compact_decimal_formats"]
    except Exception:  # babel missing, or a code it does not know
        return None
    words: dict[str, str] = {}
    for width in ("long", "short"):
        for plural in formats.get(width, {}):
            for magnitude, pattern in dict(formats[width][plural]).items():
                english = ENGLISH_SCALES.get(int(magnitude))
                suffix = str(getattr(pattern, "suffix", ("",))[0]).replace("'", "").strip()
                if english is None or sum(ch.isalpha() for ch in suffix) < 2:
                    continue  # no scale of ours, or one letter ("M", "B"): too ambiguous
                if str(getattr(pattern, "prefix", ("",))[0]).strip():
                    continue  # a word written before the number
                fit = next((e for e in english if len(e) <= len(suffix)), None)
                if fit is not None:
                    words.setdefault(suffix.lower(), fit.ljust(len(suffix)))
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<=\d[ \u00a0\u202f])(?:{alternatives})(?!\w)", re.I), words


@lru_cache(maxsize=64)
def _number_words(language: str | None) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """A pattern for a language's words for the numbers 2 to 20 and the round tens to 100
    (num2words' spelling), and each word's digits padded to its length; None for English
    (the figure reader knows its words) or a language num2words does not know. One is left
    out: it is also the article ("un", "ein", "een")."""
    if not language or language == "en":
        return None
    try:
        from num2words import num2words
    except ImportError:
        return None
    words: dict[str, str] = {}
    for n in (*range(2, 21), 30, 40, 50, 60, 70, 80, 90):
        try:
            word = str(num2words(n, lang=language)).lower()
        except (NotImplementedError, KeyError, ValueError, AttributeError, TypeError):
            return None  # a language num2words does not spell
        if " " not in word and len(word) >= len(str(n)):
            words.setdefault(word, str(n).ljust(len(word)))
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.I), words


def local_digits(text: str, language: str | None) -> str:
    """``text`` with numbers written the language's way rewritten the English way, each
    character for one ("2 300" -> "2,300", "4,5" -> "4.5", "3.500" -> "3,500", "2,1
    Milliarden" -> "2.1 billion   ", "fünf" -> "5   "), so every offset still points at the
    same place in the original text."""
    spelled = _number_words(language)
    if spelled is not None:
        pattern, words = spelled
        text = pattern.sub(lambda m: words[m.group().lower()], text)
    if not DIGIT.search(text):
        return text
    scales = _scale_words(language)
    if scales is not None:
        pattern, words = scales
        text = pattern.sub(lambda m: words[m.group().lower()], text)
    seps = _separators(language)
    if seps is None:
        return text
    decimal, group = seps
    # A group symbol that is a space is written as any kind of space.
    g = r"[ \u00a0\u202f\u2009]" if group.isspace() else re.escape(group)
    d = re.escape(decimal)
    pattern = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?(?![\d])|\d+{d}\d+")
    table = {decimal: ".", group: ","}
    if group.isspace():
        table.update({" ": ",", "\u00a0": ",", "\u202f": ",", "\u2009": ","})

    def english(m: re.Match[str]) -> str:
        return "".join(table.get(ch, ch) for ch in m.group())

    return pattern.sub(english, text)
