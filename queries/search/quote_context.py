"""A quotation in its surroundings: the paragraph before it (usually the lead-in naming the speaker),
the quotation's own paragraph and the one after, cut from `documents.text` around the stored offsets.

Reviewers judge a quotation by what surrounds it; the report and the browser show this on demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

PARAGRAPH_BREAK = "\n\n"
# At most this many characters of context on either side, so a document without paragraph breaks
# (a bad extraction) does not put its whole text on the page.
MAX_SIDE = 700


@dataclass(frozen=True)
class QuoteContext:
    """The text before the quotation, the quotation as it stands in the document, and the text after."""

    before: str
    quote: str
    after: str


def quote_contexts(con: duckdb.DuckDBPyConnection, quote_ids: Iterable[int]) -> dict[int, QuoteContext]:
    """Context for each quotation id the store holds (ids it does not hold are left out)."""
    ids = sorted(set(quote_ids))
    if not ids:
        return {}
    rows = con.execute(
        "SELECT q.quote_id, q.doc_id, q.char_start, q.char_end FROM quotes q "
        "WHERE q.quote_id IN (SELECT unnest(?::BIGINT[]))",
        [ids],
    ).fetchall()
    docs = sorted({row[1] for row in rows})
    texts = dict(con.execute(
        "SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [docs]
    ).fetchall())
    return {
        quote_id: surrounding(texts[doc_id] or "", start, end)
        for quote_id, doc_id, start, end in rows
        if doc_id in texts
    }


def surrounding(text: str, start: int, end: int) -> QuoteContext:
    """The paragraph before the one holding text[start:end], and the paragraph after it, trimmed."""
    para_start = _paragraph_start(text, start)
    before_start = _paragraph_start(text, max(para_start - len(PARAGRAPH_BREAK), 0)) if para_start else 0
    para_end = _paragraph_end(text, end)
    after_end = _paragraph_end(text, min(para_end + len(PARAGRAPH_BREAK), len(text)))
    before = text[max(before_start, start - MAX_SIDE):start]
    after = text[end:min(after_end, end + MAX_SIDE)]
    if start - before_start > MAX_SIDE:
        before = "…" + before.split(" ", 1)[-1]
    if after_end - end > MAX_SIDE:
        after = after.rsplit(" ", 1)[0] + "…"
    return QuoteContext(before.lstrip("\n"), text[start:end], after.rstrip("\n"))


def _paragraph_start(text: str, position: int) -> int:
    found = text.rfind(PARAGRAPH_BREAK, 0, position)
    return 0 if found < 0 else found + len(PARAGRAPH_BREAK)


def _paragraph_end(text: str, position: int) -> int:
    found = text.find(PARAGRAPH_BREAK, position)
    return len(text) if found < 0 else found
