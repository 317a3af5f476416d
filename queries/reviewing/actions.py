"""The reviewer's actions as library calls: accept, reject, change the respondent, adjust the span,
add a quotation, code or uncode a theme, write a memo on a quotation, a document or a respondent.

Each action reads the quotation as the reviewer sees it now (the reviewed state), checks the
request, and appends one decision to the journal with its anchor and the value before and after.
The command line (`evidence review ...`) and the browser (`evidence serve`) both call these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from index.ids import text_sha256
from index.published import open_published
from index.review_journal import Anchor, Review, ReviewError, append_reviews
from index.review_overlay import has_overlay
from index.review_state import relocate, stored_tables

MAX_MEMO_CHARS = 20000
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class QuoteNow:
    """A quotation as the reviewer sees it: where it is, what it says, who said it, its review status."""

    quote_id: int
    doc_id: str
    char_start: int
    char_end: int
    text: str
    respondent_code: str | None
    status: str | None
    memo: str | None
    doc_sha256: str

    def anchor(self) -> Anchor:
        return Anchor(doc_id=self.doc_id, doc_sha256=self.doc_sha256, char_start=self.char_start,
                      char_end=self.char_end, text=self.text, text_sha256=text_sha256(self.text))


def quote_now(con: duckdb.DuckDBPyConnection, quote_id: int) -> QuoteNow:
    """The quotation by id, rejected ones included (so a rejection can be undone)."""
    db = stored_tables(con)
    if has_overlay(con):
        row = con.execute(
            "SELECT r.quote_id, r.doc_id, r.char_start, r.char_end, r.text, r.respondent_code, r.status, r.memo, "
            f"sha256(coalesce(d.text, '')), r.respondent_changed FROM review_quotes r JOIN {db}.documents d "
            "USING (doc_id) WHERE r.quote_id = ?", [quote_id]).fetchone()
        if row is not None:
            *fields, changed = row
            if not changed:
                fields[5] = con.execute(f"SELECT respondent_code FROM {db}.quotes WHERE quote_id = ?",
                                        [quote_id]).fetchall()[0][0]
            return QuoteNow(*fields)
    row = con.execute(
        "SELECT q.quote_id, q.doc_id, q.char_start, q.char_end, q.text, q.respondent_code, NULL, NULL, "
        f"sha256(coalesce(d.text, '')) FROM {db}.quotes q JOIN {db}.documents d USING (doc_id) WHERE q.quote_id = ?",
        [quote_id]).fetchone()
    if row is None:
        raise ReviewError(f"no quotation with id {quote_id} in the store")
    return QuoteNow(*row)


def review_quote(data_dir: Path, quote_id: int, action: str, reviewer: str, **value: Any) -> Review:
    """Record one decision on a quotation: accept, reject, respondent, span, theme or memo."""
    con, _ = open_published(data_dir, reviewed=True)
    try:
        quote = quote_now(con, quote_id)
        before, after = _change(con, quote, action, value)
    finally:
        con.close()
    return _append(data_dir, Review(action, "quote", quote.anchor(), _name(reviewer), after, before))


def add_quotation(data_dir: Path, doc_id: str, reviewer: str, *, char_start: int | None = None,
                  char_end: int | None = None, text: str | None = None,
                  respondent_code: str | None = None) -> Review:
    """Record a quotation the extractor missed, given by span or by its text (found in the document)."""
    con, _ = open_published(data_dir, reviewed=False)
    try:
        row = con.execute("SELECT text, sha256(coalesce(text, '')) FROM documents WHERE doc_id = ?",
                          [doc_id]).fetchone()
    finally:
        con.close()
    if row is None:
        raise ReviewError(f"no document {doc_id!r} in the store")
    document, sha = row[0] or "", row[1]
    if char_start is None or char_end is None:
        found = relocate(document, text or "", char_start or 0)
        if found is None:
            raise ReviewError(f"the text is not in document {doc_id!r}")
        char_start, char_end = found
    start, end = _span(document, char_start, char_end)
    words = document[start:end]
    after = {"char_start": start, "char_end": end, "text": words}
    if respondent_code and respondent_code.strip():
        after["respondent_code"] = _name(respondent_code)
    anchor = Anchor(doc_id=doc_id, doc_sha256=sha, char_start=start, char_end=end, text=words,
                    text_sha256=text_sha256(words))
    return _append(data_dir, Review("add", "quote", anchor, _name(reviewer), after, {}))


def memo_document(data_dir: Path, doc_id: str, memo: str, reviewer: str) -> Review:
    con, _ = open_published(data_dir, reviewed=False)
    try:
        row = con.execute("SELECT sha256(coalesce(text, '')) FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    finally:
        con.close()
    if row is None:
        raise ReviewError(f"no document {doc_id!r} in the store")
    return _append(data_dir, Review("memo", "document", Anchor(doc_id=doc_id, doc_sha256=row[0]), _name(reviewer),
                                    {"memo": _memo(memo)}))


def memo_respondent(data_dir: Path, study: str, code: str, memo: str, reviewer: str) -> Review:
    con, _ = open_published(data_dir, reviewed=True)
    try:
        known = con.execute("SELECT count(*) FROM respondents WHERE study = ? AND code = ?", [study, code]).fetchall()
    finally:
        con.close()
    if not known[0][0]:
        raise ReviewError(f"no respondent {code!r} in study {study!r}")
    return _append(data_dir, Review("memo", "respondent", Anchor(study=study, code=code), _name(reviewer),
                                    {"memo": _memo(memo)}))


def _change(con: duckdb.DuckDBPyConnection, quote: QuoteNow, action: str,
            value: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The value before and after for one action on a quotation; raises on a request that makes no sense."""
    db = stored_tables(con)
    if action in ("accept", "reject"):
        return {"status": quote.status}, {"status": "accepted" if action == "accept" else "rejected"}
    if action == "respondent":
        code = str(value.get("respondent_code") or "").strip()
        return {"respondent_code": quote.respondent_code}, {"respondent_code": _name(code) if code else None}
    if action == "span":
        document = con.execute(f"SELECT text FROM {db}.documents WHERE doc_id = ?",
                               [quote.doc_id]).fetchall()[0][0] or ""
        start, end = _span(document, value.get("char_start"), value.get("char_end"))
        return ({"char_start": quote.char_start, "char_end": quote.char_end, "text": quote.text},
                {"char_start": start, "char_end": end, "text": document[start:end]})
    if action == "theme":
        codebook, theme = resolve_theme(con, str(value.get("theme") or ""), value.get("codebook"))
        coded = bool(value.get("coded", True))
        was = con.execute(
            "SELECT coded FROM review_theme_codes WHERE quote_id = ? AND codebook = ? AND theme = ?",
            [quote.quote_id, codebook, theme]).fetchall() if has_overlay(con) else []
        return ({"coded": was[0][0] if was else None},
                {"codebook": codebook, "theme": theme, "coded": coded})
    if action == "memo":
        return {"memo": quote.memo}, {"memo": _memo(str(value.get("memo") or ""))}
    raise ReviewError(f"unknown action on a quotation: {action!r}; "
                      "actions: accept, reject, respondent, span, theme, memo")


