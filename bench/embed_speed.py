"""Embedding throughput: the pipeline's `embed_missing` (cache look-up, batching, storing vectors
in DuckDB) against a plain `SentenceTransformer.encode` of the same texts with the same model
object, in the same process; and the int8 ingest embedder against plain fp32, with retrieval overlap."""

from __future__ import annotations

import time
from typing import Any

import duckdb
import numpy as np

from index.embedder import BATCH_SIZE, embed_missing
from index.ids import text_sha256
from index.schema import migrate


def _timed_embed_missing(embedder: Any, texts: list[str]) -> tuple[float, dict[str, list[float]]]:
    """Seconds `embed_missing` takes to embed and store `texts` in a fresh in-memory store, and the
    vectors it stored by text hash."""
    con = duckdb.connect(":memory:")
    try:
        migrate(con)
        by_sha = {text_sha256(t): t for t in texts}
        start = time.perf_counter()
        embed_missing(con, embedder, by_sha)
        seconds = time.perf_counter() - start
        return seconds, dict(con.execute("SELECT text_sha256, vector FROM embeddings").fetchall())
    finally:
        con.close()


def embed_ratio(texts: list[str]) -> dict:
    """Texts per second both ways; the halves are run in ABBA order so drifting load evens out."""
    from index.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(precision="fp32")
    embedder.encode(["load the whole model before timing"] * 8)  # a few texts would take the numpy path
    model: Any = embedder._model

    def plain(batch: list[str]) -> float:
        start = time.perf_counter()
        model.encode(batch, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
                     show_progress_bar=False)
        return time.perf_counter() - start

    def pipeline(batch: list[str]) -> float:
        return _timed_embed_missing(embedder, batch)[0]

    texts = list(dict.fromkeys(texts))
    half = len(texts) // 2
    first, second = texts[:half], texts[half:]
    plain_s = plain(first) + plain(second)
    pipeline_s = pipeline(first) + pipeline(second)
    # ABBA: second half measured pipeline-first as well, averaged with the above
    pipeline_s2 = pipeline(second) + pipeline(first)
    plain_s2 = plain(second) + plain(first)
    plain_total, pipeline_total = plain_s + plain_s2, pipeline_s + pipeline_s2
    return {
        "texts": len(texts),
        "plain_texts_per_second": 2 * len(texts) / plain_total,
        "pipeline_texts_per_second": 2 * len(texts) / pipeline_total,
        "ratio": plain_total / pipeline_total,
    }


def int8_against_fp32(passages: list[str], queries: list[str], k: int = 10) -> dict:
    """The int8 ingest embedder (`embed_missing`, storing into DuckDB) against a plain fp32
    `SentenceTransformer.encode` of the same passages, timed A B B A; and how much of fp32's top-k
    the int8-embedded passages give back for queries embedded as the query commands embed them."""
    from index.embedder import SentenceTransformerEmbedder
    from index.minilm_numpy import NumpyMiniLM
    from ingest.wordpieces import default_model_dir

    fp32 = SentenceTransformerEmbedder(precision="fp32")
    int8 = SentenceTransformerEmbedder(precision="int8")
    fp32.encode(["load the whole model before timing"] * 8)
    int8.encode(["load the whole model before timing"] * 8)
    model = fp32._model
    passages = list(dict.fromkeys(passages))

    def plain() -> tuple[float, np.ndarray]:
        start = time.perf_counter()
        vectors = model.encode(passages, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=False)
        return time.perf_counter() - start, np.asarray(vectors, dtype=np.float32)

    def quantised() -> tuple[float, np.ndarray]:
        seconds, stored = _timed_embed_missing(int8, passages)
        return seconds, np.vstack([np.asarray(stored[text_sha256(t)], dtype=np.float32) for t in passages])

    fp32_s1, fp32_vectors = plain()
    int8_s1, int8_vectors = quantised()
    int8_s2, _ = quantised()
    fp32_s2, _ = plain()
    query_vectors = NumpyMiniLM(default_model_dir()).encode(queries)
    top_fp32 = np.argsort(-(query_vectors @ fp32_vectors.T), axis=1)[:, :k]
    top_int8 = np.argsort(-(query_vectors @ int8_vectors.T), axis=1)[:, :k]
    overlaps = np.array([len(set(a) & set(b)) / k for a, b in zip(top_fp32, top_int8)])
    fp32_total, int8_total = fp32_s1 + fp32_s2, int8_s1 + int8_s2
    return {
        "texts": len(passages), "queries": len(queries),
        "fp32_plain_texts_per_second": 2 * len(passages) / fp32_total,
        "int8_pipeline_texts_per_second": 2 * len(passages) / int8_total,
        "speedup": fp32_total / int8_total,
        "top10_overlap_mean": float(overlaps.mean()),
        "queries_with_top10_overlap_at_least_0_9": float((overlaps >= 0.9).mean()),
        "queries_with_identical_top10": float((overlaps == 1.0).mean()),
        "cosine_to_fp32_mean": float((fp32_vectors * int8_vectors).sum(axis=1).mean()),
        "cosine_to_fp32_min": float((fp32_vectors * int8_vectors).sum(axis=1).min()),
    }
