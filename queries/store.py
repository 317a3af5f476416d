"""`EvidenceStore`: the published evidence of one data folder, opened once and asked many questions.

The library's read side behind one object: quotations, theme evidence, passage search,
respondents, entities, the theme x facet matrix, exports, read-only SQL, the review queue and
the consistency check. It holds
what makes a warm query fast (a read-only connection per published generation, the theme corpus
of that generation, the embedding model once loaded), so a long-lived process (the web server,
the benchmark) opens one store, and a command opens one for its single question. Nothing is kept
in module globals: closing the store (or leaving its `with` block) releases everything.

    with EvidenceStore(Path("data")) as store:
        answer = store.theme("dedicated and ongoing resources", k=10)
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from index.embedder import Embedder
from index.published import open_published, published
from index.review_journal import journal_stamp
from index.review_overlay import reviews_shown
from index.themes.corpus import CorpusCache
from index.vector_index import OpenIndex, open_index
from ingest.errors import OutputError, SetupError
from queries.exports.qdpx import write_qdpx
from queries.exports.tables import export_tables
from queries.reviewing.queue import QueueItem, review_queue
from queries.search.known_values import short_document_ids
from queries.search.listing import list_entities, list_respondents
from queries.search.passages import PassageHit, nearest_passages, search_passages
from queries.search.quote_filters import QuoteFilter
from queries.search.quote_listing import QuoteRow, list_quotes, read_quotes, theme_memberships
from queries.search.read_sql import run_sql
from queries.search.theme_evidence import (
    DEFAULT_METHOD,
    DEFAULT_MIN_SCORE,
    DEFAULT_RESPONDENT_CAP,
    ThemeAnswer,
    answer_theme,
)
from queries.search.theme_matrix import ThemeMatrix, theme_matrix
from queries.verify import document_issues, verify_published


class EvidenceStore:
    """One data folder's published evidence, with the connection and caches its queries share.

    `embedder_factory` makes the embedding model for free-text questions; it is called at most
    once, on the first question that needs it. Not thread-safe: a server serialises its queries.
    """

    def __init__(self, data_dir: Path, embedder_factory: Callable[[], Embedder] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None
        self._embedder_lock = threading.Lock()
        self._connections: dict[Path, duckdb.DuckDBPyConnection] = {}
        self._corpora = CorpusCache()
        self._indexes: dict[Path, OpenIndex] = {}
        # Every quotation's themes, per published database: read once, a generation never changes.
        self._memberships: dict[Path, dict[int, list[tuple[int, str, str]]]] = {}
        # The thread limiter, with how many modules were loaded when it looked for thread pools.
        self._threads: tuple[int, Any] | None = None

    def __enter__(self) -> EvidenceStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the kept connections and drop the caches; the store can still be asked again."""
        for con in self._connections.values():
            con.close()
        self._connections.clear()
        self._corpora.clear()
        self._indexes.clear()
        self._memberships.clear()

    def embedder(self) -> Embedder:
        """The embedding model, made on first use and then kept."""
        with self._embedder_lock:
            if self._embedder is None:
                if self._embedder_factory is None:
                    raise SetupError("this question needs the embedding model, and the store was opened without one")
                self._embedder = self._embedder_factory()
            return self._embedder

    @contextmanager
    def connection(self, reviewed: bool | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh read-only connection to the published database (reviews applied unless
        `reviewed` is False), closed when the block ends."""
        con, _ = open_published(self.data_dir, reviewed=reviewed)
        try:
            yield con
        finally:
            con.close()

    def theme(self, query: str, *, codebook: str | None = None, k: int = 10, method: str = DEFAULT_METHOD,
              where: QuoteFilter | None = None, respondent_cap: int | None = DEFAULT_RESPONDENT_CAP,
              min_score: float = DEFAULT_MIN_SCORE) -> ThemeAnswer:
        """Quotations that are evidence for a codebook theme (by name) or free text (search/theme_evidence.py)."""
        options: dict[str, Any] = dict(codebook=codebook, k=k, method=method, where=where,
                                       respondent_cap=respondent_cap, min_score=min_score,
                                       embedder_factory=self.embedder if self._embedder_factory else None,
                                       corpora=self._corpora)
        with self._one_thread():
            if reviews_shown() and journal_stamp(self.data_dir) is not None:
                with self.connection() as reviewed:  # its own connection, with the reviews laid over it
                    return answer_theme(reviewed, published(self.data_dir).db_path, query, **options)
            generation = published(self.data_dir)
            cursor = self._kept_connection(generation.db_path).cursor()
            try:
                return answer_theme(cursor, generation.db_path, query, **options)
            finally:
                cursor.close()

    def search(self, text: str, k: int = 10) -> list[PassageHit]:
        """The k passages nearest in meaning to `text`, best first."""
        embedder = self.embedder()
        with self._one_thread():
            if reviews_shown() and journal_stamp(self.data_dir) is not None:
                return search_passages(self.data_dir, text, embedder, k)
            generation = published(self.data_dir)
            cursor = self._kept_connection(generation.db_path).cursor()
            try:
                return nearest_passages(cursor, self._kept_index(generation.index_dir), text, embedder, k)
            finally:
                cursor.close()

    def quotes(self, where: QuoteFilter | None = None, limit: int | None = None) -> list[QuoteRow]:
        """Verbatim quotations the filter keeps, in document and reading order."""
        if reviews_shown() and journal_stamp(self.data_dir) is not None:
            return list_quotes(self.data_dir, where or QuoteFilter(), limit)
        db_path = published(self.data_dir).db_path
        cursor = self._kept_connection(db_path).cursor()
        try:
            if db_path not in self._memberships:
                self._memberships.clear()
                self._memberships[db_path] = theme_memberships(cursor, None)
            return read_quotes(cursor, where or QuoteFilter(), limit, self._memberships[db_path])
        finally:
            cursor.close()

    def respondents(self, study: str | None = None) -> list[dict[str, Any]]:
        """Respondents with their facets and quotation counts."""
        return list_respondents(self.data_dir, study)

    def entities(self, label: str | None = None, doc_id: str | None = None,
                 source: str | None = None) -> list[dict[str, Any]]:
        """Policy entities with their source, counts and names."""
        return list_entities(self.data_dir, label, doc_id, source)

    def matrix(self, codebook: str, facet: str, min_score: float = DEFAULT_MIN_SCORE) -> ThemeMatrix:
        """Themes x facet values: how many quotations each theme holds per value."""
        with self.connection() as con:
            return theme_matrix(con, codebook, facet, min_score)

    def export(self, out: Path, fmt: str = "parquet", case_codes: bool = False) -> list[Any]:
        """Write the tables (parquet, csv, jsonl) into folder `out`, or one REFI-QDA project (qdpx) to file `out`."""
        with self.connection() as con:
            try:
                return [write_qdpx(con, out, case_codes=case_codes)] if fmt == "qdpx" else export_tables(con, out, fmt)
            except OSError as error:
                raise OutputError(f"cannot write {out}: {error.strerror or error}") from error

    def sql(self, statement: str) -> list[dict[str, Any]]:
        """The rows of one read-only SQL statement on the published database."""
        return run_sql(self.data_dir, statement)

    def review_queue(self, codebook: str, k: int = 20, min_score: float = DEFAULT_MIN_SCORE) -> list[QueueItem]:
        """The k quotations whose coding in the codebook is nearest the floor, closest calls first."""
        with self.connection() as con:
            return review_queue(con, codebook, k, min_score)

    def short_document_ids(self) -> dict[str, str]:
        """Each document id's shortest unique start, as tables show it and `--doc` takes it back."""
        with self.connection() as con:
            return short_document_ids(con)

    def verify(self) -> list[str]:
        """Problems of the published state (empty when it holds together)."""
        return verify_published(self.data_dir)

    def document_issues(self) -> list[str]:
        """Documents whose last ingest failed (stale or failed), one line each."""
        return document_issues(self.data_dir)

    def _kept_index(self, index_dir: Path) -> OpenIndex:
        """The passage index of the published generation, read once (it never changes); the index
        of a replaced generation is let go."""
        index = self._indexes.get(index_dir)
        if index is None:
            self._indexes.clear()
            index = self._indexes[index_dir] = open_index(index_dir)
        return index

    def _one_thread(self) -> AbstractContextManager[object]:
        """Numerical libraries limited to one thread for a query: its products of a few thousand
        vectors finish before a second thread would start, and on a busy machine threads waiting for
        each other cost far more than they save. Libraries loaded since the last query are seen too."""
        from threadpoolctl import ThreadpoolController

        loaded = len(sys.modules)
        if self._threads is None or self._threads[0] != loaded:
            self._threads = (loaded, ThreadpoolController())
        return self._threads[1].limit(limits=1)

    def _kept_connection(self, db_path: Path) -> duckdb.DuckDBPyConnection:
        """One read-only connection per published database, kept open: opening one costs more than a
        warm query. Each query takes its own cursor; a connection to a replaced generation is closed."""
        con = self._connections.get(db_path)
        if con is None:
            for stale in list(self._connections):
                self._connections.pop(stale).close()
            con = self._connections[db_path] = duckdb.connect(str(db_path), read_only=True)
        return con
