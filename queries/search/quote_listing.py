"""List stored quotations with their respondent, document, section and page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from index.published import open_published
from index.review_overlay import has_overlay
from queries.search.quote_filters import QuoteFilter, matching_quote_sql

MEMBERSHIP_METHOD = "dense"


@dataclass(frozen=True)
class QuoteRow:
    """One quotation as a reviewer reads it."""

    quote_id: int
    doc_id: str
    page: int | None
    section_path: str | None
    respondent_code: str | None
    source_kind: str
    lead_in_role: str | None
    text: str
    attribution: str | None
    cluster_id: int | None
    review_status: str | None = None
    memo: str | None = None
    themes: tuple[str, ...] = ()


def list_quotes(data_dir: Path, where: QuoteFilter, limit: int | None = None) -> list[QuoteRow]:
    """Quotations matching the filter, in document and reading order."""
    con, _ = open_published(data_dir)
    try:
        return read_quotes(con, where, limit)
    finally:
        con.close()


def read_quotes(con: duckdb.DuckDBPyConnection, where: QuoteFilter, limit: int | None = None,
                memberships: dict[int, list[tuple[int, str, str]]] | None = None) -> list[QuoteRow]:
    """list_quotes on an open connection (a process answering many questions keeps one open), with
    every quotation's `theme_memberships` when the caller keeps them."""
    matching, params = matching_quote_sql(con, where)
    reviewed = has_overlay(con)
    review = "CASE WHEN NOT r.extracted THEN 'added' ELSE r.status END, r.memo" if reviewed else "NULL, NULL"
    joined = "LEFT JOIN review_quotes r USING (quote_id)" if reviewed else ""
    # The page of quotations is chosen on the quotes table alone, and only its rows are joined for display.
    rows = con.execute(
        "WITH page AS MATERIALIZED (SELECT q.quote_id FROM quotes q "
        f"WHERE q.quote_id IN ({matching}) ORDER BY q.doc_id, q.char_start LIMIT ?) "
        "SELECT e.quote_id, e.doc_id, e.page, e.section_path, e.respondent_code, e.source_kind, e.lead_in_role, "
        f"e.text, e.attribution, e.cluster_id, {review} FROM evidence e JOIN page USING (quote_id) {joined} "
        "ORDER BY e.doc_id, e.char_start",
        [*params, limit if limit is not None else 2**62],
    ).fetchall()
    themes = memberships if memberships is not None else theme_memberships(con, [row[0] for row in rows])
    return [replace(QuoteRow(*row), themes=tuple(f"{book}: {name}" for _, book, name in themes.get(row[0], ())))
            for row in rows]


def theme_memberships(con: duckdb.DuckDBPyConnection,
                      quote_ids: list[int] | None) -> dict[int, list[tuple[int, str, str]]]:
    """(theme_id, codebook, name) of the themes each quotation (of `quote_ids`, or every one) belongs to:
    a score for the membership method at its threshold (the rule `evidence matrix` counts), reviewer
    codes included. Every quotation's at once is one scan of quote_themes, which a process answering
    many listings of one generation reads once instead of once per listing."""
    from queries.search.theme_matrix import DEFAULT_THRESHOLDS  # the ranking modules it sits with load slowly

    memberships: dict[int, list[tuple[int, str, str]]] = {}
    chosen = "" if quote_ids is None else "qt.quote_id IN (SELECT unnest(?::BIGINT[])) AND "
    for quote_id, theme_id, book, name in con.execute(
        "SELECT qt.quote_id, qt.theme_id, t.codebook, t.name FROM quote_themes qt JOIN themes t USING (theme_id) "
        f"WHERE {chosen}qt.method = ? AND qt.score >= ? ORDER BY t.codebook, t.ordinal, t.theme_id",
        [*([quote_ids] if quote_ids is not None else []), MEMBERSHIP_METHOD, DEFAULT_THRESHOLDS[MEMBERSHIP_METHOD]],
    ).fetchall():
        memberships.setdefault(quote_id, []).append((theme_id, book, name))
    return memberships
