"""The generation's FAISS index of passage vectors, kept in step with its passages by the ingest.

Rebuilt when the passages changed; otherwise the published generation's index is carried over
(copied), which costs far less than a rebuild over an unchanged corpus. A published index built
with another model is never carried over.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from index.published import Generation, published
from index.vector_index import build_index, index_meta, passage_vectors, read_meta, write_index


def refresh_passage_index(con: duckdb.DuckDBPyConnection, data_dir: Path, generation: Generation, model: str,
                          dim: int, rebuild: bool) -> None:
    """Write the generation's index: carried over when nothing changed and it fits `model`, else rebuilt."""
    if not rebuild and _carry_index(data_dir, generation, model):
        return
    ids, vectors = passage_vectors(con, model)
    index = build_index(ids, vectors, vectors.shape[1] if len(ids) else dim)
    write_index(generation.index_dir, index, index_meta(index, model))


def _carry_index(data_dir: Path, generation: Generation, model: str) -> bool:
    try:
        previous = published(data_dir).index_dir
        if read_meta(previous).model != model:
            return False
    except Exception:
        return False
    shutil.copytree(previous, generation.index_dir, dirs_exist_ok=True)
    return True
