"""The quote_windows table: every stored quotation cut into windows (ingest/quote_windows.py), rebuilt
before the themes are coded; the window texts go to the embedding cache."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from index.ids import text_sha256
from index.transactions import insert_arrow, transaction
from ingest.quote_windows import QuoteWindow, split_windows
from ingest.text.lead_ins import lead_in_sentence

PieceCounter = Callable[[list[str]], list[int]]


def rebuild_quote_windows(con: duckdb.DuckDBPyConnection, count: PieceCounter) -> dict[str, str]:
    """Replace the quote_windows table from the stored quotations; return {sha256: text} of every window.

    The texts go through the embedding cache, so only windows never seen before are embedded.
    """
    rows = con.execute(
        "SELECT q.quote_id, q.text, q.char_start, d.text FROM quotes q JOIN documents d USING (doc_id) "
        "ORDER BY q.quote_id"
    ).fetchall()
    leads = [lead_in_sentence((doc_text or "")[:char_start]) for _, _, char_start, doc_text in rows]
    quote_words = [text.split() for _, text, _, _ in rows]
    lead_words = [lead.split() for lead in leads]
    counts = iter(count([w for words in quote_words + lead_words for w in words]))
    quote_counts = [[next(counts) for _ in words] for words in quote_words]
    lead_counts = [[next(counts) for _ in words] for words in lead_words]
    windows: list[tuple[QuoteWindow, str]] = []
    for (quote_id, text, _, _), lead, pieces, lead_pieces in zip(rows, leads, quote_counts, lead_counts):
        windows.extend((w, w.text(text)) for w in split_windows(quote_id, text, lead, pieces, lead_pieces))
    _replace_table(con, windows)
    return {text_sha256(text): text for _, text in windows}


def _replace_table(con: duckdb.DuckDBPyConnection, windows: list[tuple[QuoteWindow, str]]) -> None:
    table = pa.table({
        "quote_id": pa.array([w.quote_id for w, _ in windows], pa.int64()),
        "ordinal": pa.array([w.ordinal for w, _ in windows], pa.int32()),
        "span_start": pa.array([w.span_start for w, _ in windows], pa.int32()),
        "span_end": pa.array([w.span_end for w, _ in windows], pa.int32()),
        "lead_in": pa.array([w.lead_in or None for w, _ in windows], pa.string()),
        "n_pieces": pa.array([w.n_pieces for w, _ in windows], pa.int32()),
        "text": pa.array([t for _, t in windows], pa.string()),
        "text_sha256": pa.array([text_sha256(t) for _, t in windows], pa.string()),
    })
    with transaction(con):
        con.execute("DELETE FROM quote_windows")
        insert_arrow(con, "quote_windows", table)
