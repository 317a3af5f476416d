"""Evidence for a theme: the quotations that speak to it, ranked, each with respondent, document,
section and page.

A codebook theme's vector was embedded at ingest, so asking for one loads no model. Free text
is embedded on the spot (the model loads only then), unless that very text is in the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from index.embedder import Embedder
from index.ids import text_sha256
from index.published import open_published
from queries.quote_filters import QuoteFilter, matching_quote_ids
from queries.theme_corpus import StoredTheme, ThemeCorpus, theme_corpus_for
from queries.theme_ranking import DEFAULT_METHOD, ThemeQuery, diversify, rank_rows

DEFAULT_RESPONDENT_CAP = 2
CAP_WINDOW = 10
MAX_QUERY_CHARS = 2000


class UnknownTheme(ValueError):
    """A codebook or theme the store does not hold, or a theme name found in several codebooks."""


@dataclass(frozen=True)
class ThemeHit:
    """One quotation answering a theme query."""

    rank: int
    score: float
    text: str
    respondent_code: str | None
    phase: int | None
    site: str | None
    national: bool | None
    care_model: str | None
    role: str | None
    org: str | None
    lead_in_role: str | None
    source_kind: str
    doc_id: str
    doc_title: str | None
    section_path: str | None
    page: int | None
    quote_id: int


@dataclass(frozen=True)
class ThemeAnswer:
    """The hits, and the codebook theme the query resolved to (None for free text)."""

    theme: StoredTheme | None
    method: str
    hits: list[ThemeHit]


def theme_evidence(
    data_dir: Path,
    query: str,
    *,
    codebook: str | None = None,
    k: int = 10,
    method: str = DEFAULT_METHOD,
    where: QuoteFilter | None = None,
    respondent_cap: int | None = DEFAULT_RESPONDENT_CAP,
    embedder_factory: Callable[[], Embedder] | None = None,
) -> ThemeAnswer:
    """The k best quotations for a codebook theme (by name) or free text, among those the filter keeps."""
    con, generation = open_published(data_dir)
    try:
        return answer_theme(con, generation.db_path, query, codebook=codebook, k=k, method=method,
                            where=where, respondent_cap=respondent_cap, embedder_factory=embedder_factory)
    finally:
        con.close()


def answer_theme(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    query: str,
    *,
    codebook: str | None = None,
    k: int = 10,
    method: str = DEFAULT_METHOD,
    where: QuoteFilter | None = None,
    respondent_cap: int | None = DEFAULT_RESPONDENT_CAP,
    embedder_factory: Callable[[], Embedder] | None = None,
) -> ThemeAnswer:
    """theme_evidence on an open connection (the database file names the in-memory cache)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    corpus = theme_corpus_for(con, db_path)
    theme, theme_query = resolve_query(con, corpus, query, codebook, embedder_factory)
    allowed = matching_quote_ids(con, where) if where and not where.empty else None
    rows = (np.arange(len(corpus)) if allowed is None
            else np.array(sorted(corpus.position[q] for q in allowed if q in corpus.position), dtype=np.int64))
    ranked = diversify(rank_rows(corpus, theme_query, rows, method), corpus, k, respondent_cap, CAP_WINDOW)
    return ThemeAnswer(theme, method, _hits(con, corpus, ranked))


def resolve_query(
    con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, query: str, codebook: str | None,
    embedder_factory: Callable[[], Embedder] | None,
) -> tuple[StoredTheme | None, ThemeQuery]:
    """A stored codebook theme when the text names one, else free text with a vector for it."""
    text = " ".join(query.split())
    if not text:
        raise ValueError("the theme is empty: give a codebook theme name or some text")
    if len(text) > MAX_QUERY_CHARS:
        raise ValueError(f"the theme text is longer than {MAX_QUERY_CHARS} characters")
    if codebook is not None and not any(t.codebook == codebook for t in corpus.themes):
        known = sorted({t.codebook for t in corpus.themes})
        raise UnknownTheme(f"no codebook {codebook!r} in the store; codebooks: {', '.join(known) or 'none'}")
    found = corpus.themes_named(text, codebook)
    if len(found) > 1:
        raise UnknownTheme(f"theme {text!r} is in several codebooks ({', '.join(t.codebook for t in found)}); "
                           "choose one with --codebook")
    if found:
        theme = found[0]
        return theme, ThemeQuery(theme.query_text, theme.vector, theme.heading_phrases)
    if codebook is not None:
        names = [t.name for t in corpus.themes if t.codebook == codebook]
        raise UnknownTheme(f"codebook {codebook!r} has no theme {text!r}; its themes: {'; '.join(names)}")
    return None, ThemeQuery(text, _free_text_vector(con, corpus, text, embedder_factory), (text,))


def _free_text_vector(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, text: str,
                      embedder_factory: Callable[[], Embedder] | None) -> np.ndarray | None:
    if corpus.model is None:
        return None
    row = con.execute(
        "SELECT vector FROM embeddings WHERE model = ? AND text_sha256 = ?", [corpus.model, text_sha256(text)]
    ).fetchone()
    if row is not None:
        return np.asarray(row[0], dtype=np.float32)
    if embedder_factory is None:
        raise ValueError("free-text themes need the embedding model; none was given")
    embedder = embedder_factory()
    if embedder.model_name != corpus.model:
        raise ValueError(f"the store was embedded with {corpus.model}, not {embedder.model_name}")
    return embedder.encode([text])[0]


def _hits(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, ranked: list[tuple[int, float]]) -> list[ThemeHit]:
    if not ranked:
        return []
    ids = [int(corpus.quote_ids[row]) for row, _ in ranked]
    rows = con.execute(
        "SELECT q.quote_id, q.text, q.respondent_code, r.phase, r.site, r.national, r.care_model, r.role, r.org, "
        "q.lead_in_role, q.source_kind, q.doc_id, d.title, s.path, q.page FROM quotes q "
        "JOIN documents d USING (doc_id) LEFT JOIN sections s USING (section_id) "
        "LEFT JOIN respondents r USING (respondent_id) WHERE q.quote_id IN (SELECT unnest(?::BIGINT[]))",
        [ids],
    ).fetchall()
    by_id = {row[0]: row for row in rows}
    return [
        ThemeHit(rank, score, *by_id[quote_id][1:], quote_id=quote_id)
        for rank, (quote_id, (_, score)) in enumerate(zip(ids, ranked), start=1)
        if quote_id in by_id
    ]
