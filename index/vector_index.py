"""The FAISS index over passage vectors: inner product on normalised vectors, ids = DuckDB row ids.

Parameters (model, dimension, count, kind) are saved beside the index as JSON, and every
file is published by writing to a temporary name and `os.replace`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import numpy as np

INDEX_FILE = "passages.faiss"
META_FILE = "passages.json"


class IndexMismatch(Exception):
    """The saved index does not fit the query: another model or dimension."""


@dataclass(frozen=True)
class IndexMeta:
    """What a reader must know to use the index."""

    model: str
    dim: int
    count: int
    kind: str


def passage_vectors(con: duckdb.DuckDBPyConnection, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Ids and vectors of every stored passage, in id order."""
    rows = con.execute(
        "SELECT p.passage_id, e.vector FROM passages p JOIN embeddings e "
        "ON e.text_sha256 = p.text_sha256 AND e.model = ? ORDER BY p.passage_id",
        [model],
    ).fetchall()
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    vectors = np.vstack([np.asarray(r[1], dtype=np.float32) for r in rows])
    return ids, vectors


def build_index(ids: np.ndarray, vectors: np.ndarray, dim: int):
    """An exact inner-product index with our ids."""
    import faiss

    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
    return index


def write_index(directory: Path, index, meta: IndexMeta) -> None:
    """Write index and parameters, each to a temporary name first, then swap them in."""
    import faiss

    directory.mkdir(parents=True, exist_ok=True)
    tmp_index = directory / f".{INDEX_FILE}.tmp"
    faiss.write_index(index, str(tmp_index))
    tmp_meta = directory / f".{META_FILE}.tmp"
    tmp_meta.write_text(json.dumps(asdict(meta), indent=2), encoding="utf-8")
    os.replace(tmp_index, directory / INDEX_FILE)
    os.replace(tmp_meta, directory / META_FILE)


def read_meta(directory: Path) -> IndexMeta:
    return IndexMeta(**json.loads((directory / META_FILE).read_text(encoding="utf-8")))


def read_index(directory: Path):
    """Memory-map the index so a query does not copy it into memory."""
    import faiss

    return faiss.read_index(str(directory / INDEX_FILE), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)


def search(directory: Path, query: np.ndarray, k: int, model: str) -> list[tuple[int, float]]:
    """The k nearest passage ids to one normalised query vector, with their scores."""
    meta = read_meta(directory)
    if meta.model != model or meta.dim != query.shape[-1]:
        raise IndexMismatch(f"index was built with {meta.model} ({meta.dim} dims), not {model}")
    if meta.count == 0:
        return []
    scores, ids = read_index(directory).search(query.reshape(1, -1).astype(np.float32), min(k, meta.count))
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]
