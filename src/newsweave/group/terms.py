"""The term vector an article is grouped by (see :mod:`newsweave.group.stories`).

Each article becomes a short weighted term vector: its words weighted by how often it uses
them and by how rare they are in its own language (``wordfreq``; a fixed weight, so an
article's vector is computed once and kept), headline words, lead words and names counting
more. English (and an article whose language is unknown) folds inflected forms into one
term ("embassies" and "embassy") and leaves out a list of stopwords. An article in another
language is tokenised by ``wordfreq`` for that language and weighted by that language's
frequencies; function words never count (:func:`newsweave.clean.language.function_words`: spaCy's stop
words for the language and its commonest words, the like of "the", "der", "de"). A language ``wordfreq`` has no table for gets the same weight
for every word that is not a stop word; a language neither knows gets no terms (it is
grouped with its copies only).
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from newsweave.clean.language import function_words, language_code, word_frequencies
from newsweave.group.duplicates import words
from newsweave.model import Article
from newsweave.summarize.extractive import STOPWORDS

if TYPE_CHECKING:
    from newsweave.group.stories import GroupOptions

# A term: a word of three or more letters (inner apostrophes and hyphens allowed), or a year.
TERM = re.compile(r"[a-z][a-z'-]*[a-z]|(?:19|20)\d\d")
# A capitalised word after a lower-case word or a comma: a name inside a sentence.
NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?:'[a-z]+)?(?:-[A-Z][a-z]+)?")
UNKNOWN_RARITY = 7.0  # a word wordfreq has never seen: a name, a rare term, a typo
EXTRA_STOPWORDS: frozenset[str] = frozenset(
    [
        "said",
        "says",
        "year",
        "years",
        "new",
        "also",
        "would",
        "could",
        "may",
        "week",
        "today",
        "yesterday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mr",
        "mrs",
        "ms",
        "percent",
        "people",
        "time",
        "first",
        "last",
        "according",
        "including",
        "since",
        "still",
        "told",
        "day",
        "days",
    ]
)


IGNORED = STOPWORDS | EXTRA_STOPWORDS
# Bumped whenever ``features`` changes what it computes: a store's vectors made by another
# version are computed again (a pile must not mix two kinds of vector). 3: articles in
# other languages than English are weighed by their own language.
FEATURES_VERSION = 3
BASE_MIN_FREQUENCY = 1e-7  # a base form must be at least this common in English ...
BASE_MIN_SHARE = 0.1  # ... and at least this share as common as the inflected word
# A term in another language: two or more letters of any alphabet (inner apostrophes and
# hyphens allowed), or a year.
FOREIGN_TERM = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])*[^\W\d_]|(?:19|20)\d\d")
# Above this share of capitalised words inside sentences, capitals mark a language's nouns
# (German: about 0.3 of the words; names in Spanish or French news: under 0.1).
CAPITALISED_NOUNS = 0.2
_EDGE_PUNCTUATION = string.punctuation + "“”‘’«»„‚‹›—–…¿¡"


@lru_cache(maxsize=1)
def frequencies() -> Mapping[str, float]:
    """English word frequencies (loaded on first use; about half a second)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en")


@lru_cache(maxsize=1)
def rarities() -> Mapping[str, float]:
    """-log10 of each English word's frequency: 1.3 for "the", 4.9 for "earthquake"
    (words wordfreq has never seen get ``UNKNOWN_RARITY``)."""
    return {w: min(UNKNOWN_RARITY, -math.log10(f)) for w, f in frequencies().items() if f > 0}


@lru_cache(maxsize=1 << 18)
def base_form(word: str) -> str:
    """The word with a plural or verb ending taken off when what is left is an English word
    ("embassies" -> "embassy", "crashes" -> "crash", "killed", "killing" -> "kill",
    "making" -> "make"), so two articles that inflect one word differently share the term.
    Of the candidate bases the commonest is taken, and only when it is itself reasonably
    common ("morning" is not "morn"); a fold that would leave a stopword ("news" -> "new")
    is not made."""
    freq = frequencies()
    best, best_freq = word, max(BASE_MIN_FREQUENCY, BASE_MIN_SHARE * freq.get(word, 0.0))
    for base in _bases(word):
        f = freq.get(base, 0.0) if len(base) >= 3 else 0.0
        if f >= best_freq:
            best, best_freq = base, f
    return word if best in IGNORED and word not in IGNORED else best


