"""Show the reviewed state to every reader: temporary tables that shadow the generation's own.

`open_published` calls `apply_reviews` on each connection it opens (unless the caller asked for
the extractor's own output). DuckDB looks names up in the connection's temporary schema first,
so `quotes`, `respondents`, `quote_themes`, `mentions` and the `evidence` view built on them then
answer with the reviewed rows, and every query, export and report reads them without knowing:
rejected quotations are gone, corrected respondents and spans are in place, quotations the
reviewers added are there, reviewer codes are added to or taken from `quote_themes`.

The generation itself is never written (it is opened read-only); the overlay lives only as long
as the connection. With an empty journal nothing is created and the connection is untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import duckdb

from index.ids import stable_id
from index.review_journal import Review
from index.review_state import ReviewedState, memo_text, reviewed_state, stored_tables

# Whether readers see the reviewed state (the default) or the extractor's own output.
_show_reviewed: ContextVar[bool] = ContextVar("show_reviewed", default=True)
MARKER = "review_quotes"


def reviews_shown() -> bool:
    return _show_reviewed.get()


@contextmanager
def extractor_output() -> Iterator[None]:
    """Within this block every reader sees the generation as the extractor wrote it (`--unreviewed`)."""
    token = _show_reviewed.set(False)
    try:
        yield
    finally:
        _show_reviewed.reset(token)


def has_overlay(con: duckdb.DuckDBPyConnection) -> bool:
    """True when `apply_reviews` put the reviewed state on this connection."""
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [MARKER]).fetchone()
    return bool(row and row[0])


def apply_reviews(con: duckdb.DuckDBPyConnection, data_dir: Path, generation: Path) -> ReviewedState:
    """Shadow the reviewed tables on this connection; return the state applied."""
    state = reviewed_state(con, data_dir, generation)
    if state.empty:
        return state
    db = stored_tables(con)
    _decision_tables(con, state)
    con.execute(
        "CREATE TEMP TABLE quotes AS "
        "SELECT q.* REPLACE (coalesce(r.text, q.text) AS text, coalesce(r.char_start, q.char_start) AS char_start, "
        "coalesce(r.char_end, q.char_end) AS char_end, "
        "CASE WHEN r.respondent_changed THEN r.respondent_id ELSE q.respondent_id END AS respondent_id, "
        "CASE WHEN r.respondent_changed THEN r.respondent_code ELSE q.respondent_code END AS respondent_code, "
        "CASE WHEN r.respondent_changed THEN NULL ELSE q.facets END AS facets) "
        f"FROM {db}.quotes q LEFT JOIN review_quotes r USING (quote_id) WHERE r.status IS DISTINCT FROM 'rejected'"
    )
    _add_quotations(con)
    con.execute(
        "CREATE TEMP TABLE respondents AS "
        f"SELECT r.* REPLACE (n.n_quotes AS n_quotes) FROM {db}.respondents r "
        "JOIN (SELECT respondent_id, count(*)::INTEGER AS n_quotes FROM quotes GROUP BY ALL) n USING (respondent_id)"
    )
    con.execute(
        "INSERT INTO respondents BY NAME "
        "SELECT q.respondent_id, any_value(d.study) AS study, any_value(q.respondent_code) AS code, "
        f"'reviewer' AS scheme, count(*)::INTEGER AS n_quotes FROM quotes q JOIN {db}.documents d USING (doc_id) "
        "WHERE q.respondent_id IS NOT NULL AND q.respondent_id NOT IN (SELECT respondent_id FROM respondents) "
        "GROUP BY q.respondent_id"
    )
    con.execute(
        "CREATE TEMP TABLE quote_themes AS "
        f"SELECT qt.* FROM {db}.quote_themes qt WHERE qt.quote_id IN (SELECT quote_id FROM quotes) "
        "AND NOT EXISTS (SELECT 1 FROM review_theme_codes c WHERE c.quote_id = qt.quote_id "
        "AND c.theme_id = qt.theme_id)"
    )
    con.execute(
        "INSERT INTO quote_themes BY NAME "
        "SELECT c.quote_id, c.theme_id, m.top AS score, 0 AS rank, m.method FROM review_theme_codes c, "
        f"(SELECT method, max(score) AS top FROM {db}.quote_themes GROUP BY method) m "
        "WHERE c.coded AND c.quote_id IN (SELECT quote_id FROM quotes)"
    )
    con.execute(
        "CREATE TEMP TABLE mentions AS SELECT m.* REPLACE (CASE WHEN m.quote_id IN (SELECT quote_id FROM quotes) "
        f"THEN m.quote_id END AS quote_id) FROM {db}.mentions m"
    )
    con.execute(
        "UPDATE mentions SET quote_id = r.quote_id FROM review_quotes r WHERE NOT r.extracted "
        "AND r.status IS DISTINCT FROM 'rejected' AND mentions.quote_id IS NULL AND mentions.doc_id = r.doc_id "
        "AND mentions.char_start >= r.char_start AND mentions.char_end <= r.char_end"
    )
    return state


def _decision_tables(con: duckdb.DuckDBPyConnection, state: ReviewedState) -> None:
    from index.transactions import insert_arrow  # pyarrow: only when there are reviews to show

    db = stored_tables(con)
    studies = dict(con.execute(f"SELECT doc_id, study FROM {db}.documents").fetchall())
    quotes = list(state.quotes.values())
    con.execute(
        f"CREATE TEMP TABLE {MARKER} (quote_id BIGINT, doc_id VARCHAR, char_start INTEGER, char_end INTEGER, "
        "text VARCHAR, extracted BOOLEAN, respondent_changed BOOLEAN, respondent_id BIGINT, respondent_code VARCHAR, "
        "status VARCHAR, memo VARCHAR, reviewers VARCHAR[], reviewed_at VARCHAR)"
    )
    insert_arrow(con, MARKER, {
        "quote_id": [q.quote_id for q in quotes],
        "doc_id": [q.doc_id for q in quotes],
        "char_start": [q.char_start for q in quotes],
        "char_end": [q.char_end for q in quotes],
        "text": [q.text for q in quotes],
        "extracted": [q.extracted for q in quotes],
        "respondent_changed": [q.respondent_changed for q in quotes],
        "respondent_id": [respondent_id(studies.get(q.doc_id, ""), q.respondent_code) for q in quotes],
        "respondent_code": [q.respondent_code for q in quotes],
        "status": [q.status for q in quotes],
        "memo": [q.memo for q in quotes],
        "reviewers": [sorted({d.reviewer for d in q.decisions}) for q in quotes],
        "reviewed_at": [max(d.at for d in q.decisions) if q.decisions else None for q in quotes],
    })
    codes = [(q.quote_id, book, name, coded, q.last("theme", (book, name)))
             for q in quotes for (book, name), coded in q.themes.items()]
    con.execute("CREATE TEMP TABLE review_theme_codes (quote_id BIGINT, codebook VARCHAR, theme VARCHAR, "
                "coded BOOLEAN, theme_id BIGINT, reviewer VARCHAR, decided_at VARCHAR)")
    insert_arrow(con, "review_theme_codes", {
        "quote_id": [c[0] for c in codes], "codebook": [c[1] for c in codes], "theme": [c[2] for c in codes],
        "coded": [c[3] for c in codes], "theme_id": [None for _ in codes],
        "reviewer": [c[4].reviewer if c[4] else None for c in codes],
        "decided_at": [c[4].at if c[4] else None for c in codes],
    })
    _memo_table(con, state)
    con.execute(f"UPDATE review_theme_codes SET theme_id = t.theme_id FROM {db}.themes t "
                "WHERE t.codebook = review_theme_codes.codebook AND t.name = review_theme_codes.theme")


def _memo_table(con: duckdb.DuckDBPyConnection, state: ReviewedState) -> None:
    """`review_memos`: the memo in force on each quotation, document and respondent, with who and when."""
    from index.transactions import insert_arrow

    # (target, quote_id, doc_id, study, code, the memo's review)
    found: list[tuple[str, int | None, str | None, str | None, str | None, Review | None]] = [
        ("quote", q.quote_id, q.doc_id, None, None, q.last("memo")) for q in state.quotes.values()
        if q.memo and not q.rejected]
    found += [("document", None, doc_id, None, None, r) for doc_id, r in state.document_memos.items()]
    found += [("respondent", None, None, study, code, r) for (study, code), r in state.respondent_memos.items()]
    memos = [(*m[:5], review) for m in found if (review := m[5]) is not None and memo_text(review)]
    con.execute("CREATE TEMP TABLE review_memos (target VARCHAR, quote_id BIGINT, doc_id VARCHAR, study VARCHAR, "
                "code VARCHAR, memo VARCHAR, reviewer VARCHAR, decided_at VARCHAR)")
    insert_arrow(con, "review_memos", {
        "target": [m[0] for m in memos], "quote_id": [m[1] for m in memos], "doc_id": [m[2] for m in memos],
        "study": [m[3] for m in memos], "code": [m[4] for m in memos], "memo": [memo_text(m[5]) for m in memos],
        "reviewer": [m[5].reviewer for m in memos], "decided_at": [m[5].at for m in memos],
    })


def respondent_id(study: str, code: str | None) -> int | None:
    """The id a respondent code has within a study, as the ingest makes it."""
    return stable_id("respondent", study, code) if code else None


def _add_quotations(con: duckdb.DuckDBPyConnection) -> None:
    """Quotations the reviewers added, placed in their section, page and reading order."""
    db = stored_tables(con)
    con.execute(
        "INSERT INTO quotes BY NAME "
        "SELECT r.quote_id, r.doc_id, r.text, r.char_start, r.char_end, r.respondent_id, r.respondent_code, "
        "CASE WHEN r.respondent_code IS NULL THEN 'other' ELSE 'interview' END AS source_kind, false AS inline, "
        "'reviewer' AS scheme, "
        f"(SELECT s.section_id FROM {db}.sections s WHERE s.doc_id = r.doc_id AND s.char_start <= r.char_start "
        " ORDER BY s.char_start DESC, s.level DESC LIMIT 1) AS section_id, "
        f"(SELECT p.page FROM {db}.passages p WHERE p.doc_id = r.doc_id AND p.char_start <= r.char_start "
        " ORDER BY p.char_start DESC LIMIT 1) AS page, "
        f"coalesce((SELECT max(q.ordinal) FROM {db}.quotes q WHERE q.doc_id = r.doc_id "
        " AND q.char_start <= r.char_start), 0) AS ordinal "
        f"FROM {MARKER} r WHERE NOT r.extracted AND r.status IS DISTINCT FROM 'rejected'"
    )
