"""The FAISS index over passage vectors: inner product on normalised vectors, ids = DuckDB row ids.

Small corpora get an exact flat index; above `APPROXIMATE_ABOVE` vectors an exact scan costs
more than a query should, so the index becomes IVF (cells from the vector count, enough cells
probed for recall@10 of about 0.95 or better against exact search; `make bench` measures it).
Both are wrapped in an id map, so ids stay the DuckDB row ids and readers need not care which.
Parameters (model, dimension, count, kind and the kind's settings) are saved beside the index
as JSON, and every file is published by writing to a temporary name and `os.replace`.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from index.durable import replacing
from ingest.errors import StoreError

INDEX_FILE = "passages.faiss"
META_FILE = "passages.json"

# Exact search over 20,000 384-dimensional vectors takes a few milliseconds; past that an
# approximate index keeps queries flat as the corpus grows.
APPROXIMATE_ABOVE = 20_000
FLAT_KIND = "flat-ip"
IVF_KIND = "ivf-flat-ip"
CELLS_PER_SQRT = 4
PROBE_FRACTION = 0.3  # share of cells probed: on 5,221 MiniLM passage vectors recall@10 was 0.976 (22%: 0.948)
MIN_PROBES = 16
TRAINING_PER_CELL = 64


class IndexMismatch(StoreError):
    """The saved index does not fit the query: another model or dimension."""


@dataclass(frozen=True)
class IndexMeta:
    """What a reader must know to use the index."""

    model: str
    dim: int
    count: int
    kind: str
    params: dict[str, int] = field(default_factory=dict)


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


def build_index(ids: np.ndarray, vectors: np.ndarray, dim: int, approximate_above: int = APPROXIMATE_ABOVE):
    """An inner-product index with our ids: exact up to `approximate_above` vectors, IVF beyond."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if len(ids) <= approximate_above:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    else:
        index = faiss.IndexIDMap2(_trained_ivf(vectors, dim))
    if len(ids):
        index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
    return index


def ivf_settings(count: int) -> tuple[int, int]:
    """Cells (about 4·sqrt(n)) and cells probed per query for an IVF index over `count` vectors."""
    nlist = max(1, min(count, int(CELLS_PER_SQRT * math.sqrt(count))))
    nprobe = min(nlist, max(MIN_PROBES, math.ceil(nlist * PROBE_FRACTION)))
    return nlist, nprobe


def _trained_ivf(vectors: np.ndarray, dim: int):
    import faiss

    nlist, nprobe = ivf_settings(len(vectors))
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.min_points_per_centroid = 1  # small sets train on what they have, without a warning
    sample = vectors
    if len(vectors) > nlist * TRAINING_PER_CELL:  # a spread sample trains as well and much faster
        step = len(vectors) / (nlist * TRAINING_PER_CELL)
        sample = vectors[(np.arange(nlist * TRAINING_PER_CELL) * step).astype(np.int64)]
    ivf.train(sample)
    ivf.nprobe = nprobe
    return ivf


def index_meta(index, model: str) -> IndexMeta:
    """The parameters a reader needs, read off a built index."""
    import faiss

    inner = faiss.downcast_index(index.index) if hasattr(index, "id_map") else index
    if isinstance(inner, faiss.IndexIVF):
        return IndexMeta(model, index.d, int(index.ntotal), IVF_KIND, {"nlist": inner.nlist, "nprobe": inner.nprobe})
    return IndexMeta(model, index.d, int(index.ntotal), FLAT_KIND)


def write_index(directory: Path, index, meta: IndexMeta) -> None:
    """Write index and parameters, each to a temporary name first, then swap them in."""
    import faiss

    directory.mkdir(parents=True, exist_ok=True)
    # The index is swapped in first, then its parameters, as readers expect (the inner block ends first).
    with replacing(directory / META_FILE) as tmp_meta, replacing(directory / INDEX_FILE) as tmp_index:
        faiss.write_index(index, str(tmp_index))
        tmp_meta.write_text(json.dumps(asdict(meta), indent=2), encoding="utf-8")


def read_meta(directory: Path) -> IndexMeta:
    return IndexMeta(**json.loads((directory / META_FILE).read_text(encoding="utf-8")))


def read_index(directory: Path):
    """Memory-map the index so a query does not copy it into memory."""
    import faiss

    return faiss.read_index(str(directory / INDEX_FILE), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)


@dataclass(frozen=True)
class OpenIndex:
    """A published index read once, for a process that searches it many times (an `EvidenceStore`):
    a generation never changes, so neither does its index. `index` is None for an empty one."""

    directory: Path
    meta: IndexMeta
    index: Any = field(repr=False, compare=False)


def open_index(directory: Path) -> OpenIndex:
    """Read the parameters and memory-map the index of `directory`, its IVF probes set as saved."""
    meta = _checked_meta(directory)
    if meta.count == 0:
        return OpenIndex(directory, meta, None)
    try:
        index = read_index(directory)
    except RuntimeError as error:  # faiss's error for a missing or damaged file
        raise _unreadable(directory, error) from None
    if meta.kind == IVF_KIND and "nprobe" in meta.params:
        import faiss

        faiss.extract_index_ivf(index).nprobe = int(meta.params["nprobe"])
    return OpenIndex(directory, meta, index)


def search(source: Path | OpenIndex, query: np.ndarray, k: int, model: str) -> list[tuple[int, float]]:
    """The k nearest passage ids to one normalised query vector, with their scores. `source` is the
    index's directory, or the index already opened by `open_index`."""
    meta = source.meta if isinstance(source, OpenIndex) else _checked_meta(source)
    if meta.model != model or meta.dim != query.shape[-1]:
        raise IndexMismatch(f"index was built with {meta.model} ({meta.dim} dims), not {model}")
    if meta.count == 0:
        return []
    opened = source if isinstance(source, OpenIndex) else open_index(source)
    scores, ids = opened.index.search(query.reshape(1, -1).astype(np.float32), min(k, meta.count))
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]


def _checked_meta(directory: Path) -> IndexMeta:
    try:
        return read_meta(directory)
    except (OSError, ValueError, TypeError) as error:
        raise _unreadable(directory, error) from None


def _unreadable(directory: Path, error: Exception) -> StoreError:
    return StoreError(f"the passage index in {directory} cannot be read ({error}); `evidence verify` checks the store")
