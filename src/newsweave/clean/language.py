"""Language identification with py3langid, whose model ships inside its wheel, and what
the language of an article means for the analysis: the spaCy model and the MiniLM embedder
newsweave installs are English-only, so an article known to be in another language gets no
model-based analysis, and the report says so."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsweave.model import Article


class LanguageDetector:
    """Identifies the language of a text; the model loads once, on first use."""

    # py3langid reads a text's byte n-grams in pure Python, so its cost follows the sample's
    # length; 1,500 characters is some 250 words, far past the few sentences it needs.
    def __init__(self, max_chars: int = 1500) -> None:
        self.max_chars = max_chars
        self._model: Any = None

    def load(self) -> None:
        """Load the model now (it takes about a second), instead of on first use."""
        if self._model is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str) -> tuple[str | None, float]:
        """ISO 639-1 code and probability; ``(None, 0.0)`` for text too short to tell."""
        sample = text[: self.max_chars]
        if not _has_letters(sample, 20):
            return None, 0.0
        self.load()
        lang, prob = self._model.classify(sample)
        return str(lang), float(prob)


def _has_letters(text: str, n: int) -> bool:
    """Whether ``text`` holds at least ``n`` letters (read only as far as the n-th)."""
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n <= 0:
                return True
    return n <= 0


# The language of the spaCy model and of the MiniLM embedder newsweave installs.
MODEL_LANGUAGE = "en"
# A word at least this frequent in its language (Zipf 6: about a hundred words per language,
# "the", "der", "und", "de", "les") is a function word, whatever spaCy's list says.
FUNCTION_FREQUENCY = 1e-3
# How far (langcodes' distance) a language may be from the one whose word list or stop
# words stand in for it: Serbo-Croatian for Croatian (9), not Italian for Latin (24).
CLOSEST_LANGUAGE = 10


def language_code(tag: str | None) -> str | None:
    """The ISO 639 code of a language tag as found in metadata or detected ("en-US",
    "de_DE", "FR", "deu" -> "en", "de", "fr", "de"); None for no tag or one that is not a
    language code."""
    if not tag or not tag.strip():
        return None
    tag = tag.strip().replace("_", "-")
    try:
        import langcodes  # comes with wordfreq

        tag = langcodes.standardize_tag(tag, macro=True)
    except ImportError:  # pragma: no cover - wordfreq is a default dependency
        pass
    except ValueError:  # langcodes.LanguageTagError: "English", "x"
        return None
    primary = tag.split("-")[0].lower()
    # ISO 639's codes for no language in particular: undetermined, no linguistic content,
    # several, uncoded
    if primary in ("und", "zxx", "mul", "mis") or not (2 <= len(primary) <= 3):
        return None
    return primary if primary.isascii() and primary.isalpha() else None


def in_model_language(article: Article, model_language: str | None = MODEL_LANGUAGE) -> bool:
    """Whether the model-based analysis applies: the article is in the model's language, or
    its language is unknown (undetected articles are analysed as before), or the model is
    multilingual (spaCy's "xx", or no language given)."""
    code = language_code(article.language)
    return code is None or model_language in (None, "xx") or code == model_language


def language_name(code: str) -> str:
    """The English name of a language code ("de" -> "German"), or the code itself."""
    try:
        from babel import Locale  # comes with trafilatura (through courlan)

        return str(Locale.parse(code).english_name or code)
    except Exception:  # babel missing, or a code it does not know
        return code


def language_notes(articles: Sequence[Article], model_language: str = MODEL_LANGUAGE) -> list[str]:
    """Report notes for one story: which articles got no entity or quote analysis because
    they are not in the language of the installed models (empty when all are)."""
    skipped = [a for a in articles if not in_model_language(a, model_language)]
    if not skipped:
        return []
    by_language = Counter(str(language_code(a.language)) for a in skipped)
    languages = ", ".join(f"{language_name(code)} ({n})" for code, n in sorted(by_language.items()))
    sources = ", ".join(a.source for a in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
    model = language_name(model_language)
    return [
        f"{len(skipped)} of {len(articles)} articles are not in {model} ({languages}): "
        f"they got no entity or quote analysis, because the installed models are "
        f"{model}-only ({sources})."
    ]


def closest_language(code: str, available: Iterable[str]) -> str | None:
    """``code`` if available, else the closest available language within
    ``CLOSEST_LANGUAGE`` (langcodes, as wordfreq itself matches languages); else None."""
    options = list(available)
    if code in options:
        return code
    try:
        import langcodes  # comes with wordfreq
    except ImportError:  # pragma: no cover - wordfreq is a default dependency
        return None
    try:
        best, _ = langcodes.closest_match(code, options, max_distance=CLOSEST_LANGUAGE)
    except ValueError:  # langcodes.LanguageTagError: not a language code
        return None
    return best if best in options else None


@lru_cache(maxsize=16)
def word_frequencies(code: str) -> Mapping[str, float]:
    """``wordfreq``'s word frequencies for the language (or the closest one it has; loaded
    once, about half a second); empty when it has none."""
    import wordfreq

    table = closest_language(code, wordfreq.available_languages())
    return wordfreq.get_frequency_dict(table) if table else {}


@lru_cache(maxsize=16)
def stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words for the language (or the closest one spaCy has), lower-cased."""
    try:
        import spacy.lang
    except ImportError:  # pragma: no cover - spaCy is a default dependency
        return frozenset()
    shipped = [  # the language packages, not the helper modules beside them
        m.name
        for m in pkgutil.iter_modules(spacy.lang.__path__)
        if m.ispkg and m.name.isalpha() and m.name != "xx"
    ]
    lang = closest_language(code, shipped)
    if lang is None:
        return frozenset()
    try:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    except Exception:  # a language whose package needs a tokenizer that is not installed
        return frozenset()
    return frozenset(str(w).lower() for w in getattr(module, "STOP_WORDS", ()))


@lru_cache(maxsize=16)
def function_words(code: str) -> frozenset[str]:
    """The function words of a language, lower-cased: spaCy's stop words for it and its
    commonest words (frequency at least ``FUNCTION_FREQUENCY``); empty when neither
    spaCy nor wordfreq knows the language."""
    common = {w for w, f in word_frequencies(code).items() if f >= FUNCTION_FREQUENCY}
    return stop_words(code) | common
