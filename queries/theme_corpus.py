"""What a theme query reads, loaded once per published generation: quote window vectors, a BM25
index over the quotations, their section paths, clusters and respondents, and the stored themes.

A generation never changes once published, so this is built on the first query and kept in
memory; a warm query is then a few numpy dot products and one SQL for the filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.compute as pc

from queries.lexical import lexical_terms
from queries.theme_headings import path_names_theme, phrase_terms

NO_RESPONDENT = -1
# Corpora kept in memory: the published one and the one a swap just replaced.
CACHED_GENERATIONS = 2


@dataclass(frozen=True)
class StoredTheme:
    """A codebook theme as the ingest stored it, with its query vector from the embedding cache."""

    theme_id: int
    codebook: str
    name: str
    description: str | None
    query_text: str
    headings: tuple[str, ...]
    vector: np.ndarray | None = field(repr=False, compare=False)

    @property
    def heading_phrases(self) -> tuple[str, ...]:
        return (self.name, *self.headings)


@dataclass
class ThemeCorpus:
    """Per-quotation arrays in quote_id order; `position` maps a quote id to its row."""

    model: str | None
    quote_ids: np.ndarray
    cluster_ids: np.ndarray
    respondent_ids: np.ndarray
    doc_ids: list[str]
    section_paths: list[str | None]
    window_quote_rows: np.ndarray
    window_vectors: np.ndarray
    bm25: object | None
    themes: tuple[StoredTheme, ...]
    display: dict[int, tuple] = field(repr=False)
    position: dict[int, int] = field(init=False)
    filtered_rows: dict[object, np.ndarray] = field(default_factory=dict, init=False, repr=False)
    _heading_cache: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.position = {int(q): i for i, q in enumerate(self.quote_ids)}

    def __len__(self) -> int:
        return len(self.quote_ids)

    def dense_scores(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of each quotation's best window with the query vector; -inf for a quotation with none."""
        scores = np.full(len(self), -np.inf, dtype=np.float32)
        if len(self.window_vectors) and vector.shape[-1] == self.window_vectors.shape[1]:
            np.maximum.at(scores, self.window_quote_rows, self.window_vectors @ vector.astype(np.float32))
        return scores

    def lexical_scores(self, text: str) -> np.ndarray:
        """BM25 score of each quotation (with its lead-in) for the query's content words."""
        terms = lexical_terms(text)
        if self.bm25 is None or not terms:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(terms), dtype=np.float32)

    def heading_matches(self, phrases: tuple[str, ...]) -> np.ndarray:
        """Which quotations sit below a heading naming one of the phrases."""
        if phrases not in self._heading_cache:
            terms = phrase_terms(phrases)
            by_path = {path: path_names_theme(path, terms) for path in set(self.section_paths)}
            self._heading_cache[phrases] = np.array([by_path[p] for p in self.section_paths], dtype=bool)
        return self._heading_cache[phrases]

    def themes_named(self, name: str, codebook: str | None = None) -> list[StoredTheme]:
        key = " ".join(name.split()).casefold()
        return [t for t in self.themes if t.name.casefold() == key and codebook in (None, t.codebook)]


_cache: dict[tuple[str, int, int], ThemeCorpus] = {}


def theme_corpus_for(con: duckdb.DuckDBPyConnection, db_path: Path) -> ThemeCorpus:
    """The corpus of this database file, loaded once while the file is unchanged."""
    stat = db_path.stat()
    key = (str(db_path.resolve()), stat.st_mtime_ns, stat.st_size)
    corpus = _cache.get(key)
    if corpus is None:
        corpus = load_theme_corpus(con)
        while len(_cache) >= CACHED_GENERATIONS:
            _cache.pop(next(iter(_cache)))
        _cache[key] = corpus
    return corpus