def _bases(w: str) -> Iterator[str]:
    """Candidate base forms of ``w`` (``base_form`` takes the commonest)."""
    n = len(w)
    if n > 4 and w.endswith("ies"):
        yield w[:-3] + "y"
    if n > 4 and w.endswith("es") and w[-3] in "sxzh":
        yield w[:-2]
    if n > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        yield w[:-1]
    if n > 5 and w.endswith("ied"):
        yield w[:-3] + "y"
    if n > 4 and w.endswith("ed"):
        stem = w[:-2]
        if stem[-1] == stem[-2]:
            yield stem[:-1]  # stopped
        yield stem  # killed
        yield w[:-1]  # used
    if n > 5 and w.endswith("ing"):
        stem = w[:-3]
        if stem[-1] == stem[-2]:
            yield stem[:-1]  # running
        yield stem  # killing
        yield stem + "e"  # making


@dataclass(frozen=True, slots=True)
class Features:
    """An article's grouping vector (unit length), its names and its date."""

    article_id: str
    published: date | None
    terms: tuple[tuple[str, float], ...]
    names: tuple[str, ...]  # surface forms of the capitalised terms, for explanations
    title: str


def term_features(article: Article, opts: GroupOptions) -> Features:
    """The weighted term vector of one article, by the article's own language."""
    code = language_code(article.language)
    if code is None or code == "en":
        return _english_features(article, opts)
    return _foreign_features(article, code, opts)


def _english_features(article: Article, opts: GroupOptions) -> Features:
    """The term vector of an English article (or one of unknown language).

    Counted in half-units by ``str.split`` and ``Counter`` over whole texts (C speed):
    the body counts once, the lead again at ``lead_weight``, the headline at
    ``title_weight``, and a capitalised word inside a sentence (a name) at ``name_weight``."""
    text = article.clean_text
    body = words(text)
    counts: Counter[str] = Counter(body)
    counts.update(body)  # half-units: the body counts 2 per use
    _add(counts, words(text[: opts.lead_chars]), 2 * (opts.lead_weight - 1))
    _add(counts, words(article.title or ""), 2 * opts.title_weight)
    names = Counter(NAME.findall(text))
    _add(counts, [n.lower() for n in names.elements()], 2 * (opts.name_weight - 1))
    terms = _terms(counts, {n.lower() for n in names}, opts.fold)
    return _vector(article, terms, names, str.lower, opts)


def _vector(
    article: Article,
    terms: Mapping[str, tuple[int, float]],
    names: Counter[str],
    key: Callable[[str], str],
    opts: GroupOptions,
) -> Features:
    """The unit vector of an article's strongest terms, weighted by ``(1 + log count) *
    rarity``; ``names`` (surface forms; ``key`` gives a name's term) are shown if kept."""
    vocab = sorted(terms)
    top: list[tuple[str, float]] = []
    if vocab:
        cr = np.array([terms[w] for w in vocab], dtype=np.float64)
        c, r = cr[:, 0] / 2, cr[:, 1]
        w8 = (1.0 + np.log(np.maximum(c, 1.0))) * r
        k = min(opts.terms, len(vocab))
        best = np.argpartition(-w8, k - 1)[:k] if k < len(vocab) else np.arange(len(vocab))
        top = sorted(((vocab[i], float(w8[i])) for i in best), key=lambda kv: (-kv[1], kv[0]))
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    kept = {w for w, _ in top}
    shown = [n for n, _ in names.most_common() if key(n) in kept]
    heading = article.title or " ".join(article.clean_text[:300].split()[:12])
    return Features(
        article.id, article.published, tuple((w, v / norm) for w, v in top), tuple(shown), heading
    )


def _terms(counts: Counter[str], names: set[str], fold: bool) -> dict[str, tuple[int, float]]:
    """Each term among the counted words with its count and rarity (stopwords and words
    that are not terms left out), inflected forms added into their base form unless
    ``fold`` is off; a word the article writes as a name ("Williams") is kept as it is."""
    out: dict[str, tuple[int, float]] = {}
    term_of = _folded_term if fold else _plain_term
    for word, count in counts.items():
        found = _plain_term(word) if word in names else term_of(word)
        if found is not None:
            term, rarity = found
            before = out.get(term)
            out[term] = (count + before[0], rarity) if before else (count, rarity)
    return out


