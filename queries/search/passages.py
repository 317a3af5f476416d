"""Free-text search over passages: embed the question, ask FAISS, read the rows back from DuckDB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from index.embedder import Embedder
from index.published import open_published
from index.vector_index import OpenIndex
from index.vector_index import search as search_index
from ingest.errors import RequestError


@dataclass(frozen=True)
class PassageHit:
    """One passage answering a query, with where it came from."""

    rank: int
    score: float
    passage_id: int
    doc_id: str
    title: str
    section_path: str | None
    page: int | None
    text: str


def search_passages(data_dir: Path, query: str, embedder: Embedder, k: int = 10) -> list[PassageHit]:
    """The k passages nearest in meaning to the query, best first."""
    con, generation = open_published(data_dir)
    try:
        return nearest_passages(con, generation.index_dir, query, embedder, k)
    finally:
        con.close()


def nearest_passages(con: duckdb.DuckDBPyConnection, index: Path | OpenIndex, query: str, embedder: Embedder,
                     k: int = 10) -> list[PassageHit]:
    """search_passages on an open connection and the generation's index (its directory, or the index
    kept open by a process that searches many times)."""
    if not query.strip():
        raise RequestError("the search text is empty")
    vector = embedder.encode([query])[0]
    found = search_index(index, vector, k, embedder.model_name)
    if not found:
        return []
    scores = dict(found)
    # The hits are read from passages first, so only their rows are joined to their documents and sections.
    rows = con.execute(
        "WITH p AS MATERIALIZED (SELECT passage_id, doc_id, section_id, page, text FROM passages "
        "WHERE passage_id IN (SELECT unnest(?::BIGINT[]))) "
        "SELECT p.passage_id, p.doc_id, d.title, s.path, p.page, p.text FROM p "
        "JOIN documents d USING (doc_id) LEFT JOIN sections s USING (section_id)",
        [list(scores)],
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    ordered = [pid for pid, _ in found if pid in by_id]
    return [
        PassageHit(rank, scores[pid], pid, *by_id[pid][1:])
        for rank, pid in enumerate(ordered, start=1)
    ]