def load_theme_corpus(con: duckdb.DuckDBPyConnection) -> ThemeCorpus:
    """Read every array a theme query needs, with one SQL statement per kind of data."""
    model = _model(con)
    quotes = con.execute(
        "SELECT q.quote_id, coalesce(q.cluster_id, q.quote_id), coalesce(q.respondent_id, ?), s.path, "
        "coalesce(w.lead_in || ' ', '') || q.text, q.doc_id FROM quotes q LEFT JOIN sections s USING (section_id) "
        "LEFT JOIN quote_windows w ON w.quote_id = q.quote_id AND w.ordinal = 0 ORDER BY q.quote_id",
        [NO_RESPONDENT],
    ).fetchall()
    quote_ids = np.array([r[0] for r in quotes], dtype=np.int64)
    rows, vectors = _window_vectors(con, model, {int(q): i for i, q in enumerate(quote_ids)})
    return ThemeCorpus(
        model=model,
        quote_ids=quote_ids,
        cluster_ids=np.array([r[1] for r in quotes], dtype=np.int64),
        respondent_ids=np.array([r[2] for r in quotes], dtype=np.int64),
        doc_ids=[r[5] for r in quotes],
        section_paths=[r[3] for r in quotes],
        window_quote_rows=rows,
        window_vectors=vectors,
        bm25=_bm25([r[4] for r in quotes]),
        themes=_themes(con, model),
        display=_display(con),
    )


def _display(con: duckdb.DuckDBPyConnection) -> dict[int, tuple]:
    """What a hit shows per quote id, in ThemeHit's field order: read once, so a query runs no SQL for it."""
    rows = con.execute(
        "SELECT q.quote_id, q.text, q.respondent_code, r.phase, r.site, r.national, r.care_model, r.role, r.org, "
        "q.lead_in_role, q.source_kind, q.doc_id, d.title, s.path, q.page FROM quotes q "
        "JOIN documents d USING (doc_id) LEFT JOIN sections s USING (section_id) "
        "LEFT JOIN respondents r USING (respondent_id)"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _model(con: duckdb.DuckDBPyConnection) -> str | None:
    """The model the ingest coded the themes with, else the one whose vectors cover the quote windows."""
    row = con.execute(
        "SELECT model FROM themes WHERE model IS NOT NULL GROUP BY model ORDER BY count(*) DESC, model LIMIT 1"
    ).fetchone() or con.execute(
        "SELECT e.model FROM quote_windows w JOIN embeddings e USING (text_sha256) "
        "GROUP BY e.model ORDER BY count(*) DESC, e.model LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def _window_vectors(con: duckdb.DuckDBPyConnection, model: str | None,
                    position: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    table = con.sql(
        "SELECT w.quote_id, e.vector FROM quote_windows w JOIN embeddings e "
        "ON e.text_sha256 = w.text_sha256 AND e.model = $model ORDER BY w.quote_id, w.ordinal",
        params={"model": model},
    ).to_arrow_table()
    if table.num_rows == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    flat = pc.list_flatten(table.column("vector")).to_numpy(zero_copy_only=False).astype(np.float32)
    vectors = flat.reshape(table.num_rows, -1)
    rows = np.array([position[q] for q in table.column("quote_id").to_pylist()], dtype=np.int64)
    return rows, vectors


def _bm25(documents: list[str]):
    if not documents:
        return None
    import bm25s

    index = bm25s.BM25()
    index.index([lexical_terms(d) or ["\x00"] for d in documents], show_progress=False)
    return index


def _themes(con: duckdb.DuckDBPyConnection, model: str | None) -> tuple[StoredTheme, ...]:
    rows = con.execute(
        "SELECT t.theme_id, t.codebook, t.name, t.description, t.query_text, t.headings, e.vector "
        "FROM themes t LEFT JOIN embeddings e ON e.text_sha256 = t.query_sha256 AND e.model = ? "
        "ORDER BY t.codebook, t.ordinal, t.theme_id",
        [model],
    ).fetchall()
    return tuple(
        StoredTheme(
            theme_id=r[0], codebook=r[1], name=r[2], description=r[3], query_text=r[4] or r[2],
            headings=tuple(r[5] or ()), vector=np.asarray(r[6], dtype=np.float32) if r[6] is not None else None,
        )
        for r in rows
    )
