"""List stored quotations with their respondent, document, section and page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.published import open_published
from queries.quote_filters import QuoteFilter, matching_quote_ids


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


def list_quotes(data_dir: Path, where: QuoteFilter, limit: int | None = None) -> list[QuoteRow]:
    """Quotations matching the filter, in document and reading order."""
    con, _ = open_published(data_dir)
    try:
        ids = matching_quote_ids(con, where)
        rows = con.execute(
            "SELECT quote_id, doc_id, page, section_path, respondent_code, source_kind, lead_in_role, text, "
            "attribution, cluster_id FROM evidence WHERE quote_id IN (SELECT unnest(?::BIGINT[])) "
            "ORDER BY doc_id, char_start LIMIT ?",
            [ids, limit if limit is not None else 2**62],
        ).fetchall()
    finally:
        con.close()
    return [QuoteRow(*row) for row in rows]