@lru_cache(maxsize=1 << 18)
def _plain_term(word: str) -> tuple[str, float] | None:
    """The word as a term with its rarity (None for a stopword or a word that is not a
    term)."""
    if word in IGNORED or not TERM.fullmatch(word):
        return None
    return word, rarities().get(word, UNKNOWN_RARITY)


@lru_cache(maxsize=1 << 18)
def _folded_term(word: str) -> tuple[str, float] | None:
    """The term a word counts for once folded (``base_form``), with that term's rarity;
    as a lemmatiser would, stopwords are left out after folding."""
    if not TERM.fullmatch(word):
        return None
    base = base_form(word)
    if base in IGNORED:
        return None
    return base, rarities().get(base, UNKNOWN_RARITY)


def _add(counts: Counter[str], tokens: list[str], times: float) -> None:
    """Count ``tokens`` ``times`` more (rounded to whole half-units)."""
    for _ in range(round(times)):
        counts.update(tokens)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What term weighting knows of one language: word rarities and function words."""

    code: str
    rarities: Mapping[str, float]  # -log10 frequency; empty when wordfreq has no table
    function_words: frozenset[str]


@lru_cache(maxsize=8)
def lexicon(code: str) -> Lexicon | None:
    """The lexicon of a language: ``wordfreq``'s table for it (or for the closest language
    it has), spaCy's stop words and the commonest words; None when neither knows it."""
    freq = word_frequencies(code)
    function = function_words(code)
    if not freq and not function:
        return None
    rarity = {w: min(UNKNOWN_RARITY, -math.log10(f)) for w, f in freq.items() if f > 0}
    tokens = {t for w in function for t in _tokens(w, code)}  # as wordfreq spells them
    return Lexicon(code, rarity, frozenset(tokens))


def _tokens(text: str, code: str) -> list[str]:
    """``text`` split into words the way ``wordfreq`` does for the language (casefolded,
    elisions split: "l'accident" -> "l", "accident"); plain words where it needs a
    segmenter that is not installed (Chinese, Japanese)."""
    from wordfreq.tokens import tokenize

    try:
        return list(tokenize(text, code))
    except ImportError:
        return words(text)


def _names(text: str) -> Counter[str]:
    """Capitalised words inside a sentence (after a word that ends in a lower-case letter
    or a comma), in any alphabet; none where so many are capitalised (over
    ``CAPITALISED_NOUNS``) that capitals mark the nouns, as in German, not the names."""
    found: Counter[str] = Counter()
    inside = 0
    before = ""
    for token in text.split():
        if before and (before[-1].islower() or before[-1] in ",;:"):
            inside += 1
            word = token.strip(_EDGE_PUNCTUATION)
            if len(word) > 1 and word[0].isupper() and not word.isupper():
                found[word] += 1
        before = token
    return found if found.total() <= CAPITALISED_NOUNS * inside else Counter()


def _foreign_features(article: Article, code: str, opts: GroupOptions) -> Features:
    """The term vector of an article in another language than English: the same weights
    as for English (body, lead, headline, names), its own language's tokens, rarities and
    function words, no folding of inflected forms; no terms in a language nothing here
    knows."""
    lex = lexicon(code)
    if lex is None:
        return _vector(article, {}, Counter(), str.lower, opts)
    text = article.clean_text
    body = _tokens(text, code)
    counts: Counter[str] = Counter(body)
    counts.update(body)  # half-units, as for English
    _add(counts, _tokens(text[: opts.lead_chars], code), 2 * (opts.lead_weight - 1))
    _add(counts, _tokens(article.title or "", code), 2 * opts.title_weight)
    names = _names(text)

    def key(name: str) -> str:
        return " ".join(_tokens(name, code))

    _add(counts, [key(n) for n in names.elements()], 2 * (opts.name_weight - 1))
    terms: dict[str, tuple[int, float]] = {}
    for word, count in counts.items():
        if word not in lex.function_words and FOREIGN_TERM.fullmatch(word):
            terms[word] = (count, lex.rarities.get(word, UNKNOWN_RARITY))
    return _vector(article, terms, names, key, opts)
