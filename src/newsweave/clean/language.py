"""Language identification with py3langid, whose model ships inside its wheel."""

from __future__ import annotations

from typing import Any


class LanguageDetector:
    """Identifies the language of a text; the model loads once, on first use."""

    def __init__(self, max_chars: int = 3000) -> None:
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
        if sum(ch.isalpha() for ch in sample) < 20:
            return None, 0.0
        self.load()
        lang, prob = self._model.classify(sample)
        return str(lang), float(prob)
