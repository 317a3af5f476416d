"""`evidence learn`: retrain the codebooks' classifiers on the published store and publish the result.

Reviewer codes and other coded examples change without any document changing, so learning runs
apart from an ingest: it copies the published generation (database and FAISS index), relearns and
rescores there, and swaps it in whole under the ingest lock, like an ingest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from index.published import ingest_lock, publish, published, start_generation
from index.themes.coding import relearn
from index.themes.learning import Learning


def run_learning(data_dir: Path) -> list[Learning]:
    """Relearn every codebook of the published store in a new generation and publish it."""
    source = published(data_dir)
    with ingest_lock(data_dir):
        generation = start_generation(data_dir)
        if source.index_dir.exists():
            shutil.copytree(source.index_dir, generation.index_dir, dirs_exist_ok=True)
        con = duckdb.connect(str(generation.db_path))
        try:
            learned, _ = relearn(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        publish(data_dir, generation)
    return learned
