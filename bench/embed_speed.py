"""Embedding throughput: the pipeline's `embed_missing` (cache look-up, batching, storing vectors
in DuckDB) against a plain `SentenceTransformer.encode` of the same texts with the same model
object, in the same process."""

from __future__ import annotations

import time
from typing import Any

import duckdb


def embed_ratio(texts: list[str]) -> dict:
    """Texts per second both ways; the halves are run in ABBA order so drifting load evens out."""
    from index.embedder import BATCH_SIZE, SentenceTransformerEmbedder, embed_missing
    from index.ids import text_sha256
    from index.schema import migrate

    embedder = SentenceTransformerEmbedder()
    embedder.encode(["load the whole model before timing"] * 8)  # a few texts would take the numpy path
    model: Any = embedder._model

    def plain(batch: list[str]) -> float:
        start = time.perf_counter()
        model.encode(batch, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
                     show_progress_bar=False)
        return time.perf_counter() - start

    def pipeline(batch: list[str]) -> float:
        con = duckdb.connect(":memory:")
        migrate(con)
        by_sha = {text_sha256(t): t for t in batch}
        start = time.perf_counter()
        embed_missing(con, embedder, by_sha)
        seconds = time.perf_counter() - start
        con.close()
        return seconds

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
