"""Recall@10 of the approximate (IVF) passage index against exact search on real vectors, with
the approximate index forced when the corpus is below the size threshold."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import numpy as np

K = 10
MAX_QUERIES = 300


def index_recall(db_path: Path, model: str) -> dict:
    """Build exact and IVF indexes over the stored passage vectors and compare their top 10 for
    query vectors that are not passages (quotation windows and codebook themes)."""
    from index.vector_index import build_index, index_meta, passage_vectors

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        ids, vectors = passage_vectors(con, model)
        rows = con.execute(
            "SELECT vector FROM embeddings WHERE model = ? AND text_sha256 NOT IN "
            "(SELECT text_sha256 FROM passages) ORDER BY text_sha256 LIMIT ?", [model, MAX_QUERIES],
        ).fetchall()
    finally:
        con.close()
    queries = np.vstack([np.asarray(r[0], dtype=np.float32) for r in rows]) if rows else vectors[:MAX_QUERIES]
    dim = vectors.shape[1]
    exact = build_index(ids, vectors, dim, approximate_above=len(ids) + 1)
    start = time.perf_counter()
    approximate = build_index(ids, vectors, dim, approximate_above=0)
    build_seconds = time.perf_counter() - start
    meta = index_meta(approximate, model)
    found_exact, exact_s = _search(exact, queries)
    found_approx, approx_s = _search(approximate, queries)
    hits = sum(len(set(a) & set(e)) for a, e in zip(found_approx, found_exact))
    return {
        "sweep": _nprobe_sweep(approximate, queries, found_exact),
        "vectors": len(ids), "queries": len(queries), "kind": meta.kind, "params": meta.params,
        "recall_at_10": hits / (K * len(queries)),
        "build_seconds": build_seconds,
        "exact_ms_per_query": exact_s * 1000 / len(queries),
        "approximate_ms_per_query": approx_s * 1000 / len(queries),
    }


def _search(index, queries: np.ndarray) -> tuple[list[list[int]], float]:
    found = []
    start = time.perf_counter()
    for row in queries:  # one at a time, as the command line asks
        found.append(index.search(row.reshape(1, -1), K)[1][0].tolist())
    return found, time.perf_counter() - start


def _nprobe_sweep(index, queries: np.ndarray, found_exact: list[list[int]]) -> list[dict]:
    """Recall@10 and time per query as more cells are probed, to choose the default from data."""
    import faiss

    ivf = faiss.extract_index_ivf(index)
    chosen = ivf.nprobe
    sweep = []
    for nprobe in sorted({1, 4, 8, 16, 32, 64, 128, chosen, ivf.nlist}):
        if nprobe > ivf.nlist:
            continue
        ivf.nprobe = nprobe
        found, seconds = _search(index, queries)
        hits = sum(len(set(a) & set(e)) for a, e in zip(found, found_exact))
        sweep.append({"nprobe": nprobe, "recall_at_10": hits / (K * len(queries)),
                      "ms_per_query": seconds * 1000 / len(queries)})
    ivf.nprobe = chosen
    return sweep
