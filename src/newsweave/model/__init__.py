"""The typed records that flow between newsweave's stages.

Every stage takes and returns these small dataclasses, so each stage can be tested and
swapped alone. Records are immutable; a stage that changes one returns a copy
(``dataclasses.replace``). ``to_dict``/``from_dict`` give the JSON shapes used by the store
and the report.
"""


from newsweave.model.article import (
    Article,
    Citation,
    OffsetMap,
    Removal,
    Sentence,
    SummarySentence,
    content_id,
    printable_path,
)
from newsweave.model.story import (
    Conflict,
    ConflictSide,
    DatedClaim,
    Duplicate,
    Entity,
    Fact,
    Quote,
    QuoteVariant,
    Report,
    Skipped,
    Story,
    TimelineEntry,
)

__all__ = [
    "Article",
    "Citation",
    "Conflict",
    "ConflictSide",
    "DatedClaim",
    "Duplicate",
    "Entity",
    "Fact",
    "OffsetMap",
    "Quote",
    "QuoteVariant",
    "Removal",
    "Report",
    "Sentence",
    "Skipped",
    "Story",
    "SummarySentence",
    "TimelineEntry",
    "content_id",
    "printable_path",
]
