"""Shared fixtures: paths to the bundled examples and to ../shared (skipped when absent)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import settings

from newsweave.analyze.annotate import Annotator
from newsweave.ingest import IngestOptions, Ingestor
from newsweave.model import Article

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "port-alder-fire"
SHARED = ROOT.parent / "shared"

# CI runs derandomized so a submission is judged on a fixed set of examples; a developer's
# run explores new ones each time (HYPOTHESIS_PROFILE=dev, the default).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def ingestor() -> Ingestor:
    """One ingestor for the whole run, so the language model loads once."""
    return Ingestor(IngestOptions())


def _shared(name: str, what: str) -> Path:
    """A folder of ../shared, or a skip that says where it was looked for."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"{path} not found: {what} live in ../shared beside the checkout")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _shared("seeds", "the seed articles")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return _shared("data", "the datasets")


@pytest.fixture(scope="session")
def annotator() -> Annotator:
    """The spaCy pipeline, loaded once for the whole run."""
    return Annotator()


_PLAIN = Ingestor(IngestOptions(detect_language=False, min_words=3))


def make_article(body: str, *, published: str | None, outlet: str) -> Article:
    """An article from plain text with header lines, the way a user would save one."""
    head = f"title: {outlet} report\nsource: {outlet}\n" + (
        f"date {published}\n" if published else ""
    )
    items = list(_PLAIN.ingest(["-"], stdin=io.BytesIO((head + "\n" + body).encode())))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]