def resolve_theme(con: duckdb.DuckDBPyConnection, name: str, codebook: str | None) -> tuple[str, str]:
    """(codebook, theme name) of a stored theme; the codebook may be left out when the name is unique."""
    db = stored_tables(con)
    rows = con.execute(
        f"SELECT codebook, name FROM {db}.themes WHERE lower(name) = lower(?) AND (? IS NULL OR codebook = ?)",
        [name.strip(), codebook, codebook]).fetchall()
    if not rows:
        raise ReviewError(f"no theme {name!r}{f' in codebook {codebook!r}' if codebook else ''} in the store")
    if len(rows) > 1:
        raise ReviewError(f"theme {name!r} is in several codebooks ({', '.join(r[0] for r in rows)}); "
                          "name the codebook")
    return rows[0]


def _span(document: str, first: object, last: object) -> tuple[int, int]:
    try:
        start, end = int(first), int(last)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ReviewError("a span needs a start and an end offset (whole numbers)") from None
    if not 0 <= start < end <= len(document):
        raise ReviewError(f"span {start}-{end} is not inside the document (0-{len(document)})")
    if not document[start:end].strip():
        raise ReviewError("the span holds no text")
    return start, end


def _name(value: str) -> str:
    value = " ".join(str(value).split())
    if not value:
        raise ReviewError("a name is empty")
    if len(value) > MAX_NAME_CHARS:
        raise ReviewError(f"a name is longer than {MAX_NAME_CHARS} characters")
    return value


def _memo(text: str) -> str:
    if len(text) > MAX_MEMO_CHARS:
        raise ReviewError(f"a memo is longer than {MAX_MEMO_CHARS} characters")
    if "\x00" in text:
        raise ReviewError("a memo holds a NUL character")
    return text.strip()


def _append(data_dir: Path, review: Review) -> Review:
    return append_reviews(data_dir, [review])[0]
